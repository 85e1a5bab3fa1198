/*
 * bench_ingest.c — speed of the ingest parsers without a store: page-dump
 * extraction (with a rule set in the shape of the built-in ones), HTML to
 * text and CSV records, over generated Turkish input.  Prints MB/s and
 * articles/s; run by `make bench`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int main(void)
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
