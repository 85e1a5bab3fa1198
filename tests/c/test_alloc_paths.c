/*
 * test_alloc_paths.c — allocation failure along the main paths that do not
 * need files: opening a store and adding articles (FTS tokenizer,
 * duplicate detection), searching it, decoding a legacy encoding, HTML to
 * text, CSV records, a page dump through the extractor, and an end-to-end
 * path (store, rules compiled, article scanned, mentions stored).  For
 * every N the Nth allocation fails; the operation must return an error
 * (never crash) and give back every block (counted by the allocator; the
 * sanitizer build and make leakcheck check the rest).
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "alloc_fail.h"
#include "store_internal.h"   /* nd_store_query & co.: statements on the connection */

static const char TITLE[] = "Ankara'da kar yağışı";
static const char BODY[] = "Meteoroloji Genel Müdürlüğü İstanbul ve Ankara için uyardı. "
                           "Kuzey Kore'nin açıklaması Rusya'da da yankı buldu.";

static nd_str S(const char *s)
{
    nd_str r = { s, strlen(s) };
    return r;
}

static int op_store(void)
{
    nd_store *db = NULL;
    nd_article a;
    nd_query q;
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    int status, rc;
    memset(&a, 0, sizeof a);
    a.title = S(TITLE);
    a.body = S(BODY);
    a.date = S("2024-11-04");
    a.source = S("Ajans");
    a.meta_json = S("{\"file\":\"x.txt\"}");
    rc = nd_store_open(&db, NULL, 0);
    if (rc == ND_OK)
        rc = nd_store_add(db, &a, &id, &status);
    if (rc == ND_OK) {
        a.title = S("Berlin'de yağmur");
        rc = nd_store_add(db, &a, &id, &status);
    }
    if (rc == ND_OK)
        rc = nd_store_add(db, &a, &id, &status);        /* an exact duplicate */
    if (rc == ND_OK) {
        memset(&q, 0, sizeof q);
        q.match = S("istanbul");
        q.order = ND_ORDER_RANK;
        rc = nd_store_query(db, &q, 0, &st);
        while (rc == ND_OK && sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_finalize(st);
    }
    nd_store_close(db);
    return rc;
}

static int op_decode(void)
{
    /* "Türkçe şişe" in Windows-1254, then HTML, then a CSV record */
    static const char cp[] = "T\xfcrk\xe7\x65 \xfei\xfe\x65";
    nd_buf out = ND_BUF_INIT, txt = ND_BUF_INIT;
    nd_csv_record rec = ND_CSV_RECORD_INIT;
    size_t used;
    int rc = nd_text_decode(&out, cp, sizeof cp - 1, "windows-1254", NULL);
    if (rc == ND_OK)
        rc = nd_html_to_text(&txt, "<p>Ba&scedil;l&#305;k</p><script>x</script><ul><li>a</li></ul>", 60);
    if (rc == ND_OK)
        rc = nd_csv_parse(&rec, "a,\"b \"\"c\"\"\",d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s\n", 43, &used);
    nd_csv_record_free(&rec);
    nd_buf_free(&out);
    nd_buf_free(&txt);
    return rc;
}

static int op_extract(void)
{
    static const char page[] =
        "Haberler\nGündem\n"
        "Ankara'da kar yağışı\n04.11.2024 10:30\nAnkara'da kar yağışı\n"
        "Meteoroloji uyardı: kar yağışı yarın da sürecek, sürücüler dikkatli olmalı.\n\n"
        "Okullar tatil edilmedi; valilik açıklama yaptı.\n"
        "Devamını oku\n"
        "İstanbul'da trafik\n05.11.2024\nİstanbul'da trafik\n"
        "Sabah saatlerinde yoğunluk yüzde 80'e ulaştı, köprüler kilitlendi.\n"
        "Kaynak: Ajans\n";
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    size_t n = 0;
    int rc = nd_boilerplate_new(&bp);
    if (rc == ND_OK)
        rc = nd_boilerplate_add(bp, ND_BP_PREFIX, "Devamını oku", strlen("Devamını oku"), ND_BP_DROP);
    if (rc == ND_OK)
        rc = nd_boilerplate_add(bp, ND_BP_PREFIX, "Kaynak:", 7, ND_BP_SOURCE);
    if (rc == ND_OK)
        rc = nd_extractor_new(&ex, bp);
    if (rc == ND_OK)
        rc = nd_extract_page(ex, page, sizeof page - 1, "tr", &n);
    if (rc == ND_OK && n < 1)
        rc = ND_ERROR;
    nd_extractor_free(ex);
    nd_boilerplate_free(bp);
    return rc;
}

/* store, rules, scan, mentions: what db:tag does */
static int op_end_to_end(void)
{
    static const char *const names[] = { "Kuzey Kore", "Rusya", "İstanbul", "Ankara" };
    nd_store *db = NULL;
    nd_rules *r = NULL;
    nd_scan *sc = NULL;
    nd_rule_def d = { "yerler", "PLACE", NULL, 0, 1, ND_RULE_SUFFIXES_TR, "test:1" };
    nd_article a;
    nd_mention m[8];
    char key[33];
    int64_t id = 0;
    unsigned ri, e, i;
    size_t k, nm = 0;
    int status, rc;
    memset(&a, 0, sizeof a);
    a.title = S(TITLE);
    a.body = S(BODY);
    rc = nd_store_open(&db, NULL, 0);
    if (rc == ND_OK)
        rc = nd_store_add(db, &a, &id, &status);
    if (rc == ND_OK)
        rc = nd_rules_new(&r);
    if (rc == ND_OK)
        rc = nd_rules_add_rule(r, &d, &ri);
    for (i = 0; rc == ND_OK && i < 4; i++) {
        rc = nd_rules_add_entry(r, ri, NULL, names[i], &e);
        if (rc == ND_OK)
            rc = nd_rules_add_name(r, e, names[i], strlen(names[i]));
    }
    if (rc == ND_OK)
        rc = nd_scan_new(&sc);
    if (rc == ND_OK)
        rc = nd_rules_scan(r, sc, BODY, sizeof BODY - 1, 0);
    for (k = 0; rc == ND_OK && k < nd_scan_count(sc) && nm < 8; k++) {
        const nd_match *x = nd_scan_match(sc, k);
        memset(&m[nm], 0, sizeof m[nm]);
        m[nm].type = S(x->type);
        m[nm].entity = S(x->id ? x->id : "");
        m[nm].text.ptr = BODY + x->start;
        m[nm].text.len = x->stop - x->start;
        m[nm].rule = S(x->rule);
        m[nm].start = x->start;
        m[nm].stop = x->stop;
        m[nm].field = S("body");
        nm++;
    }
    if (rc == ND_OK && nm < 3)
        rc = ND_ERROR;                   /* the scan must find the places */
    if (rc == ND_OK) {
        nd_rules_key(r, key);
        rc = nd_store_put_mentions(db, id, S(key), m, nm);
    }
    nd_scan_free(sc);
    nd_rules_free(r);
    nd_store_close(db);
    return rc;
}

static int op_fold(void)
{
    nd_buf out = ND_BUF_INIT;
    nd_offmap *map = nd_offmap_new();
    size_t oi, oj;
    int rc = map ? nd_text_fold(&out, BODY, sizeof BODY - 1, 0, map) : ND_ENOMEM;
    if (rc == ND_OK)
        rc = nd_offmap_original(map, 0, out.len, &oi, &oj);
    if (rc == ND_OK)
        rc = nd_text_normalize(&out, "Ş\xcc\x87i\xcc\x87", 7, ND_NFC);
    nd_offmap_free(map);
    nd_buf_free(&out);
    return rc;
}

int main(void)
{
    af_every_n("fold, offset map and NFC", op_fold, 1000);
    af_every_n("decode cp1254, HTML to text, CSV record", op_decode, 1000);
    af_every_n("page dump extraction", op_extract, 5000);
    af_every_n("store open, add, duplicate, search, close", op_store, 5000);
    af_every_n("store, rules, scan, mentions", op_end_to_end, 5000);
    return tap_done();
}
