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

#include "text_internal.h"

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

static int map_grow(nd_offmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    piece *p = cap > SIZE_MAX / sizeof *p ? NULL : nd__realloc(m->p, cap * sizeof *p);
    if (!p)
        return ND_ENOMEM;
    m->p = p;
    m->cap = cap;
    return ND_OK;
}

/* Record that output from byte out on comes from source [src, src+srclen);
 * a linear piece that continues the previous linear one extends it. */
static inline int map_add(nd_offmap *m, size_t out, size_t src, size_t srclen, int linear)
{
    piece *last;
    if (linear && m->n && (last = &m->p[m->n - 1])->linear && last->src + last->srclen == src &&
        last->out + last->srclen == out) {
        last->srclen += srclen;
        return ND_OK;
    }
    if (m->n == m->cap && map_grow(m) != ND_OK)
        return ND_ENOMEM;
    m->p[m->n++] = (piece){ out, src, srclen, linear };
    return ND_OK;
}

/* The piece holding output byte i, from piece lo on (p[lo].out <= i, or
 * lo = 0): the next piece tried first, then a gallop and a binary search. */
static inline size_t piece_from(const nd_offmap *m, size_t lo, size_t i)
{
    size_t hi, step;
    if (lo + 1 >= m->n || m->p[lo + 1].out > i)
        return lo;
    lo++;
    for (step = 1; lo + step < m->n && m->p[lo + step].out <= i; step *= 2)
        lo += step;
    hi = lo + step < m->n ? lo + step : m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->p[mid].out <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the piece holding output byte i (i < outlen).  With a hint (the
 * piece of an earlier call, or any index), the search gallops forward from
 * *hint when i lies at or after it, and *hint receives the answer: callers
 * asking in text order pay for the distance they moved, not for the map's
 * size (a scan asks a few times per name found, pieces come every two bytes
 * of Cyrillic or Turkish text). */
static size_t map_find(const nd_offmap *m, size_t i, size_t *hint)
{
    size_t lo = hint && *hint < m->n && m->p[*hint].out <= i ? *hint : 0;
    lo = piece_from(m, lo, i);
    if (hint)
        *hint = lo;
    return lo;
}

int nd_offmap_original(const nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj)
{
    return nd__offmap_original_near(m, i, j, oi, oj, NULL);
}

int nd__offmap_original_near(const nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj, size_t *hint)
{
    const piece *p;
    size_t k;
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
    k = map_find(m, i, hint);
    p = &m->p[k];
    *oi = p->linear ? p->src + (i - p->out) : p->src;
    if (i == j) {
        *oj = *oi;
        return ND_OK;
    }
    p = &m->p[map_find(m, j - 1, &k)];      /* from i's piece on */
    *oj = p->linear ? p->src + (j - 1 - p->out) + 1 : p->src + p->srclen;
    return ND_OK;
}

int nd__offmap_span(const nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj, size_t *hint)
{
    size_t k = *hint;
    const piece *p;
    if (!m->filled || i >= j || j > m->outlen || !m->n)
        return nd__offmap_original_near(m, i, j, oi, oj, hint);
    if (k >= m->n || m->p[k].out > i)
        k = 0;
    k = piece_from(m, k, i);
    *hint = k;
    p = &m->p[k];
    *oi = p->linear ? p->src + (i - p->out) : p->src;
    p = &m->p[piece_from(m, k, j - 1)];
    *oj = p->linear ? p->src + (j - p->out) : p->src + p->srclen;
    return ND_OK;
}

int nd__offmap_folded(const nd_offmap *m, size_t src, size_t *out, size_t *out_end)
{
    size_t lo = 0, hi;
    const piece *p;
    if (!m || !m->filled || !m->n || src >= m->srclen)
        return 0;
    for (hi = m->n; hi - lo > 1;) {         /* last piece starting at or before src */
        size_t mid = lo + (hi - lo) / 2;
        if (m->p[mid].src <= src)
            lo = mid;
        else
            hi = mid;
    }
    p = &m->p[lo];
    if (p->linear) {
        *out = p->out + (src - p->src);
        *out_end = *out + 1;
    } else {
        *out = p->out;
        *out_end = lo + 1 < m->n ? m->p[lo + 1].out : m->outlen;
    }
    return 1;
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
    if (!v->v && (rc = nd__cpvec_reserve(v, 8)) != ND_OK)
        return rc;
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

/* ---- table entries --------------------------------------------------------- */

uint32_t nd__fold_entry(int32_t cp, unsigned flags)
{
    nd__cpvec v = { NULL, 0, 0 };
    nd_buf b = ND_BUF_INIT;
    uint32_t e = 0;
    size_t i;
    if (fold_char(&v, cp, flags) != ND_OK)
        goto done;
    if (v.n == 0) {
        e = ND_FOLD_EMPTY;
        goto done;
    }
    if (!is_boundary(v.v[0]) || emit_segment(&b, v.v, v.n) != ND_OK || b.len > 3)
        goto done;
    e = ND_FOLD_SIMPLE | (uint32_t)b.len << 24;
    for (i = 0; i < b.len; i++)
        e |= (uint32_t)(unsigned char)b.ptr[i] << (8 * i);
done:
    nd__cpvec_free(&v);
    nd_buf_free(&b);
    return e;
}

/* ---- the fold ---------------------------------------------------------------- */

typedef struct fold_ctx {
    const unsigned char *u;
    size_t len;
    unsigned flags;
    nd_buf *out;
    nd_offmap *map;
    nd__cpvec v;
    const uint32_t *table;
} fold_ctx;

/* Table entry for the character at pos (decoded as *n bytes), or 0 when
 * the fast path does not cover it. */
static uint32_t fast_entry(const fold_ctx *c, size_t pos, size_t *n)
{
    const unsigned char *p = c->u + pos;
    size_t left = c->len - pos;
    int32_t cp;
    if (p[0] < 0x80) {
        *n = 1;
        return ND_FOLD_SIMPLE;   /* every ASCII character is simple */
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF && left >= 2 && (p[1] & 0xC0) == 0x80) {
        *n = 2;
        cp = (int32_t)((p[0] & 0x1F) << 6 | (p[1] & 0x3F));
        if (cp == 0x131 && (c->flags & ND_FOLD_TURKISH))
            return ND_FOLD_SIMPLE | 2u << 24 | 0xB1C4u;
    } else if (p[0] == 0xE2 && left >= 3 && p[1] >= 0x80 && p[1] <= 0x83 && (p[2] & 0xC0) == 0x80) {
        *n = 3;
        cp = (int32_t)(0x2000 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F));
        if (cp >= 0x20D0)
            return 0;
    } else {
        *n = 0;
        return 0;
    }
    return c->table[ND_FOLD_INDEX(cp)];
}

/* Fold from pos with the reference machinery, segment by segment; stop at
 * the first character after pos that the fast path covers (it starts a
 * segment), or at the end if !stop.  Returns the position reached in *end. */
static int fold_slow(fold_ctx *c, size_t pos, int stop, size_t *end)
{
    size_t seg = pos, n;
    int rc;
    c->v.n = 0;
    while (pos < c->len) {
        int32_t cp;
        size_t first = c->v.n;
        if (stop && pos > seg && (fast_entry(c, pos, &n) & ND_FOLD_SIMPLE))
            break;
        n = nd__utf8_next(c->u + pos, c->len - pos, &cp);
        if (cp == 'I' && pos + 2 < c->len && c->u[pos + 1] == 0xCC && c->u[pos + 2] == 0x87) {
            cp = 0x130;   /* I + combining dot above is İ (NFD input) */
            n = 3;
        }
        if ((rc = fold_char(&c->v, cp, c->flags)) != ND_OK)
            return rc;
        if (pos > seg && c->v.n > first && is_boundary(c->v.v[first])) {
            if ((rc = flush_segment(c->out, c->map, c->v.v, first, seg, pos - seg)) != ND_OK)
                return rc;
            memmove(c->v.v, c->v.v + first, (c->v.n - first) * sizeof *c->v.v);
            c->v.n -= first;
            seg = pos;
        }
        pos += n;
    }
    *end = pos;
    if (pos > seg)
        return flush_segment(c->out, c->map, c->v.v, c->v.n, seg, pos - seg);
    return ND_OK;
}

/* Drop output from byte o on, and the map pieces for it. */
static void fold_truncate(fold_ctx *c, size_t o)
{
    nd_offmap *m = c->map;
    c->out->len = o;
    while (m && m->n && m->p[m->n - 1].out >= o)
        m->n--;
    if (m && m->n && m->p[m->n - 1].linear && m->p[m->n - 1].out + m->p[m->n - 1].srclen > o)
        m->p[m->n - 1].srclen = o - m->p[m->n - 1].out;
}

/* Fold the ASCII prefix of the 8 bytes at p into dst (8 bytes are
 * written, only the prefix is meaningful); returns the prefix length: the
 * bytes before the first non-ASCII byte, control, backtick or (Turkish) I.
 * Bytes past the prefix may be garbled by carries, which run upward only. */
static unsigned fold_ascii8(const unsigned char *p, unsigned flags, unsigned char *dst)
{
#if ND_SWAR
    uint64_t w = nd__load64(p), upper;
    uint64_t stop = (w & ND_HIGHS) | (~(w + ND_ONES * 0x60) & ND_HIGHS) | ND_HASZERO(w ^ (ND_ONES * '`'));
    if (flags & ND_FOLD_TURKISH)
        stop |= ND_HASZERO(w ^ (ND_ONES * 'I'));
    upper = (w + ND_ONES * (0x80 - 'A')) & ~(w + ND_ONES * (0x80 - 'Z' - 1)) & ND_HIGHS;
    w |= upper >> 2;
    memcpy(dst, &w, 8);
    return stop ? nd__first_byte(stop) : 8;
#else
    unsigned k;
    for (k = 0; k < 8; k++) {
        unsigned char b = p[k];
        if (b >= 0x80 || b < 0x20 || b == '`' || (b == 'I' && (flags & ND_FOLD_TURKISH)))
            break;
        dst[k] = (unsigned char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
    }
    return k;
#endif
}

/* Append the bytes of simple table entry e at dst[*o] (room for 3 bytes
 * is there). */
static inline void put_entry(unsigned char *dst, size_t *o, uint32_t e)
{
    dst[*o] = (unsigned char)(e & 0xFF);
    dst[*o + 1] = (unsigned char)(e >> 8 & 0xFF);
    dst[*o + 2] = (unsigned char)(e >> 16 & 0xFF);
    *o += e >> 24 & 3;
}

/* The fast fold.  The output position, buffer and context fields live in
 * locals (byte stores would otherwise force the compiler to reload them);
 * they are written back to c->out around every call that uses it. */
static int fold_fast(fold_ctx *c)
{
    nd_buf *out = c->out;
    nd_offmap *map = c->map;
    const unsigned char *u = c->u;
    const uint32_t *table = c->table;
    const unsigned flags = c->flags;
    const size_t len = c->len;
    unsigned char *dst = (unsigned char *)out->ptr;
    size_t pos = 0, last = SIZE_MAX, last_out = 0, o = out->len, cap = out->cap;
    int rc = ND_OK;
    while (pos < len) {
        size_t n, start = o;
        unsigned char b0;
        uint32_t e;
        if (cap - o < 16) {
            out->len = o;
            if ((rc = nd_buf_reserve(out, 16)) != ND_OK)
                return rc;
            dst = (unsigned char *)out->ptr;
            cap = out->cap;
        }
        b0 = u[pos];
        if (b0 < 0x80 && pos + 8 <= len) {
            unsigned k = fold_ascii8(u + pos, flags, dst + o);
            if (k) {
                o += k;
                if (map && (rc = map_add(map, start, pos, k, 1)) != ND_OK)
                    break;
                last = pos + k - 1;
                last_out = o - 1;
                pos += k;
                if (k == 8 || pos >= len)
                    continue;
                /* the byte that stopped the prefix, usually a lead byte:
                 * handle it now (at least 8 bytes of room are left) */
                start = o;
                b0 = u[pos];
            }
        }
        if (b0 >= 0xC2 && b0 <= 0xDF && pos + 1 < len && (u[pos + 1] & 0xC0) == 0x80) {
            /* two-byte character: straight from the table */
            size_t cp = (b0 & 0x1Fu) << 6 | (u[pos + 1] & 0x3Fu);
            e = table[cp - 0x80];
            if ((flags & ND_FOLD_TURKISH) && cp == 0x131)
                e = ND_FOLD_SIMPLE | 2u << 24 | 0xB1C4u;   /* ı stays ı */
            if (e & ND_FOLD_SIMPLE) {
                put_entry(dst, &o, e);
                if (map && (rc = map_add(map, start, pos, 2, 0)) != ND_OK)
                    break;
                last = pos;
                last_out = start;
                pos += 2;
                continue;
            }
        }
        e = fast_entry(c, pos, &n);
        if (e == ND_FOLD_SIMPLE && b0 == 'I' && pos + 2 < len && u[pos + 1] == 0xCC && u[pos + 2] == 0x87)
            e = 0;   /* NFD İ: the slow path reads it as one character */
        if (e == ND_FOLD_SIMPLE) {
            if (b0 == 'I' && (flags & ND_FOLD_TURKISH)) {
                dst[o++] = 0xC4;
                dst[o++] = 0xB1;
                rc = map ? map_add(map, start, pos, 1, 0) : ND_OK;
            } else {
                if (b0 >= 'A' && b0 <= 'Z')
                    b0 = (unsigned char)(b0 + 32);
                else if (b0 == '`')
                    b0 = '\'';
                else if (b0 >= 0x09 && b0 <= 0x0D)
                    b0 = ' ';
                dst[o++] = b0;
                rc = map ? map_add(map, start, pos, 1, 1) : ND_OK;
            }
        } else if (e & ND_FOLD_SIMPLE) {
            put_entry(dst, &o, e);
            rc = map ? map_add(map, start, pos, n, 0) : ND_OK;
        } else if ((e & ND_FOLD_EMPTY) && last != SIZE_MAX) {
            /* Dropped: it joins the previous character's segment, whose
             * output stays the same; widen that segment's map entry. */
            if (map) {
                out->len = o;
                fold_truncate(c, last_out);
                out->len = o;
                if ((rc = map_add(map, last_out, last, pos + n - last, 0)) != ND_OK)
                    break;
            }
            pos += n;
            continue;
        } else {
            /* Not covered: fold from the previous character (it may
             * compose with this one) up to the next covered one. */
            size_t from = pos;
            out->len = o;
            if (last != SIZE_MAX) {
                fold_truncate(c, last_out);
                from = last;
            }
            rc = fold_slow(c, from, 1, &pos);
            dst = (unsigned char *)out->ptr;
            cap = out->cap;
            o = out->len;
            if (rc != ND_OK)
                break;
            last = SIZE_MAX;
            continue;
        }
        if (rc != ND_OK)
            break;
        last = pos;
        last_out = start;
        pos += n;
    }
    out->len = o;
    return rc;
}

static int fold_run(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map, int fast)
{
    fold_ctx c;
    size_t end;
    int rc;
    c.u = (const unsigned char *)s;
    c.len = len;
    c.flags = flags;
    c.out = out;
    c.map = map;
    c.v = (nd__cpvec){ NULL, 0, 0 };
    c.table = nd__fold_table[flags & ND_FOLD_MARKS ? 1 : 0];
    out->len = 0;
    if (map) {
        map->n = 0;
        map->filled = 0;
    }
    if ((rc = nd_buf_reserve(out, len)) != ND_OK)
        goto done;
    rc = fast ? fold_fast(&c) : fold_slow(&c, 0, 0, &end);
    if (rc != ND_OK)
        goto done;
    out->ptr[out->len] = '\0';
    if (map) {
        map->outlen = out->len;
        map->srclen = len;
        map->filled = 1;
    }
done:
    nd__cpvec_free(&c.v);
    return rc;
}

int nd_text_fold(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map)
{
    return fold_run(out, s, len, flags, map, 1);
}

int nd__fold_reference(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map)
{
    return fold_run(out, s, len, flags, map, 0);
}
