/*
 * jsonl.c — JSON Lines records and the field names shared with CSV.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest_internal.h"
#include "glue/nd_fields.h"

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
            if (strcmp(low, names[role][k]) == 0) {
                *rank = k;
                return role;
            }
    return ND__F_NONE;
}

int nd__jsonl_record(const char *line, size_t len, nd__record *r, json_t **root, nd_buf *msg)
{
    json_error_t err;
    const char *key;
    json_t *v;
    int rc = ND_OK;
    memset(r, 0, sizeof *r);
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
