/*
 * text_fold.c — the fold (match key) and its offset map.
 *
 * The text is cut into segments: a segment starts at every character whose
 * folded form begins with a starter that nothing before it can compose
 * with (a "boundary").  Each segment is folded on its own: every character
 * is pre-mapped (Turkish I's, apostrophes, dashes, spaces), decomposed by
 * utf8proc with compatibility mappings, case folding, ignorables and
 * (unless ND_FOLD_MARKS) marks stripped, post-mapped, put in canonical
 * order and composed again.  One segment is one entry of the offset map.
 */
#include <string.h>

#include <utf8proc.h>

#include "text_int.h"

/* ---- offset map ---------------------------------------------------------- */

/* Output bytes [out, next piece's out) come from source bytes [src,
 * src+srclen).  A linear piece maps byte k of its output to source byte
 * src+k (one-byte characters); an atomic piece maps every output byte to
 * its whole source range. */
typedef struct piece {
    size_t out, src, srclen;
    int linear;
} piece;

struct nd_offmap {
    piece *p;
    size_t n, cap;
    size_t outlen, srclen;
    int filled;
};

nd_offmap *nd_offmap_new(void)
{
    return nd__calloc(1, sizeof(nd_offmap));
}

void nd_offmap_free(nd_offmap *m)
{
    if (!m)
        return;
    nd__free(m->p);
    nd__free(m);
}

static int map_add(nd_offmap *m, size_t out, size_t src, size_t srclen, int linear)
{
    if (m->n) {
        piece *last = &m->p[m->n - 1];
        if (linear && last->linear && last->src + last->srclen == src &&
            last->out + last->srclen == out) {
            last->srclen += srclen;
            return ND_OK;
        }
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        piece *p = nd__realloc(m->p, cap * sizeof *p);
        if (!p)
            return ND_ENOMEM;
        m->p = p;
        m->cap = cap;
    }
    m->p[m->n++] = (piece){ out, src, srclen, linear };
    return ND_OK;
}

/* Index of the piece holding output byte i (i < outlen). */
static size_t map_find(const nd_offmap *m, size_t i)
{
    size_t lo = 0, hi = m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->p[mid].out <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int nd_offmap_original(const nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj)
{
    const piece *p;
    if (oi)
        *oi = 0;
    if (oj)
        *oj = 0;
    if (!m || !m->filled || i > j || j > m->outlen)
        return ND_EINVAL;
    if (i == m->outlen) {
        *oi = *oj = m->srclen;
        return ND_OK;
    }
    p = &m->p[map_find(m, i)];
    *oi = p->linear ? p->src + (i - p->out) : p->src;
    if (i == j) {
        *oj = *oi;
        return ND_OK;
    }
    p = &m->p[map_find(m, j - 1)];
    *oj = p->linear ? p->src + (j - 1 - p->out) + 1 : p->src + p->srclen;
    return ND_OK;
}

/* ---- per-character fold -------------------------------------------------- */

static int is_space(int32_t cp)
{
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85)
        return 1;
    if (cp < 0xA0)
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return 1;
    default:
        return 0;
    }
}

/* The mappings applied before and after decomposition. */
static int32_t premap(int32_t cp, unsigned flags)
{
    switch (cp) {
    case 'I':
        return flags & ND_FOLD_TURKISH ? 0x131 : 'i';
    case 0x130:             /* İ */
        return 'i';
    case 0x131:             /* ı */
        return flags & ND_FOLD_TURKISH ? 0x131 : 'i';
    case '`':
    case 0xB4:              /* ´ */
    case 0x2BC:             /* ʼ */
    case 0x2018:
    case 0x2019:
    case 0x201B:
        return '\'';
    case 0x2212:            /* minus sign */
        return '-';
    default:
        break;
    }
    if (cp < 0x80)
        return cp >= 0x09 && cp <= 0x0D ? ' ' : cp;
    if (is_space(cp))
        return ' ';
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_PD)
        return '-';
    return cp;
}

static utf8proc_option_t fold_options(unsigned flags)
{
    utf8proc_option_t o = UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_DECOMPOSE;
    if (!(flags & ND_FOLD_MARKS))
        o |= UTF8PROC_STRIPMARK;
    return o;
}

/* Append the folded, decomposed code points of one character to v. */
static int fold_char(nd__cpvec *v, int32_t cp, unsigned flags)
{
    utf8proc_ssize_t n;
    size_t k;
    int rc;
    cp = premap(cp, flags);
    if (cp < 0x80) {
        if ((rc = nd__cpvec_reserve(v, 1)) != ND_OK)
            return rc;
        v->v[v->n++] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        return ND_OK;
    }
    for (;;) {
        size_t room = v->cap - v->n;
        n = utf8proc_decompose_char(cp, v->v + v->n, (utf8proc_ssize_t)room, fold_options(flags), NULL);
        if (n < 0)
            return ND_ERROR;
        if ((size_t)n <= room && v->v)
            break;
        if ((rc = nd__cpvec_reserve(v, (size_t)n + 8)) != ND_OK)
            return rc;
    }
    for (k = v->n; k < v->n + (size_t)n; k++)
        v->v[k] = premap(v->v[k], flags);
    v->n += (size_t)n;
    return ND_OK;
}

/* 1 if a segment may start at a character whose fold begins with cp. */
static int is_boundary(int32_t cp)
{
    if (cp < 0x300)
        return 1;
    return utf8proc_get_property(cp)->combining_class == 0 && !nd__composes_backward(cp);
}

/* Compose v[0..n) and append it to out. */
static int emit_segment(nd_buf *out, int32_t *v, size_t n)
{
    utf8proc_ssize_t m = (utf8proc_ssize_t)n;
    size_t i;
    int rc;
    if (n > 1) {
        nd__canonical_order(v, n);
        m = utf8proc_normalize_utf32(v, (utf8proc_ssize_t)n, UTF8PROC_COMPOSE);
        if (m < 0)
            return ND_ERROR;
    }
    if ((rc = nd_buf_reserve(out, (size_t)m * 4)) != ND_OK)
        return rc;
    for (i = 0; i < (size_t)m; i++)
        out->len += nd__utf8_encode(v[i], (unsigned char *)out->ptr + out->len);
    out->ptr[out->len] = '\0';
    return ND_OK;
}

/* Fold the segment in v[0..n) from source [src, src+srclen); record it. */
static int flush_segment(nd_buf *out, nd_offmap *map, int32_t *v, size_t n, size_t src, size_t srclen)
{
    size_t before = out->len;
    int rc = emit_segment(out, v, n);
    if (rc != ND_OK || !map || out->len == before)
        return rc;
    return map_add(map, before, src, srclen, srclen == 1 && out->len - before == 1);
}

int nd_text_fold(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map)
{
    const unsigned char *u = (const unsigned char *)s;
    nd__cpvec v = { NULL, 0, 0 };
    size_t pos = 0, seg = 0;
    int rc;
    out->len = 0;
    if (map) {
        map->n = 0;
        map->filled = 0;
    }
    if ((rc = nd_buf_reserve(out, len)) != ND_OK)
        goto done;
    while (pos < len) {
        int32_t cp;
        size_t first = v.n;
        size_t n = nd__utf8_next(u + pos, len - pos, &cp);
        if ((rc = fold_char(&v, cp, flags)) != ND_OK)
            goto done;
        if (pos > seg && v.n > first && is_boundary(v.v[first])) {
            if ((rc = flush_segment(out, map, v.v, first, seg, pos - seg)) != ND_OK)
                goto done;
            memmove(v.v, v.v + first, (v.n - first) * sizeof *v.v);
            v.n -= first;
            seg = pos;
        }
        pos += n;
    }
    if (pos > seg && (rc = flush_segment(out, map, v.v, v.n, seg, pos - seg)) != ND_OK)
        goto done;
    out->ptr[out->len] = '\0';
    if (map) {
        map->outlen = out->len;
        map->srclen = len;
        map->filled = 1;
    }
done:
    nd__cpvec_free(&v);
    return rc;
}
