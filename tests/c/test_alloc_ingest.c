/*
 * test_alloc_ingest.c — allocation failure along the ingest path: a small
 * folder holding a JSON Lines feed, a page dump, a CSV file and an HTML
 * page is ingested into an in-memory store with the Nth allocation
 * failing, for every N until it succeeds.  Each run must return an error
 * or finish (never crash), give back every block, and never report success
 * while silently losing an article: a run that returns ND_OK either stored
 * all of them or recorded a problem for what it skipped.
 */
#include "alloc_fail.h"
#include "hard_util.h"

static char dir[256];
#define NEXPECTED 6

static void write_file(const char *name, const char *text)
{
    char path[400];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "w")) || fputs(text, f) < 0) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

static int op_ingest(void)
{
    nd_store *db = NULL;
    nd_ingest_stats st = ND_INGEST_STATS_INIT;
    nd_ingest_opts o;
    int rc;
    nd_ingest_opts_init(&o);
    o.batch = 2;
    rc = nd_store_open(&db, NULL, 0);
    if (rc == ND_OK)
        rc = nd_ingest_path(db, dir, &o, &st);
    if (rc == ND_OK && st.added != NEXPECTED && st.nerrors == 0) {
        printf("#   ND_OK with %llu of %d articles and no problem reported\n",
               (unsigned long long)st.added, NEXPECTED);
        rc = ND_ERROR;
    }
    if (rc == ND_OK && af_failed == 0 && st.added != NEXPECTED)
        rc = ND_ERROR;
    nd_ingest_stats_free(&st);
    nd_store_close(db);
    return rc;
}

int main(void)
{
    hu_tmpdir(dir, "allocingest");
    write_file("feed.jsonl",
               "{\"title\":\"Ankara'da kar\",\"body\":\"Kar yağışı yarın da sürecek, uyarı yapıldı.\",\"date\":\"2024-11-04\",\"tags\":[\"hava\"]}\n"
               "{\"headline\":\"Berlin: Regen\",\"text\":\"Es regnet den ganzen Tag in Berlin und Umgebung.\",\"language\":\"de\"}\n");
    write_file("page.txt",
               "İstanbul'da trafik\n05.11.2024 08:15\nİstanbul'da trafik\n"
               "Sabah saatlerinde yoğunluk yüzde 80'e ulaştı, köprülerde uzun kuyruklar oluştu.\n\n"
               "Valilik toplu taşımayı önerdi; seferler sıklaştırıldı.\n");
    write_file("feed.csv",
               "title,body,date\r\n\"Meclis toplandı\",\"Bütçe görüşmeleri \"\"uzun\"\" sürdü.\",04.11.2024\r\n"
               "İzmir'de deprem,\"4,1 büyüklüğünde sarsıntı hissedildi.\",05.11.2024\r\n");
    write_file("page.html",
               "<html><head><title>Liman</title><script>x()</script></head><body><h1>Limanda yoğunluk</h1>"
               "<p>Gemiler beklemede; &ccedil;al&#305;&#351;malar s&uuml;r&uuml;yor.</p></body></html>\n");
    af_every_n("ingest of JSON Lines, a page dump, CSV and HTML into an in-memory store", op_ingest, 20000);
    hu_rmdir(dir);
    return tap_done();
}
