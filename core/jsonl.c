/*
 * jsonl.c — JSON Lines records and the field names shared with CSV.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest_internal.h"
#include "glue/nd_fields.h"
#include "nd_text.h"
#include "text_internal.h"

/* Field names per role, preferred first. */
static const char *const names[ND__F_COUNT][12] = {
    [ND__F_TITLE] = { "title", "headline", "baslik", "ba\xc5\x9fl\xc4\xb1k", NULL },
    [ND__F_BODY] = { "body", "text", "content", "article", "description", "summary", "metin", "icerik", "i\xc3\xa7" "erik", "ozet", "\xc3\xb6zet", NULL },
    [ND__F_DATE] = { "date", "published", "pubdate", "published_at", "publishedat", "datetime", "time", "tarih", NULL },
    [ND__F_URL] = { "url", "link", "href", NULL },
    [ND__F_SOURCE] = { "source", "site", "publisher", "kaynak", NULL },
    [ND__F_AUTHOR] = { "author", "byline", "creator", "yazar", NULL },
    [ND__F_LANG] = { "lang", "language", "dil", NULL },
};

const char *const *nd__field_names(int i)
{
    return i > ND__F_NONE && i < ND__F_COUNT ? names[i] : NULL;
}

int nd__field_role(const char *name, size_t len, int *rank)
{
    char low[32];
    int role, k;
    size_t i;
    *rank = 0;
    if (len >= sizeof low)
        return ND__F_NONE;
    for (i = 0; i < len; i++)
        low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
    low[len] = '\0';
    for (role = 1; role < ND__F_COUNT; role++)
        for (k = 0; names[role][k]; k++)
            if (low[0] == names[role][k][0] && strcmp(low, names[role][k]) == 0) {
                *rank = k;
                return role;
            }
    return ND__F_NONE;
}

/* ---- the common line, without jansson ------------------------------------
 * Most lines of a feed are one flat object of string (and null) values.
 * fast_record reads exactly those, borrowing strings without escapes from
 * the line and decoding the others into scratch; anything else (another
 * value type, a repeated key, \u0000, a lone surrogate, a raw control
 * character, any syntax error, invalid UTF-8) it leaves to jansson, which
 * gives the same record or the error message.  The line is valid UTF-8
 * already (nd__jsonl_record's contract: the reader checked or repaired
 * it), so it is not checked again here. */

#define FAST_MAX_KEYS 64

typedef struct fstr {
    const char *p;              /* in the line, or NULL: at scratch offset */
    size_t off, len;
} fstr;

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int hex4(const char *s, size_t len, size_t i, unsigned *v)
{
    int k, d;
    *v = 0;
    if (i + 4 > len)
        return 0;
    for (k = 0; k < 4; k++) {
        if ((d = hexval((unsigned char)s[i + k])) < 0)
            return 0;
        *v = *v << 4 | (unsigned)d;
    }
    return 1;
}

/* The first j' >= j below len where s[j'] ends a run of plain string
 * bytes (a quote, a backslash or a control character), or len; eight
 * bytes at a time. */
static size_t plain_run(const char *s, size_t len, size_t j)
{
    const unsigned char *u = (const unsigned char *)s;
#if ND_SWAR
    for (; j + 8 <= len; j += 8) {
        uint64_t w = nd__load64(u + j);
        uint64_t stop = ND_HASZERO(w ^ (ND_ONES * '"')) | ND_HASZERO(w ^ (ND_ONES * '\\')) |
                        ((w - ND_ONES * 0x20) & ~w & ND_HIGHS);
        if (stop)
            return j + nd__first_byte(stop);
    }
#endif
    while (j < len && u[j] != '"' && u[j] != '\\' && u[j] >= 0x20)
        j++;
    return j;
}

/* The string starting at the quote s[*i]: 1 with *out set and *i past the
 * closing quote, 0 when jansson should judge it. */
static int fast_string(const char *s, size_t len, size_t *i, nd_buf *scratch, fstr *out)
{
    size_t j = plain_run(s, len, *i + 1), start = *i + 1, mark;
    if (j >= len || (unsigned char)s[j] < 0x20)
        return 0;
    if (s[j] == '"') {
        out->p = s + start;
        out->len = j - start;
        *i = j + 1;
        return 1;
    }
    mark = scratch->len;
    if (nd_buf_append(scratch, s + start, j - start) != ND_OK)
        return 0;
    while (j < len && s[j] != '"') {
        char e[4];
        size_t n = 1;
        unsigned u, lo;
        if ((unsigned char)s[j] < 0x20)
            return 0;
        if (s[j] != '\\') {
            size_t k = plain_run(s, len, j);
            if (nd_buf_append(scratch, s + j, k - j) != ND_OK)
                return 0;
            j = k;
            continue;
        }
        if (j + 1 >= len)
            return 0;
        switch (s[j + 1]) {
        case '"': e[0] = '"'; break;
        case '\\': e[0] = '\\'; break;
        case '/': e[0] = '/'; break;
        case 'b': e[0] = '\b'; break;
        case 'f': e[0] = '\f'; break;
        case 'n': e[0] = '\n'; break;
        case 'r': e[0] = '\r'; break;
        case 't': e[0] = '\t'; break;
        case 'u':
            if (!hex4(s, len, j + 2, &u) || u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
                return 0;
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (j + 7 >= len || s[j + 6] != '\\' || s[j + 7] != 'u' || !hex4(s, len, j + 8, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                j += 6;
            }
            if (u < 0x80) {
                e[0] = (char)u;
            } else if (u < 0x800) {
                e[0] = (char)(0xC0 | u >> 6), e[1] = (char)(0x80 | (u & 0x3F)), n = 2;
            } else if (u < 0x10000) {
                e[0] = (char)(0xE0 | u >> 12), e[1] = (char)(0x80 | ((u >> 6) & 0x3F));
                e[2] = (char)(0x80 | (u & 0x3F)), n = 3;
            } else {
                e[0] = (char)(0xF0 | u >> 18), e[1] = (char)(0x80 | ((u >> 12) & 0x3F));
                e[2] = (char)(0x80 | ((u >> 6) & 0x3F)), e[3] = (char)(0x80 | (u & 0x3F)), n = 4;
            }
            j += 4;
            break;
        default:
            return 0;
        }
        if (nd_buf_append(scratch, e, n) != ND_OK)
            return 0;
        j += 2;
    }
    if (j >= len)
        return 0;
    out->p = NULL;
    out->off = mark;
    out->len = scratch->len - mark;
    *i = j + 1;
    return 1;
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* 1 with r filled (meta built) when the line is a flat object of strings
 * and nulls; 0 to ask jansson (r's meta released). */
static int fast_record(const char *s, size_t len, nd__record *r, nd_buf *scratch)
{
    fstr key[FAST_MAX_KEYS], val[FAST_MAX_KEYS];
    int isnull[FAST_MAX_KEYS], role[FAST_MAX_KEYS], rank[FAST_MAX_KEYS], win[ND__F_COUNT];
    size_t i, n = 0, k;
    scratch->len = 0;
    i = skip_ws(s, len, 0);
    if (i >= len || s[i] != '{')
        return 0;
    i = skip_ws(s, len, i + 1);
    if (i < len && s[i] == '}') {
        i++;
    } else {
        for (;;) {
            if (n == FAST_MAX_KEYS || i >= len || s[i] != '"' || !fast_string(s, len, &i, scratch, &key[n]))
                return 0;
            i = skip_ws(s, len, i);
            if (i >= len || s[i] != ':')
                return 0;
            i = skip_ws(s, len, i + 1);
            isnull[n] = 0;
            if (i + 4 <= len && memcmp(s + i, "null", 4) == 0) {
                isnull[n] = 1;
                i += 4;
            } else if (i >= len || s[i] != '"' || !fast_string(s, len, &i, scratch, &val[n])) {
                return 0;
            }
            n++;
            i = skip_ws(s, len, i);
            if (i < len && s[i] == ',') {
                i = skip_ws(s, len, i + 1);
                continue;
            }
            if (i < len && s[i] == '}') {
                i++;
                break;
            }
            return 0;
        }
    }
    if (skip_ws(s, len, i) != len)
        return 0;
    /* pointers into scratch now that it no longer moves */
    for (k = 0; k < n; k++) {
        size_t j;
        if (!key[k].p)
            key[k].p = scratch->ptr + key[k].off;
        if (!isnull[k] && !val[k].p)
            val[k].p = scratch->ptr + val[k].off;
        if (memchr(key[k].p, '\0', key[k].len))
            return 0;
        for (j = 0; j < k; j++)         /* a repeated key: jansson keeps the last */
            if (key[j].len == key[k].len && memcmp(key[j].p, key[k].p, key[k].len) == 0)
                return 0;
    }
    /* as the jansson path: the first best-ranked name of each role wins */
    for (k = 0; k < ND__F_COUNT; k++)
        win[k] = -1;
    for (k = 0; k < n; k++) {
        role[k] = isnull[k] ? ND__F_NONE : nd__field_role(key[k].p, key[k].len, &rank[k]);
        if (role[k] != ND__F_NONE && (win[role[k]] < 0 || rank[k] < rank[win[role[k]]]))
            win[role[k]] = (int)k;
    }
    for (k = 0; k < n; k++) {
        json_t *js;
        if (isnull[k])
            continue;
        if (role[k] != ND__F_NONE && win[role[k]] == (int)k) {
            r->f[role[k]].ptr = val[k].p;
            r->f[role[k]].len = val[k].len;
            r->rank[role[k]] = rank[k];
            continue;
        }
        if ((!r->meta && !(r->meta = json_object())) || !(js = json_stringn(val[k].p, val[k].len)) ||
            json_object_setn_new(r->meta, key[k].p, key[k].len, js) != 0) {
            json_decref(r->meta);
            memset(r, 0, sizeof *r);
            return 0;
        }
    }
    return 1;
}

int nd__jsonl_record(const char *line, size_t len, nd__record *r, json_t **root, nd_buf *scratch, nd_buf *msg)
{
    json_error_t err;
    const char *key;
    json_t *v;
    int rc = ND_OK;
    memset(r, 0, sizeof *r);
    *root = NULL;
    if (fast_record(line, len, r, scratch))
        return ND_OK;
    *root = json_loadb(line, len, 0, &err);
    if (!*root)
        return nd__bufprintf(msg, "malformed JSON at column %d: %s", err.column, err.text) == ND_OK
               ? ND_ESYNTAX : ND_ENOMEM;
    if (!json_is_object(*root))
        return nd__bufprintf(msg, "expected a JSON object, got %s",
                             json_is_array(*root) ? "an array" : "a scalar") == ND_OK
               ? ND_ESYNTAX : ND_ENOMEM;
    /* first the best-ranked name of each role; every other field is meta */
    json_object_foreach(*root, key, v) {
        int rank, role = nd__field_role(key, strlen(key), &rank);
        if (role != ND__F_NONE && json_is_string(v) && (!r->f[role].ptr || rank < r->rank[role])) {
            r->f[role].ptr = json_string_value(v);
            r->rank[role] = rank;
        }
    }
    json_object_foreach(*root, key, v) {
        int rank, role = nd__field_role(key, strlen(key), &rank);
        if (role != ND__F_NONE && json_is_string(v) && rank == r->rank[role] &&
            r->f[role].ptr == json_string_value(v)) {
            r->f[role].len = json_string_length(v);
            continue;
        }
        if (json_is_null(v))
            continue;
        if ((!r->meta && !(r->meta = json_object())) || json_object_set(r->meta, key, v) != 0) {
            rc = ND_ENOMEM;
            break;
        }
    }
    return rc;
}
