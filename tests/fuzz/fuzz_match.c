/*
 * fuzz_match.c — libFuzzer target checking the entity scanner against a
 * simple reference matcher.  The first input line is a name (one gazetteer
 * entry, exact matching, no suffix rules); the rest is the text.  The
 * "fold key" of a span is the list of its word parts (words split at
 * hyphens, a word's apostrophe suffix left out), each folded with
 * nd_text_fold.  Invariants, for valid UTF-8 text:
 *  - every match lies inside the text, on character boundaries, and the
 *    fold key of its text before the suffix equals the name's;
 *  - every place where the reference finds the name — consecutive words
 *    separated by white space (spaces and control characters) whose parts
 *    fold to the name's parts — is covered
 *    by a match (matches of one name never hide each other unless they
 *    overlap);
 *  - matches are in text order and do not overlap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 64

typedef struct key {
    nd_buf text;               /* folded parts, each followed by a NUL */
    size_t n;
} key;

static int key_add_token(key *k, const char *s, const nd_token *t, nd_buf *tmp)
{
    unsigned p;
    for (p = 0; p < t->nparts; p++) {
        size_t a, b;
        CHECK(nd_token_part(s, t, p, &a, &b) == ND_OK);
        CHECK(nd_text_fold(tmp, s + a, b - a, 0, NULL) == ND_OK);
        if (tmp->len == 0)
            continue;                     /* a part of ignorables only */
        CHECK(nd_buf_append(&k->text, tmp->ptr, tmp->len) == ND_OK && nd_buf_append(&k->text, "", 1) == ND_OK);
        k->n++;
    }
    return 0;
}

/* Key of s[0..len): every word's parts. */
static void key_of(key *k, const char *s, size_t len, nd_buf *tmp)
{
    nd_tokenizer tz;
    nd_token t;
    k->text.len = 0;
    k->n = 0;
    nd_tokenizer_init(&tz, s, len);
    while (nd_tokenizer_next(&tz, &t))
        key_add_token(k, s, &t, tmp);
}

static int key_eq(const key *a, const key *b)
{
    return a->n == b->n && a->text.len == b->text.len &&
           (a->text.len == 0 || memcmp(a->text.ptr, b->text.ptr, a->text.len) == 0);
}

/* 1 if s[a] is right after a backtick or an acute accent glued to a word:
 * fold turns those into an apostrophe, so the scanner reads "x`Name" as
 * one word with a suffix while nd_tokenizer splits it (reported to R as a
 * known difference; the reference leaves these places out). */
static int after_glued_quote(const char *s, size_t a)
{
    if (a >= 2 && s[a - 1] == '`')
        return s[a - 2] != ' ';
    if (a >= 3 && (unsigned char)s[a - 2] == 0xC2 && (unsigned char)s[a - 1] == 0xB4)
        return s[a - 3] != ' ';
    return 0;
}

/* 1 if s[a, b) is white space to both sides: spaces and control
 * characters (C0, DEL, C1), which part words as a space does. */
static int only_spaces(const char *s, size_t a, size_t b)
{
    while (a < b) {
        unsigned char c = (unsigned char)s[a];
        if (c <= 0x20 || c == 0x7F)
            a++;
        else if (c == 0xC2 && a + 1 < b && (unsigned char)s[a + 1] >= 0x80 && (unsigned char)s[a + 1] <= 0x9F)
            a += 2;
        else
            return 0;
    }
    return 1;
}

/* 1 if the name is words separated by white space only: no punctuation the
 * tokenizer would drop (the scanner keeps it significant: "AT&T"), no
 * apostrophe suffix, and no URL or e-mail address (one token to the
 * tokenizer; to the scanner words between punctuation runs, so
 * "a.b@c.org" also matches "a.b=@c.org": a known difference, left out). */
static int plain_name(const char *s, size_t len)
{
    nd_tokenizer tz;
    nd_token t;
    size_t prev = 0;
    nd_tokenizer_init(&tz, s, len);
    while (nd_tokenizer_next(&tz, &t)) {
        if (!only_spaces(s, prev, t.start) || t.stem_stop != t.stop || t.kind == ND_TOKEN_URL ||
            t.kind == ND_TOKEN_EMAIL)
            return 0;
        prev = t.stop;
    }
    return only_spaces(s, prev, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *nl = memchr(s, '\n', size);
    const char *t;
    size_t nlen, tlen, i, j, bad, ntok = 0;
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    nd_rule_def d = { "ref", "X", NULL, 0, 0, 0, NULL };
    unsigned ri, e;
    key name = { ND_BUF_INIT, 0 }, span = { ND_BUF_INIT, 0 };
    nd_buf tmp = ND_BUF_INIT;
    nd_token tok[256];
    nd_tokenizer tz;

    if (!nl || (size_t)(nl - s) > 80)
        return 0;
    nlen = (size_t)(nl - s);
    t = nl + 1;
    tlen = size - nlen - 1;
    if (nd_utf8_check(s, size, &bad) != ND_OK)
        return 0;
    if (!plain_name(s, nlen))
        return 0;
    CHECK(nd_rules_new(&r) == ND_OK && nd_scan_new(&sc) == ND_OK);
    CHECK(nd_rules_add_rule(r, &d, &ri) == ND_OK);
    CHECK(nd_rules_add_entry(r, ri, NULL, "name", &e) == ND_OK);
    key_of(&name, s, nlen, &tmp);
    if (nd_rules_add_name(r, e, s, nlen) != ND_OK || name.n == 0 || name.n > MAXP)
        goto done;
    CHECK(nd_rules_scan(r, sc, t, tlen, 0) == ND_OK);

    for (i = 0; i < nd_scan_count(sc); i++) {
        const nd_match *m = nd_scan_match(sc, i);
        size_t stem = m->suffix_start;
        CHECK(m->start < m->stop && m->stop <= tlen && m->suffix_start <= m->stop && m->start < m->suffix_start);
        if (i)
            CHECK(nd_scan_match(sc, i - 1)->stop <= m->start);
        key_of(&span, t + m->start, stem - m->start, &tmp);
        if (!key_eq(&span, &name))
            fprintf(stderr, "match [%zu,%zu) \"%.*s\" does not fold to the name \"%.*s\"\n",
                    m->start, m->stop, (int)(m->stop - m->start), t + m->start, (int)nlen, s);
        CHECK(key_eq(&span, &name));
    }

    /* the reference: runs of words joined by spaces whose parts are the name's */
    nd_tokenizer_init(&tz, t, tlen);
    while (ntok < sizeof tok / sizeof *tok && nd_tokenizer_next(&tz, &tok[ntok]))
        ntok++;
    for (i = 0; i < ntok; i++) {
        if (after_glued_quote(t, tok[i].start))
            continue;
        span.text.len = 0;
        span.n = 0;
        for (j = i; j < ntok && span.n < name.n; j++) {
            if (j > i && (tok[j - 1].stem_stop != tok[j - 1].stop ||
                          !only_spaces(t, tok[j - 1].stop, tok[j].start)))
                break;
            key_add_token(&span, t, &tok[j], &tmp);
            if (span.n == name.n && key_eq(&span, &name)) {
                size_t a = tok[i].start, b = tok[j].stop, k;
                int covered = 0;
                for (k = 0; k < nd_scan_count(sc); k++) {
                    const nd_match *m = nd_scan_match(sc, k);
                    if (m->start < b && a < m->stop)
                        covered = 1;
                }
                if (!covered)
                    fprintf(stderr, "reference finds \"%.*s\" at [%zu,%zu); the scanner does not\n",
                            (int)(b - a), t + a, a, b);
                CHECK(covered);
            }
        }
    }
done:
    nd_buf_free(&name.text);
    nd_buf_free(&span.text);
    nd_buf_free(&tmp);
    nd_scan_free(sc);
    nd_rules_free(r);
    return 0;
}
