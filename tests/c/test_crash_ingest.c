/*
 * test_crash_ingest.c — crash safety of the ingest.  A child process
 * ingests a JSON Lines feed from standard input into a store file,
 * reporting through a pipe the article count of every progress call (the
 * ingest calls it after each committed batch).  The parent writes a random
 * part of the feed into the child's input and keeps the writing end open,
 * so the child can never reach the end of its input: every kill lands
 * mid-ingest, whatever the machine's speed.  Then it kills the child with
 * SIGKILL after a random 0-100 ms (the child is still working through what
 * the pipe holds, or waiting for more), CRASHES times.  After every kill:
 *  - PRAGMA integrity_check is "ok" and the full-text index is consistent;
 *  - every article the child reported as committed is present (the feed is
 *    read in order, so the first N titles);
 *  - no article is stored twice.
 * Each child resumes the same store (what a user does: run it again); every
 * tenth kill the store starts over, so kills keep landing in busy writing.
 * At the end one uninterrupted run completes the set: every article present
 * once, the rest duplicates.
 *   ND_CRASHES=N overrides the number of kills (default 50; 10 under
 *   valgrind, ND_VALGRIND=1, where the kill comes after 0.1-1 s instead).
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "hard_util.h"
#include "store_internal.h"   /* nd_store_query & co.: statements on the connection */
#include "tap.h"

#define NARTICLES 6000
#define BATCH 40

static int report_fd = -1;

static int on_progress(void *ud, const nd_ingest_progress *p)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%llu\n", (unsigned long long)p->articles);
    (void)ud;
    if (write(report_fd, line, (size_t)n) != n)
        return 1;
    return 0;
}

/* The child: ingest standard input (the read end `in` of the feed pipe)
 * into dbpath, reporting progress on fd. */
static void child(const char *dbpath, int in, int fd)
{
    nd_ingest_opts o;
    report_fd = fd;
    if (dup2(in, STDIN_FILENO) < 0)
        _exit(2);
    close(in);
    nd_ingest_opts_init(&o);
    o.batch = BATCH;
    o.progress = on_progress;
    _exit(hu_ingest(dbpath, "-", &o) == ND_OK ? 0 : 1);
}

/* Write the first n lines of the feed text f[0..len) to fd; 0 when all of
 * them were written. */
static int feed_lines(int fd, const char *f, size_t len, unsigned long n)
{
    size_t end = 0;
    while (n > 0 && end < len) {
        const char *nl = memchr(f + end, '\n', len - end);
        end = nl ? (size_t)(nl - f) + 1 : len;
        n--;
    }
    return hu_write_all(fd, f, end);
}

/* Read the pipe to its end; return the last number written (0 if none). */
static unsigned long long last_report(int fd)
{
    char buf[4096], num[32];
    size_t nl = 0;
    unsigned long long last = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
        ssize_t i;
        for (i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                num[nl] = '\0';
                last = strtoull(num, NULL, 10);
                nl = 0;
            } else if (nl + 1 < sizeof num) {
                num[nl++] = buf[i];
            }
        }
    }
    return last;
}

static int fts_consistent(const char *dbpath)
{
    nd_store *db = NULL;
    int okay = nd_store_open(&db, dbpath, 0) == ND_OK &&
               sqlite3_exec(nd_store_sqlite(db),
                            "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')",
                            NULL, NULL, NULL) == SQLITE_OK;
    if (!okay)
        printf("#   FTS integrity-check: %s\n", nd_store_errmsg(db));
    nd_store_close(db);
    return okay;
}

int main(void)
{
    char dir[256], dbpath[300], feed[300], q[200];
    const char *env = getenv("ND_CRASHES");
    int slow = getenv("ND_VALGRIND") && strcmp(getenv("ND_VALGRIND"), "1") == 0;
    int crashes = env ? atoi(env) : slow ? 10 : 50, k, bad_integrity = 0, lost = 0, dups = 0, killed = 0, unborn = 0;
    unsigned long long max_reported = 0;
    nd_store *db = NULL;
    nd_ingest_stats st = ND_INGEST_STATS_INIT;
    nd_ingest_opts o;
    char *text;
    size_t textlen;

    hu_tmpdir(dir, "crash");
    snprintf(dbpath, sizeof dbpath, "%s/store.db", dir);
    snprintf(feed, sizeof feed, "%s/feed.jsonl", dir);
    hu_write_feed(feed, 0, NARTICLES);
    text = hu_read_file(feed, &textlen);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    signal(SIGPIPE, SIG_IGN);            /* a child that died early fails its write, not us */

    for (k = 0; k < crashes; k++) {
        int fds[2], in[2], status;
        unsigned long long reported;
        long long have, below;
        pid_t pid;
        if (pipe(fds) != 0 || pipe(in) != 0)
            return 2;
        if (k % 10 == 9) {                /* start over now and then */
            char p2[320];
            unlink(dbpath);
            snprintf(p2, sizeof p2, "%s-wal", dbpath);
            unlink(p2);
            snprintf(p2, sizeof p2, "%s-shm", dbpath);
            unlink(p2);
        }
        fflush(stdout);
        if ((pid = fork()) == 0) {
            close(fds[0]);
            close(in[1]);
            child(dbpath, in[0], fds[1]);
        }
        close(fds[1]);
        close(in[0]);
        /* The pipe holds at most 64 KB, so once these writes return the
         * child has read all but the last few hundred lines of them. */
        feed_lines(in[1], text, textlen, 50 + (unsigned long)rand() % 2000);
        usleep(slow ? (useconds_t)(100000 + rand() % 900000) : (useconds_t)(rand() % 100000));
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(in[1]);                     /* only now: the child never saw the end of its input */
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            killed++;
        else
            printf("#   kill %d: the child ended by itself (status %d)\n", k, status);
        reported = last_report(fds[0]);
        close(fds[0]);
        if (reported > max_reported)
            max_reported = reported;
        if (access(dbpath, F_OK) != 0) {
            unborn++;                     /* killed before it created the store file */
            continue;
        }
        if (!hu_integrity_ok(dbpath) || !fts_consistent(dbpath)) {
            bad_integrity++;
            continue;
        }
        have = hu_sql_int(dbpath, "SELECT count(*) FROM articles");
        snprintf(q, sizeof q, "Haber %06llu", reported);
        below = hu_sql_int2(dbpath, "SELECT count(*) FROM articles WHERE title < ?1", q, NULL);
        if (have >= 0 && (unsigned long long)below < reported) {
            lost++;
            printf("#   kill %d: %llu reported committed, only %lld of them stored\n", k, reported, below);
        }
        if (hu_sql_int(dbpath, "SELECT count(*) - count(DISTINCT title) FROM articles") != 0)
            dups++;
    }
    free(text);
    is_int(killed, crashes, "every ingest was killed mid-way: none reached the end of its input");
    ok(unborn < crashes / 2, "most kills found a store to check (%d came before the store file existed)", unborn);
    ok(bad_integrity == 0, "integrity_check and FTS integrity-check pass after each kill");
    ok(lost == 0, "every batch reported as committed is present after each kill");
    ok(dups == 0, "no article stored twice after any kill");
    ok(max_reported > 0, "some kills came after committed batches (up to %llu articles reported)", max_reported);

    nd_ingest_opts_init(&o);
    o.batch = BATCH;
    ok(nd_store_open(&db, dbpath, 0) == ND_OK && nd_ingest_path(db, feed, &o, &st) == ND_OK,
       "re-running the ingest completes");
    is_int(st.added + st.duplicates, NARTICLES, "every article is either added or a duplicate on the re-run");
    nd_store_close(db);
    is_int(hu_sql_int(dbpath, "SELECT count(*) FROM articles"), NARTICLES, "the store holds the whole feed");
    is_int(hu_sql_int(dbpath, "SELECT count(DISTINCT title) FROM articles"), NARTICLES, "each article once");
    ok(hu_integrity_ok(dbpath), "integrity_check after the final run");
    nd_ingest_stats_free(&st);
    hu_rmdir(dir);
    return tap_done();
}
