/*
 * rules_textshim.c — TEMPORARY stand-in for the text layer's fold and offset
 * map (helper T) so the matcher builds before the text layer is merged.
 * Weak symbols: the real nd_text_fold/nd_offmap_* win when linked.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "rules_internal.h"

struct nd_offmap { size_t *src, *end; size_t n, cap; };

__attribute__((weak)) nd_offmap *nd_offmap_new(void)
{
    return nd__calloc(1, sizeof(nd_offmap));
}

__attribute__((weak)) void nd_offmap_free(nd_offmap *m)
{
    if (!m) return;
    nd_free(m->src);
    nd_free(m->end);
    nd_free(m);
}

static int shim_push(nd_buf *out, nd_offmap *m, const char *p, size_t n, size_t a, size_t b)
{
    size_t i;
    if (nd_buf_append(out, p, n) != ND_OK) return ND_ENOMEM;
    if (!m) return ND_OK;
    if (m->n + n > m->cap) {
        size_t cap = (m->n + n) * 2 + 16;
        size_t *s = nd__realloc(m->src, cap * sizeof *s), *e;
        if (!s) return ND_ENOMEM;
        m->src = s;
        e = nd__realloc(m->end, cap * sizeof *e);
        if (!e) return ND_ENOMEM;
        m->end = e;
        m->cap = cap;
    }
    for (i = 0; i < n; i++) { m->src[m->n] = a; m->end[m->n] = b; m->n++; }
    return ND_OK;
}

__attribute__((weak)) int nd_text_fold(nd_buf *out, const char *s, size_t len, unsigned flags, nd_offmap *map)
{
    size_t i = 0;
    ND_UNUSED(flags);
    out->len = 0;
    if (map) map->n = 0;
    if (nd_buf_reserve(out, len) != ND_OK) return ND_ENOMEM;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        char tmp[32];
        if ((unsigned char)s[i] < 0x80) {
            char ch = s[i];
            if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
            if (shim_push(out, map, &ch, 1, i, i + 1)) return ND_ENOMEM;
            i++;
            continue;
        }
        if (n < 1) { n = 1; c = 0xFFFD; }
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0xB4 || c == 0x60) {
            if (shim_push(out, map, "'", 1, i, i + (size_t)n)) return ND_ENOMEM;
        } else if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212) {
            if (shim_push(out, map, "-", 1, i, i + (size_t)n)) return ND_ENOMEM;
        } else if (utf8proc_category(c) == UTF8PROC_CATEGORY_ZS) {
            if (shim_push(out, map, " ", 1, i, i + (size_t)n)) return ND_ENOMEM;
        } else if (c == 0x131 || c == 0x130) {
            if (shim_push(out, map, "i", 1, i, i + (size_t)n)) return ND_ENOMEM;
        } else if (utf8proc_category(c) == UTF8PROC_CATEGORY_MN) {
            /* dropped */
        } else {
            utf8proc_uint8_t *r = NULL;
            utf8proc_ssize_t rn = utf8proc_map((const utf8proc_uint8_t *)s + i, n, &r,
                UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
            if (rn < 0 || rn > 30) { memcpy(tmp, s + i, (size_t)n); rn = n; }
            else memcpy(tmp, r, (size_t)rn);
            free(r);
            if (shim_push(out, map, tmp, (size_t)rn, i, i + (size_t)n)) return ND_ENOMEM;
        }
        i += (size_t)n;
    }
    if (nd_buf_reserve(out, 0) != ND_OK) return ND_ENOMEM;
    out->ptr[out->len] = '\0';
    return ND_OK;
}

__attribute__((weak)) int nd_offmap_original(const nd_offmap *m, size_t i, size_t j, size_t *oi, size_t *oj)
{
    if (i > m->n || j > m->n || i > j) return ND_EINVAL;
    *oi = i < m->n ? m->src[i] : (m->n ? m->end[m->n - 1] : 0);
    *oj = j > 0 ? m->end[j - 1] : *oi;
    if (j == i) *oj = *oi;
    return ND_OK;
}
