/*
 * bench_ingest.c — speed of the ingest parsers without a store: page-dump
 * extraction (with a rule set in the shape of the built-in ones), HTML to
 * text and CSV records, over generated Turkish input.  Prints MB/s and
 * articles/s; run by `make bench` with no arguments.
 *
 * Two more modes serve bench_ingest.sh, which measures `newsdesk ingest`
 * end to end beside stock SQLite FTS5 on the same title/body pairs:
 *   bench_ingest --write N BYTES_OR_0 FEED.jsonl PAIRS.tsv [FEED.csv]
 *       writes N articles of corpus.h (about 2 KB each; or, with BYTES
 *       non-zero, as many as make BYTES of JSON Lines) as JSON Lines
 *       (title, body, date, source; no lang: ingest detects it), the
 *       same title/body pairs as TSV (\n \t \\ escaped; "" for none) and,
 *       when named, the JSON Lines' fields as CSV.  Every 40th
 *       article repeats an earlier one exactly and every 40th + 20 is an
 *       earlier one with its last sentence changed (a near duplicate).
 *   bench_ingest --stock PAIRS.tsv DB
 *       loads the pairs into a new FTS5 table (tokenize 'unicode61
 *       remove_diacritics 2') with one prepared INSERT in one transaction:
 *       the baseline.  Prints the number of rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "corpus.h"
#include "newsdesk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const words[] = {
    "kuzey", "güney", "kore", "rusya", "bakanı", "açıklamada", "savunma", "ekonomi",
    "seçim", "belediye", "hükümet", "meclis", "ticaret", "anlaşma", "ülke", "şehir",
    "liman", "fırtına", "enerji", "fiyatları", "piyasa", "İstanbul'da", "Ankara'nın",
};

static void sentence(nd_buf *b, unsigned *seed, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        nd_buf_append(b, words[(*seed >> 16) % (sizeof words / sizeof words[0])],
                      strlen(words[(*seed >> 16) % (sizeof words / sizeof words[0])]));
        nd_buf_append(b, i + 1 < n ? " " : ".", 1);
    }
}

/* One page dump of about 2.5 KB with chrome around one article. */
static void page(nd_buf *b, unsigned *seed, int k)
{
    char line[160];
    int i;
    snprintf(line, sizeof line, "Haber %d: ", k);
    nd_buf_append(b, line, strlen(line));
    sentence(b, seed, 7);
    nd_buf_append(b, "\n\n", 2);
    snprintf(line, sizeof line, "%02d.11.2024, Pts - 10:%02d\n\nHaberi Paylaş\n\n", 1 + k % 28, k % 60);
    nd_buf_append(b, line, strlen(line));
    for (i = 0; i < 10; i++) {
        sentence(b, seed, 30);
        nd_buf_append(b, "\n\n", 2);
        if (i == 4)
            nd_buf_append(b, "• Devamını oku: Başka bir haber\n\n", strlen("• Devamını oku: Başka bir haber\n\n"));
    }
    snprintf(line, sizeof line, "Anadolu Ajansı\nBu haber toplam: %d kişi tarafından görüldü.\nSon Güncellenme:11:48:08\n", k * 7);
    nd_buf_append(b, line, strlen(line));
}

static void add(nd_boilerplate *bp, int how, const char *p, int kind)
{
    nd_boilerplate_add(bp, how, p, strlen(p), kind);
}

/* JSON string body of s[0,n) into b (quotes, backslash, controls escaped). */
static void json_str(nd_buf *b, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = s[i], e[8];
        if (c == '"' || c == '\\')
            nd_buf_append(b, (const char[]){ '\\', c }, 2);
        else if (c == '\n')
            nd_buf_append(b, "\\n", 2);
        else if ((unsigned char)c < 0x20) {
            snprintf(e, sizeof e, "\\u%04x", (unsigned)c);
            nd_buf_append(b, e, 6);
        } else
            nd_buf_append(b, &c, 1);
    }
}

/* TSV field of s[0,n): \n \t \r \\ escaped. */
static void tsv_str(nd_buf *b, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n')
            nd_buf_append(b, "\\n", 2);
        else if (c == '\t')
            nd_buf_append(b, "\\t", 2);
        else if (c == '\r')
            nd_buf_append(b, "\\r", 2);
        else if (c == '\\')
            nd_buf_append(b, "\\\\", 2);
        else
            nd_buf_append(b, &c, 1);
    }
}

/* CSV field of s[0,n): quoted, quotes doubled. */
static void csv_str(nd_buf *b, const char *s, size_t n)
{
    size_t i;
    nd_buf_append(b, "\"", 1);
    for (i = 0; i < n; i++)
        nd_buf_append(b, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
    nd_buf_append(b, "\"", 1);
}

static int write_corpus(size_t n, unsigned long long bytes, const char *jpath, const char *tpath, const char *cpath)
{
    FILE *jf = fopen(jpath, "w"), *tf = tpath[0] ? fopen(tpath, "w") : NULL, *cf = cpath ? fopen(cpath, "w") : NULL;
    nd_buf art = ND_BUF_INIT, line = ND_BUF_INIT, prev = ND_BUF_INIT;
    uint64_t s = 42;
    unsigned long long written = 0;
    size_t i, tl, keep_tl = 0;
    if (!jf || (tpath[0] && !tf)) {
        fprintf(stderr, "bench_ingest: cannot write %s\n", jpath);
        return 1;
    }
    if (tf)
        fputs("title\tbody\n", tf);
    if (cf)
        fputs("title,body,date,source\n", cf);
    for (i = 0; bytes ? written < bytes : i < n; i++) {
        char head[160];
        const char *body;
        size_t blen;
        art.len = 0;
        nd_bench_article(&art, &s, &tl);
        if (i % 40 == 0 && i) {                 /* an exact copy of the last kept one */
            art.len = 0;
            nd_buf_append(&art, prev.ptr, prev.len);
            tl = keep_tl;
        } else if (i % 40 == 20) {              /* the kept one with its last sentence changed */
            const char *dot;
            art.len = 0;
            nd_buf_append(&art, prev.ptr, prev.len);
            tl = keep_tl;
            art.len--;                          /* the final newline */
            dot = art.len > 2 ? memchr(art.ptr + art.len / 2, '.', art.len / 2) : NULL;
            if (dot)
                art.len = (size_t)(dot - art.ptr) + 1;
            nd_buf_append(&art, " Haber güncellendi.\n", strlen(" Haber güncellendi.\n"));
        } else if (i % 40 == 10) {
            prev.len = 0;
            nd_buf_append(&prev, art.ptr, art.len);
            keep_tl = tl;
        }
        {   /* corpus.h cuts a title's last byte, sometimes inside an ellipsis */
            size_t bad;
            if (nd_utf8_check(art.ptr, tl, &bad) != ND_OK)
                tl = bad;
        }
        body = art.ptr + tl + 2;
        blen = art.len - tl - 2;
        line.len = 0;
        nd_buf_append(&line, "{\"title\": \"", 11);
        json_str(&line, art.ptr, tl);
        nd_buf_append(&line, "\", \"body\": \"", 12);
        json_str(&line, body, blen);
        snprintf(head, sizeof head, "\", \"date\": \"2024-11-%02uT10:%02u:00+03:00\", \"source\": \"Kaynak %u\"}\n",
                 (unsigned)(i % 28 + 1), (unsigned)(i % 60), (unsigned)(i % 7));
        nd_buf_append(&line, head, strlen(head));
        fwrite(line.ptr, 1, line.len, jf);
        written += line.len;
        if (tf) {
            line.len = 0;
            tsv_str(&line, art.ptr, tl);
            nd_buf_append(&line, "\t", 1);
            tsv_str(&line, body, blen);
            nd_buf_append(&line, "\n", 1);
            fwrite(line.ptr, 1, line.len, tf);
        }
        if (cf) {
            line.len = 0;
            csv_str(&line, art.ptr, tl);
            nd_buf_append(&line, ",", 1);
            csv_str(&line, body, blen);
            snprintf(head, sizeof head, ",2024-11-%02uT10:%02u:00+03:00,Kaynak %u\n",
                     (unsigned)(i % 28 + 1), (unsigned)(i % 60), (unsigned)(i % 7));
            nd_buf_append(&line, head, strlen(head));
            fwrite(line.ptr, 1, line.len, cf);
        }
    }
    if (cf && fclose(cf) != 0)
        return 1;
    nd_buf_free(&art);
    nd_buf_free(&line);
    nd_buf_free(&prev);
    if (tf && fclose(tf) != 0)
        return 1;
    return fclose(jf) != 0;
}

/* Undo tsv_str in place; returns the new length. */
static size_t tsv_unescape(char *s, size_t n)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            s[o++] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
        } else
            s[o++] = s[i];
    }
    return o;
}

static int stock_load(const char *tpath, const char *dbpath)
{
    FILE *f = fopen(tpath, "r");
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *line = NULL;
    size_t cap = 0, rows = 0;
    ssize_t n;
    int first = 1;
    if (!f || sqlite3_open(dbpath, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                         "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');"
                         "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO docs(title, body) VALUES(?1, ?2)", -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_ingest: stock: %s\n", db ? sqlite3_errmsg(db) : tpath);
        return 1;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        char *tab;
        size_t tl, bl;
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (first) {                            /* the header row */
            first = 0;
            continue;
        }
        if (!(tab = memchr(line, '\t', (size_t)n)))
            continue;
        tl = tsv_unescape(line, (size_t)(tab - line));
        bl = tsv_unescape(tab + 1, (size_t)(line + n - tab - 1));
        sqlite3_bind_text(st, 1, line, (int)tl, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, tab + 1, (int)bl, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bench_ingest: stock: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(st);
        rows++;
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_ingest: stock: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_close(db);
    free(line);
    fclose(f);
    printf("added %zu\n", rows);
    return 0;
}

int main(int argc, char **argv)
{
    enum { PAGES = 4000 };
    nd_buf all = ND_BUF_INIT, one = ND_BUF_INIT, out = ND_BUF_INIT;
    size_t *starts = calloc(PAGES + 1, sizeof *starts), n, total = 0;
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    nd_csv_record rec = ND_CSV_RECORD_INIT;
    unsigned seed = 42;
    const char *tail;
    double t;
    int k;
    static const char *const drops[] = {
        "Haberi Paylaş", "Paylaş", "Yazdır", "Yorumlar", "Abone Ol", "Reklam", "Son Dakika",
        "Share this article", "Advertisement", "Comments", "Teilen", "Kommentare", "Anzeige",
    };
    static const char *const prefixes[] = {
        "Devamını oku", "İlgili Haber:", "Son Güncellenme", "Güncelleme:", "Bu haber toplam",
        "Fotoğraf:", "Telif hakkı", "READ ", "Read more:", "Image caption", "Updated:", "Foto:",
    };
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "--write") == 0)
        return write_corpus((size_t)strtoul(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), argv[4], argv[5],
                            argc == 7 ? argv[6] : NULL);
    if (argc == 4 && strcmp(argv[1], "--stock") == 0)
        return stock_load(argv[2], argv[3]);
    nd_boilerplate_new(&bp);
    for (k = 0; k < (int)(sizeof drops / sizeof drops[0]); k++)
        add(bp, ND_BP_EXACT, drops[k], ND_BP_DROP);
    for (k = 0; k < (int)(sizeof prefixes / sizeof prefixes[0]); k++)
        add(bp, ND_BP_PREFIX, prefixes[k], ND_BP_DROP);
    add(bp, ND_BP_SUFFIX, "kez okundu", ND_BP_DROP);
    add(bp, ND_BP_CONTAINS, "ilk yorum yapan kişi olmak", ND_BP_DROP);
    add(bp, ND_BP_EXACT, "Anadolu Ajansı", ND_BP_SOURCE);
    add(bp, ND_BP_PREFIX, "Yazar:", ND_BP_AUTHOR);
    nd_extractor_new(&ex, bp);
    for (k = 0; k < PAGES; k++) {
        starts[k] = all.len;
        page(&all, &seed, k);
    }
    starts[PAGES] = all.len;

    t = now();
    for (k = 0; k < PAGES; k++) {
        nd_extract_page(ex, all.ptr + starts[k], starts[k + 1] - starts[k], NULL, &n);
        total += n;
    }
    t = now() - t;
    printf("extract page dumps   %6.1f MB/s  %8.0f articles/s  (%d pages of %.1f KB, %zu articles, %zu rules)\n",
           (double)all.len / 1e6 / t, (double)total / t, PAGES, (double)all.len / PAGES / 1e3, total,
           nd_boilerplate_count(bp));

    /* the same text as HTML paragraphs */
    one.len = 0;
    tail = "&nbsp;&ccedil;</p>\n<script>x()</script>";
    for (k = 0; k < 400; k++) {
        nd_buf_append(&one, "<p>", 3);
        nd_buf_append(&one, all.ptr + starts[k], starts[k + 1] - starts[k]);
        nd_buf_append(&one, tail, strlen(tail));
    }
    t = now();
    for (k = 0; k < 10; k++)
        nd_html_to_text(&out, one.ptr, one.len);
    t = now() - t;
    printf("HTML to text         %6.1f MB/s\n", (double)one.len * 10 / 1e6 / t);

    /* CSV records: title,body,date with quoted bodies */
    one.len = 0;
    for (k = 0; k < PAGES; k++) {
        nd_buf_append(&one, "\"Başlık\",\"", strlen("\"Başlık\",\""));
        nd_buf_append(&one, all.ptr + starts[k] + 200, 1500);
        nd_buf_append(&one, "\",2024-11-04\n", 13);
    }
    t = now();
    {
        size_t pos = 0, used, nrec = 0;
        while (pos < one.len && nd_csv_parse(&rec, one.ptr + pos, one.len - pos, &used) == ND_OK) {
            pos += used;
            nrec++;
        }
        if (nrec != PAGES)
            printf("CSV: only %zu of %d records parsed\n", nrec, PAGES);
    }
    t = now() - t;
    printf("CSV records          %6.1f MB/s  %8.0f records/s\n", (double)one.len / 1e6 / t, PAGES / t);

    nd_csv_record_free(&rec);
    nd_extractor_free(ex);
    nd_boilerplate_free(bp);
    nd_buf_free(&all);
    nd_buf_free(&one);
    nd_buf_free(&out);
    free(starts);
    return 0;
}
