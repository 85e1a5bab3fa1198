/* The fast paths equal the reference paths exactly: the generated tables
 * against utf8proc, and nd_text_fold against nd__fold_reference (output and
 * offset map) over the whole BMP and over random strings. */
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"
#include "text_internal.h"
#include "tap.h"

static const unsigned flag_sets[] = { 0, ND_FOLD_MARKS, ND_FOLD_TURKISH, ND_FOLD_MARKS | ND_FOLD_TURKISH };

static void test_tables(void)
{
    size_t bad = 0, f;
    int32_t cp;
    for (f = 0; f < 2; f++)
        for (cp = 0x80; cp < 0x20D0; cp++) {
            uint32_t want;
            if (!ND_FOLD_IN_TABLE(cp))
                continue;
            want = nd__fold_entry(cp, f ? ND_FOLD_MARKS : 0);
            if (nd__fold_table[f][ND_FOLD_INDEX(cp)] != want && bad++ < 5)
                printf("# fold table %zu U+%04X: %08lx want %08lx\n", f, (unsigned)cp,
                       (unsigned long)nd__fold_table[f][ND_FOLD_INDEX(cp)], (unsigned long)want);
        }
    ok(bad == 0, "fold tables agree with utf8proc (%zu differences; rerun core/textgen/gen_tables.c)", bad);
    bad = 0;
    for (cp = 0; cp < 0x10000; cp++) {
        int got = (nd__nfc_inert[cp / 32] >> (cp % 32)) & 1;
        if (got != nd__nfc_inert_ref(cp) && bad++ < 5)
            printf("# NFC inert U+%04X: %d\n", (unsigned)cp, got);
    }
    ok(bad == 0, "NFC quick-check table agrees with utf8proc (%zu differences)", bad);
}

/* Compare fast and reference fold of s, output and every map range. */
static int same_fold(const char *s, size_t len, unsigned flags, int check_map)
{
    static nd_buf a = ND_BUF_INIT, b = ND_BUF_INIT;
    nd_offmap *ma = check_map ? nd_offmap_new() : NULL, *mb = check_map ? nd_offmap_new() : NULL;
    int good = nd_text_fold(&a, s, len, flags, ma) == ND_OK && nd__fold_reference(&b, s, len, flags, mb) == ND_OK &&
               a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
    size_t i, j;
    for (i = 0; good && check_map && i <= a.len; i++)
        for (j = i; good && j <= a.len; j++) {
            size_t ai, aj, bi, bj;
            good = nd_offmap_original(ma, i, j, &ai, &aj) == ND_OK && nd_offmap_original(mb, i, j, &bi, &bj) == ND_OK &&
                   ai == bi && aj == bj;
        }
    nd_offmap_free(ma);
    nd_offmap_free(mb);
    if (!s) {
        nd_buf_free(&a);
        nd_buf_free(&b);
    }
    return good;
}

static size_t put(char *p, int32_t cp)
{
    return nd__utf8_encode(cp, (unsigned char *)p);
}

/* Every BMP character in a few contexts: alone, after a letter, before a
 * combining mark, between Turkish letters. */
static void test_bmp(void)
{
    size_t f;
    for (f = 0; f < ND_ARRAY_LEN(flag_sets); f++) {
        size_t bad = 0;
        int32_t base;
        for (base = 0; base < 0x10000; base += 16) {
            char s[16 * 24];
            size_t n = 0;
            int32_t cp;
            for (cp = base; cp < base + 16; cp++) {
                if (cp >= 0xD800 && cp < 0xE000)
                    continue;
                n += put(s + n, 'I');
                n += put(s + n, cp);
                n += put(s + n, 0x301);
                n += put(s + n, cp);
                n += put(s + n, 0x11F);
                n += put(s + n, cp);
                n += put(s + n, ' ');
            }
            if (!same_fold(s, n, flag_sets[f], 0) && bad++ < 5)
                printf("# flags %u: BMP block U+%04X differs\n", flag_sets[f], (unsigned)base);
        }
        ok(bad == 0, "fast fold == reference over the BMP, flags %u (%zu blocks differ)", flag_sets[f], bad);
    }
}

/* The fold of every BMP character is already folded. */
static void test_idempotent(void)
{
    nd_buf a = ND_BUF_INIT, b = ND_BUF_INIT;
    size_t f, bad = 0;
    int32_t cp;
    for (f = 0; f < ND_ARRAY_LEN(flag_sets); f++)
        for (cp = 0; cp < 0x10000; cp++) {
            char s[4];
            size_t n;
            if (cp >= 0xD800 && cp < 0xE000)
                continue;
            n = put(s, cp);
            nd_text_fold(&a, s, n, flag_sets[f], NULL);
            nd_text_fold(&b, a.ptr, a.len, flag_sets[f], NULL);
            if ((a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0) && bad++ < 5)
                printf("# flags %u: fold of U+%04X is not stable\n", flag_sets[f], (unsigned)cp);
        }
    nd_buf_free(&a);
    nd_buf_free(&b);
    ok(bad == 0, "fold(fold(c)) == fold(c) for every BMP character and flag set (%zu differ)", bad);
}

static uint64_t rng_state = 88172645463325252u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random strings from a pool of characters that interact: Turkish letters,
 * their NFD parts, combining marks, Hangul jamo, ignorables, apostrophes,
 * spaces, ligatures, invalid bytes. */
static void test_random(void)
{
    static const int32_t pool[] = {
        'a', 'I', 'i', 'E', 'e', ' ', '\t', '`', '\'', '-', 'S', 0x130, 0x131, 0x11E, 0x11F, 0x15E, 0x15F,
        0xDC, 0xFC, 0xD6, 0xF6, 0xC7, 0xE7, 0xDF, 0xE9, 0x451, 0x401, 0x3B1, 0x390, 0x301, 0x308, 0x327,
        0x306, 0x307, 0x323, 0x31B, 0x345, 0xAD, 0x200B, 0x200D, 0xFEFF, 0x2019, 0x2018, 0x2BC, 0xB4, 0x2013,
        0x2014, 0x2212, 0xA0, 0x2003, 0x3000, 0xFB01, 0x2026, 0x1100, 0x1161, 0x11A8, 0xAC00, 0x0B47, 0x0B3E,
        0x212B, 0x1E9E, 0x149, 0x1F0, 0x4E2D, 0x1F600, 0x10FFFF, -1, -2, -3,
    };
    size_t f, k;
    for (f = 0; f < ND_ARRAY_LEN(flag_sets); f++) {
        size_t bad = 0;
        for (k = 0; k < 4000; k++) {
            char s[400];
            size_t n = 0, m = rnd() % 30, i;
            for (i = 0; i < m; i++) {
                int32_t cp = pool[rnd() % ND_ARRAY_LEN(pool)];
                if (cp == -1)
                    s[n++] = (char)0xC3;            /* truncated */
                else if (cp == -2)
                    s[n++] = (char)0x80;            /* lone continuation */
                else if (cp == -3) {
                    memcpy(s + n, "\xED\xA0\x80", 3); /* surrogate */
                    n += 3;
                } else
                    n += put(s + n, cp);
            }
            if (!same_fold(s, n, flag_sets[f], 1) && bad++ < 5) {
                printf("# flags %u differs on:", flag_sets[f]);
                for (i = 0; i < n; i++)
                    printf(" %02X", (unsigned char)s[i]);
                printf("\n");
            }
        }
        ok(bad == 0, "fast fold == reference on 4000 random strings, flags %u, maps included (%zu differ)",
           flag_sets[f], bad);
    }
    same_fold(NULL, 0, 0, 0);
}

int main(void)
{
    test_tables();
    test_bmp();
    test_idempotent();
    test_random();
    return tap_done();
}
