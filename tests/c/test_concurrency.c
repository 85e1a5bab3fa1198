/*
 * test_concurrency.c — readers and a second writer while an ingest writes.
 * A child ingests a generated feed into a store file in small batches;
 * meanwhile another child adds articles one transaction at a time through
 * its own handle (it must wait for the write lock, not fail), and the
 * parent keeps reading: counts, full-text searches with snippets, walking
 * every row, fetching bodies, through read-write and read-only handles,
 * reopening now and then.  No read may fail ("database is locked" or
 * anything else).  Also: two processes opening a store file that does not
 * exist yet both succeed (the schema is created once).
 */
#include <signal.h>
#include <sys/wait.h>

#include "hard_util.h"
#include "store_internal.h"   /* nd_store_query & co.: statements on the connection */
#include "tap.h"

#define NARTICLES 3000
#define NEXTRA 150

static void ingest_child(const char *dbpath, const char *feed)
{
    nd_ingest_opts o;
    nd_ingest_opts_init(&o);
    o.batch = 25;
    _exit(hu_ingest(dbpath, feed, &o) == ND_OK ? 0 : 1);
}

/* Add NEXTRA articles, each in its own transaction; exit status = failures. */
static void writer_child(const char *dbpath, int start)
{
    nd_store *db = NULL;
    int i, fails = 0;
    char title[160], body[320], w[64];
    if (nd_store_open(&db, dbpath, 0) != ND_OK) {
        fprintf(stderr, "second writer: open: %s\n", nd_store_errmsg(db));
        _exit(100);
    }
    for (i = 0; i < NEXTRA; i++) {
        nd_article a;
        int64_t id;
        int status, rc;
        memset(&a, 0, sizeof a);
        hu_word(w, sizeof w, (unsigned long)(start + i) * 7 + 3);
        snprintf(title, sizeof title, "Ek haber %d %s", start + i, w);
        snprintf(body, sizeof body, "İkinci yazar %s %d ekledi; okuyucular beklemeden okur.", w, start + i);
        a.title.ptr = title;
        a.title.len = strlen(title);
        a.body.ptr = body;
        a.body.len = strlen(body);
        rc = nd_store_begin(db);
        if (rc == ND_OK)
            rc = nd_store_add(db, &a, &id, &status);
        if (rc == ND_OK)
            rc = nd_store_commit(db);
        else
            nd_store_rollback(db);
        if (rc != ND_OK) {
            fprintf(stderr, "second writer: %s\n", nd_store_errmsg(db));
            fails++;
        }
    }
    nd_store_close(db);
    _exit(fails > 99 ? 99 : fails);
}

/* One round of reading; returns the number of failures (printed). */
static int read_round(nd_store *db, int round)
{
    nd_query q;
    sqlite3_stmt *st = NULL;
    nd_buf body = ND_BUF_INIT;
    int fails = 0, rc, isnull;
    int64_t first = 0;

    memset(&q, 0, sizeof q);
    rc = nd_store_query(db, &q, 1, &st);
    if (rc != ND_OK || sqlite3_step(st) != SQLITE_ROW)
        fails++, printf("#   count (round %d): %s\n", round, nd_store_errmsg(db));
    sqlite3_finalize(st);

    q.match.ptr = round % 2 ? "haber" : "ajans";
    q.match.len = 5;
    q.order = ND_ORDER_RANK;
    q.mark_open.ptr = "[";
    q.mark_open.len = 1;
    q.mark_close.ptr = "]";
    q.mark_close.len = 1;
    q.limit = 20;
    rc = nd_store_query(db, &q, 0, &st);
    if (rc == ND_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (rc != SQLITE_DONE)
            fails++, printf("#   search (round %d): %s\n", round, sqlite3_errmsg(nd_store_sqlite(db)));
    } else {
        fails++, printf("#   search (round %d): %s\n", round, nd_store_errmsg(db));
    }
    sqlite3_finalize(st);

    memset(&q, 0, sizeof q);                     /* walk every row, like db:articles() */
    rc = nd_store_query(db, &q, 0, &st);
    if (rc == ND_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            if (!first)
                first = sqlite3_column_int64(st, ND_COL_ID);
        if (rc != SQLITE_DONE)
            fails++, printf("#   walk (round %d): %s\n", round, sqlite3_errmsg(nd_store_sqlite(db)));
    } else {
        fails++, printf("#   walk (round %d): %s\n", round, nd_store_errmsg(db));
    }
    sqlite3_finalize(st);
    if (first && nd_store_field(db, first, "body", &body, &isnull) != ND_OK)
        fails++, printf("#   body (round %d): %s\n", round, nd_store_errmsg(db));
    nd_buf_free(&body);
    return fails;
}

static int running(pid_t pid, int *status)
{
    return waitpid(pid, status, WNOHANG) == 0;
}

int main(void)
{
    char dir[256], dbpath[300], feed[300], fresh[300];
    nd_store *db = NULL, *ro = NULL;
    pid_t ing, wr, a, b;
    int sing = 0, swr = 0, sa = 0, sb = 0, rounds = 0, fails = 0, ing_done = 0, wr_done = 0;

    hu_tmpdir(dir, "conc");
    snprintf(dbpath, sizeof dbpath, "%s/store.db", dir);
    snprintf(feed, sizeof feed, "%s/feed.jsonl", dir);
    snprintf(fresh, sizeof fresh, "%s/fresh.db", dir);
    hu_write_feed(feed, 0, NARTICLES);

    /* two processes create the same new store at once */
    fflush(stdout);
    if ((a = fork()) == 0)
        writer_child(fresh, 0);
    if ((b = fork()) == 0)
        writer_child(fresh, 1000);
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    {
        int both = WIFEXITED(sa) && WEXITSTATUS(sa) == 0 && WIFEXITED(sb) && WEXITSTATUS(sb) == 0;
        long long n = hu_sql_int(fresh, "SELECT count(*) FROM articles");
        ok(both, "two processes opening a new store file at once both open it and add");
        is_int(n, 2 * NEXTRA, "both sets of articles stored");
    }

    ok(nd_store_open(&db, dbpath, 0) == ND_OK, "create the store");
    if ((ing = fork()) == 0)
        ingest_child(dbpath, feed);
    if ((wr = fork()) == 0)
        writer_child(dbpath, 5000);
    ok(nd_store_open(&ro, dbpath, ND_OPEN_READONLY) == ND_OK, "a read-only handle beside the writers");
    while (!ing_done || !wr_done) {
        fails += read_round(db, rounds);
        fails += read_round(ro, rounds);
        rounds++;
        if (rounds % 10 == 0) {                  /* a reader that comes and goes */
            nd_store_close(db);
            if (nd_store_open(&db, dbpath, 0) != ND_OK)
                fails++, printf("#   reopen: %s\n", nd_store_errmsg(db));
        }
        if (!ing_done && !running(ing, &sing))
            ing_done = 1;
        if (!wr_done && !running(wr, &swr))
            wr_done = 1;
    }
    ok(fails == 0, "%d read rounds while the ingest and a second writer worked: no read failed", rounds);
    ok(rounds > 1, "the readers really ran beside the writers");
    ok(WIFEXITED(sing) && WEXITSTATUS(sing) == 0, "the ingest finished");
    ok(WIFEXITED(swr) && WEXITSTATUS(swr) == 0, "the second writer waited for the lock each time (%d failures)",
       WIFEXITED(swr) ? WEXITSTATUS(swr) : -1);
    nd_store_close(db);
    nd_store_close(ro);
    is_int(hu_sql_int(dbpath, "SELECT count(*) FROM articles"), NARTICLES + NEXTRA, "every article of both writers stored");
    ok(hu_integrity_ok(dbpath), "integrity_check");
    hu_rmdir(dir);
    return tap_done();
}
