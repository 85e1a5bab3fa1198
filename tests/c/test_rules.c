/* The entity matcher: gazetteer names over fold keys, suffixes, fuzzy names,
 * token patterns and overlap resolution, in Turkish, English and German. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "newsdesk.h"
#include "nd_rules.h"
#include "tap.h"

/* Matches of s as "text/type/id/suffix" joined by "; ". */
static const char *show(const nd_rules *r, nd_scan *sc, const char *s, unsigned flags)
{
    static char out[4096];
    size_t i, n = 0;
    out[0] = '\0';
    if (nd_rules_scan(r, sc, s, strlen(s), flags) != ND_OK) return "scan failed";
    for (i = 0; i < nd_scan_count(sc); i++) {
        const nd_match *m = nd_scan_match(sc, i);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%.*s/%s/%s/%.*s", i ? "; " : "",
                              (int)(m->stop - m->start), s + m->start, m->type, m->id ? m->id : "-",
                              (int)(m->stop - m->suffix_start), s + m->suffix_start);
    }
    return out;
}

static unsigned gaz(nd_rules *r, const char *name, const char *type, unsigned fuzzy, unsigned flags, int prio)
{
    nd_rule_def d = { name, type, NULL, prio, fuzzy, flags, NULL };
    unsigned ri = 0;
    ok(nd_rules_add_rule(r, &d, &ri) == ND_OK, "add rule %s", name);
    return ri;
}

static void ent(nd_rules *r, unsigned ri, const char *id, const char *const *names)
{
    unsigned e = 0;
    nd_rules_add_entry(r, ri, NULL, id, &e);
    for (; *names; names++)
        if (nd_rules_add_name(r, e, *names, strlen(*names)) != ND_OK)
            printf("# add_name %s: %s\n", *names, nd_rules_errmsg(r));
}

static void test_suffixes(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    unsigned ri;
    nd_rules_new(&r);
    nd_scan_new(&sc);
    ri = gaz(r, "tr", "PLACE", 0, ND_RULE_SUFFIXES_TR, 0);
    ent(r, ri, "russia", (const char *const[]){ "Rusya", NULL });
    ent(r, ri, "ankara", (const char *const[]){ "Ankara", NULL });
    ent(r, ri, "north_korea", (const char *const[]){ "Kuzey Kore", NULL });
    ent(r, ri, "izmir", (const char *const[]){ "İzmir", NULL });
    ent(r, ri, "iran", (const char *const[]){ "İran", NULL });
    ent(r, ri, "usa", (const char *const[]){ "ABD", NULL });
    is_str(show(r, sc, "Rusyaya ve Ankaralı", 0), "Rusyaya/PLACE/russia/ya; Ankaralı/PLACE/ankara/lı",
           "suffixes=tr: dative and -lı without apostrophe");
    is_str(show(r, sc, "Kuzey Koreden, Rusyanın, İzmirliler, Moskova ile Rusyadaki", 0),
           "Kuzey Koreden/PLACE/north_korea/den; Rusyanın/PLACE/russia/nın; İzmirliler/PLACE/izmir/liler; "
           "Rusyadaki/PLACE/russia/daki", "suffix chains in vowel harmony");
    is_str(show(r, sc, "Rusyeye Ankaralu Rusyalaştırma İranyan", 0), "",
           "harmony violations and unrelated longer words do not match");
    ent(r, ri, "kemal", (const char *const[]){ "Anıtkabir Kemal", NULL });
    ent(r, ri, "kanal", (const char *const[]){ "Kanal", NULL });
    is_str(show(r, sc, "Anıtkabir Kemalin, Anıtkabir Kemalın, Kanalı ve Kanali", 0),
           "Anıtkabir Kemalin/PLACE/kemal/in; Anıtkabir Kemalın/PLACE/kemal/ın; Kanalı/PLACE/kanal/ı",
           "a loanword's front suffixes (Kemal: -in), its back ones too; a regular word's front ones not");
    is_str(show(r, sc, "ABDye ve ABD'nin", 0), "ABDye/PLACE/usa/ye; ABD'nin/PLACE/usa/nin",
           "acronyms take e-harmony");
    is_str(show(r, sc, "Ankara\xD8\x80" "2024, An\xC2\xAD" "kara", 0),
           "Ankara/PLACE/ankara/; An\xC2\xAD" "kara/PLACE/ankara/",
           "a format character left by the fold parts words, as in the tokenizer; a soft hyphen does not");
    ri = gaz(r, "years", "YEAR", 0, 0, 0);
    ent(r, ri, "y2024", (const char *const[]){ "2024", NULL });
    is_str(show(r, sc, "2023-2024 sezonu, C'2024 ve 2024'te", 0),
           "2024/YEAR/y2024/; 2024/YEAR/y2024/; 2024'te/YEAR/y2024/te",
           "words join as in the tokenizer: not a hyphen between numbers, not an apostrophe before a digit");
    ok(nd_rules_tr_suffix("Putin", 5, "le", 2) && !nd_rules_tr_suffix("Putin", 5, "la", 2),
       "nd_rules_tr_suffix: instrumental follows the last vowel");
    {
        size_t i, bad = 0;
        nd_rules_scan(r, sc, "Rusyalaştırma", strlen("Rusyalaştırma"), ND_SCAN_EXPLAIN);
        for (i = 0; i < nd_scan_ncandidates(sc); i++)
            bad += nd_scan_candidate(sc, i)->status == ND_MATCH_BADSUFFIX;
        ok(bad == 1 && nd_scan_count(sc) == 0, "ND_SCAN_EXPLAIN keeps the candidate with a bad suffix");
    }
    nd_scan_free(sc);
    nd_rules_free(r);
}

static void test_patterns(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    unsigned minister, org, spokes;
    nd_str titles[] = { { "Dışişleri Bakanı", strlen("Dışişleri Bakanı") },
                        { "Savunma Bakanı", strlen("Savunma Bakanı") },
                        { "Foreign Minister", 16 } };
    nd_str heads[] = { { "Bakanlığı", strlen("Bakanlığı") }, { "Konseyi", 7 }, { "Birliği", strlen("Birliği") } };
    nd_str spk[] = { { "sözcüsü", strlen("sözcüsü") } };
    nd_str days[] = { { "Cuma", 4 }, { "Pazartesi", 9 } };
    nd_pattern_elem p1[] = { { ND_TEST_LITERAL, titles, 3, 1, 1, 0, NULL, 0 },
                             { ND_TEST_CAP, NULL, 0, 1, 4, 1, days, 2 } };
    nd_pattern_elem p2[] = { { ND_TEST_CAP, NULL, 0, 0, 5, 0, NULL, 0 }, { ND_TEST_LITERAL, heads, 3, 1, 1, 0, NULL, 0 } };
    nd_pattern_elem p3[] = { { ND_TEST_CAP, NULL, 0, 1, 3, 1, NULL, 0 }, { ND_TEST_LITERAL, spk, 1, 1, 1, 0, NULL, 0 } };
    nd_rules_new(&r);
    nd_scan_new(&sc);
    minister = gaz(r, "minister", "PERSON", 0, 0, 0);
    ok(nd_rules_add_pattern(r, minister, p1, 2) == ND_OK, "pattern: title then capitalized words");
    org = gaz(r, "org", "ORG", 0, 0, 0);
    ok(nd_rules_add_pattern(r, org, p2, 2) == ND_OK, "pattern: capitalized words ending in a head word");
    spokes = gaz(r, "spokes", "PERSON", 0, 0, 0);
    ok(nd_rules_add_pattern(r, spokes, p3, 2) == ND_OK, "pattern: capitalized words before sözcüsü");
    is_str(show(r, sc, "Güney Kore Dışişleri Bakanı Cho Tae-yul'un açıklaması", 0),
           "Cho Tae-yul'un/PERSON/cho tae yul/un", "person after Dışişleri Bakanı, hyphenated word, suffix");
    is_str(show(r, sc, "Savunma Bakanı Kim Yong-hyun ile", 0), "Kim Yong-hyun/PERSON/kim yong hyun/",
           "person after Savunma Bakanı");
    is_str(show(r, sc, "Foreign Minister Annalena Baerbock. Then", 0),
           "Annalena Baerbock/PERSON/annalena baerbock/", "punctuation ends the capitalized run");
    is_str(show(r, sc, "Beyaz Saray Ulusal Güvenlik Konseyi’nin baş sözcüsü", 0),
           "Beyaz Saray Ulusal Güvenlik Konseyi’nin/ORG/beyaz saray ulusal guvenlik konseyi/nin",
           "organisation ending in Konseyi, longest start wins");
    is_str(show(r, sc, "dün Avrupa Birliği ve Dışişleri Bakanlığı", 0),
           "Avrupa Birliği/ORG/avrupa birligi/; Dışişleri Bakanlığı/ORG/disisleri bakanligi/",
           "two organisations");
    is_str(show(r, sc, "dedi ki Ahmet Yılmaz sözcüsü", 0), "Ahmet Yılmaz/PERSON/ahmet yilmaz/",
           "capitalized words before sözcüsü");
    is_str(show(r, sc, "Dışişleri Bakanı açıkladı", 0), "", "no capitalized word: no person");
    is_str(show(r, sc, "Dışişleri Bakanı Choe Son Hui Cuma günü", 0), "Choe Son Hui/PERSON/choe son hui/",
           "excepted words end the capitalized run");
    nd_scan_free(sc);
    nd_rules_free(r);
}

static void test_overlaps(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    unsigned a, b, c;
    nd_rules_new(&r);
    nd_scan_new(&sc);
    a = gaz(r, "first", "A", 0, 0, 0);
    b = gaz(r, "second", "B", 0, 0, 0);
    c = gaz(r, "urgent", "C", 0, 0, 5);
    ent(r, a, "x", (const char *const[]){ "Washington", "New York", NULL });
    ent(r, b, "y", (const char *const[]){ "Washington", "York Times", NULL });
    is_str(show(r, sc, "Washington", 0), "Washington/A/x/", "equal length and priority: earlier rule wins");
    ent(r, c, "z", (const char *const[]){ "Washington", NULL });
    is_str(show(r, sc, "Washington", 0), "Washington/C/z/", "higher priority wins");
    is_str(show(r, sc, "New York Times", 0), "York Times/B/y/", "overlapping names: the longer wins whatever the rule order");
    ent(r, b, "nyt", (const char *const[]){ "New York Times", NULL });
    is_str(show(r, sc, "The New York Times", 0), "New York Times/B/nyt/", "longest wins over priority and order");
    {
        size_t i, over = 0;
        nd_rules_scan(r, sc, "New York Times", 14, 0);
        for (i = 0; i < nd_scan_ncandidates(sc); i++) {
            const nd_match *m = nd_scan_candidate(sc, i);
            if (m->status == ND_MATCH_OVERLAP &&
                nd_scan_candidate(sc, m->shadowed_by)->stop - nd_scan_candidate(sc, m->shadowed_by)->start == 14)
                over++;
        }
        is_int(over, 2, "dropped candidates name the winner");
    }
    {
        nd_rules_scan(r, sc, "New York Times", 14, ND_SCAN_DEFER);
        nd_scan_reject(sc, 0);
        nd_scan_resolve(sc);
        is_int(nd_scan_count(sc), 1, "rejecting the longest lets a shorter one through");
        ok(nd_scan_match(sc, 0)->stop - nd_scan_match(sc, 0)->start == 10, "... York Times");
    }
    nd_scan_free(sc);
    nd_rules_free(r);
}

/* The text of words[0..nw) with spaces, and in names[0..nw-1) each word
 * with the next ("Aa Bb"), written into pairs. */
static void word_pairs(char (*words)[3], size_t nw, char (*pairs)[6], const char **names, char *text, size_t cap)
{
    size_t i, n = 0;
    for (i = 0; i < nw; i++) n += (size_t)snprintf(text + n, cap - n, "%s%s", i ? " " : "", words[i]);
    for (i = 0; i + 1 < nw; i++) {
        memcpy(pairs[i], words[i], 2);
        pairs[i][2] = ' ';
        memcpy(pairs[i] + 3, words[i + 1], 3);
        names[i] = pairs[i];
    }
}

/* A chain of names each overlapping the next (every word pair of a text
 * and one triple): 20 candidates resolved as one run, then a short run
 * (both comparing spans, RUN_FEW in match.c). */
static void test_overlap_chain(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    char words[20][3], pairs[19][6], text[80];
    const char *names[21];
    size_t i, over = 0, wrong = 0;
    unsigned ri;
    nd_rules_new(&r);
    nd_scan_new(&sc);
    for (i = 0; i < 20; i++) {
        words[i][0] = (char)('A' + i);
        words[i][1] = (char)('a' + i);
        words[i][2] = '\0';
    }
    word_pairs(words, 20, pairs, names, text, sizeof text);
    names[19] = "Kk Ll Mm";
    names[20] = NULL;
    ri = gaz(r, "pairs", "P", 0, 0, 0);
    ent(r, ri, "p", names);
    is_str(show(r, sc, text, 0),
           "Aa Bb/P/p/; Cc Dd/P/p/; Ee Ff/P/p/; Gg Hh/P/p/; Ii Jj/P/p/; Kk Ll Mm/P/p/; Nn Oo/P/p/; "
           "Pp Qq/P/p/; Rr Ss/P/p/",
           "a chain of overlaps: the longest, then the earliest of equals, each clear of the taken");
    for (i = 0; i < nd_scan_ncandidates(sc); i++) {
        const nd_match *m = nd_scan_candidate(sc, i), *w;
        if (m->status != ND_MATCH_OVERLAP) continue;
        over++;
        w = nd_scan_candidate(sc, m->shadowed_by);
        if (w->status != ND_MATCH_TAKEN || w->stop <= m->start || w->start >= m->stop) wrong++;
    }
    ok(over == 11 && wrong == 0, "11 dropped in the chain, each naming a taken candidate it overlaps (%zu, %zu)",
       over, wrong);
    is_str(show(r, sc, "Bb Cc Dd. Ss Tt", 0), "Bb Cc/P/p/; Ss Tt/P/p/", "short runs apart");
    nd_scan_free(sc);
    nd_rules_free(r);
}

/* A chain of 40 word pairs, each overlapping the next: a run longer than
 * the few resolved by comparing spans, so the owner array decides.  Every
 * other pair is taken, and each one between is shadowed by the taken pair
 * holding its first byte. */
static void test_overlap_long(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    char words[40][3], pairs[39][6], text[160];
    const char *names[40];
    size_t i, taken = 0, over = 0, wrong = 0;
    unsigned ri;
    nd_rules_new(&r);
    nd_scan_new(&sc);
    for (i = 0; i < 40; i++) {
        words[i][0] = (char)('A' + i / 20);
        words[i][1] = (char)('a' + i % 20);
        words[i][2] = '\0';
    }
    word_pairs(words, 40, pairs, names, text, sizeof text);
    names[39] = NULL;
    ri = gaz(r, "pairs", "P", 0, 0, 0);
    ent(r, ri, "p", names);
    show(r, sc, text, 0);
    for (i = 0; i < nd_scan_ncandidates(sc); i++) {
        const nd_match *m = nd_scan_candidate(sc, i), *w;
        size_t word = m->start / 3;                  /* "Aa " is three bytes */
        if (m->status == ND_MATCH_TAKEN) {
            taken++;
            wrong += word % 2 != 0;
            continue;
        }
        over++;
        w = nd_scan_candidate(sc, m->shadowed_by);
        wrong += word % 2 != 1 || w->status != ND_MATCH_TAKEN || w->start + 3 != m->start;
    }
    ok(nd_scan_ncandidates(sc) == 39 && taken == 20 && over == 19 && wrong == 0,
       "a run of 39: every other pair taken, each between shadowed by the one before (%zu, %zu, %zu)", taken,
       over, wrong);
    nd_scan_free(sc);
    nd_rules_free(r);
}

/* The last candidate of the scan with entity id. */
static const nd_match *cand_of(const nd_scan *sc, const char *id)
{
    const nd_match *m = NULL;
    size_t i;
    for (i = 0; i < nd_scan_ncandidates(sc); i++)
        if (strcmp(nd_scan_candidate(sc, i)->id, id) == 0) m = nd_scan_candidate(sc, i);
    return m;
}

/* A run of a few candidates (resolved without the owner array): one
 * overlapping two taken names is shadowed by the one that owns its first
 * byte, as with a long run. */
static void test_overlap_few(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    static const char *const a[] = { "Aaa Bb", NULL }, *const b[] = { "Bb Cc", NULL }, *const c[] = { "Cc Ddd", NULL };
    const nd_match *m, *w;
    unsigned ri;
    nd_rules_new(&r);
    nd_scan_new(&sc);
    ri = gaz(r, "few", "P", 0, 0, 0);
    ent(r, ri, "a", a);
    ent(r, ri, "b", b);
    ent(r, ri, "c", c);
    is_str(show(r, sc, "Aaa Bb Cc Ddd", 0), "Aaa Bb/P/a/; Cc Ddd/P/c/", "a run of three: both longer names taken");
    m = cand_of(sc, "b");
    w = m ? nd_scan_candidate(sc, m->shadowed_by) : NULL;
    ok(m && m->status == ND_MATCH_OVERLAP && w && strcmp(w->id, "a") == 0,
       "the middle one is shadowed by the taken name holding its first byte");
    is_str(show(r, sc, "Bb Cc Ddd", 0), "Cc Ddd/P/c/", "a run of two: the longer taken");
    m = cand_of(sc, "b");
    w = m ? nd_scan_candidate(sc, m->shadowed_by) : NULL;
    ok(m && m->status == ND_MATCH_OVERLAP && w && strcmp(w->id, "c") == 0,
       "shadowed by the taken name after its first byte");
    nd_scan_free(sc);
    nd_rules_free(r);
}

static void test_errors(void)
{
    nd_rules *r = NULL;
    unsigned ri, e;
    char k1[33], k2[33];
    nd_rule_def d = { "bad", "", NULL, 0, 0, 0, "file.lua:3" };
    nd_pattern_elem opt[] = { { ND_TEST_CAP, NULL, 0, 0, 2, 1, NULL, 0 } };
    nd_pattern_elem unk[] = { { 99, NULL, 0, 1, 1, 0, NULL, 0 } };
    nd_rules_new(&r);
    is_int(nd_rules_add_rule(r, &d, &ri), ND_EINVAL, "a rule needs a type");
    is_str(nd_rules_errmsg(r), "file.lua:3: rule has no type", "the message names where");
    d.type = "T";
    nd_rules_add_rule(r, &d, &ri);
    nd_rules_add_entry(r, ri, NULL, "x", &e);
    is_int(nd_rules_add_name(r, e, " - ", 3), ND_EINVAL, "a name with no letters is empty");
    ok(strstr(nd_rules_errmsg(r), "empty name") != NULL, "... and says so");
    is_int(nd_rules_add_pattern(r, ri, opt, 1), ND_EINVAL, "an all-optional pattern is refused");
    ok(strstr(nd_rules_errmsg(r), "can match nothing") != NULL, "... can match nothing");
    is_int(nd_rules_add_pattern(r, ri, unk, 1), ND_EINVAL, "an unknown token test is refused");
    ok(strstr(nd_rules_errmsg(r), "unknown token test") != NULL, "... unknown token test");
    nd_rules_key(r, k1);
    nd_rules_add_name(r, e, "Ankara", 6);
    nd_rules_key(r, k2);
    ok(strlen(k1) == 32 && strcmp(k1, k2) != 0, "the rule-set key changes with every name");
    nd_rules_free(r);
    nd_rules_free(NULL);
}

/* ---- allocation failure -------------------------------------------------- */

static long fail_after = -1;
static void *t_malloc(void *ud, size_t n) { (void)ud; return fail_after-- == 0 ? NULL : malloc(n); }
static void *t_realloc(void *ud, void *p, size_t n) { (void)ud; return fail_after-- == 0 ? NULL : realloc(p, n); }
static void t_free(void *ud, void *p) { (void)ud; free(p); }

/* Build a small rule set and scan with the k-th allocation failing; every
 * failure must come back as ND_ENOMEM (ASan checks for leaks and misuse). */
static int build_and_scan(long k)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    nd_rule_def d = { "x", "PLACE", NULL, 0, 1, ND_RULE_SUFFIXES_TR, NULL };
    nd_str w[] = { { "Bakanı", strlen("Bakanı") } };
    nd_pattern_elem p[] = { { ND_TEST_LITERAL, w, 1, 1, 1, 0, NULL, 0 }, { ND_TEST_CAP, NULL, 0, 1, 3, 1, w, 1 } };
    unsigned ri, e;
    int rc;
    fail_after = k;
    if ((rc = nd_rules_new(&r)) != ND_OK) goto done;
    if ((rc = nd_rules_add_rule(r, &d, &ri)) != ND_OK) goto done;
    if ((rc = nd_rules_add_entry(r, ri, NULL, "ru", &e)) != ND_OK) goto done;
    if ((rc = nd_rules_add_name(r, e, "Rusya Federasyonu", 17)) != ND_OK) goto done;
    if ((rc = nd_rules_add_rule(r, &d, &ri)) != ND_OK) goto done;
    if ((rc = nd_rules_add_pattern(r, ri, p, 2)) != ND_OK) goto done;
    if ((rc = nd_scan_new(&sc)) != ND_OK) goto done;
    rc = nd_rules_scan(r, sc, "Bakanı Ali Veli Rusya Federasyonuna ve Rusya Federasyonı'nın", 62, ND_SCAN_EXPLAIN);
done:
    fail_after = -1;
    nd_scan_free(sc);
    nd_rules_free(r);
    return rc;
}

static void test_nomem(void)
{
    nd_allocator a = { t_malloc, t_realloc, t_free, NULL };
    long k;
    int bad = 0, rc = ND_ENOMEM;
    nd_set_allocator(&a);
    for (k = 0; k < 2000 && rc == ND_ENOMEM; k++) {
        rc = build_and_scan(k);
        if (rc != ND_OK && rc != ND_ENOMEM) bad++;
    }
    nd_set_allocator(NULL);
    ok(bad == 0 && rc == ND_OK, "every allocation failure is reported as ND_ENOMEM (%ld tried)", k);
}

/* Every control character (C0 with NUL, DEL, C1) inside a name or a text
 * parts words as a space does, in the scanner, the tokenizer and the fold
 * alike; and a number's separators join as in the tokenizer. */
static void test_controls(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    nd_buf f = ND_BUF_INIT;
    unsigned ri = 0, e = 0;
    int cp, tried = 0, text_bad = 0, name_bad = 0, tok_bad = 0, fold_bad = 0;
    nd_rule_def d = { "ctl", "PLACE", NULL, 0, 0, 0, NULL };
    nd_rules_new(&r);
    nd_scan_new(&sc);
    nd_rules_add_rule(r, &d, &ri);
    nd_rules_add_entry(r, ri, NULL, "north_korea", &e);
    nd_rules_add_name(r, e, "Kuzey Kore", 10);
    for (cp = 0; cp < 0xA0; cp = cp == 0x20 ? 0x7F : cp + 1) {
        char c[2], text[64], name[32];
        size_t n = 0, tl, nl;
        nd_tokenizer tz;
        nd_token t1, t2;
        const nd_match *m;
        nd_rules *r2 = NULL;
        unsigned e2 = 0;
        if (cp >= 0x80) {
            c[n++] = (char)0xC2;
            c[n++] = (char)cp;
        } else {
            c[n++] = (char)cp;
        }
        tried++;
        /* in the text: "Kuzey<c>Kore'ye gitti" is the name with its suffix */
        memcpy(text, "Kuzey", 5);
        memcpy(text + 5, c, n);
        memcpy(text + 5 + n, "Kore'ye gitti", 13);
        tl = 5 + n + 13;
        m = nd_rules_scan(r, sc, text, tl, 0) == ND_OK && nd_scan_count(sc) == 1 ? nd_scan_match(sc, 0) : NULL;
        if (!m || m->start != 0 || m->suffix_start != 5 + n + 5 || m->stop != 5 + n + 7) {
            if (text_bad++ < 3) printf("# control U+%04X in the text: the name is not found\n", (unsigned)cp);
        }
        /* the tokenizer: two words */
        nd_tokenizer_init(&tz, text, tl);
        if (!nd_tokenizer_next(&tz, &t1) || !nd_tokenizer_next(&tz, &t2) || t1.stop != 5 || t2.start != 5 + n) {
            if (tok_bad++ < 3) printf("# control U+%04X: the tokenizer does not part the words there\n", (unsigned)cp);
        }
        /* the fold: the control stays outside both words */
        if (nd_text_fold(&f, text, 5 + n + 4, 0, NULL) != ND_OK || f.len < 10 || memcmp(f.ptr, "kuzey", 5) != 0 ||
            memcmp(f.ptr + f.len - 4, "kore", 4) != 0 || (f.len - 9 != n && !(f.len == 10 && f.ptr[5] == ' '))) {
            if (fold_bad++ < 3) printf("# control U+%04X: the fold joins it to a word\n", (unsigned)cp);
        }
        /* in the name: "Kuzey<c>Kore" is "Kuzey Kore" */
        memcpy(name, "Kuzey", 5);
        memcpy(name + 5, c, n);
        memcpy(name + 5 + n, "Kore", 4);
        nl = 5 + n + 4;
        nd_rules_new(&r2);
        nd_rules_add_rule(r2, &d, &ri);
        nd_rules_add_entry(r2, ri, NULL, "north_korea", &e2);
        m = NULL;
        if (nd_rules_add_name(r2, e2, name, nl) == ND_OK &&
            nd_rules_scan(r2, sc, "Kuzey Kore'ye", 13, 0) == ND_OK && nd_scan_count(sc) == 1)
            m = nd_scan_match(sc, 0);
        if (!m || m->start != 0 || m->stop != 13) {
            if (name_bad++ < 3) printf("# control U+%04X in a name: the name does not match\n", (unsigned)cp);
        }
        nd_rules_free(r2);
    }
    ok(tried == 66 && text_bad == 0, "a control character inside the text parts a name's words as a space does (%d of %d not)",
       text_bad, tried);
    ok(tok_bad == 0, "the tokenizer parts words at every control character (%d not)", tok_bad);
    ok(fold_bad == 0, "the fold keeps every control character out of the words around it (%d not)", fold_bad);
    ok(name_bad == 0, "a control character inside a name reads as a space (%d not)", name_bad);
    {   /* DEL ends a URL as every other control does */
        const char *u = "http://example.com/a\x7f" "b";
        nd_tokenizer tz;
        nd_token t;
        nd_tokenizer_init(&tz, u, strlen(u));
        ok(nd_tokenizer_next(&tz, &t) && t.kind == ND_TOKEN_URL && t.stop == 20, "DEL ends a URL");
    }
    nd_buf_free(&f);

    /* numbers: the tokenizer reads "15:25", "1.5" and "3,000" as one word */
    nd_rules_free(r);
    nd_rules_new(&r);
    nd_rules_add_rule(r, &d, &ri);
    nd_rules_add_entry(r, ri, NULL, "t", &e);
    nd_rules_add_name(r, e, "15:25", 5);
    nd_rules_add_entry(r, ri, NULL, "n", &e);
    nd_rules_add_name(r, e, "3,000", 5);
    is_str(show(r, sc, "saat 15:25'te 3,000 kişi", 0), "15:25'te/PLACE/t/te; 3,000/PLACE/n/",
           "a number with ':' or ',' is one word, as in the tokenizer");
    is_str(show(r, sc, "15: 25 ve 15:\x01" "25 ve 3, 000 ve 115:25", 0), "",
           "a space or control after the separator, or more digits before, is another number");
    is_str(show(r, sc, "\xef\xbc\x91\xef\xbc\x95:25 ve 15\xef\xbc\x9a" "25", 0), "",
           "fullwidth digits or a fullwidth colon are no ASCII number, as in the tokenizer");
    nd_scan_free(sc);
    nd_rules_free(r);
}

/* ---- memory account (nd_rules_set_account) ---- */

typedef struct account {
    size_t held, cap, last_reserve;
    int refusals;
} account;

static int charge(void *ud, ptrdiff_t bytes)
{
    account *a = ud;
    if (bytes < 0) {
        a->held -= (size_t)-bytes;
        return 0;
    }
    if (a->held + (size_t)bytes > a->cap) {
        a->refusals++;
        return 1;
    }
    a->held += (size_t)bytes;
    a->last_reserve = (size_t)bytes;
    return 0;
}

/* Every add reserves at least what it grows the rule set by, the account
 * holds nd_rules_memory between calls, a refused add leaves the rule set
 * as it was, and nd_rules_free gives everything back. */
static void test_account(void)
{
    nd_rules *r;
    account a = { 0, (size_t)64 << 20, 0, 0 };
    nd_rule_def d = { "people", "PERSON", NULL, 0, 1, ND_RULE_SUFFIXES_TR, NULL };
    nd_str w[2] = { { "Bakanı", 7 }, { "Başkanı", 9 } };
    nd_pattern_elem pe[2] = { { ND_TEST_CAP, NULL, 0, 1, 3, 1, NULL, 0 }, { ND_TEST_LITERAL, w, 2, 1, 1, 0, NULL, 0 } };
    unsigned ri, e;
    size_t i, bad = 0, before, names;
    char name[96];
    int rc = ND_OK;
    nd_rules_new(&r);
    is_int(nd_rules_set_account(r, charge, &a), ND_OK, "account: set");
    is_int((int)(a.held == nd_rules_memory(r)), 1, "account: an empty rule set is charged what it holds");
    nd_rules_add_rule(r, &d, &ri);
    for (i = 0; i < 20000 && rc == ND_OK; i++) {
        size_t m0 = nd_rules_memory(r);
        snprintf(name, sizeof name, "Kişi%05zu Soyadı%zu Uzunİsim%zu", i, i * 7919 % 10007, i % 13);
        rc = nd_rules_add_entry(r, ri, NULL, i % 2 ? NULL : name, &e);
        if (rc == ND_OK && nd_rules_memory(r) - m0 > a.last_reserve) bad++;
        m0 = nd_rules_memory(r);
        a.last_reserve = 0;
        if (rc == ND_OK) rc = nd_rules_add_name(r, e, name, strlen(name));
        if (rc == ND_OK && nd_rules_memory(r) - m0 > a.last_reserve) bad++;
        if (a.held != nd_rules_memory(r)) bad++;
    }
    is_int(rc, ND_OK, "account: 20,000 fuzzy names under a 64 MB cap");
    is_int((int)bad, 0, "account: no add grew the rule set by more than it reserved, and the account holds "
                        "nd_rules_memory after each (%zu bytes)", nd_rules_memory(r));
    rc = nd_rules_add_pattern(r, ri, pe, 2);
    is_int(rc, ND_OK, "account: a pattern");
    ok(a.held == nd_rules_memory(r), "account: the pattern is counted");
    a.cap = a.held + 100;                 /* no room for the next table growth */
    before = nd_rules_memory(r);
    names = nd_rules_names(r);
    for (i = 0; i < 200000 && rc == ND_OK; i++) {
        snprintf(name, sizeof name, "Yeni%06zu Ad", i);
        rc = nd_rules_add_name(r, e, name, strlen(name));
        if (rc == ND_OK) before = nd_rules_memory(r), names = nd_rules_names(r);
    }
    ok(rc == ND_ELIMIT && a.refusals == 1 && strstr(nd_rules_errmsg(r), "memory limit"),
       "account: past the cap an add fails with ND_ELIMIT (%s)", nd_rules_errmsg(r));
    ok(nd_rules_memory(r) == before && nd_rules_names(r) == names && a.held == before,
       "account: the refused add left the rule set as it was");
    nd_rules_free(r);
    is_int((int)a.held, 0, "account: nd_rules_free gives everything back");
}

int main(void)
{
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    unsigned places, people;
    ok(nd_rules_new(&r) == ND_OK && nd_scan_new(&sc) == ND_OK, "new rules and scan");
    places = gaz(r, "places", "PLACE", 0, 0, 0);
    ent(r, places, "north_korea", (const char *const[]){ "Kuzey Kore", "North Korea", "KDHC", "Nordkorea", NULL });
    ent(r, places, "russia", (const char *const[]){ "Rusya", "Russia", "Russland", NULL });
    ent(r, places, "korea", (const char *const[]){ "Kore", NULL });
    ent(r, places, "istanbul", (const char *const[]){ "İstanbul", NULL });
    people = gaz(r, "people", "PERSON", 1, 0, 0);
    ent(r, people, "kim_jong_un", (const char *const[]){ "Kim Jong Un", NULL });
    ent(r, people, "borrell", (const char *const[]){ "Josep Borrell", "Borrell", NULL });

    is_str(show(r, sc, "Kuzey Kore'nin açıklaması", 0), "Kuzey Kore'nin/PLACE/north_korea/nin",
           "apostrophe suffix belongs to the mention; longest name wins over Kore");
    is_str(show(r, sc, "Rusya’ya ve Kim Jong Un’un", 0),
           "Rusya’ya/PLACE/russia/ya; Kim Jong Un’un/PERSON/kim_jong_un/un", "curly apostrophe");
    is_str(show(r, sc, "Kim Jong-un said", 0), "Kim Jong-un/PERSON/kim_jong_un/", "hyphen equals space");
    is_str(show(r, sc, "KUZEY KORE ve kuzey\xc2\xa0kore", 0),
           "KUZEY KORE/PLACE/north_korea/; kuzey\xc2\xa0kore/PLACE/north_korea/", "case and NBSP");
    is_str(show(r, sc, "ISTANBUL'da ve istanbul", 0), "ISTANBUL'da/PLACE/istanbul/da; istanbul/PLACE/istanbul/",
           "dotted and dotless I");
    is_str(show(r, sc, "Rusyaya gitti", 0), "", "no apostrophe-less suffix without suffixes=tr");
    is_str(show(r, sc, "Rusya\xe2\x84\xa2" "da ve \xc4\xb0STANBUL\xe2\xbc\x99" "da", 0),
           "Rusya/PLACE/russia/; \xc4\xb0STANBUL/PLACE/istanbul/",
           "a symbol that folds into letters (TM -> tm, a Kangxi radical -> a CJK letter) ends the name");
    {   /* the scanner checks only characters from U+20A8 on for that */
        int32_t cp;
        int missed = 0, tried = 0;
        for (cp = 0x80; cp < 0x20A8; cp++) {
            utf8proc_uint8_t ch[4];
            char text[32];
            utf8proc_ssize_t n;
            switch (utf8proc_category(cp)) {
            case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
            case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
            case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
            case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO:
                break;
            default:
                continue;                           /* letters, marks, numbers, spaces, controls */
            }
            n = utf8proc_encode_char(cp, ch);
            snprintf(text, sizeof text, "Rusya%.*sx", (int)n, (const char *)ch);
            tried++;
            if (!strstr(show(r, sc, text, 0), "/PLACE/russia/")) {
                if (missed++ < 5)
                    printf("# not found before U+%04X\n", (unsigned)cp);
            }
        }
        ok(tried > 500 && missed == 0,
           "a name right before any of %d symbols and punctuation below U+20A8 is found (%d missed)", tried, missed);
    }
    is_str(show(r, sc, "Rusya\xe2\x80\x8b" "da ve Rusya\xe2\x80\xaa" "\xc4\xb0stanbul", 0),
           "Rusya/PLACE/russia/; Rusya/PLACE/russia/; \xc4\xb0stanbul/PLACE/istanbul/",
           "a zero-width space or a bidi control the fold drops still parts words, as in the tokenizer");
    is_str(show(r, sc, "Rusya\xc2\xad" "da", 0), "", "a soft hyphen does not");
    {   /* every character the fold drops parts the words around it in the
           scanner just when it does in the tokenizer (planes 0, 1 and 14
           hold every default ignorable) */
        int32_t cp;
        int wrong = 0, parting = 0;
        nd_buf f = ND_BUF_INIT;
        for (cp = 0x80; cp < 0xE1000; cp = cp == 0x1FFFF ? 0xE0000 : cp + 1) {
            utf8proc_uint8_t ch[4];
            char text[32];
            nd_tokenizer tz;
            nd_token tok;
            int parts, found;
            utf8proc_ssize_t n;
            if (cp >= 0xD800 && cp < 0xE000) continue;
            n = utf8proc_encode_char(cp, ch);
            snprintf(text, sizeof text, "a%.*sb", (int)n, (const char *)ch);
            if (nd_text_fold(&f, text, strlen(text), 0, NULL) != ND_OK || f.len != 2) continue;  /* not dropped */
            snprintf(text, sizeof text, "Rusya%.*sqq", (int)n, (const char *)ch);
            nd_tokenizer_init(&tz, text, strlen(text));
            parts = nd_tokenizer_next(&tz, &tok) && tok.stop == 5;
            found = strstr(show(r, sc, text, 0), "/PLACE/russia/") != NULL;
            parting += parts;
            if (parts != found && wrong++ < 5)
                printf("# U+%04X: the tokenizer %s there, the scanner %s\n", (unsigned)cp,
                       parts ? "parts words" : "joins", found ? "parts" : "joins");
        }
        nd_buf_free(&f);
        ok(parting > 100 && wrong == 0, "%d dropped characters part words in both, none in just one (%d differ)",
           parting, wrong);
    }
    is_str(show(r, sc, "Die Gespräche mit Nordkorea und Russland", 0),
           "Nordkorea/PLACE/north_korea/; Russland/PLACE/russia/", "German names");
    is_str(show(r, sc, "Borrel and Borrell met", 0), "Borrel/PERSON/borrell/; Borrell/PERSON/borrell/",
           "fuzzy=1 finds Borrel");
    is_str(show(r, sc, "Kimm Jong Un", 0), "Kimm Jong Un/PERSON/kim_jong_un/", "fuzzy on a long multi-word name");
    is_str(show(r, sc, "Rusyaa ve Korea", 0), "", "fuzzy applies only to rules that ask, and long names");
    is_str(show(r, sc, "Borrel'in sözleri", 0), "Borrel'in/PERSON/borrell/in", "fuzzy with a suffix");
    ent(r, people, "kallas", (const char *const[]){ "Kallas", NULL });
    ent(r, people, "macron", (const char *const[]){ "Macron", NULL });
    is_str(show(r, sc, "Kallaz, Dallas, a macro, macrom and Mcaron", 0),
           "Kallaz/PERSON/kallas/; Mcaron/PERSON/macron/",
           "fuzzy needs 6 letters in the text too, the same first letter and a capital");
    is_str(show(r, sc, "Koreans and Rusyalı", 0), "", "names match whole tokens only");
    ent(r, people, "lavrov", (const char *const[]){ "Сергей Лавров", NULL });
    is_str(show(r, sc, "СЕРГЕЙ ЛАВРОВ заявил, что Сергей Лавров", 0),
           "СЕРГЕЙ ЛАВРОВ/PERSON/lavrov/; Сергей Лавров/PERSON/lavrov/", "Cyrillic names in any case");

    {   /* offsets are into the original text */
        const char *t = "\xc3\x87ok: Kuzey Kore\xe2\x80\x99ye";
        const nd_match *m;
        nd_rules_scan(r, sc, t, strlen(t), 0);
        m = nd_scan_match(sc, 0);
        ok(m && m->start == 6 && m->stop == strlen(t) && m->suffix_start == strlen(t) - 2,
           "start/stop/suffix_start are byte offsets into the original");
    }
    test_suffixes();
    test_controls();
    test_patterns();
    test_overlaps();
    test_overlap_chain();
    test_overlap_few();
    test_overlap_long();
    test_errors();
    test_nomem();
    nd_scan_free(sc);
    nd_rules_free(r);
    test_account();
    return tap_done();
}
