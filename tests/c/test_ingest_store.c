/* nd_ingest_path into a real (in-memory) store: counts, errors with file
 * and line, re-runs, and allocation failure at every step. */
#include <stdlib.h>
#include <string.h>

#include "newsdesk.h"
#include "tap.h"
#include "alloc_fail.h"

#define D "tests/data/ingest/"

static const char *const paths[] = { D "feed.jsonl", D "broken.csv", D "page_tr.txt", D "page_cp1254.txt" };

/* One whole ingest into a fresh in-memory store. */
static int ingest_op(void)
{
    nd_store *db = NULL;
    nd_ingest_stats st = ND_INGEST_STATS_INIT;
    int rc = nd_store_open(&db, NULL, 0);
    if (rc == ND_OK)
        rc = nd_ingest_paths(db, paths, 4, NULL, &st);
    nd_ingest_stats_free(&st);
    nd_store_close(db);
    return rc;
}

/* Rules and the extractor on a two-article page held in memory. */
static int extract_op(void)
{
    static const char page[] =
        "Birinci haberin başlığı burada\n\n12.03.2024, Sal - 09:15\n\nBirinci haberin başlığı burada\n"
        "Haberi Paylaş\n\nBirinci haberin paragrafı burada bitiyor.\n\nAnadolu Ajansı\n"
        "xMart 13, 2024\n\nİkinci başlık da burada\n\nİkinci başlık da burada\n\nİkinci haberin paragrafı da kısa tutuldu.\n";
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    size_t n;
    int rc = nd_boilerplate_new(&bp);
    if (rc == ND_OK)
        rc = nd_boilerplate_add(bp, ND_BP_EXACT, "Haberi Paylaş", strlen("Haberi Paylaş"), ND_BP_DROP);
    if (rc == ND_OK)
        rc = nd_boilerplate_add(bp, ND_BP_EXACT, "Anadolu Ajansı", strlen("Anadolu Ajansı"), ND_BP_SOURCE);
    if (rc == ND_OK)
        rc = nd_extractor_new(&ex, bp);
    if (rc == ND_OK)
        rc = nd_extract_page(ex, page, sizeof page - 1, NULL, &n);
    if (rc == ND_OK && n != 2)
        rc = ND_ERROR;
    nd_extractor_free(ex);
    nd_boilerplate_free(bp);
    return rc;
}

static int count_progress(void *ud, const nd_ingest_progress *p)
{
    (void)p;
    ++*(int *)ud;
    return 0;
}

int main(void)
{
    nd_store *db = NULL;
    nd_ingest_stats st = ND_INGEST_STATS_INIT;
    nd_ingest_opts o;
    int rc, calls = 0;

    ok(nd_store_open(&db, NULL, 0) == ND_OK, "in-memory store");
    nd_ingest_opts_init(&o);
    o.progress = count_progress;
    o.progress_ud = &calls;
    rc = nd_ingest_paths(db, paths, 2, &o, &st);
    is_int(rc, ND_OK, "ingest a JSON Lines file and a broken CSV");
    is_int(st.files, 2, "two files");
    is_int(st.added, 7, "five + two articles");
    is_int(st.rejected, 4, "two bad lines and two bad rows");
    is_int(st.nerrors, 4, "four errors");
    if (st.nerrors == 4) {
        is_str(st.errors[0].file, D "feed.jsonl", "first error names the file");
        is_int(st.errors[0].line, 5, "and line 5");
        is_str(st.errors[2].file, D "broken.csv", "third error names the CSV");
        is_int(st.errors[2].line, 3, "and line 3");
    }
    ok(calls >= 2, "progress called for each file");
    rc = nd_ingest_path(db, D "feed.jsonl", NULL, &st);
    ok(rc == ND_OK && st.added == 7 && st.duplicates == 5, "a re-run adds nothing: counters add up");
    nd_ingest_stats_free(&st);
    rc = nd_ingest_path(db, D "nothing-here.jsonl", NULL, &st);
    ok(rc == ND_ENOTFOUND && st.errmsg && strstr(st.errmsg, "nothing-here.jsonl"), "a missing path: ND_ENOTFOUND naming it");
    nd_ingest_stats_free(&st);
    o.encoding = "no-such-encoding";
    rc = nd_ingest_path(db, D "feed.jsonl", &o, &st);
    ok(rc == ND_EINVAL && st.errmsg && strstr(st.errmsg, "no-such-encoding"), "an unknown encoding is refused");
    nd_ingest_stats_free(&st);
    nd_store_close(db);

    /* every allocation fails in turn: an error code, no crash, no leak */
    af_every_n("extract a page", extract_op, 2000);
    af_every_n("ingest JSON Lines, CSV and page dumps", ingest_op, 20000);
    return tap_done();
}
