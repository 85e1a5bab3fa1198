/* nd_store_merge: two shard files combined into a third through the C API
 * (duplicates, near-duplicates across shards, mentions, the index), run
 * twice, inside a caller's transaction, stopped by progress, and the
 * errors that name the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "newsdesk.h"
#include "store_internal.h"
#include "tap.h"

#define S(lit) ((nd_str){ lit, sizeof(lit) - 1 })

static const char STORY[] =
    "Talks between Ankara and Moscow on Tuesday focused on regional security, energy supplies and the "
    "grain corridor across the Black Sea. Officials from both sides said the meeting was constructive "
    "and that a further round would follow in the spring, after technical teams have met in Istanbul "
    "to settle the remaining questions about transit fees and insurance for the ships involved.";

static char dir[] = "/tmp/nd_test_merge_XXXXXX";

static const char *file(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static int64_t add(nd_store *db, const char *title, const char *body, const char *ruleset)
{
    nd_article a;
    nd_mention m;
    int64_t id = -1;
    int status;
    memset(&a, 0, sizeof a);
    a.title = (nd_str){ title, strlen(title) };
    a.body = (nd_str){ body, strlen(body) };
    a.date = S("2024-11-05");
    if (nd_store_add(db, &a, &id, &status) != ND_OK) {
        printf("# add failed: %s\n", nd_store_errmsg(db));
        return -1;
    }
    if (ruleset) {
        memset(&m, 0, sizeof m);
        m.type = S("PLACE");
        m.entity = S("ankara");
        m.text = S("Ankara");
        m.field = S("body");
        m.start = 14;
        m.stop = 20;
        if (nd_store_put_mentions(db, id, (nd_str){ ruleset, strlen(ruleset) }, &m, 1) != ND_OK)
            printf("# put_mentions failed: %s\n", nd_store_errmsg(db));
    }
    return id;
}

static long long scalar(nd_store *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(nd_store_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
        return -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int stop_at_first(void *ud, const nd_merge_progress *p)
{
    (void)p;
    ++*(int *)ud;
    return 1;
}

int main(void)
{
    nd_store *a = NULL, *b = NULL, *out = NULL, *ro = NULL;
    nd_merge_stats st;
    nd_merge_opts o;
    char near[sizeof STORY + 64];
    int calls = 0, rc;

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    /* shard a: the story (tagged) and another; shard b: the same story
     * again (tagged), a republished copy of it, and one of its own */
    snprintf(near, sizeof near, "Haberi Paylaş. %s", STORY);
    ok(nd_store_open(&a, file("a.db"), 0) == ND_OK, "open shard a");
    ok(nd_store_open(&b, file("b.db"), 0) == ND_OK, "open shard b");
    add(a, "Ankara and Moscow", STORY, "rules-1");
    add(a, "Weather", "Rain is expected in the north on Thursday, with snow on higher ground later.", NULL);
    add(b, "Ankara and Moscow", STORY, "rules-1");
    add(b, "Ankara and Moscow (copy)", near, "rules-1");
    add(b, "Berlin", "Berlin hosted a meeting of foreign ministers on Friday about trade.", "rules-2");
    nd_store_close(a);
    nd_store_close(b);

    ok(nd_store_open(&out, file("out.db"), 0) == ND_OK, "open the output");
    memset(&st, 0, sizeof st);
    rc = nd_store_merge(out, file("a.db"), NULL, &st);
    is_int(rc, ND_OK, "merge shard a");
    rc = nd_store_merge(out, file("b.db"), NULL, &st);
    is_int(rc, ND_OK, "merge shard b");
    is_int(st.articles, 5, "five articles read");
    is_int(st.added, 4, "four stored");
    is_int(st.duplicates, 1, "the story in both shards is stored once");
    is_int(st.near_duplicates, 1, "the republished copy is a near-duplicate");
    is_int(st.tagged, 3, "three tagging records carried (the duplicate's was already there)");
    is_int(st.mentions, 3, "with their mentions");
    is_int(scalar(out, "SELECT count(*) FROM articles"), 4, "four articles in the output");
    is_int(scalar(out, "SELECT count(*) FROM articles WHERE duplicate_of = "
                       "(SELECT id FROM articles WHERE title = 'Ankara and Moscow')"), 1,
           "the copy from shard b points at the story from shard a");
    is_int(scalar(out, "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
                       " WHERE a.title = 'Berlin' AND m.ruleset = 'rules-2'"), 1,
           "a mention lands on its article under its rule set");
    is_int(scalar(out, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'insurance'"), 2,
           "the full-text index covers the merged articles");

    memset(&st, 0, sizeof st);
    ok(nd_store_merge(out, file("a.db"), NULL, &st) == ND_OK && nd_store_merge(out, file("b.db"), NULL, &st) == ND_OK,
       "merging both again succeeds");
    ok(st.added == 0 && st.tagged == 0 && st.mentions == 0 && st.duplicates == 5, "and adds nothing");
    is_int(scalar(out, "SELECT count(*) FROM mentions"), 3, "no mention twice");

    /* inside the caller's transaction: rolled back with it */
    ok(nd_store_open(&b, file("c.db"), 0) == ND_OK, "open a third store");
    memset(&st, 0, sizeof st);
    ok(nd_store_begin(b) == ND_OK, "begin");
    is_int(nd_store_merge(b, file("b.db"), NULL, &st), ND_OK, "merge inside the transaction");
    ok(nd_store_rollback(b) == ND_OK, "roll back");
    is_int(scalar(b, "SELECT count(*) FROM articles"), 0, "the merge went with the transaction");

    /* progress can stop it */
    memset(&o, 0, sizeof o);
    o.progress = stop_at_first;
    o.progress_ud = &calls;
    memset(&st, 0, sizeof st);
    rc = nd_store_merge(b, file("b.db"), &o, &st);
    ok(rc == ND_ERROR && calls == 1, "a progress callback returning non-zero stops the merge");
    is_str(nd_store_errmsg(b), "interrupted", "with \"interrupted\"");
    nd_store_close(b);

    /* errors name the file */
    rc = nd_store_merge(out, file("missing.db"), NULL, &st);
    ok(rc != ND_OK && strstr(nd_store_errmsg(out), file("missing.db")) != NULL,
       "a missing file fails, naming it (%s)", nd_store_errmsg(out));
    {
        FILE *f = fopen(file("text.db"), "w");
        fputs("this is not a database, only some text that is long enough to look like a page header\n", f);
        fclose(f);
    }
    rc = nd_store_merge(out, file("text.db"), NULL, &st);
    ok(rc != ND_OK && strncmp(nd_store_errmsg(out), file("text.db"), strlen(file("text.db"))) == 0,
       "a file that is not a store fails, naming it (%s)", nd_store_errmsg(out));
    rc = nd_store_merge(out, file("out.db"), NULL, &st);
    ok(rc == ND_EINVAL && strstr(nd_store_errmsg(out), "into itself") != NULL, "a store cannot merge itself");
    ok(nd_store_open(&ro, file("out.db"), ND_OPEN_READONLY) == ND_OK, "open the output read-only");
    is_int(nd_store_merge(ro, file("a.db"), NULL, &st), ND_EINVAL, "a read-only store refuses to merge");
    nd_store_close(ro);
    is_int(scalar(out, "SELECT count(*) FROM articles"), 4, "failed merges changed nothing");
    nd_store_close(out);

    {
        static const char *const names[] = { "a.db", "b.db", "c.db", "out.db", "text.db" };
        size_t i;
        char extra[300];
        for (i = 0; i < sizeof names / sizeof names[0]; i++) {
            unlink(file(names[i]));
            snprintf(extra, sizeof extra, "%s-wal", file(names[i]));
            unlink(extra);
            snprintf(extra, sizeof extra, "%s-shm", file(names[i]));
            unlink(extra);
        }
        rmdir(dir);
    }
    return tap_done();
}
