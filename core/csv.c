/*
 * csv.c — a small RFC 4180 record reader over a string (and its TSV
 * variant: tabs, no quoting), the one CSV parser of ingest and gazetteers.
 */
#include <string.h>

#include "ingest_internal.h"

void nd_csv_record_free(nd_csv_record *rec)
{
    if (!rec)
        return;
    nd_buf_free(&rec->data);
    nd_free(rec->off);
    nd_free(rec->len);
    rec->off = rec->len = NULL;
    rec->n = rec->cap = 0;
}

/* Start a new field at the end of rec->data. */
static int field_begin(nd_csv_record *rec)
{
    if (rec->n == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 16;
        size_t *off = nd__realloc(rec->off, cap * sizeof *off);
        size_t *len;
        if (!off)
            return ND_ENOMEM;
        rec->off = off;
        len = nd__realloc(rec->len, cap * sizeof *len);
        if (!len)
            return ND_ENOMEM;
        rec->len = len;
        rec->cap = cap;
    }
    rec->off[rec->n] = rec->data.len;
    rec->len[rec->n] = 0;
    rec->n++;
    return ND_OK;
}

/* Close the current field: record its length and NUL-terminate it. */
static int field_end(nd_csv_record *rec)
{
    size_t i = rec->n - 1;
    rec->len[i] = rec->data.len - rec->off[i];
    return nd_buf_append(&rec->data, "", 1);
}

int nd_csv_parse(nd_csv_record *rec, const char *s, size_t len, size_t *used)
{
    return nd_csv_parse_ex(rec, s, len, 0, used);
}

/* The one reader of CSV and TSV records.  CSV (flags 0): fields end at a
 * comma, a field starting with a quote is quoted (RFC 4180).  ND_CSV_TAB:
 * fields end at a tab, quotes are text.  ND__CSV_TSV_LINE: as ND_CSV_TAB,
 * but s is one whole line (no line break ends the record) and a field's
 * backslash escapes are decoded (see nd__tsv_parse). */
int nd_csv_parse_ex(nd_csv_record *rec, const char *s, size_t len, unsigned flags, size_t *used)
{
    const int line = (flags & ND__CSV_TSV_LINE) != 0;
    const char sep = flags & (ND_CSV_TAB | ND__CSV_TSV_LINE) ? '\t' : ',';
    size_t i = 0;
    int rc;
    rec->n = 0;
    rec->data.len = 0;
    *used = 0;
    for (;;) {
        if ((rc = field_begin(rec)) != ND_OK)
            return rc;
        if (sep == ',' && i < len && s[i] == '"') {
            i++;
            for (;;) {
                const char *q = memchr(s + i, '"', len - i);
                if (!q) {
                    *used = len;
                    return ND_ELIMIT;       /* the quote is still open */
                }
                if ((rc = nd_buf_append(&rec->data, s + i, (size_t)(q - s) - i)) != ND_OK)
                    return rc;
                i = (size_t)(q - s) + 1;
                if (i < len && s[i] == '"') {
                    if ((rc = nd_buf_append(&rec->data, "\"", 1)) != ND_OK)
                        return rc;
                    i++;
                    continue;
                }
                break;
            }
            if (i < len && s[i] != sep && s[i] != '\n' && s[i] != '\r') {
                *used = i;
                return ND_ESYNTAX;
            }
        } else {
            /* a quote inside an unquoted field is kept as written */
            for (;;) {
                size_t j = i;
                const char *e;
                char c;
                while (j < len && s[j] != sep && (line ? s[j] != '\\' : s[j] != '\n' && s[j] != '\r'))
                    j++;
                if ((rc = nd_buf_append(&rec->data, s + i, j - i)) != ND_OK)
                    return rc;
                i = j;
                if (!line || i >= len || s[i] != '\\')
                    break;
                /* \t \n \r \\ stand for their characters; any other
                 * backslash is kept as written (a Windows path) */
                c = i + 1 < len ? s[i + 1] : '\0';
                e = c == 't' ? "\t" : c == 'n' ? "\n" : c == 'r' ? "\r" : c == '\\' ? "\\" : NULL;
                if ((rc = nd_buf_append(&rec->data, e ? e : "\\", 1)) != ND_OK)
                    return rc;
                i += e ? 2 : 1;
            }
        }
        if ((rc = field_end(rec)) != ND_OK)
            return rc;
        if (i < len && s[i] == sep) {
            i++;
            continue;
        }
        if (i < len && s[i] == '\r')
            i++;
        if (i < len && s[i] == '\n')
            i++;
        *used = i;
        return ND_OK;
    }
}

int nd__tsv_parse(nd_csv_record *rec, const char *s, size_t len)
{
    size_t used;
    return nd_csv_parse_ex(rec, s, len, ND__CSV_TSV_LINE, &used);
}

/* meta[key] = js (reference stolen).  A NUL byte in a column name becomes
 * U+FFFD: JSON can write such a key but no reader (jansson included) takes
 * it back, so the store would refuse the record.  ND_OK or ND_ENOMEM. */
static int set_meta(json_t *meta, const char *key, size_t len, json_t *js)
{
    char *clean;
    size_t i, n = 0;
    int rc;
    if (!memchr(key, '\0', len))
        return json_object_setn_new(meta, key, len, js) == 0 ? ND_OK : ND_ENOMEM;
    if (!(clean = nd__malloc(len * 3 + 1))) {
        json_decref(js);
        return ND_ENOMEM;
    }
    for (i = 0; i < len; i++) {
        if (key[i])
            clean[n++] = key[i];
        else
            memcpy(clean + n, "\xEF\xBF\xBD", 3), n += 3;
    }
    rc = json_object_setn_new(meta, clean, n, js) == 0 ? ND_OK : ND_ENOMEM;
    nd_free(clean);
    return rc;
}

/* ---- CSV records as articles ---------------------------------------------- */

int nd__csv_header(const nd_csv_record *hdr, int **role)
{
    int *r, best[ND__F_COUNT];
    size_t i;
    *role = r = nd__calloc(hdr->n ? hdr->n : 1, sizeof *r);
    if (!r)
        return ND_ENOMEM;
    for (i = 0; i < ND__F_COUNT; i++)
        best[i] = 1 << 20;
    /* the best-ranked column of each role wins; the rest go to meta */
    for (i = 0; i < hdr->n; i++) {
        int rank, ro = nd__field_role(hdr->data.ptr + hdr->off[i], hdr->len[i], &rank);
        if (ro != ND__F_NONE && rank < best[ro])
            best[ro] = rank;
    }
    for (i = 0; i < hdr->n; i++) {
        int rank, ro = nd__field_role(hdr->data.ptr + hdr->off[i], hdr->len[i], &rank);
        r[i] = ro != ND__F_NONE && rank == best[ro] ? ro : ND__F_NONE;
        if (r[i] != ND__F_NONE)
            best[ro] = -1;          /* a second column of the same name: meta */
    }
    return ND_OK;
}

int nd__csv_record(const nd_csv_record *hdr, const int *role, const nd_csv_record *rec,
                   nd__record *r, nd_buf *msg)
{
    size_t i;
    memset(r, 0, sizeof *r);
    if (rec->n != hdr->n)
        return nd__bufprintf(msg, "%zu fields where the header has %zu", rec->n, hdr->n) == ND_OK
               ? ND_ESYNTAX : ND_ENOMEM;
    for (i = 0; i < rec->n; i++) {
        const char *v = rec->data.ptr + rec->off[i];
        json_t *js;
        if (role[i] != ND__F_NONE) {
            r->f[role[i]].ptr = v;
            r->f[role[i]].len = rec->len[i];
            continue;
        }
        if (rec->len[i] == 0)
            continue;
        if (!r->meta && !(r->meta = json_object()))
            return ND_ENOMEM;
        js = json_stringn(v, rec->len[i]);
        if (!js || set_meta(r->meta, hdr->data.ptr + hdr->off[i], hdr->len[i], js) != ND_OK)
            return ND_ENOMEM;
    }
    return ND_OK;
}
