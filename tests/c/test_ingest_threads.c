/*
 * test_ingest_threads.c — ingest with worker threads gives the store the
 * single-threaded path gives.  A JSON Lines feed, a CSV and a TSV file,
 * written here, hold exact duplicates (the same record again, and again
 * with other spacing and case), near duplicates (one sentence changed),
 * records in several languages (no lang field: detected), HTML bodies
 * (extracted), escaped strings, dates, meta fields, and bad records (a
 * malformed line, a record without title or body, a line over max_bytes,
 * a CSV row with the wrong field count).  Each is ingested with threads =
 * 1 and with 2 and 4, batch 7 (many commits), into fresh stores; every
 * column of every article (ids, hashes, duplicate_of, language, dates,
 * meta, raw, signatures), the full-text index's segments, the stats and
 * the list of errors (files, lines and messages, in order) must be equal.
 * `make tsan` runs it under ThreadSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "newsdesk.h"
#include "store_internal.h"   /* nd_store_sqlite: read every row */
#include "tap.h"

static const char *const sentences[] = {
    "Dışişleri Bakanı bugün Ankara'da bir açıklama yaptı ve görüşmelerin süreceğini söyledi.",
    "The minister said talks on the pipeline would resume in Brussels next week.",
    "Der Minister sagte, die Gespräche über die Leitung würden nächste Woche fortgesetzt.",
    "Министр заявил, что переговоры продолжатся на следующей неделе в Москве.",
    "Kuzey Kore'nin füze denemesi Seul'de ve Tokyo'da endişeyle karşılandı.",
    "Merkez Bankası faiz kararını açıkladı; piyasalar yüzde 2 yükseldi.",
    "Fırtına nedeniyle İstanbul'da vapur seferleri iptal edildi, okullar tatil.",
    "Officials in Washington declined to comment on the report on Thursday.",
};
#define NS (sizeof sentences / sizeof sentences[0])

static void body_of(char *out, size_t cap, unsigned k, unsigned variant)
{
    size_t n = 0;
    unsigned i;
    out[0] = '\0';
    for (i = 0; i < 6; i++) {
        const char *s = sentences[(k * 7 + i * 3) % NS];
        if (variant && i == 5)
            s = "Haber daha sonra güncellendi ve yeni ayrıntılar eklendi.";
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? (i % 2 ? " " : "\\n\\n") : "", s);
    }
}

static void write_feeds(const char *dir)
{
    char path[512], body[4096];
    FILE *j, *c, *t;
    unsigned k;
    snprintf(path, sizeof path, "%s/feed.jsonl", dir);
    j = fopen(path, "w");
    snprintf(path, sizeof path, "%s/feed.csv", dir);
    c = fopen(path, "w");
    snprintf(path, sizeof path, "%s/feed.tsv", dir);
    t = fopen(path, "w");
    if (!j || !c || !t)
        exit(1);
    fputs("title,body,date,section\n", c);
    fputs("title\tbody\ttarih\tkaynak\n", t);
    for (k = 0; k < 150; k++) {
        body_of(body, sizeof body, k % 40, k >= 40 && k % 9 == 0);   /* copies and near copies */
        if (k % 17 == 5)
            fprintf(j, "{\"title\": \"Haber %u\", \"body\": \"<p>%s</p><p>Fotoğraf: AA</p>\", "
                       "\"date\": \"%02u.11.2024\", \"section\": \"dünya\", \"rank\": %u}\n",
                    k % 40, body, k % 28 + 1, k);
        else if (k % 23 == 7)
            fprintf(j, "  {\"headline\" : \"HABER %u\" ,\"text\":\"%s\",\"published\":\"2024-11-%02uT10:00:00Z\"}\n",
                    k % 40, body, k % 28 + 1);
        else
            fprintf(j, "{\"title\": \"Haber %u\", \"body\": \"%s\", \"date\": \"2024-11-%02u\", \"source\": \"Kaynak\\u0020%u\"}\n",
                    k % 40, body, k % 28 + 1, k % 3);
        if (k % 31 == 3)
            fputs("{\"title\": \"broken\", \"body\": \n", j);          /* malformed */
        if (k % 37 == 4)
            fputs("{\"section\": \"no title or body\"}\n", j);
        if (k == 60) {                                              /* over max_bytes */
            unsigned i;
            fputs("{\"title\": \"long\", \"body\": \"", j);
            for (i = 0; i < 2000; i++)
                fputs("uzun satır ", j);
            fputs("\"}\n", j);
        }
        if (k % 2 == 0) {
            char *p;
            fprintf(c, "\"Haber %u\",\"", k % 40);
            for (p = body; *p; p++) {               /* \n\n escapes become real line breaks */
                if (p[0] == '\\' && p[1] == 'n') {
                    fputc('\n', c);
                    p++;
                } else {
                    fputc(*p, c);
                }
            }
            fprintf(c, "\",%02u.11.2024,ekonomi\n", k % 28 + 1);
            if (k % 22 == 10)
                fputs("\"Only two\",fields\n", c);
        } else {
            fprintf(t, "Haber %u\t%s\t2024-11-%02u\tAA\n", k % 40, body, k % 28 + 1);
            if (k % 25 == 11)
                fputs("too\tfew\n", t);
        }
    }
    fclose(j);
    fclose(c);
    fclose(t);
}

/* Every row of the store's tables and the index's segments, as one text. */
static void dump(nd_store *db, nd_buf *out)
{
    static const char *const q[] = {
        "SELECT id, hash, duplicate_of, date, date_text, source, author, url, lang, title, meta FROM articles ORDER BY id",
        "SELECT id, hex(sig), body, raw FROM article_text ORDER BY id",
        "SELECT id, hex(block) FROM articles_fts_data ORDER BY id",
    };
    size_t i;
    out->len = 0;
    for (i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(nd_store_sqlite(db), q[i], -1, &st, NULL) != SQLITE_OK)
            exit(1);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int c;
            for (c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                nd_buf_append(out, v ? (const char *)v : "NULL", v ? (size_t)sqlite3_column_bytes(st, c) : 4);
                nd_buf_append(out, "\x1f", 1);
            }
            nd_buf_append(out, "\n", 1);
        }
        sqlite3_finalize(st);
    }
}

static void stats_text(const nd_ingest_stats *st, nd_buf *out)
{
    char line[256];
    size_t i;
    out->len = 0;
    snprintf(line, sizeof line, "files %llu added %llu duplicates %llu near %llu repaired %llu rejected %llu errors %llu\n",
             (unsigned long long)st->files, (unsigned long long)st->added, (unsigned long long)st->duplicates,
             (unsigned long long)st->near_duplicates, (unsigned long long)st->repaired,
             (unsigned long long)st->rejected, (unsigned long long)st->errors_total);
    nd_buf_append(out, line, strlen(line));
    for (i = 0; i < st->nerrors; i++) {
        const char *f = strrchr(st->errors[i].file, '/');
        snprintf(line, sizeof line, "%s:%llu: %s\n", f ? f + 1 : st->errors[i].file,
                 (unsigned long long)st->errors[i].line, st->errors[i].message);
        nd_buf_append(out, line, strlen(line));
    }
}

static void ingest(const char *dir, size_t threads, nd_buf *rows, nd_buf *stats)
{
    nd_store *db = NULL;
    nd_ingest_opts o;
    nd_ingest_stats st = ND_INGEST_STATS_INIT;
    int rc;
    nd_ingest_opts_init(&o);
    o.threads = threads;
    o.batch = 7;
    o.max_bytes = 8192;
    if (nd_store_open(&db, NULL, 0) != ND_OK)
        exit(1);
    rc = nd_ingest_path(db, dir, &o, &st);
    ok(rc == ND_OK, "threads %zu: ingest succeeds (%s)", threads, st.errmsg ? st.errmsg : "no error");
    dump(db, rows);
    stats_text(&st, stats);
    nd_ingest_stats_free(&st);
    nd_store_close(db);
}

int main(void)
{
    char dir[] = "/tmp/nd-test-threads-XXXXXX", cmd[300];
    nd_buf rows1 = ND_BUF_INIT, stats1 = ND_BUF_INIT, rows = ND_BUF_INIT, stats = ND_BUF_INIT;
    size_t threads[] = { 2, 4 }, i;
    if (!mkdtemp(dir))
        return 1;
    write_feeds(dir);
    ingest(dir, 1, &rows1, &stats1);
    ok(strstr(stats1.ptr, "duplicates 0") == NULL && strstr(stats1.ptr, "near 0") == NULL,
       "the feeds hold exact and near duplicates: %.*s", (int)strcspn(stats1.ptr, "\n"), stats1.ptr);
    ok(strstr(stats1.ptr, "feed.jsonl:") && strstr(stats1.ptr, "feed.csv:") && strstr(stats1.ptr, "feed.tsv:") &&
       strstr(stats1.ptr, "max_bytes"), "... and bad records in each file, one over max_bytes");
    for (i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        ingest(dir, threads[i], &rows, &stats);
        ok(rows.len == rows1.len && memcmp(rows.ptr, rows1.ptr, rows.len) == 0,
           "threads %zu: the same articles, ids, duplicates, languages, dates and index as one thread", threads[i]);
        is_mem(stats.ptr, stats.len, stats1.ptr, stats1.len, "threads %zu: the same stats and errors, in order",
               threads[i]);
    }
    nd_buf_free(&rows1);
    nd_buf_free(&stats1);
    nd_buf_free(&rows);
    nd_buf_free(&stats);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return tap_done();
}
