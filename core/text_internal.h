/*
 * text_internal.h — helpers shared by the core/text*.c files.  Not installed.
 */
#ifndef ND_TEXT_INTERNAL_H
#define ND_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "nd_text.h"

#include <utf8proc.h>

#define ND_REPLACEMENT 0xFFFD

/* Decode the character at s[0] (len >= 1): returns the number of bytes it
 * takes (>= 1) and sets *cp, or -1 when those bytes are a maximal invalid
 * subsequence (Unicode table 3-7, "maximal subpart" rule). */
static inline size_t nd__utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, i;
    int32_t v;
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = (int32_t)(c & 0x1F);
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = (int32_t)(c & 0x0F);
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = (int32_t)(c & 0x07);
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *cp = -1;
        return 1;
    }
    for (i = 1; i <= need; i++) {
        unsigned b;
        if (i >= len) {
            *cp = -1;
            return i;
        }
        b = s[i];
        if (b < lo || b > hi) {
            *cp = -1;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (int32_t)(b & 0x3F);
    }
    *cp = v;
    return need + 1;
}

/* Encode a valid code point into p (room for 4 bytes); returns its length. */
static inline size_t nd__utf8_encode(int32_t cp, unsigned char *p)
{
    if (cp < 0x80) {
        p[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (unsigned char)(0xC0 | (cp >> 6));
        p[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (unsigned char)(0xE0 | (cp >> 12));
        p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (unsigned char)(0xF0 | (cp >> 18));
    p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- 8 bytes at a time ---------------------------------------------------- */

#define ND_ONES UINT64_C(0x0101010101010101)
#define ND_HIGHS UINT64_C(0x8080808080808080)
/* High bit of every zero byte of x (exact for the first zero byte). */
#define ND_HASZERO(x) (((x) - ND_ONES) & ~(x) & ND_HIGHS)

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ND_SWAR 1   /* byte k of a loaded word is bits 8k..8k+7 */
#else
#define ND_SWAR 0
#endif

static inline uint64_t nd__load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Index of the first byte (in memory order) whose high bit is set in mask,
 * a nonzero combination of ND_HIGHS bits. */
static inline unsigned nd__first_byte(uint64_t mask)
{
#if ND_SWAR
    return (unsigned)__builtin_ctzll(mask) >> 3;
#else
    unsigned char b[8];
    unsigned k = 0;
    memcpy(b, &mask, 8);
    while (!(b[k] & 0x80))
        k++;
    return k;
#endif
}

/* Decode with invalid sequences read as U+FFFD. */
static inline size_t nd__utf8_next(const unsigned char *s, size_t len, int32_t *cp)
{
    size_t n = nd__utf8_decode(s, len, cp);
    if (*cp < 0)
        *cp = ND_REPLACEMENT;
    return n;
}

/* NUL-terminate b (also when empty); ND_OK or ND_ENOMEM. */
static inline int nd__buf_finish(nd_buf *b)
{
    int rc = nd_buf_reserve(b, 0);
    if (rc == ND_OK)
        b->ptr[b->len] = '\0';
    return rc;
}

/* Append code point cp (valid) to b; ND_OK or ND_ENOMEM. */
int nd__buf_putcp(nd_buf *b, int32_t cp);

/* A growable array of code points, scratch space of one call. */
typedef struct nd__cpvec {
    int32_t *v;
    size_t n, cap;
} nd__cpvec;

int nd__cpvec_reserve(nd__cpvec *c, size_t extra);
void nd__cpvec_free(nd__cpvec *c);

/* 1 if cp can be the second character of a canonical composition (so a
 * normalization boundary can never fall just before it). */
int nd__composes_backward(int32_t cp);

/* Canonical ordering of v[0..n) (stable by combining class). */
void nd__canonical_order(int32_t *v, size_t n);

/* ---- the fold's fast path ---------------------------------------------- */

/* A fold table entry: the folded UTF-8 bytes (up to 3, first in the low
 * byte), their count in bits 24-25, and ND_FOLD_SIMPLE when the character
 * starts a segment of its own and folds to those bytes.  0 = not covered. */
#define ND_FOLD_SIMPLE 0x04000000u
/* The character folds to nothing (ignorable, or a mark being stripped). */
#define ND_FOLD_EMPTY 0x08000000u
/* Covered ranges: U+0080..U+07FF and U+2000..U+20CF. */
#define ND_FOLD_TABLE_SIZE (0x780 + 0xD0)
#define ND_FOLD_INDEX(cp) ((cp) < 0x800 ? (size_t)(cp) - 0x80 : (size_t)(cp) - 0x2000 + 0x780)
#define ND_FOLD_IN_TABLE(cp) (((cp) >= 0x80 && (cp) < 0x800) || ((cp) >= 0x2000 && (cp) < 0x20D0))

/* [0]: marks stripped, [1]: ND_FOLD_MARKS; generated into text_table.c by
 * core/textgen/gen_tables.c from nd__fold_entry. */
extern const uint32_t nd__fold_table[2][ND_FOLD_TABLE_SIZE];

/* The table entry of cp computed by the reference path. */
uint32_t nd__fold_entry(int32_t cp, unsigned flags);

/* The fold without fast paths (what the fast path must equal). */
int nd__fold_reference(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map);

/* NFC quick-check bitmap of the BMP: bit set when the character is a
 * starter that stays itself under NFC and never composes with what
 * precedes it (a normalization boundary lies before it). */
extern const uint32_t nd__nfc_inert[0x10000 / 32];
/* UTF-8 validation DFA ("shift DFA"): state' = nd__utf8_dfa[byte] >> state
 * & 63, states are multiples of 6, 0 accepts, ND_UTF8_REJECT absorbs. */
#define ND_UTF8_REJECT 6
extern const uint64_t nd__utf8_dfa[256];
/* Same shape: accepts valid UTF-8 of NFC-inert characters only (a "yes"
 * of the NFC quick check); rejection means "look closer". */
extern const uint64_t nd__nfc_dfa[256];
int nd__nfc_inert_ref(int32_t cp);

#endif /* ND_TEXT_INTERNAL_H */
