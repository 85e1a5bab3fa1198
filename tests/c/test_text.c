/* The text layer's C API: Turkish cases, fold and its offset map, tokens,
 * characters, and every function on invalid input. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "newsdesk.h"
#include "text_internal.h"
#include "tap.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static nd_buf buf = ND_BUF_INIT;

static const char *fold(const char *s, size_t len, unsigned flags)
{
    if (nd_text_fold(&buf, s, len, flags, NULL) != ND_OK)
        return "(fold failed)";
    return buf.ptr;
}

static const char *lower(const char *s, const char *lang)
{
    if (nd_text_lower(&buf, s, strlen(s), lang) != ND_OK)
        return "(lower failed)";
    return buf.ptr;
}

static const char *upper(const char *s, const char *lang)
{
    if (nd_text_upper(&buf, s, strlen(s), lang) != ND_OK)
        return "(upper failed)";
    return buf.ptr;
}

static void test_turkish(void)
{
    is_str(fold(S("İSTANBUL’DA Güney"), 0), "istanbul'da guney", "fold İSTANBUL’DA Güney");
    is_str(fold(S("IRAK Irak ırak İrak irak"), 0), "irak irak irak irak irak", "all four I's fold to i");
    is_str(fold(S("IRAK ırak İrak"), ND_FOLD_TURKISH), "ırak ırak irak", "Turkish fold keeps ı apart from i");
    is_str(fold(S("Ğ Ş Ü Ö Ç é ё Ё"), 0), "g s u o c e е е", "diacritics removed: ğ ş ü ö ç é ё");
    is_str(fold(S("Ğüzel Şehir"), ND_FOLD_MARKS), "ğüzel şehir", "marks kept with ND_FOLD_MARKS");
    is_str(fold(S("DİYARBAKIR"), ND_FOLD_TURKISH | ND_FOLD_MARKS), "diyarbakır",
           "Turkish fold with marks is exact Turkish lower case");
    is_str(lower("DİYARBAKIR", "tr"), "diyarbakır", "lower DİYARBAKIR tr");
    is_str(lower("DİYARBAKIR", NULL), "diyarbakir", "lower DİYARBAKIR without a language");
    is_str(lower("IŞIK", "az"), "ışık", "lower IŞIK az");
    is_str(lower("I\xCC\x87", "tr"), "i", "Turkish lower of I + combining dot above is i");
    is_str(upper("istanbul", "tr"), "İSTANBUL", "upper istanbul tr");
    is_str(upper("ılık", "tr-TR"), "ILIK", "upper ılık tr-TR");
    is_str(upper("istanbul", NULL), "ISTANBUL", "upper istanbul without a language");
    is_str(upper("straße", "de"), "STRASSE", "upper ß is SS");
    is_str(lower("ПРИВЕТ Мир", NULL), "привет мир", "lower Russian");
}

static void test_fold_rules(void)
{
    is_str(fold(S("a’b‘c ʼd´e`f'g"), 0), "a'b'c 'd'e'f'g", "apostrophes fold to '");
    is_str(fold(S("a–b—c−d‐e-f"), 0), "a-b-c-d-e-f", "dashes and minus fold to -");
    is_str(fold(S("a\xC2\xA0" "b\xE2\x80\x83" "c\td\ne\xE3\x80\x80" "f  g"), 0), "a b c d e f  g",
           "every space becomes one ASCII space; runs are kept");
    is_str(fold(S("Ba\xC2\xADkan\xE2\x80\x8B\xEF\xBB\xBF!"), 0), "bakan!", "soft hyphen, ZWSP, BOM dropped");
    is_str(fold(S("ﬁnal Straße ½ Ⅻ"), 0), "final strasse 1⁄2 xii", "NFKC and full case folding");
    is_str(fold(S("Cafe\xCC\x81 Kore\xCC\x88"), 0), "cafe kore", "NFD input loses its marks");
    is_str(fold(S("Cafe\xCC\x81"), ND_FOLD_MARKS), "café", "NFD input is composed when marks are kept");
    is_str(fold(S(""), 0), "", "empty string folds to empty");
    {
        nd_buf a = ND_BUF_INIT, b = ND_BUF_INIT, c = ND_BUF_INIT;
        const char *x = "Ankara’da ", *y = "GÖRÜŞME";
        nd_text_fold(&a, x, strlen(x), 0, NULL);
        nd_text_fold(&b, y, strlen(y), 0, NULL);
        nd_buf_append(&a, b.ptr, b.len);
        nd_text_fold(&c, "Ankara’da GÖRÜŞME", strlen("Ankara’da GÖRÜŞME"), 0, NULL);
        is_mem(c.ptr, c.len, a.ptr, a.len, "fold(a..b) == fold(a)..fold(b)");
        nd_buf_free(&a);
        nd_buf_free(&b);
        nd_buf_free(&c);
    }
}

/* Check that folded bytes [i,j) of s map back to [want_i, want_j). */
static void check_map(const char *s, size_t len, unsigned flags, size_t i, size_t j, size_t wi, size_t wj,
                      const char *name)
{
    nd_offmap *m = nd_offmap_new();
    size_t oi = 99, oj = 99;
    int rc = nd_text_fold(&buf, s, len, flags, m);
    rc = rc == ND_OK ? nd_offmap_original(m, i, j, &oi, &oj) : rc;
    if (!ok(rc == ND_OK && oi == wi && oj == wj, "offsets: %s", name))
        printf("#   folded '%s' [%zu,%zu) -> got [%zu,%zu) want [%zu,%zu) rc %d\n", buf.ptr, i, j, oi, oj,
               wi, wj, rc);
    nd_offmap_free(m);
}

static void test_offsets(void)
{
    /* "Straße" → "strasse": ß (bytes 4..6) gives "ss" (5..7 of the fold is "ss"). */
    check_map(S("Straße"), 0, 4, 6, 4, 6, "ß → ss maps to the whole ß");
    check_map(S("Straße"), 0, 5, 6, 4, 6, "half of ss still maps to the whole ß");
    check_map(S("Straße"), 0, 0, 7, 0, 7, "whole fold maps to the whole original");
    check_map(S("ﬁnal"), 0, 0, 1, 0, 3, "f of the ﬁ ligature maps to the ligature");
    check_map(S("ﬁnal"), 0, 2, 5, 3, 6, "nal after the ligature");
    check_map(S("Ba\xC2\xADkan"), 0, 0, 5, 0, 7, "a range over a dropped soft hyphen includes it");
    check_map(S("Ba\xC2\xADkan"), 0, 2, 5, 4, 7, "kan after a dropped soft hyphen");
    check_map(S("Cafe\xCC\x81 bar"), 0, 3, 4, 3, 6, "e from NFD e + accent maps to both");
    check_map(S("Cafe\xCC\x81 bar"), 0, 5, 8, 7, 10, "text after an NFD letter");
    check_map(S("İSTANBUL’DA"), 0, 8, 9, 9, 12, "apostrophe maps to the curly quote");
    check_map(S("İSTANBUL’DA"), 0, 0, 1, 0, 2, "i maps to İ");
    check_map(S("Güney"), 0, 2, 2, 3, 3, "an empty range maps to an empty range");
    check_map(S("Güney"), 0, 5, 5, 6, 6, "the end maps to the end");
    {
        nd_offmap *m = nd_offmap_new();
        size_t oi, oj;
        ok(nd_offmap_original(m, 0, 0, &oi, &oj) == ND_EINVAL, "an unfilled map is an error");
        nd_text_fold(&buf, S("abc"), 0, m);
        ok(nd_offmap_original(m, 2, 1, &oi, &oj) == ND_EINVAL, "i > j is an error");
        ok(nd_offmap_original(m, 0, 4, &oi, &oj) == ND_EINVAL, "j past the fold is an error");
        nd_offmap_free(m);
        nd_offmap_free(NULL);
    }
}

/* nd__offmap_span (the scan's question where a name ends) gives what
 * nd_offmap_original gives for every range, whatever piece the hint was
 * left at: asked in text order, backwards, and from a stale hint. */
static void test_span(void)
{
    static const char *const texts[] = {
        "Straße ﬁnal Ba\xC2\xADkan Cafe\xCC\x81 İSTANBUL’DA ½ a\xE2\x80\x8B" "b Güneydoğu’da ış",
        "abc", "", "ı", "\xE2\x80\x8B\xE2\x80\x8B", "x\xC2\xAD\xC2\xAD\xC2\xADy ß",
        "Москва́ и Київ: Şırnak'ta ИСТАНБУЛ",
    };
    size_t t;
    for (t = 0; t < sizeof texts / sizeof *texts; t++) {
        nd_offmap *m = nd_offmap_new();
        size_t n, i, j, oi, oj, si, sj, hint = 0, back = 0;
        int good = 1;
        nd_text_fold(&buf, texts[t], strlen(texts[t]), 0, m);
        n = buf.len;
        for (i = 0; i < n; i++)                       /* in order, the hint moving forward */
            for (j = i + 1; j <= n && good; j++)
                good = nd__offmap_span(m, i, j, &si, &sj, &hint) == ND_OK &&
                       nd_offmap_original(m, i, j, &oi, &oj) == ND_OK && si == oi && sj == oj;
        for (i = n; i-- > 0 && good;) {               /* backwards: the hint is behind */
            good = nd__offmap_span(m, i, i + 1, &si, &sj, &hint) == ND_OK &&
                   nd_offmap_original(m, i, i + 1, &oi, &oj) == ND_OK && si == oi && sj == oj;
            back = (back + 7) % 1000003;               /* and a hint past the map */
            hint = back;
        }
        ok(good, "spans of text %zu (%zu bytes folded) as nd_offmap_original gives them", t, n);
        ok(nd__offmap_span(m, 0, n + 1, &si, &sj, &hint) == ND_EINVAL, "a span past the fold is an error (text %zu)", t);
        nd_offmap_free(m);
    }
}

typedef struct want_tok {
    const char *text, *stem, *suffix;
    int kind;
    unsigned nparts;
} want_tok;

static void check_tokens(const char *s, const want_tok *w, size_t n, const char *name)
{
    nd_tokenizer tz;
    nd_token t;
    size_t k = 0;
    int good = 1;
    nd_tokenizer_init(&tz, s, strlen(s));
    while (nd_tokenizer_next(&tz, &t)) {
        const char *stem = s + t.start, *suf = s + t.suffix_start;
        if (k >= n || strlen(w[k].text) != t.stop - t.start || memcmp(w[k].text, s + t.start, t.stop - t.start) ||
            strlen(w[k].stem) != t.stem_stop - t.start || memcmp(w[k].stem, stem, t.stem_stop - t.start) ||
            strlen(w[k].suffix) != t.stop - t.suffix_start || memcmp(w[k].suffix, suf, t.stop - t.suffix_start) ||
            w[k].kind != t.kind || w[k].nparts != t.nparts) {
            printf("#   token %zu: '%.*s' kind %d stem '%.*s' suffix '%.*s' parts %u\n", k,
                   (int)(t.stop - t.start), s + t.start, t.kind, (int)(t.stem_stop - t.start), stem,
                   (int)(t.stop - t.suffix_start), suf, t.nparts);
            good = 0;
        }
        k++;
    }
    ok(good && k == n, "tokens: %s (%zu tokens, want %zu)", name, k, n);
}

static void test_tokens(void)
{
    static const want_tok t1[] = {
        { "Kim", "Kim", "", ND_TOKEN_WORD, 1 },
        { "Jong", "Jong", "", ND_TOKEN_WORD, 1 },
        { "Un’un", "Un", "un", ND_TOKEN_WORD, 1 },
    };
    static const want_tok t2[] = {
        { "Kore'nin", "Kore", "nin", ND_TOKEN_WORD, 1 },
        { "Tae-yul", "Tae-yul", "", ND_TOKEN_WORD, 2 },
        { "Jong-un’un", "Jong-un", "un", ND_TOKEN_WORD, 2 },
        { "Erdoğanʼın", "Erdoğan", "ın", ND_TOKEN_WORD, 1 },
    };
    static const want_tok t3[] = {
        { "3.008", "3.008", "", ND_TOKEN_NUMBER, 1 },
        { "1,5", "1,5", "", ND_TOKEN_NUMBER, 1 },
        { "23:58", "23:58", "", ND_TOKEN_NUMBER, 1 },
        { "1.234.567,89", "1.234.567,89", "", ND_TOKEN_NUMBER, 1 },
        { "2024'te", "2024", "te", ND_TOKEN_NUMBER, 1 },
        { "2023", "2023", "", ND_TOKEN_NUMBER, 1 },
        { "2024", "2024", "", ND_TOKEN_NUMBER, 1 },
    };
    static const want_tok t4[] = {
        { "Bkz", "Bkz", "", ND_TOKEN_WORD, 1 },
        { "https://www.ornek.com.tr/haber/123?x=1", "https://www.ornek.com.tr/haber/123?x=1", "", ND_TOKEN_URL, 1 },
        { "www.haber.org", "www.haber.org", "", ND_TOKEN_URL, 1 },
        { "yaz", "yaz", "", ND_TOKEN_WORD, 1 },
        { "muhabir.ali@haber.com.tr", "muhabir.ali@haber.com.tr", "", ND_TOKEN_EMAIL, 1 },
    };
    static const want_tok t5[] = {     /* addresses starting like words, numbers, hyphens */
        { "ali@haber.org", "ali@haber.org", "", ND_TOKEN_EMAIL, 1 },
        { "a+b_c%d@x.io", "a+b_c%d@x.io", "", ND_TOKEN_EMAIL, 1 },
        { "2024.rapor@haber.com.tr", "2024.rapor@haber.com.tr", "", ND_TOKEN_EMAIL, 1 },
        { "x-y@z.net", "x-y@z.net", "", ND_TOKEN_EMAIL, 1 },
        { "ali", "ali", "", ND_TOKEN_WORD, 1 },              /* a dot before the @ */
        { "x", "x", "", ND_TOKEN_WORD, 1 },
        { "com", "com", "", ND_TOKEN_WORD, 1 },
        { "çağrı", "çağrı", "", ND_TOKEN_WORD, 1 },          /* not ASCII before the @ */
        { "y", "y", "", ND_TOKEN_WORD, 1 },
        { "org", "org", "", ND_TOKEN_WORD, 1 },
    };
    static const want_tok t6[] = {     /* closing parentheses the URL does not open are the sentence's */
        { "Kaynak", "Kaynak", "", ND_TOKEN_WORD, 1 },
        { "https://tr.wikipedia.org/wiki/Ankara_(il)", "https://tr.wikipedia.org/wiki/Ankara_(il)", "",
          ND_TOKEN_URL, 1 },
        { "ve", "ve", "", ND_TOKEN_WORD, 1 },
        { "bkz", "bkz", "", ND_TOKEN_WORD, 1 },
        { "https://ornek.org/a", "https://ornek.org/a", "", ND_TOKEN_URL, 1 },
    };
    nd_tokenizer tz;
    nd_token t;
    size_t a, b;
    check_tokens("Kim Jong Un’un", t1, 3, "Kim Jong Un’un");
    check_tokens("“Kore'nin Tae-yul, Jong-un’un — Erdoğanʼın”", t2, 4, "suffixes and hyphens");
    check_tokens("3.008, 1,5; 23:58 1.234.567,89 2024'te 2023-2024.", t3, 7, "numbers");
    check_tokens("Bkz: https://www.ornek.com.tr/haber/123?x=1. (www.haber.org) yaz: muhabir.ali@haber.com.tr.",
                 t4, 5, "URLs and e-mails");
    check_tokens("ali@haber.org, a+b_c%d@x.io; 2024.rapor@haber.com.tr x-y@z.net ali.@x.com çağrı@y.org",
                 t5, 10, "e-mail addresses");
    check_tokens("Kaynak: (https://tr.wikipedia.org/wiki/Ankara_(il)) ve (bkz. https://ornek.org/a)).", t6, 5,
                 "URLs inside parentheses");
    nd_tokenizer_init(&tz, S("ali@haber.org\xC3\xA7ok"));
    ok(nd_tokenizer_next(&tz, &t) && t.kind == ND_TOKEN_WORD && t.stop == 3,
       "an address glued to a following letter is no address: the words are read");
    nd_tokenizer_init(&tz, S("Kore'nin"));
    nd_tokenizer_next(&tz, &t);
    is_int(t.stem_stop, 4, "Kore'nin stem_stop is after its e");
    is_int(t.suffix_start, 5, "Kore'nin suffix starts after the apostrophe");
    nd_tokenizer_init(&tz, S("Jong-un’un"));
    nd_tokenizer_next(&tz, &t);
    ok(nd_token_part("Jong-un’un", &t, 1, &a, &b) == ND_OK && a == 5 && b == 7, "Jong-un part 2 is un");
    ok(nd_token_part("Jong-un’un", &t, 2, &a, &b) == ND_EINVAL, "no part 3");
    nd_tokenizer_init(&tz, S(" \t,. "));
    ok(nd_tokenizer_next(&tz, &t) == 0, "punctuation only: no tokens");
    nd_tokenizer_init(&tz, NULL, 0);
    ok(nd_tokenizer_next(&tz, &t) == 0, "empty text: no tokens");
}

static void test_chars(void)
{
    is_int(nd_text_len(S("ağaç")), 4, "len counts code points");
    is_int(nd_text_width(S("日本a\xCC\x81")), 5, "width: wide 2, combining 0");
    is_int(nd_grapheme_next(S("e\xCC\x81x"), 0), 3, "e + accent is one grapheme");
    is_int(nd_grapheme_next(S("🇹🇷🇩🇪"), 0), 8, "a flag is one grapheme");
    is_int(nd_text_offset(S("ağaç"), 2), 3, "offset of code point 2");
    is_int(nd_text_offset(S("ağaç"), 9), 6, "offset past the end is len");
}

/* Invalid inputs: every function survives and the text-producing ones give
 * valid UTF-8. */
static void test_invalid(void)
{
    static const struct { const char *s; size_t len; size_t bad; size_t nrepl; const char *name; } cases[] = {
        { "ab\xC3", 3, 2, 1, "truncated 2-byte sequence" },
        { "\xE2\x80", 2, 0, 1, "truncated 3-byte sequence" },
        { "x\xF0\x9F\x87", 4, 1, 1, "truncated 4-byte sequence" },
        { "\xC0\xAF", 2, 0, 2, "overlong /" },
        { "\xE0\x80\xAF", 3, 0, 3, "overlong 3-byte" },
        { "a\xED\xA0\x80z", 5, 1, 3, "surrogate D800" },
        { "\x80\xBF", 2, 0, 2, "lone continuation bytes" },
        { "\xF4\x90\x80\x80", 4, 0, 4, "above U+10FFFF" },
        { "\xFF\xFE", 2, 0, 2, "FF FE" },
        { "a\0b\xC3", 4, 3, 1, "embedded NUL then truncated" },
    };
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(cases); i++) {
        const char *s = cases[i].s;
        size_t len = cases[i].len, bad = 99, n = 99;
        nd_tokenizer tz;
        nd_token t;
        nd_offmap *m = nd_offmap_new();
        int f, good = 1;
        is_int(nd_utf8_check(s, len, &bad), ND_EUTF8, "check rejects %s", cases[i].name);
        is_int(bad, cases[i].bad, "first bad byte of %s", cases[i].name);
        ok(nd_utf8_repair(&buf, s, len, &n) == ND_OK && n == cases[i].nrepl &&
           nd_utf8_check(buf.ptr, buf.len, NULL) == ND_OK, "repair %s: %zu replacements", cases[i].name, n);
        for (f = ND_NFC; f <= ND_NFKD; f++)
            good &= nd_text_normalize(&buf, s, len, f) == ND_OK && nd_utf8_check(buf.ptr, buf.len, NULL) == ND_OK &&
                    !nd_text_is_normalized(s, len, f);
        good &= nd_text_lower(&buf, s, len, "tr") == ND_OK && nd_utf8_check(buf.ptr, buf.len, NULL) == ND_OK;
        good &= nd_text_upper(&buf, s, len, NULL) == ND_OK && nd_utf8_check(buf.ptr, buf.len, NULL) == ND_OK;
        good &= nd_text_fold(&buf, s, len, 0, m) == ND_OK && nd_utf8_check(buf.ptr, buf.len, NULL) == ND_OK;
        {
            size_t oi, oj;
            good &= nd_offmap_original(m, 0, buf.len, &oi, &oj) == ND_OK && oi == 0 && oj == len;
        }
        {
            size_t repaired_len = 0;
            nd_utf8_repair(&buf, s, len, NULL);
            repaired_len = nd_text_len(buf.ptr, buf.len);
            good &= nd_text_len(s, len) == repaired_len;
        }
        nd_text_width(s, len);
        {
            size_t p = 0, clusters = 0;
            while (p < len && clusters <= len) {
                size_t q = nd_grapheme_next(s, len, p);
                good &= q > p && q <= len;
                p = q;
                clusters++;
            }
        }
        nd_tokenizer_init(&tz, s, len);
        while (nd_tokenizer_next(&tz, &t))
            good &= t.stop <= len && t.start < t.stop;
        ok(good, "every function handles %s", cases[i].name);
        nd_offmap_free(m);
    }
    is_int(nd_text_len("a\xE2\x80" "b", 4), 3, "a truncated sequence counts as one character");
    ok(nd_utf8_repair(&buf, "\xE2\x80" "b", 3, NULL) == ND_OK && buf.len == 4 &&
       memcmp(buf.ptr, "\xEF\xBF\xBD" "b", 4) == 0, "maximal subpart E2 80 becomes one U+FFFD");
    ok(nd_utf8_check("", 0, NULL) == ND_OK && nd_utf8_check("a\0b", 3, NULL) == ND_OK,
       "empty and embedded NUL are valid");
    ok(nd_text_fold(&buf, "a\0B", 3, 0, NULL) == ND_OK && buf.len == 3 && memcmp(buf.ptr, "a\0b", 3) == 0,
       "fold keeps embedded NULs");
    ok(nd_text_normalize(&buf, "", 0, ND_NFC) == ND_OK && buf.len == 0, "normalize empty");
    ok(nd_text_normalize(&buf, "a", 1, 42) == ND_EINVAL, "unknown form is ND_EINVAL");
    ok(nd_text_lower(&buf, "", 0, NULL) == ND_OK && buf.len == 0 && buf.ptr[0] == '\0', "lower empty");
    is_int(nd_text_len("", 0), 0, "len of empty");
    {
        nd_tokenizer tz;
        nd_token t;
        int good = nd_utf8_check(NULL, 0, NULL) == ND_OK && nd_utf8_repair(&buf, NULL, 0, NULL) == ND_OK &&
                   buf.len == 0 && nd_text_normalize(&buf, NULL, 0, ND_NFD) == ND_OK && buf.len == 0 &&
                   nd_text_fold(&buf, NULL, 0, 0, NULL) == ND_OK && buf.len == 0 &&
                   nd_text_lower(&buf, NULL, 0, "tr") == ND_OK && nd_text_is_normalized(NULL, 0, ND_NFKC) &&
                   nd_text_len(NULL, 0) == 0 && nd_text_width(NULL, 0) == 0;
        nd_tokenizer_init(&tz, NULL, 0);
        ok(good && !nd_tokenizer_next(&tz, &t), "NULL with length 0 is an empty string everywhere");
    }
    is_int(nd_grapheme_next("", 0, 0), 0, "grapheme at the end");
}

/* utf8proc marks "can compose with what precedes" in comb_index; the
 * segment boundaries of the fold depend on it.  Check it against every
 * primary composite. */
static void test_composes_backward(void)
{
    static unsigned char second[0x110000];
    int32_t cp, d[32], c[32];
    size_t bad = 0;
    for (cp = 0; cp < 0x110000; cp++) {
        utf8proc_ssize_t k, i;
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        k = utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, NULL);
        if (k < 2)
            continue;
        memcpy(c, d, (size_t)k * sizeof *d);
        if (utf8proc_normalize_utf32(c, k, UTF8PROC_COMPOSE) == 1 && c[0] == cp)
            for (i = 1; i < k; i++)
                second[d[i]] = 1;
    }
    for (cp = 0; cp < 0x110000; cp++)
        if (second[cp] && !nd__composes_backward(cp))
            bad++;
    is_int(bad, 0, "every second character of a composition is known to compose backward");
}

/* ---- simulated allocation failure ---------------------------------------- */

static long alloc_budget = -1;   /* allocations left; -1 = unlimited */

static void *fail_malloc(void *ud, size_t n)
{
    (void)ud;
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    return malloc(n);
}

static void *fail_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    return realloc(p, n);
}

static void fail_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* Run op with 0, 1, 2, ... allocations allowed until it succeeds: every
 * failure must be ND_ENOMEM (the sanitizer build checks for leaks). */
static void check_nomem(const char *name, int (*op)(void))
{
    static const nd_allocator failing = { fail_malloc, fail_realloc, fail_free, NULL };
    long budget;
    int rc = ND_ENOMEM, bad = 0;
    nd_set_allocator(&failing);
    for (budget = 0; budget < 200 && rc == ND_ENOMEM; budget++) {
        alloc_budget = budget;
        rc = op();
        if (rc != ND_OK && rc != ND_ENOMEM)
            bad = 1;
    }
    alloc_budget = -1;
    nd_set_allocator(NULL);
    ok(!bad && rc == ND_OK, "%s: out of memory is ND_ENOMEM until it succeeds (after %ld allocations)", name,
       budget - 1);
}

static const char nomem_text[] = "İSTANBUL’DA Gu\xCC\x88" "ney \xFF ﬁnal Ba\xC2\xADkan Ⅻ 가각";

static int op_fold(void)
{
    nd_buf b = ND_BUF_INIT;
    nd_offmap *m = nd_offmap_new();
    int rc = m ? nd_text_fold(&b, nomem_text, sizeof nomem_text - 1, ND_FOLD_MARKS, m) : ND_ENOMEM;
    nd_offmap_free(m);
    nd_buf_free(&b);
    return rc;
}

static int op_normalize(void)
{
    nd_buf b = ND_BUF_INIT;
    int rc = nd_text_normalize(&b, nomem_text, sizeof nomem_text - 1, ND_NFKD);
    if (rc == ND_OK)
        rc = nd_text_normalize(&b, nomem_text, sizeof nomem_text - 1, ND_NFC);
    nd_buf_free(&b);
    return rc;
}

static int op_case(void)
{
    nd_buf b = ND_BUF_INIT;
    int rc = nd_text_upper(&b, nomem_text, sizeof nomem_text - 1, "tr");
    if (rc == ND_OK)
        rc = nd_utf8_repair(&b, nomem_text, sizeof nomem_text - 1, NULL);
    nd_buf_free(&b);
    return rc;
}

int main(void)
{
    test_turkish();
    test_fold_rules();
    test_offsets();
    test_span();
    test_tokens();
    test_chars();
    test_invalid();
    test_composes_backward();
    check_nomem("fold with offsets", op_fold);
    check_nomem("normalize", op_normalize);
    check_nomem("upper and repair", op_case);
    nd_buf_free(&buf);
    return tap_done();
}
