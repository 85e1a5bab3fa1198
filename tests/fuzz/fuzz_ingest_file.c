/*
 * fuzz_ingest_file.c — libFuzzer target for the whole ingest path: the
 * input (after one control byte) is written to a file and ingested into an
 * in-memory store, as JSON Lines, CSV or a page dump.  The control byte
 * picks the format, a small batch size and a small max_bytes.  Invariants:
 *  - the ingest returns ND_OK (problems with the input are reported, never
 *    fatal) and every problem names the file and a line within the file;
 *  - stats.added equals the articles in the store;
 *  - JSON Lines read across the reader's 64 KiB chunk boundaries give what
 *    they give in one piece: the input repeated until it spans several
 *    chunks adds exactly the articles of one copy (the rest are exact
 *    duplicates) and reports every problem once per copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "newsdesk.h"
#include "store_internal.h"   /* nd_store_query & co.: statements on the connection */

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = { "jsonl", "csv", "page", "html" };

static char path[64];

static void write_input(const char *s, size_t n, size_t copies)
{
    FILE *f = fopen(path, "wb");
    size_t k;
    CHECK(f != NULL);
    for (k = 0; k < copies; k++)
        CHECK(n == 0 || fwrite(s, 1, n, f) == n);
    CHECK(fclose(f) == 0);
}

static void ingest(const char *fmt, unsigned ctl, nd_ingest_stats *st, uint64_t nlines, int64_t *stored)
{
    nd_store *db = NULL;
    nd_ingest_opts o;
    sqlite3_stmt *q = NULL;
    size_t i;
    nd_ingest_opts_init(&o);
    o.format = fmt;
    o.batch = (ctl >> 2 & 3) + 1;
    if (ctl & 0x10)
        o.max_bytes = 64;
    CHECK(nd_store_open(&db, NULL, 0) == ND_OK);
    if (nd_ingest_path(db, path, &o, st) != ND_OK)
        fprintf(stderr, "ingest: %s\n", st->errmsg ? st->errmsg : "?");
    CHECK(st->errmsg == NULL);
    for (i = 0; i < st->nerrors; i++) {
        CHECK(strcmp(st->errors[i].file, path) == 0);
        CHECK(st->errors[i].line <= nlines + 1);
        CHECK(st->errors[i].message && st->errors[i].message[0]);
    }
    CHECK(sqlite3_prepare_v2(nd_store_sqlite(db), "SELECT count(*) FROM articles", -1, &q, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW);
    *stored = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    CHECK((uint64_t)*stored == st->added);
    nd_store_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;
    size_t n, i;
    uint64_t nlines = 0;
    unsigned ctl;
    const char *fmt;
    nd_ingest_stats one = ND_INGEST_STATS_INIT, many = ND_INGEST_STATS_INIT;
    int64_t stored1, storedk;

    if (size < 1 || size > 8192)
        return 0;
    ctl = data[0];
    n = size - 1;
    fmt = formats[ctl & 3];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/nd-fuzz-ingest-%ld.%s", (long)getpid(), "in");
    for (i = 0; i < n; i++)
        nlines += s[i] == '\n';
    write_input(s, n, 1);
    ingest(fmt, ctl, &one, nlines, &stored1);

    /* JSON Lines across chunk boundaries: the same lines again and again */
    if ((ctl & 3) == 0 && !(ctl & 0x10) && n > 0 && s[n - 1] == '\n' && (ctl & 0x20)) {
        size_t copies = 3 * 65536 / n + 2;
        if (copies > 400)
            copies = 400;
        write_input(s, n, copies);
        ingest(fmt, ctl, &many, nlines * copies, &storedk);
        CHECK(storedk >= 0);
        if (storedk != stored1 || many.errors_total != one.errors_total * copies)
            fprintf(stderr, "one copy: %lld stored, %llu problems; %zu copies: %lld stored, %llu problems\n",
                    (long long)stored1, (unsigned long long)one.errors_total, copies,
                    (long long)storedk, (unsigned long long)many.errors_total);
        CHECK(storedk == stored1);
        CHECK(many.errors_total == one.errors_total * copies);
    }
    nd_ingest_stats_free(&one);
    nd_ingest_stats_free(&many);
    unlink(path);
    return 0;
}
