/*
 * fuzz_fts.c — libFuzzer target for the full-text tokenizer, reached the
 * way SQLite reaches it: through the FTS5 API of an in-memory store's
 * connection ("newsdesk" tokenizer).  Invariants, for documents and
 * queries:
 *  - every token's [start, end) lies inside the text, in order;
 *  - every term is non-empty valid UTF-8 and already folded (folding it
 *    again changes nothing);
 *  - tokenizing the same text as a document and as a query gives the same
 *    terms (unless it starts with the header byte nd__fts_query writes);
 *  - the text as a search query is accepted or refused with ND_ESYNTAX by
 *    nd_store_query, and an accepted one never fails when run.
 * Then the text is stored as an article (in a language with a stemmer)
 * and a search for its first term finds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "newsdesk.h"
#include "store_internal.h"   /* nd_store_query & co.: statements on the connection */

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct sink {
    size_t len, prev_start, n;
    nd_buf terms;                /* terms joined by NUL */
    nd_buf fold;
    char first[64];
} sink;

static int on_token(void *ud, int flags, const char *tok, int n, int start, int end)
{
    sink *k = ud;
    size_t bad;
    (void)flags;
    CHECK(n > 0 && tok);
    CHECK(start >= 0 && start <= end && (size_t)end <= k->len);
    CHECK((size_t)start >= k->prev_start);
    k->prev_start = (size_t)start;
    CHECK(nd_utf8_check(tok, (size_t)n, &bad) == ND_OK);
    CHECK(nd_text_fold(&k->fold, tok, (size_t)n, 0, NULL) == ND_OK);
    if (!(k->fold.len == (size_t)n && memcmp(k->fold.ptr, tok, (size_t)n) == 0))
        fprintf(stderr, "term %.*s folds to %s\n", n, tok, k->fold.ptr);
    CHECK(k->fold.len == (size_t)n && memcmp(k->fold.ptr, tok, (size_t)n) == 0);
    if (k->n++ == 0 && (size_t)n < sizeof k->first)
        memcpy(k->first, tok, (size_t)n), k->first[n] = '\0';
    CHECK(nd_buf_append(&k->terms, tok, (size_t)n) == ND_OK && nd_buf_append(&k->terms, "", 1) == ND_OK);
    return SQLITE_OK;
}

static void tokenize(fts5_tokenizer *m, Fts5Tokenizer *t, int flags, const char *s, size_t len, sink *k)
{
    memset(k, 0, sizeof *k);
    k->len = len;
    CHECK(m->xTokenize(t, k, flags, s, (int)len, on_token) == SQLITE_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nd_store *db;
    static unsigned runs;
    const char *s = (const char *)data;
    fts5_api *api = NULL;
    fts5_tokenizer m;
    Fts5Tokenizer *t = NULL;
    void *ud = NULL;
    sqlite3_stmt *st = NULL;
    sink a, b;
    size_t bad;

    if (size > 1 << 16)
        return 0;
    if (!db || ++runs % 500 == 0) {
        nd_store_close(db);
        db = NULL;
        CHECK(nd_store_open(&db, NULL, 0) == ND_OK);
    }
    CHECK(sqlite3_prepare_v2(nd_store_sqlite(db), "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    sqlite3_finalize(st);
    CHECK(api && api->xFindTokenizer(api, "newsdesk", &ud, &m) == SQLITE_OK);
    CHECK(m.xCreate(ud, NULL, 0, &t) == SQLITE_OK);
    tokenize(&m, t, FTS5_TOKENIZE_DOCUMENT, s, size, &a);
    tokenize(&m, t, FTS5_TOKENIZE_QUERY, s, size, &b);
    CHECK((size && s[0] == '\x01') ||
          (a.terms.len == b.terms.len && (a.terms.len == 0 || memcmp(a.terms.ptr, b.terms.ptr, a.terms.len) == 0)));
    m.xDelete(t);
    {
        nd_query q;
        int rc;
        memset(&q, 0, sizeof q);
        q.match.ptr = s;
        q.match.len = size;
        q.exact = size % 3 == 0;
        q.derive = (int)(size % 4);
        rc = nd_store_query(db, &q, 0, &st);
        CHECK(rc == ND_OK || rc == ND_ESYNTAX);
        if (rc == ND_OK) {
            while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                ;
            if (rc != SQLITE_DONE)
                fprintf(stderr, "query ran into: %s\n", sqlite3_errmsg(nd_store_sqlite(db)));
            CHECK(rc == SQLITE_DONE);
        }
        sqlite3_finalize(st);
        st = NULL;
    }

    if (nd_utf8_check(s, size, &bad) == ND_OK && a.first[0]) {
        nd_article art;
        nd_query q;
        int64_t id = 0, got = 0;
        int status;
        memset(&art, 0, sizeof art);
        art.title.ptr = "fuzz";
        art.title.len = 4;
        art.body.ptr = s;
        art.body.len = size;
        art.lang.ptr = (const char *[]){ "tr", "ru", "de", "en", "xx" }[size % 5];
        art.lang.len = 2;
        CHECK(nd_store_add(db, &art, &id, &status) == ND_OK);
        memset(&q, 0, sizeof q);
        /* the term as a phrase: FTS5 query syntax cannot misread it */
        {
            nd_buf phrase = ND_BUF_INIT;
            size_t i;
            CHECK(nd_buf_append(&phrase, "\"", 1) == ND_OK);
            for (i = 0; a.first[i]; i++)
                CHECK(nd_buf_append(&phrase, &a.first[i], 1) == ND_OK &&
                      (a.first[i] != '"' || nd_buf_append(&phrase, "\"", 1) == ND_OK));
            CHECK(nd_buf_append(&phrase, "\"", 1) == ND_OK);
            q.match.ptr = phrase.ptr;
            q.match.len = phrase.len;
            q.ids = &id;
            q.nids = 1;
            if (nd_store_query(db, &q, 0, &st) != ND_OK)
                fprintf(stderr, "query %s: %s\n", phrase.ptr, nd_store_errmsg(db));
            CHECK(st != NULL);
            while (sqlite3_step(st) == SQLITE_ROW)
                if (sqlite3_column_int64(st, ND_COL_ID) == id)
                    got = id;
            sqlite3_finalize(st);
            if (got != id)
                fprintf(stderr, "search %s did not find article %lld\n", phrase.ptr, (long long)id);
            CHECK(got == id);
            nd_buf_free(&phrase);
        }
    }
    nd_buf_free(&a.terms);
    nd_buf_free(&a.fold);
    nd_buf_free(&b.terms);
    nd_buf_free(&b.fold);
    return 0;
}
