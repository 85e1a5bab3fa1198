/*
 * nd_text.h — the text layer: UTF-8 validity, normalization, case, the
 * fold match key (with an offset map back to the original), tokens and
 * characters.  Turkish first.
 *
 * Every function accepts any byte string (s, len): invalid UTF-8, embedded
 * NULs and empty strings are fine, and nothing reads outside [s, s+len).
 * Functions that need valid text read each maximal invalid subsequence as
 * one U+FFFD (Unicode's recommended practice, the same rule as
 * nd_utf8_repair), so their output is always valid UTF-8.
 *
 * Functions that produce text write into a caller-owned nd_buf (see
 * nd_core.h): the contents are replaced, storage is reused, the result is
 * NUL-terminated and the caller releases it with nd_buf_free.  On failure
 * (only ND_ENOMEM or ND_EINVAL) the buffer holds no meaningful text.
 *
 * Offsets are 0-based byte offsets, ranges half-open [start, stop), always
 * into the caller's original text.
 */
#ifndef ND_TEXT_H
#define ND_TEXT_H

#include <stddef.h>

#include "nd_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- validity ------------------------------------------------------------ */

/* ND_OK if s is valid UTF-8 (no surrogates, no overlong forms, nothing above
 * U+10FFFF); otherwise ND_EUTF8 and *bad (if bad != NULL) = offset of the
 * first byte of the first invalid sequence. */
ND_API int nd_utf8_check(const char *s, size_t len, size_t *bad);

/* Copy s into out with each maximal invalid subsequence replaced by U+FFFD;
 * *nrepl (if not NULL) = number of replacements.  ND_OK or ND_ENOMEM. */
ND_API int nd_utf8_repair(nd_buf *out, const char *s, size_t len, size_t *nrepl);

/* ---- normalization ------------------------------------------------------- */

enum { ND_NFC, ND_NFD, ND_NFKC, ND_NFKD };

/* Unicode normalization form `form` of s into out.  ND_OK, ND_ENOMEM, or
 * ND_EINVAL for an unknown form. */
ND_API int nd_text_normalize(nd_buf *out, const char *s, size_t len, int form);

/* 1 if s is valid UTF-8 already in `form` (nd_text_normalize would return
 * the same bytes), 0 if not or if form is unknown.  For NFC a quick check:
 * a table answers for ASCII and most of the BMP, and only the few
 * characters it cannot vouch for are checked with utf8proc (which then
 * allocates scratch space; out of memory reads as 0). */
ND_API int nd_text_is_normalized(const char *s, size_t len, int form);

/* ---- case ---------------------------------------------------------------- */

/* Lower / upper case of s into out.  lang NULL (or any other language) gives
 * Unicode default casing (simple mappings, plus ß → SS in upper case); "tr"
 * or "az" (also "tr-TR", "az_AZ", ...) gives Turkic casing: I → ı, İ → i,
 * i → İ, ı → I.  ND_OK or ND_ENOMEM. */
ND_API int nd_text_lower(nd_buf *out, const char *s, size_t len, const char *lang);
ND_API int nd_text_upper(nd_buf *out, const char *s, size_t len, const char *lang);
/* 1 if lang ("tr", "az", "tr-TR", "az_AZ", ...) has Turkic casing, else 0. */
ND_API int nd_text_turkic(const char *lang);

/* ---- fold: the match key --------------------------------------------------- */

#define ND_FOLD_MARKS   0x1u   /* keep diacritics */
#define ND_FOLD_TURKISH 0x2u   /* exact Turkish lower case instead of merging I/İ/ı/i into i */

/* Folded -> original byte mapping, filled by nd_text_fold.  Created empty by
 * nd_offmap_new (NULL when out of memory), reused by every fold it is passed
 * to, released by nd_offmap_free (NULL is harmless). */
typedef struct nd_offmap nd_offmap;
ND_API nd_offmap *nd_offmap_new(void);
ND_API void nd_offmap_free(nd_offmap *m);

/* Fold s into out: the match key that search and entity rules use.
 *   - NFKC, full case folding; I, İ, ı and i all become i (unless
 *     ND_FOLD_TURKISH: then I → ı, İ → i, exact Turkish lower case); an
 *     NFD İ (I + U+0307) folds like İ;
 *   - diacritics (all combining marks) removed unless ND_FOLD_MARKS:
 *     ğ → g, ş → s, ü → u, é → e, ё → е;
 *   - ’ ‘ ‛ ʼ ´ ` → ';  dashes (Unicode Pd) and minus → -;
 *   - every space character (Unicode Zs, tab, LF, VT, FF, CR, NEL, U+2028,
 *     U+2029) becomes exactly one ASCII space: runs are NOT collapsed, so a
 *     space in the key always maps back to one space in the original;
 *   - default-ignorable characters (soft hyphen, ZWSP, ZWJ, BOM, ...) are
 *     dropped;
 *   - each invalid sequence becomes U+FFFD.
 * The fold is computed per "segment" (a character and the combining
 * characters that attach to it), so fold(a + b) == fold(a) + fold(b) whenever
 * b does not start with a character that attaches to what precedes it (a
 * combining mark, a dropped ignorable, a conjoining Hangul vowel or final).
 * The result is itself folded: fold(fold(s)) == fold(s).
 * If map != NULL it is filled so nd_offmap_original can translate ranges.
 * ND_OK or ND_ENOMEM. */
ND_API int nd_text_fold(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map);

/* [i,j) in the folded text → [*oi,*oj) in the original, widened to whole
 * source characters (a folded "ss" from ß maps to the whole ß; a range that
 * spans a dropped soft hyphen includes it).  An empty range i == j maps to
 * an empty range at the corresponding original position.  ND_OK, or
 * ND_EINVAL when i > j, j is past the folded text, or the map was never
 * filled. */
ND_API int nd_offmap_original(const nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj);

/* ---- tokens -------------------------------------------------------------- */

enum { ND_TOKEN_WORD = 1, ND_TOKEN_NUMBER, ND_TOKEN_URL, ND_TOKEN_EMAIL };

/* A token of the text.  Words are runs of letters, marks and digits (soft
 * hyphens and joiners inside a word belong to it); hyphenated words
 * ("Tae-yul") are one token with nparts parts; an apostrophe (' ’ ‘ ʼ) followed
 * by a letter starts a suffix ("Kore'nin": stem "Kore", suffix "nin";
 * "2024'te": a number with suffix "te").  Numbers keep inner separators
 * (3.008, 1,5, 23:58, 1.234.567,89).  URLs start with http://, https:// or
 * www.; e-mail addresses are local@domain.tld.  Other characters separate
 * tokens. */
typedef struct nd_token {
    size_t start, stop;      /* the whole token, [start, stop) in the original */
    int kind;                /* ND_TOKEN_* */
    size_t stem_stop;        /* end of the stem before an apostrophe suffix; == stop if none */
    size_t suffix_start;     /* first byte of the suffix after the apostrophe; == stop if none */
    unsigned nparts;         /* hyphen-separated parts of a word; 1 if not hyphenated */
} nd_token;

/* A plain cursor over (s, len); no allocation, nothing to free.  The text
 * must stay alive and unchanged while the tokenizer is used. */
typedef struct nd_tokenizer { const char *s; size_t len, pos; } nd_tokenizer;
ND_API void nd_tokenizer_init(nd_tokenizer *tz, const char *s, size_t len);
/* 1 and *tok filled for the next token, 0 at the end of the text. */
ND_API int nd_tokenizer_next(nd_tokenizer *tz, nd_token *tok);
/* Part k (k < nparts) of a hyphenated token of s: [*start, *stop).  Parts
 * split the stem (the suffix belongs to no part).  ND_OK or ND_EINVAL. */
ND_API int nd_token_part(const char *s, const nd_token *tok, unsigned k, size_t *start, size_t *stop);

/* ---- near-duplicate signatures -------------------------------------------- */

/* The store's near-duplicate fingerprint (dedup.c) for texts outside a
 * store, so that streams and shards can find republished copies as a store
 * does: a one-permutation MinHash of the word 3-shingles of the folded
 * text, and the LSH band keys the store looks it up by.  Two texts are
 * near-duplicates when their similarity reaches ND_SIGNATURE_NEAR and both
 * have at least ND_SIGNATURE_MIN_SHINGLES shingles (the store's rule; it
 * signs an article's body, or its title when the body is empty); they
 * share a band key with probability 1-(1-J^4)^8 at Jaccard similarity J. */
#define ND_SIGNATURE_BINS 32
#define ND_SIGNATURE_BANDS 8
#define ND_SIGNATURE_NEAR 0.5
#define ND_SIGNATURE_MIN_SHINGLES 8

typedef struct nd_signature {
    uint32_t bin[ND_SIGNATURE_BINS];
    uint32_t band[ND_SIGNATURE_BANDS];   /* band keys, never 0 */
    size_t shingles;                     /* word 3-shingles seen (0: empty text) */
} nd_signature;

/* Signing state (folding tables, a term buffer): create once, sign many
 * texts.  nd_signer_new sets *out (NULL on failure); ND_OK or ND_ENOMEM.
 * nd_signer_free(NULL) is harmless. */
typedef struct nd_signer nd_signer;
ND_API int nd_signer_new(nd_signer **out);
ND_API void nd_signer_free(nd_signer *s);
/* Fill *sig for text[0,len); the same text always gives the same
 * signature, on every machine.  ND_OK or ND_ENOMEM. */
ND_API int nd_signer_sign(nd_signer *s, const char *text, size_t len, nd_signature *sig);
/* Estimated Jaccard similarity of the shingle sets, 0..1 (0 when either
 * text had no shingle). */
ND_API double nd_signature_similarity(const nd_signature *a, const nd_signature *b);

/* ---- characters ---------------------------------------------------------- */

/* Number of code points; each invalid sequence counts as one (as U+FFFD). */
ND_API size_t nd_text_len(const char *s, size_t len);
/* Byte offset of code point number k (0-based), or len if there are fewer
 * than k + 1 code points.  Invalid sequences count as above. */
ND_API size_t nd_text_offset(const char *s, size_t len, size_t k);
/* Terminal columns: wide East Asian characters and most emoji 2, combining
 * marks, controls and default-ignorables 0, others 1 (U+FFFD is 1). */
ND_API size_t nd_text_width(const char *s, size_t len);
/* End of the extended grapheme cluster (UAX #29) that starts at pos; pos if
 * pos >= len. */
ND_API size_t nd_grapheme_next(const char *s, size_t len, size_t pos);

#ifdef __cplusplus
}
#endif

#endif /* ND_TEXT_H */
