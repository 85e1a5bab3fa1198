/*
 * fuzz_jsonl.c — libFuzzer target for JSON Lines records on their way into
 * a store.  Each input line is repaired when it is not valid UTF-8 and
 * parsed, as the ingest reads it, and, when it is an object, stored in an
 * in-memory store.  Invariants:
 *  - a line is either a record or ND_ESYNTAX with a message naming the
 *    column ("malformed JSON at column N") or the kind of value;
 *  - every mapped field is valid UTF-8 and lies inside its JSON string;
 *  - the store accepts every record (text fields valid, meta an object);
 *  - adding the same record again is an exact duplicate of the same id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"
#include "newsdesk.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void add_record(nd_store *db, const nd__record *r, const char *line, size_t len)
{
    nd_article a;
    char *meta = r->meta ? json_dumps(r->meta, JSON_COMPACT) : NULL;
    int64_t id = 0, id2 = 0;
    int status = -1, status2 = -1, rc, i;
    size_t bad;
    for (i = 1; i < ND__F_COUNT; i++)
        if (r->f[i].ptr)
            CHECK(nd_utf8_check(r->f[i].ptr, r->f[i].len, &bad) == ND_OK);
    memset(&a, 0, sizeof a);
    a.title = r->f[ND__F_TITLE];
    a.body = r->f[ND__F_BODY];
    a.date_text = r->f[ND__F_DATE];
    a.url = r->f[ND__F_URL];
    a.source = r->f[ND__F_SOURCE];
    a.author = r->f[ND__F_AUTHOR];
    a.lang = r->f[ND__F_LANG];
    a.raw.ptr = line;
    a.raw.len = len;
    a.meta_json.ptr = meta;
    a.meta_json.len = meta ? strlen(meta) : 0;
    rc = nd_store_add(db, &a, &id, &status);
    if (rc != ND_OK)
        fprintf(stderr, "store: %s\n", nd_store_errmsg(db));
    CHECK(rc == ND_OK);
    CHECK(id > 0);
    CHECK(nd_store_add(db, &a, &id2, &status2) == ND_OK);
    CHECK(status2 == ND_ADD_DUPLICATE);
    CHECK(status == ND_ADD_NEW ? id2 == id : id2 > 0);
    free(meta);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nd_store *db;
    static unsigned runs;
    const char *s = (const char *)data, *end = s + size;
    nd_buf msg = ND_BUF_INIT, scratch = ND_BUF_INIT, fixed = ND_BUF_INIT;

    if (!db || ++runs % 500 == 0) {          /* a fresh store now and then */
        nd_store_close(db);
        db = NULL;
        CHECK(nd_store_open(&db, NULL, 0) == ND_OK);
    }
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        nd__record r;
        json_t *root = NULL;
        const char *line = s;
        size_t n = len, nrepl, bad;
        int rc;
        if (nd_utf8_check(s, len, &bad) != ND_OK) {    /* as the ingest reader: repaired first */
            CHECK(nd_utf8_repair(&fixed, s, len, &nrepl) == ND_OK && nrepl > 0);
            line = fixed.ptr;
            n = fixed.len;
        }
        rc = nd__jsonl_record(line, n, &r, &root, &scratch, &msg);
        if (rc == ND_OK) {
            add_record(db, &r, line, n);
        } else {
            CHECK(rc == ND_ESYNTAX);
            CHECK(msg.len > 0 && (strstr(msg.ptr, "column") || strstr(msg.ptr, "expected a JSON object")));
        }
        json_decref(r.meta);
        json_decref(root);
        s += len + (nl != NULL);
    }
    nd_buf_free(&msg);
    nd_buf_free(&scratch);
    nd_buf_free(&fixed);
    return 0;
}
