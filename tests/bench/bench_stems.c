/*
 * bench_stems.c — what stems cost a full-text index, apart from the rest of
 * newsdesk's ingest.  The same generated articles (corpus.h, lang "tr" as in
 * bench_store) are loaded, in one process and one transaction each, into
 *   stock: FTS5 with unicode61 remove_diacritics 2;
 *   words: FTS5 with newsdesk's own terms (nd__tokenize), no stems;
 *   stems: the same terms, each with its stems as colocated terms, the way
 *          the store's index holds them.
 * Figures are CPU seconds of this process, the best of three rounds that
 * alternate the sides.  words/stems is the price of stems alone: the store's
 * ingest does all that `words` does and more, so its own ratio of ingest with
 * stems to ingest without can be no better than this one's.
 * A fourth side finds the stems but leaves them out of the index, which
 * splits the price of stems into finding them and indexing them; a fifth
 * indexes words and stems found before the load (untimed), the least work a
 * writer thread fed by tokenizing workers has: with stock's CPU seconds it
 * bounds what pipelining can reach in wall time.
 *
 * usage: build/bench/bench_stems [ARTICLES]   (default 10000)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "corpus.h"
#include "store_internal.h"

static fts5_api *fts;
static nd__folder *folder;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench_stems: %s failed\n", what);
        exit(1);
    }
}

/* ---- the tokenizer "ndterms" ----------------------------------------------
 * newsdesk's terms; with argument "computed" their stems are found too,
 * with "stems" also indexed as colocated terms; with "replay" the terms and
 * stems found before the load (pre[], title and body of each article in
 * order) are indexed, as the store's writer does when worker threads have
 * tokenized the articles. */

typedef struct tok {
    int stems;                  /* 0 none, 1 computed and left out, 2 computed and indexed, 3 replayed */
    nd__terms terms;
} tok;

static nd__terms *pre;
static size_t npre, pre_next;

static int tok_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
    tok *t = calloc(1, sizeof *t);
    (void)ud;
    if (!t)
        return SQLITE_NOMEM;
    t->stems = argc == 0 ? 0 : strcmp(argv[0], "replay") == 0 ? 3 : strcmp(argv[0], "stems") == 0 ? 2
             : strcmp(argv[0], "computed") == 0;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    tok *t = (tok *)p;
    nd__terms_free(&t->terms);
    free(t);
}

typedef int (*token_fn)(void *, int, const char *, int, int, int);

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n, token_fn emit)
{
    tok *t = (tok *)p;
    size_t i;
    int rc = SQLITE_OK, query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    const nd__terms *terms = &t->terms;
    if (t->stems == 3 && !query) {
        check(pre_next < npre, "replay");
        terms = &pre[pre_next++];
    } else {
        nd__terms_clear(&t->terms);
        if (nd__tokenize(folder, &t->terms, text, (size_t)n, t->stems && !query ? ND__LANG_TR : -1) != ND_OK)
            return SQLITE_NOMEM;
    }
    for (i = 0; rc == SQLITE_OK && i < terms->n; i++) {
        const nd__term *m = &terms->v[i];
        const char *s = terms->text.ptr + m->soff, *end;
        rc = emit(ctx, 0, terms->text.ptr + m->off, (int)m->len, (int)m->start, (int)m->stop);
        end = t->stems >= 2 ? s + m->slen : s;
        while (rc == SQLITE_OK && s < end) {   /* the stems, tab-separated, as the store's index has them */
            const char *e = memchr(s, '\t', (size_t)(end - s));
            e = e ? e : end;
            rc = emit(ctx, FTS5_TOKEN_COLOCATED, s, (int)(e - s), (int)m->start, (int)m->stop);
            s = e + 1;
        }
    }
    return rc;
}

static sqlite3 *open_db(const char *path, const char *tokenize)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[300];
    fts5_tokenizer tk = { tok_create, tok_delete, tok_tokenize };
    check(sqlite3_open(path, &db) == SQLITE_OK, "open");
    check(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK, "fts5 api");
    sqlite3_bind_pointer(st, 1, &fts, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    check(fts && fts->xCreateTokenizer(fts, "ndterms", NULL, &tk, NULL) == SQLITE_OK, "tokenizer");
    if (tokenize) {
        snprintf(sql, sizeof sql,
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;"
                 "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = '%s')", tokenize);
        check(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "schema");
    }
    return db;
}

typedef struct corpus {
    nd_buf text;
    size_t n, *title, *title_len, *body, *body_len;
} corpus;

/* Load the corpus into a new FTS5 table; CPU seconds. */
static double load(const corpus *c, const char *path, const char *tokenize)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    size_t i;
    double t;
    remove(path);
    db = open_db(path, tokenize);
    check(sqlite3_prepare_v2(db, "INSERT INTO docs(title, body) VALUES(?1, ?2)", -1, &st, NULL) == SQLITE_OK,
          "insert");
    pre_next = 0;
    t = cpu_now();
    check(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK, "begin");
    for (i = 0; i < c->n; i++) {
        sqlite3_bind_text(st, 1, c->text.ptr + c->title[i], (int)c->title_len[i], SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->text.ptr + c->body[i], (int)c->body_len[i], SQLITE_STATIC);
        check(sqlite3_step(st) == SQLITE_DONE, "insert step");
        sqlite3_reset(st);
    }
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK, "commit");
    t = cpu_now() - t;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

static long long index_tokens(const char *path)
{
    sqlite3 *db = open_db(path, NULL);
    sqlite3_stmt *st;
    long long n = 0;
    check(sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, docs, 'row')", NULL, NULL, NULL)
          == SQLITE_OK, "vocab");
    check(sqlite3_prepare_v2(db, "SELECT sum(cnt) FROM temp.v", -1, &st, NULL) == SQLITE_OK, "vocab sum");
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000, i;
    char dir[] = "/tmp/nd-bench-stems-XXXXXX", p_stock[200], p_words[200], p_comp[200], p_stems[200],
        p_replay[200];
    double best[5] = { 1e30, 1e30, 1e30, 1e30, 1e30 };
    static const char *const tokenizers[5] = {
        "unicode61 remove_diacritics 2", "ndterms", "ndterms computed", "ndterms stems", "ndterms replay" };
    const char *paths[5] = { p_stock, p_words, p_comp, p_stems, p_replay };
    long long ntok[5];
    uint64_t state = 7;
    corpus c;
    int r, k;

    check(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(p_stock, sizeof p_stock, "%s/stock.db", dir);
    snprintf(p_words, sizeof p_words, "%s/words.db", dir);
    snprintf(p_comp, sizeof p_comp, "%s/computed.db", dir);
    snprintf(p_stems, sizeof p_stems, "%s/stems.db", dir);
    snprintf(p_replay, sizeof p_replay, "%s/replay.db", dir);
    check(nd__folder_new(&folder) == ND_OK, "folder");
    memset(&c, 0, sizeof c);
    c.n = n;
    c.title = malloc(n * sizeof *c.title);
    c.title_len = malloc(n * sizeof *c.title_len);
    c.body = malloc(n * sizeof *c.body);
    c.body_len = malloc(n * sizeof *c.body_len);
    check(c.title && c.title_len && c.body && c.body_len, "memory");
    for (i = 0; i < n; i++) {
        size_t at = c.text.len, tl, len = nd_bench_article(&c.text, &state, &tl);
        c.title[i] = at;
        c.title_len[i] = tl;
        c.body[i] = at + tl;
        c.body_len[i] = len - tl;
    }
    npre = 2 * n;               /* the terms of each title and body, found before the load */
    pre = calloc(npre, sizeof *pre);
    check(pre != NULL, "memory");
    for (i = 0; i < n; i++) {
        check(nd__tokenize(folder, &pre[2 * i], c.text.ptr + c.title[i], c.title_len[i], ND__LANG_TR) == ND_OK &&
              nd__tokenize(folder, &pre[2 * i + 1], c.text.ptr + c.body[i], c.body_len[i], ND__LANG_TR) == ND_OK,
              "tokenize");
    }
    for (r = 0; r < 3; r++)
        for (k = 0; k < 5; k++) {
            int side = (k + r) % 5;
            double t = load(&c, paths[side], tokenizers[side]);
            best[side] = t < best[side] ? t : best[side];
        }
    for (k = 0; k < 5; k++)
        ntok[k] = index_tokens(paths[k]);
    check(ntok[4] == ntok[3], "the same index replayed");
    printf("load %zu articles (%.2f KB each) into FTS5, articles per CPU second (best of 3):\n", n,
           (double)c.text.len / (double)n / 1024);
    printf("  stock unicode61: %.0f (%lld index tokens)\n", (double)n / best[0], ntok[0]);
    printf("  newsdesk's words, no stems: %.0f (%lld tokens), %.2f of stock\n", (double)n / best[1], ntok[1],
           best[0] / best[1]);
    printf("  newsdesk's words, stems found but not indexed: %.0f, %.2f of stock\n", (double)n / best[2],
           best[0] / best[2]);
    printf("  newsdesk's words and stems: %.0f (%lld tokens, %.2f of stock's), %.2f of stock\n",
           (double)n / best[3], ntok[3], (double)ntok[3] / (double)ntok[0], best[0] / best[3]);
    printf("  with stems / without: %.2f (issue 15's ingest goal: >= 0.90); per article, finding the stems"
           " %.1f us, indexing them %.1f us (differences of best times: noise can make one negative)\n",
           best[1] / best[3], 1e6 * (best[2] - best[1]) / (double)n, 1e6 * (best[3] - best[2]) / (double)n);
    printf("  words and stems found beforehand, indexed alone (an ingest writer thread's least work): %.0f,"
           " %.2f of stock\n", (double)n / best[4], best[0] / best[4]);

    for (i = 0; i < npre; i++)
        nd__terms_free(&pre[i]);
    free(pre);
    nd_buf_free(&c.text);
    free(c.title); free(c.title_len); free(c.body); free(c.body_len);
    nd__folder_free(folder);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_stems: could not remove %s\n", dir);
    }
    return 0;
}
