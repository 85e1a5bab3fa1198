/*
 * internal.h — helpers shared by the files of core/.  Not installed.
 */
#ifndef ND_INTERNAL_H
#define ND_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include "nd_core.h"
#include "glue/nd_base.h"   /* nd__malloc & co., nd__errmsg */

/* The one message formatter: append the printf-style text to msg (which
 * stays NUL-terminated).  ND_OK, ND_ENOMEM, or ND_EINVAL for a bad format;
 * on failure msg keeps what it held. */
int nd__vbufcat(nd_buf *msg, const char *fmt, va_list ap);
/* The printf-style message as a new string (caller frees with nd_free), or
 * NULL when out of memory or for a bad format.  Through nd__vbufcat. */
char *nd__vstrdupf(const char *fmt, va_list ap);
/* Replace the text of msg with the printf-style message.  As nd__vbufcat. */
int nd__vbufprintf(nd_buf *msg, const char *fmt, va_list ap);
/* Replace the text of msg with the printf-style message.  As nd__vbufcat. */
int nd__bufprintf(nd_buf *msg, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Grow the array *p (elements of `size` bytes, *cap of them) to hold at
 * least `need`, doubling; *p and *cap are unchanged on failure.  ND_OK or
 * ND_ENOMEM (also when the byte size would overflow). */
int nd__grow(void **p, size_t *cap, size_t need, size_t size);
#define nd__free nd_free

/* Open-addressing map from uint64 keys (never 0) to uint32 values (0 is
 * what nd__map_get returns for a missing key).  Zeroed = empty. */
typedef struct nd__map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;       /* cap is a power of two */
} nd__map;

int nd__map_put(nd__map *m, uint64_t k, uint32_t v);   /* insert or replace */
void nd__map_clear(nd__map *m);                        /* empty, keep the room */
void nd__map_free(nd__map *m);

static inline size_t nd__map_slot(uint64_t k, size_t mask)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static inline uint32_t nd__map_get(const nd__map *m, uint64_t k)
{
    size_t mask, i;
    if (!m->cap) return 0;
    mask = m->cap - 1;
    for (i = nd__map_slot(k, mask);; i = (i + 1) & mask) {
        if (m->keys[i] == k) return m->vals[i];
        if (m->keys[i] == 0) return 0;
    }
}

/* The folded bytes [*out, *out_end) that source byte src of a filled
 * offset map became (text_fold.c): the whole fold of its character.  0
 * when src is past the source. */
struct nd_offmap;
int nd__offmap_folded(const struct nd_offmap *m, size_t src, size_t *out, size_t *out_end);
/* nd_offmap_original, searching from piece *hint (0 at first; NULL: none)
 * and leaving there the piece of i: for callers asking in text order. */
int nd__offmap_original_near(const struct nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj, size_t *hint);
/* nd__offmap_original_near for i < j, made for a scan's few questions per
 * name found: the pieces after *hint are tried first and galloped over,
 * so a caller moving forward pays for the distance, not the map's size. */
int nd__offmap_span(const struct nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj, size_t *hint);

/* Whether the tokenizer keeps a word whole across format character cp
 * (soft hyphen, zero-width joiner and non-joiner, word joiner): it parts
 * words at every other one (text_token.c). */
static inline int nd__tok_joiner(int32_t cp)
{
    return cp == 0xAD || cp == 0x200C || cp == 0x200D || cp == 0x2060;
}

/* The one character classifier (text_token.c): the tokenizer's classes,
 * which the rules matcher's key stream (match.c) reads too, so both part
 * words alike.  nd__ascii_class holds the ASCII bytes' (controls, DEL and
 * space ND__C_SPACE; ' and - their own; letters, digits; the rest
 * ND__C_OTHER). */
enum {
    ND__C_OTHER, ND__C_LETTER, ND__C_DIGIT, ND__C_NUMBER, ND__C_MARK, ND__C_JOINER, ND__C_APOS,
    ND__C_HYPHEN, ND__C_SPACE
};
extern const unsigned char nd__ascii_class[128];
int nd__char_class(int32_t cp);

#define ND_UNUSED(x) ((void)(x))
#define ND_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* ND_INTERNAL_H */
