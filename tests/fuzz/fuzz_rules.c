/*
 * fuzz_rules.c — libFuzzer target for the entity matcher.  The first line
 * of the input (up to '\n') is added as a name to a fuzzy, suffixes="tr"
 * rule beside fixed names and patterns; the rest is scanned.  Invariants:
 *  - every candidate and match lies inside the text, start < stop,
 *    start <= suffix_start <= stop, on character boundaries of valid input;
 *  - taken matches are in text order and never overlap;
 *  - an overlapped candidate names a taken winner that overlaps it and
 *    ranks no lower in length;
 *  - token ranges lie inside the text, in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int boundary(const char *s, size_t len, size_t i)
{
    return i == 0 || i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "Kuzey Kore", "Kore", "Rusya", "Kim Jong-un", "İstanbul", "AB", "Borrell" };
    const char *s = (const char *)data, *nl = memchr(s, '\n', size);
    size_t nlen = nl ? (size_t)(nl - s) : 0, tlen, i, bad;
    const char *t = nl ? nl + 1 : s;
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    nd_rule_def d = { "fz", "X", NULL, 0, 1, ND_RULE_SUFFIXES_TR, NULL };
    nd_str w[] = { { "Bakanı", 7 }, { "sözcüsü", 9 } };
    nd_pattern_elem p[] = { { ND_TEST_LITERAL, w, 2, 1, 1, 0, NULL, 0 },
                            { ND_TEST_CAP, NULL, 0, 1, 4, 1, w, 1 } };
    unsigned ri, e;
    int valid;
    tlen = size - (size_t)(t - s);
    CHECK(nd_rules_new(&r) == ND_OK && nd_scan_new(&sc) == ND_OK);
    CHECK(nd_rules_add_rule(r, &d, &ri) == ND_OK);
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        CHECK(nd_rules_add_entry(r, ri, NULL, names[i], &e) == ND_OK);
        CHECK(nd_rules_add_name(r, e, names[i], strlen(names[i])) == ND_OK);
    }
    CHECK(nd_rules_add_entry(r, ri, NULL, "input", &e) == ND_OK);
    (void)nd_rules_add_name(r, e, s, nlen);                    /* may be empty */
    CHECK(nd_rules_add_rule(r, &d, &ri) == ND_OK);
    CHECK(nd_rules_add_pattern(r, ri, p, 2) == ND_OK);
    CHECK(nd_rules_scan(r, sc, t, tlen, ND_SCAN_EXPLAIN | ND_SCAN_TOKENS) == ND_OK);
    valid = nd_utf8_check(t, tlen, &bad) == ND_OK;
    for (i = 0; i < nd_scan_ncandidates(sc); i++) {
        const nd_match *m = nd_scan_candidate(sc, i);
        CHECK(m->start < m->stop && m->stop <= tlen);
        CHECK(m->start <= m->suffix_start && m->suffix_start <= m->stop);
        if (valid) CHECK(boundary(t, tlen, m->start) && boundary(t, tlen, m->stop) &&
                         boundary(t, tlen, m->suffix_start));
        if (m->status == ND_MATCH_OVERLAP) {
            const nd_match *w2 = nd_scan_candidate(sc, m->shadowed_by);
            CHECK(w2 && w2->status == ND_MATCH_TAKEN);
            CHECK(w2->start < m->stop && m->start < w2->stop);
            CHECK(w2->stop - w2->start >= m->stop - m->start);
        }
    }
    for (i = 0; i < nd_scan_count(sc); i++) {
        const nd_match *m = nd_scan_match(sc, i);
        CHECK(m->status == ND_MATCH_TAKEN);
        if (i) CHECK(nd_scan_match(sc, i - 1)->stop <= m->start);
    }
    for (i = 0; i < nd_scan_ntokens(sc); i++) {
        size_t a, b, pa, pb;
        nd_scan_token(sc, i, &a, &b);
        CHECK(a < b && b <= tlen);
        if (i) {
            nd_scan_token(sc, i - 1, &pa, &pb);
            CHECK(pb <= a);
        }
    }
    nd_scan_free(sc);
    nd_rules_free(r);
    return 0;
}
