/* Unicode conformance: NormalizationTest.txt for NFC, NFD, NFKC and NFKD
 * (plus the quick check), and GraphemeBreakTest.txt for graphemes.  The
 * files come from Debian's unicode-data package (Unicode 15, the version of
 * Debian's utf8proc); NormalizationTest.txt.bz2 is decompressed into $BUILD.
 * ND_UNICODE_DIR overrides /usr/share/unicode. */
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"
#include "text_internal.h"
#include "tap.h"

static const char *unicode_dir(void)
{
    const char *d = getenv("ND_UNICODE_DIR");
    return d && *d ? d : "/usr/share/unicode";
}

/* Parse space-separated hex code points into UTF-8; returns the length. */
static size_t hex_to_utf8(const char *p, const char *end, char *out)
{
    size_t n = 0;
    while (p < end) {
        char *q;
        long cp = strtol(p, &q, 16);
        if (q == p) {
            p++;
            continue;
        }
        n += nd__utf8_encode((int32_t)cp, (unsigned char *)out + n);
        p = q;
    }
    out[n] = '\0';
    return n;
}

static const char *const form_name[] = { "NFC", "NFD", "NFKC", "NFKD" };

typedef struct norm_stats {
    size_t lines, fail[4], qc_fail;
    unsigned char listed[0x110000 / 8];
} norm_stats;

static int same(const nd_buf *b, const char *s, size_t len)
{
    return b->len == len && memcmp(b->ptr, s, len) == 0;
}

/* Check form f of every column in cols[from..to] equals column want. */
static void check_form(norm_stats *st, int f, char cols[5][512], const size_t *lens, int want, int from, int to,
                       size_t lineno)
{
    nd_buf b = ND_BUF_INIT;
    int c;
    for (c = from; c <= to; c++) {
        int rc = nd_text_normalize(&b, cols[c], lens[c], f);
        if (rc != ND_OK || !same(&b, cols[want], lens[want])) {
            if (st->fail[f]++ < 5)
                printf("# line %zu: %s(c%d) != c%d\n", lineno, form_name[f], c + 1, want + 1);
        }
        if (nd_text_is_normalized(cols[c], lens[c], f) != same(&b, cols[c], lens[c])) {
            if (st->qc_fail++ < 5)
                printf("# line %zu: is_normalized %s(c%d) disagrees with normalize\n", lineno, form_name[f], c + 1);
        }
    }
    nd_buf_free(&b);
}

static void test_normalization(void)
{
    static norm_stats st;
    char cmd[2300], path[1100], line[4096], cols[5][512];
    const char *build = getenv("BUILD");
    size_t lens[5], lineno = 0, part1_checked = 0, part1_fail = 0;
    int part = -1, f;
    FILE *fp;
    snprintf(path, sizeof path, "%s/NormalizationTest.txt", build && *build ? build : "build");
    snprintf(cmd, sizeof cmd, "bzcat '%s/NormalizationTest.txt.bz2' > '%s'", unicode_dir(), path);
    if (system(cmd) != 0 || !(fp = fopen(path, "r"))) {
        ok(0, "NormalizationTest.txt from %s/NormalizationTest.txt.bz2 (install unicode-data and bzip2)",
           unicode_dir());
        return;
    }
    while (fgets(line, sizeof line, fp)) {
        char *p = line, *semi;
        int c;
        lineno++;
        if (line[0] == '@') {
            part = atoi(line + 5);
            continue;
        }
        if (line[0] == '#' || line[0] == '\n')
            continue;
        for (c = 0; c < 5; c++) {
            if (!(semi = strchr(p, ';')))
                break;
            lens[c] = hex_to_utf8(p, semi, cols[c]);
            p = semi + 1;
        }
        if (c < 5)
            continue;
        st.lines++;
        if (part == 1) {
            int32_t cp;
            nd__utf8_decode((const unsigned char *)cols[0], lens[0], &cp);
            st.listed[cp / 8] |= (unsigned char)(1u << (cp % 8));
        }
        check_form(&st, ND_NFC, cols, lens, 1, 0, 2, lineno);
        check_form(&st, ND_NFC, cols, lens, 3, 3, 4, lineno);
        check_form(&st, ND_NFD, cols, lens, 2, 0, 2, lineno);
        check_form(&st, ND_NFD, cols, lens, 4, 3, 4, lineno);
        check_form(&st, ND_NFKC, cols, lens, 3, 0, 4, lineno);
        check_form(&st, ND_NFKD, cols, lens, 4, 0, 4, lineno);
    }
    fclose(fp);
    remove(path);
    ok(st.lines > 18000, "NormalizationTest.txt read: %zu test lines", st.lines);
    for (f = ND_NFC; f <= ND_NFKD; f++)
        ok(st.fail[f] == 0, "NormalizationTest %s: %zu failures", form_name[f], st.fail[f]);
    ok(st.qc_fail == 0, "is_normalized agrees with normalize on every test string: %zu disagreements", st.qc_fail);
    /* Part 1: every code point not listed is unchanged by every form. */
    {
        int32_t cp;
        nd_buf b = ND_BUF_INIT;
        for (cp = 0; cp < 0x110000; cp++) {
            char s[5];
            size_t n;
            if ((cp >= 0xD800 && cp < 0xE000) || (st.listed[cp / 8] & (1u << (cp % 8))))
                continue;
            n = nd__utf8_encode(cp, (unsigned char *)s);
            for (f = ND_NFC; f <= ND_NFKD; f++) {
                part1_checked++;
                if (nd_text_normalize(&b, s, n, f) != ND_OK || !same(&b, s, n) || !nd_text_is_normalized(s, n, f)) {
                    if (part1_fail++ < 5)
                        printf("# U+%04X changes under %s\n", (unsigned)cp, form_name[f]);
                }
            }
        }
        nd_buf_free(&b);
        ok(part1_fail == 0, "NormalizationTest part 1: %zu unlisted code point x form checks, %zu failures",
           part1_checked, part1_fail);
    }
}

static void test_graphemes(void)
{
    char path[1024], line[4096], s[1024];
    size_t lineno = 0, tests = 0, fails = 0;
    FILE *fp;
    snprintf(path, sizeof path, "%s/auxiliary/GraphemeBreakTest.txt", unicode_dir());
    if (!(fp = fopen(path, "r"))) {
        ok(0, "open %s (install unicode-data)", path);
        return;
    }
    while (fgets(line, sizeof line, fp)) {
        size_t breaks[256], nb = 0, len = 0, got[256], ng = 0, pos = 0, k;
        char *p = line, *hash = strchr(line, '#');
        int good;
        lineno++;
        if (hash)
            *hash = '\0';
        while (*p) {
            if (!strncmp(p, "\xC3\xB7", 2)) {          /* ÷ */
                breaks[nb++] = len;
                p += 2;
            } else if (!strncmp(p, "\xC3\x97", 2)) {   /* × */
                p += 2;
            } else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F')) {
                char *q;
                long cp = strtol(p, &q, 16);
                len += nd__utf8_encode((int32_t)cp, (unsigned char *)s + len);
                p = q;
            } else
                p++;
        }
        if (nb == 0)
            continue;
        tests++;
        got[ng++] = 0;
        while (pos < len) {
            pos = nd_grapheme_next(s, len, pos);
            got[ng++] = pos;
        }
        good = ng == nb;
        for (k = 0; good && k < nb; k++)
            good = got[k] == breaks[k];
        if (!good && fails++ < 5)
            printf("# GraphemeBreakTest line %zu differs\n", lineno);
    }
    fclose(fp);
    ok(tests > 500 && fails == 0, "GraphemeBreakTest.txt: %zu cases, %zu failures", tests, fails);
}

int main(void)
{
    test_normalization();
    test_graphemes();
    return tap_done();
}
