/*
 * base.c — version, error strings, allocation hooks and nd_buf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *nd_version(void)
{
    return ND_VERSION_STRING;
}

const char *nd_errstr(int code)
{
    switch (code) {
    case ND_OK: return "not an error";
    case ND_ERROR: return "error";
    case ND_ENOMEM: return "out of memory";
    case ND_EINVAL: return "invalid argument";
    case ND_EUTF8: return "invalid UTF-8";
    case ND_EIO: return "input/output error";
    case ND_EDB: return "database error";
    case ND_ENOTFOUND: return "not found";
    case ND_ELIMIT: return "limit exceeded";
    case ND_ECLOSED: return "handle is closed";
    case ND_ESYNTAX: return "syntax error";
    case ND_ESCRIPT: return "script error";
    case ND_EBUSY: return "database is busy";
    case ND_ERANGE: return "value out of range";
    default: return "unknown error code";
    }
}

/* ---- error messages ------------------------------------------------------ */

const char *nd__errmsg(const nd_buf *err)
{
    if (!err)
        return "out of memory";
    return err->len ? err->ptr : "";
}

int nd__vbufcat(nd_buf *msg, const char *fmt, va_list ap)
{
    va_list again;
    int n, rc;
    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {
        rc = ND_EINVAL;
    } else if ((rc = nd_buf_reserve(msg, (size_t)n)) == ND_OK) {
        vsnprintf(msg->ptr + msg->len, (size_t)n + 1, fmt, again);
        msg->len += (size_t)n;
    }
    va_end(again);
    return rc;
}

char *nd__vstrdupf(const char *fmt, va_list ap)
{
    nd_buf m = { 0 };
    if (nd__vbufcat(&m, fmt, ap) != ND_OK || !m.ptr) {
        nd_buf_free(&m);
        return NULL;
    }
    return m.ptr;
}

int nd__vbufprintf(nd_buf *msg, const char *fmt, va_list ap)
{
    msg->len = 0;
    if (msg->ptr)
        msg->ptr[0] = '\0';
    return nd__vbufcat(msg, fmt, ap);
}

int nd__bufprintf(nd_buf *msg, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = nd__vbufprintf(msg, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- allocation -------------------------------------------------------- */

static void *std_malloc(void *ud, size_t n) { (void)ud; return malloc(n); }
static void *std_realloc(void *ud, void *p, size_t n) { (void)ud; return realloc(p, n); }
static void std_free(void *ud, void *p) { (void)ud; free(p); }

static nd_allocator alloc = { std_malloc, std_realloc, std_free, NULL };

void nd_set_allocator(const nd_allocator *a)
{
    if (a)
        alloc = *a;
    else
        alloc = (nd_allocator){ std_malloc, std_realloc, std_free, NULL };
}

void *nd__malloc(size_t n)
{
    return alloc.malloc_fn(alloc.ud, n ? n : 1);
}

void *nd__realloc(void *p, size_t n)
{
    return alloc.realloc_fn(alloc.ud, p, n ? n : 1);
}

void *nd__calloc(size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return NULL;
    p = nd__malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *nd__strndup(const char *s, size_t n)
{
    char *p = nd__malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int nd__grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap;
    void *q;
    if (need <= c)
        return ND_OK;
    while (c < need)
        c = c ? (c > SIZE_MAX / 2 ? need : c * 2) : 16;
    if (size && c > SIZE_MAX / size)
        return ND_ENOMEM;
    q = nd__realloc(*p, c * size);
    if (!q)
        return ND_ENOMEM;
    *p = q;
    *cap = c;
    return ND_OK;
}

void nd_free(void *p)
{
    if (p)
        alloc.free_fn(alloc.ud, p);
}

/* ---- small hash map ------------------------------------------------------ */

static int map_grow(nd__map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024, i;
    uint64_t *keys = nd__calloc(cap, sizeof *keys);
    uint32_t *vals = nd__malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        nd_free(keys);
        nd_free(vals);
        return ND_ENOMEM;
    }
    for (i = 0; i < m->cap; i++) {
        size_t j;
        if (!m->keys[i]) continue;
        j = nd__map_slot(m->keys[i], cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    nd_free(m->keys);
    nd_free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return ND_OK;
}

int nd__map_put(nd__map *m, uint64_t k, uint32_t v)
{
    size_t i;
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != ND_OK)
        return ND_ENOMEM;
    i = nd__map_slot(k, m->cap - 1);
    while (m->keys[i] && m->keys[i] != k) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) m->n++;
    m->keys[i] = k;
    m->vals[i] = v;
    return ND_OK;
}

void nd__map_clear(nd__map *m)
{
    if (m->cap)
        memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->n = 0;
}

void nd__map_free(nd__map *m)
{
    nd_free(m->keys);
    nd_free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

/* ---- nd_buf ------------------------------------------------------------ */

int nd_buf_reserve(nd_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;
    if (extra > SIZE_MAX - b->len - 1)
        return ND_ENOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return ND_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = nd__realloc(b->ptr, cap);
    if (!p)
        return ND_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return ND_OK;
}

int nd_buf_append(nd_buf *b, const void *p, size_t n)
{
    int rc = nd_buf_reserve(b, n);
    if (rc != ND_OK)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return ND_OK;
}

void nd_buf_free(nd_buf *b)
{
    if (!b)
        return;
    nd_free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
