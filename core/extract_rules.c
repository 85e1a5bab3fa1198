/*
 * extract_rules.c — boilerplate line rules: a pattern per rule matched
 * against a line's fold key (exact / prefix / suffix / contains, '#' for a
 * number).  The rule texts are data (scripts/boilerplate/ files).
 */
#include <string.h>

#include <utf8proc.h>

#include "extract_internal.h"
#include "ingest_internal.h"
#include "nd_text.h"

typedef struct rule {
    int how, kind;
    int literal;        /* no '#' in the pattern: a plain byte comparison */
    char *pat;
    size_t len;
} rule;

struct nd_boilerplate {
    rule *rules;
    size_t n, cap;
};

int nd_boilerplate_new(nd_boilerplate **bp)
{
    *bp = nd__calloc(1, sizeof **bp);
    return *bp ? ND_OK : ND_ENOMEM;
}

void nd_boilerplate_free(nd_boilerplate *bp)
{
    size_t i;
    if (!bp)
        return;
    for (i = 0; i < bp->n; i++)
        nd_free(bp->rules[i].pat);
    nd_free(bp->rules);
    nd_free(bp);
}

size_t nd_boilerplate_count(const nd_boilerplate *bp)
{
    return bp ? bp->n : 0;
}

/* Is the code point at s a letter or digit?  *w = its byte length. */
static int is_alnum_at(const char *s, size_t len, size_t *w)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    utf8proc_category_t cat;
    if (k <= 0) {
        *w = 1;
        return 0;
    }
    *w = (size_t)k;
    cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

int nd__line_key(nd_buf *key, nd_buf *tmp, const char *s, size_t len, int pattern, size_t *lead)
{
    size_t a = 0, b, w;
    int rc;
    key->len = 0;
    if ((rc = nd_text_fold(tmp, s, len, 0, NULL)) != ND_OK)
        return rc;
    b = tmp->len;
    while (a < b && !(pattern && tmp->ptr[a] == '#') && !is_alnum_at(tmp->ptr + a, b - a, &w))
        a += w;
    while (!pattern && b > a && (tmp->ptr[b - 1] == ' ' || tmp->ptr[b - 1] == '\t'))
        b--;
    if (lead)
        *lead = a;
    return nd_buf_append(key, tmp->ptr + a, b - a);
}

static int contains(const char *k, size_t klen, const char *p, size_t plen);

int nd_boilerplate_add(nd_boilerplate *bp, int how, const char *pattern, size_t len, int kind)
{
    nd_buf key = ND_BUF_INIT, tmp = ND_BUF_INIT;
    int rc;
    if (how < ND_BP_EXACT || how > ND_BP_CONTAINS || kind < ND_BP_DROP || kind > ND_BP_DATELINE ||
        (kind == ND_BP_AGENCY && how != ND_BP_EXACT) ||
        (kind == ND_BP_DATELINE && ((how != ND_BP_PREFIX && how != ND_BP_SUFFIX) || !pattern ||
                                    !contains(pattern, len, "AGENCY", 6))))
        return ND_EINVAL;
    if (kind == ND_BP_DATELINE)     /* a shape: kept as written (its words are tokens) */
        rc = nd_buf_append(&key, pattern, len);
    else
        rc = nd__line_key(&key, &tmp, pattern, len, 1, NULL);
    if (rc != ND_OK)
        goto done;
    if (key.len == 0) {
        rc = ND_EINVAL;
        goto done;
    }
    if (kind >= ND_BP_AGENCY) {     /* the language files share shapes and agencies: keep one */
        size_t r;
        for (r = 0; r < bp->n; r++)
            if (bp->rules[r].kind == kind && bp->rules[r].how == how && bp->rules[r].len == key.len &&
                memcmp(bp->rules[r].pat, key.ptr, key.len) == 0)
                goto done;
    }
    if ((rc = ND__GROW1(bp->rules, bp->cap, bp->n)) != ND_OK)
        goto done;
    bp->rules[bp->n].how = how;
    bp->rules[bp->n].kind = kind;
    bp->rules[bp->n].pat = key.ptr;
    bp->rules[bp->n].len = key.len;
    bp->rules[bp->n].literal = kind >= ND_BP_AGENCY || memchr(key.ptr, '#', key.len) == NULL;
    bp->n++;
    key.ptr = NULL;
done:
    nd_buf_free(&key);
    nd_buf_free(&tmp);
    return rc;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Match pattern p at k[pos]; the end offset in k, or (size_t)-1. */
static size_t match_at(const char *p, size_t plen, const char *k, size_t klen, size_t pos)
{
    size_t i;
    for (i = 0; i < plen; i++) {
        if (p[i] == '#') {
            if (pos >= klen || !is_digit(k[pos]))
                return (size_t)-1;
            while (pos < klen && (is_digit(k[pos]) ||
                   ((k[pos] == '.' || k[pos] == ',' || k[pos] == ':') &&
                    pos + 1 < klen && is_digit(k[pos + 1]))))
                pos++;
        } else {
            if (pos >= klen || k[pos] != p[i])
                return (size_t)-1;
            pos++;
        }
    }
    return pos;
}

/* Does p[0..plen) (plen > 0) occur in k[0..klen)? */
static int contains(const char *k, size_t klen, const char *p, size_t plen)
{
    const char *q = k, *end = k + klen;
    while ((size_t)(end - q) >= plen && (q = memchr(q, p[0], (size_t)(end - q) - plen + 1)) != NULL) {
        if (memcmp(q + 1, p + 1, plen - 1) == 0)
            return 1;
        q++;
    }
    return 0;
}

int nd__boilerplate_match_key(const nd_boilerplate *bp, const char *k, size_t klen,
                              int *kind, size_t *kend)
{
    size_t r;
    *kind = 0;
    *kend = 0;
    if (!bp)
        return ND_OK;
    for (r = 0; r < bp->n; r++) {
        const rule *ru = &bp->rules[r];
        size_t e = (size_t)-1, pos;
        if (ru->kind >= ND_BP_AGENCY)
            continue;           /* the extractor's: see nd__boilerplate_agency/_shape */
        if (ru->literal) {
            /* most patterns: compare bytes where the match must be */
            switch (ru->how) {
            case ND_BP_EXACT:
                if (klen == ru->len && memcmp(k, ru->pat, klen) == 0)
                    e = klen;
                break;
            case ND_BP_PREFIX:
                if (klen >= ru->len && memcmp(k, ru->pat, ru->len) == 0)
                    e = ru->len;
                break;
            case ND_BP_SUFFIX:
                if (klen >= ru->len && memcmp(k + klen - ru->len, ru->pat, ru->len) == 0)
                    e = klen;
                break;
            default:
                if (contains(k, klen, ru->pat, ru->len))
                    e = 0;
                break;
            }
        } else switch (ru->how) {
        case ND_BP_EXACT:
            e = match_at(ru->pat, ru->len, k, klen, 0);
            if (e != klen)
                e = (size_t)-1;
            break;
        case ND_BP_PREFIX:
            e = match_at(ru->pat, ru->len, k, klen, 0);
            break;
        default:
            for (pos = 0; pos < klen && e == (size_t)-1; pos++) {
                if (ru->pat[0] != '#' && k[pos] != ru->pat[0])
                    continue;
                e = match_at(ru->pat, ru->len, k, klen, pos);
                if (ru->how == ND_BP_SUFFIX && e != klen)
                    e = (size_t)-1;
            }
            break;
        }
        if (e != (size_t)-1) {
            *kind = ru->kind;
            *kend = ru->how == ND_BP_PREFIX ? e : 0;
            return ND_OK;
        }
    }
    return ND_OK;
}

int nd__key_to_original(const char *line, size_t len, size_t lead, size_t kend, size_t *value)
{
    nd_buf tmp = ND_BUF_INIT;
    nd_offmap *map;
    size_t oi = 0, oj = 0;
    int rc;
    *value = 0;
    if (kend == 0)
        return ND_OK;
    if (!(map = nd_offmap_new()))
        return ND_ENOMEM;
    if ((rc = nd_text_fold(&tmp, line, len, 0, map)) == ND_OK &&
        (rc = nd_offmap_original(map, lead + kend - 1, lead + kend, &oi, &oj)) == ND_OK)
        *value = oj;
    nd_offmap_free(map);
    nd_buf_free(&tmp);
    return rc;
}

int nd_boilerplate_match(const nd_boilerplate *bp, const char *line, size_t len,
                         int *kind, size_t *value)
{
    nd_buf key = ND_BUF_INIT, tmp = ND_BUF_INIT;
    size_t lead = 0, kend = 0;
    int rc;
    *kind = 0;
    *value = 0;
    if ((rc = nd__line_key(&key, &tmp, line, len, 0, &lead)) == ND_OK &&
        (rc = nd__boilerplate_match_key(bp, key.ptr, key.len, kind, &kend)) == ND_OK &&
        (*kind == ND_BP_SOURCE || *kind == ND_BP_AUTHOR))
        rc = nd__key_to_original(line, len, lead, kend, value);
    nd_buf_free(&key);
    nd_buf_free(&tmp);
    return rc;
}

int nd__boilerplate_agency(const nd_boilerplate *bp, nd_buf *key, nd_buf *tmp, const char *s, size_t len,
                           int *yes)
{
    size_t r;
    int rc;
    *yes = 0;
    if (!bp || (rc = nd__line_key(key, tmp, s, len, 0, NULL)) != ND_OK)
        return bp ? rc : ND_OK;
    for (r = 0; r < bp->n && !*yes; r++)
        *yes = bp->rules[r].kind == ND_BP_AGENCY && bp->rules[r].len == key->len &&
               memcmp(bp->rules[r].pat, key->ptr, key->len) == 0;
    return ND_OK;
}

const char *nd__boilerplate_shape(const nd_boilerplate *bp, size_t *i, int how, size_t *len)
{
    for (; bp && *i < bp->n; (*i)++) {
        const rule *ru = &bp->rules[*i];
        if (ru->kind == ND_BP_DATELINE && ru->how == how) {
            (*i)++;
            *len = ru->len;
            return ru->pat;
        }
    }
    return NULL;
}
