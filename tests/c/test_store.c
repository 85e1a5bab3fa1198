/* The store's C API: schema, adding, exact and near duplicates, deleting,
 * mentions, transactions, read-only and concurrent handles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "newsdesk.h"
#include "nd_text.h"
#include "store_internal.h"
#include "tap.h"

#define S(lit) ((nd_str){ lit, sizeof(lit) - 1 })

static const char BODY1[] =
    "Güney Kore ve Avrupa Birliği temsilcileri Seul'de bir araya gelerek Kuzey Kore'nin Rusya'ya "
    "asker göndermesini kınadı. Ortak açıklamada, bölgedeki gerilimin artmasından duyulan endişe "
    "dile getirildi ve Pyongyang yönetimine askerlerini geri çekmesi çağrısı yapıldı. Toplantıda "
    "ayrıca ekonomik işbirliği, enerji güvenliği ve tedarik zincirleri konuları ele alındı. "
    "Yetkililer, bir sonraki stratejik diyalog toplantısının gelecek yıl Brüksel'de yapılacağını bildirdi.";

static int64_t add(nd_store *db, const char *title, const char *body, const char *source, int *status)
{
    nd_article a;
    int64_t id = -1;
    memset(&a, 0, sizeof a);
    a.title = (nd_str){ title, strlen(title) };
    a.body = (nd_str){ body, strlen(body) };
    if (source)
        a.source = (nd_str){ source, strlen(source) };
    a.date = S("2024-11-04T23:58:00+03:00");
    if (nd_store_add(db, &a, &id, status) != ND_OK) {
        printf("# add failed: %s\n", nd_store_errmsg(db));
        return -1;
    }
    return id;
}

static long long scalar(nd_store *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(nd_store_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK) {
        printf("# %s: %s\n", sql, sqlite3_errmsg(nd_store_sqlite(db)));
        return -2;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static long long matches(nd_store *db, const char *q)
{
    sqlite3_stmt *st;
    long long n = 0;
    if (sqlite3_prepare_v2(nd_store_sqlite(db), "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return -2;
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        n = -1;
    sqlite3_finalize(st);
    return n;
}

static void test_basics(void)
{
    nd_store *db;
    int status = -1, yes = -1;
    int64_t id1, id2, id3, id4;
    nd_buf b = ND_BUF_INIT;
    nd_mention m[2];

    is_int(nd_store_open(&db, NULL, 0), ND_OK, "in-memory store opens");
    is_int(scalar(db, "PRAGMA user_version"), ND_STORE_SCHEMA_VERSION, "schema version recorded in user_version");
    is_int(scalar(db, "SELECT count(*) FROM schema_migrations"), ND_STORE_SCHEMA_VERSION,
           "migrations table lists every version");
    is_int(scalar(db, "SELECT value FROM store_info WHERE key = 'fts_tokenizer'"), ND__FTS_TOKENIZER_VERSION,
           "the store records its tokenizer version");

    id1 = add(db, "AB ve Güney Kore'den çağrı", BODY1, "DW", &status);
    ok(id1 > 0 && status == ND_ADD_NEW, "a new article gets an id and ND_ADD_NEW");
    id2 = add(db, "AB VE GÜNEY KORE’DEN ÇAĞRI", BODY1, "BBC", &status);
    ok(id2 == id1 && status == ND_ADD_DUPLICATE, "same folded title and body is an exact duplicate of the first");
    is_int(scalar(db, "SELECT count(*) FROM articles"), 1, "the duplicate is not stored again");

    {
        char *edited = malloc(sizeof BODY1 + 64);
        snprintf(edited, sizeof BODY1 + 64, "Okunma: 1.234 %s Son güncelleme 12:40", BODY1);
        id3 = add(db, "AB ve Güney Kore'den çağrı", edited, "X", &status);
        ok(id3 > id1 && status == ND_ADD_NEAR_DUPLICATE, "same story with counters added is a near-duplicate");
        is_int(scalar(db, "SELECT duplicate_of FROM articles ORDER BY id DESC LIMIT 1"), id1,
               "the near-duplicate points at the first one seen");
        free(edited);
    }
    id4 = add(db, "Almanya'da seçim", "Almanya'da erken seçim tartışması sürerken koalisyon ortakları "
              "bütçe konusunda yeniden masaya oturdu; muhalefet ise güven oylaması istedi ve sokaklarda "
              "protestolar devam etti.", "DW", &status);
    ok(id4 > 0 && status == ND_ADD_NEW, "a different story is new");

    is_int(nd_store_field(db, id1, "body", &b, &yes), ND_OK, "field body reads back");
    is_mem(b.ptr, b.len, BODY1, strlen(BODY1), "body is stored exactly");
    is_int(nd_store_field(db, id1, "nosuch", &b, &yes), ND_EINVAL, "unknown field name is EINVAL");
    is_int(nd_store_field(db, 999, "body", &b, &yes), ND_ENOTFOUND, "unknown id is ENOTFOUND");
    is_int(nd_store_field(db, id1, "raw", &b, &yes), ND_OK, "raw reads");
    ok(yes == 1, "raw of an article added without raw is NULL");

    is_int(matches(db, "rusya"), 2, "FTS finds Rusya'ya by its stem");
    is_int(matches(db, "\"güney kore\""), 2, "FTS phrase with diacritics");
    is_int(matches(db, "almanya"), 1, "FTS finds Almanya'da");

    memset(m, 0, sizeof m);
    m[0].type = S("country"); m[0].entity = S("KR"); m[0].text = S("Güney Kore"); m[0].field = S("body");
    m[0].start = 0; m[0].stop = 11;
    m[1] = m[0];
    m[1].entity = S("RU"); m[1].text = S("Rusya"); m[1].suffix = S("ya"); m[1].start = 90; m[1].stop = 96;
    is_int(nd_store_tagged(db, id1, S("rules1"), &yes), ND_OK, "tagged query works");
    ok(yes == 0, "not tagged before put_mentions");
    is_int(nd_store_put_mentions(db, id1, S("rules1"), m, 2), ND_OK, "put_mentions stores two");
    is_int(nd_store_put_mentions(db, id1, S("rules1"), m, 1), ND_OK, "put_mentions again replaces");
    is_int(scalar(db, "SELECT count(*) FROM mentions"), 1, "replacing left one mention");
    nd_store_tagged(db, id1, S("rules1"), &yes);
    ok(yes == 1, "tagged after put_mentions");
    is_int(nd_store_put_mentions(db, 12345, S("rules1"), m, 1), ND_ENOTFOUND, "mentions of a missing article");

    is_int(nd_store_delete(db, id1), ND_OK, "delete the original");
    is_int(scalar(db, "SELECT count(*) FROM mentions"), 0, "its mentions went with it");
    is_int(matches(db, "rusya"), 1, "its index entries went with it");
    is_int(scalar(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"), 0,
           "the near-duplicate became the original");
    is_int(nd_store_delete(db, id1), ND_ENOTFOUND, "deleting twice is ENOTFOUND");
    ok(strstr(nd_store_errmsg(db), "no article") != NULL, "message says so");
    id2 = add(db, "AB ve Güney Kore'den çağrı", BODY1, "DW", &status);
    ok(id2 > 0 && status == ND_ADD_NEAR_DUPLICATE, "re-adding the deleted one finds the surviving copy");
    is_int(sqlite3_exec(nd_store_sqlite(db), "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
                        NULL, NULL, NULL), SQLITE_OK, "FTS integrity-check passes against the content");
    nd_buf_free(&b);
    nd_store_close(db);
    nd_store_close(NULL);
}

static void test_transactions(void)
{
    nd_store *db;
    int status;
    nd_article a;
    int64_t id;
    nd_store_open(&db, NULL, 0);
    is_int(nd_store_begin(db), ND_OK, "begin");
    add(db, "Bir", "birinci haber metni", NULL, &status);
    add(db, "İki", "ikinci haber metni", NULL, &status);
    is_int(nd_store_rollback(db), ND_OK, "rollback");
    is_int(scalar(db, "SELECT count(*) FROM articles"), 0, "rolled back adds are gone");
    is_int(matches(db, "haber"), 0, "and their index entries");
    nd_store_begin(db);
    add(db, "Bir", "birinci haber metni", NULL, &status);
    memset(&a, 0, sizeof a);
    a.title = S("bad \xff title");
    is_int(nd_store_add(db, &a, &id, &status), ND_EUTF8, "invalid UTF-8 title is ND_EUTF8");
    ok(strstr(nd_store_errmsg(db), "byte 4") != NULL, "message gives the byte offset");
    a.title = S("ok");
    a.meta_json = S("[1,2]");
    is_int(nd_store_add(db, &a, &id, &status), ND_EINVAL, "meta that is not a JSON object is EINVAL");
    is_int(nd_store_commit(db), ND_OK, "commit after failed adds");
    is_int(scalar(db, "SELECT count(*) FROM articles"), 1, "the good add survived the failed ones");
    nd_store_close(db);
}

static void test_files(void)
{
    char dir[] = "/tmp/nd-store-XXXXXX", path[256], cmd[512];
    nd_store *db, *db2, *ro;
    int status;
    int64_t id;
    nd_article a;
    ok(mkdtemp(dir) != NULL, "temp dir");
    snprintf(path, sizeof path, "%s/news.db", dir);
    is_int(nd_store_open(&db, path, 0), ND_OK, "file store opens");
    {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(nd_store_sqlite(db), "PRAGMA journal_mode", -1, &st, NULL);
        sqlite3_step(st);
        is_str((const char *)sqlite3_column_text(st, 0), "wal", "file store is in WAL mode");
        sqlite3_finalize(st);
    }
    add(db, "Bir", "birinci haber metni burada", "A", &status);
    is_int(nd_store_open(&db2, path, 0), ND_OK, "a second handle opens the same file");
    is_int(nd_store_begin(db), ND_OK, "first handle takes the write lock");
    memset(&a, 0, sizeof a);
    a.title = S("İki");
    a.body = S("ikinci haber");
    /* db2 would wait the busy timeout: the first commits meanwhile? Not in one
     * thread, so check that after commit the second can write. */
    is_int(nd_store_commit(db), ND_OK, "commit");
    is_int(nd_store_add(db2, &a, &id, &status), ND_OK, "second writer adds after the first committed");
    {
        /* db2 has built its near-duplicate table; an article db adds now is
         * still found when db2 adds a copy of it */
        char *copy = malloc(sizeof BODY1 + 32);
        add(db, "Seul'de ortak açıklama", BODY1, "A", &status);
        snprintf(copy, sizeof BODY1 + 32, "Haberi Paylaş %s", BODY1);
        memset(&a, 0, sizeof a);
        a.title = S("Seul'de ortak açıklama");
        a.body = (nd_str){ copy, strlen(copy) };
        is_int(nd_store_add(db2, &a, &id, &status), ND_OK, "second handle adds a copy");
        is_int(status, ND_ADD_NEAR_DUPLICATE, "... seen as a near-duplicate of what the first handle added");
        free(copy);
        a.body = S("üçüncü haber");
    }
    nd_store_close(db2);

    is_int(nd_store_open(&ro, path, ND_OPEN_READONLY), ND_OK, "read-only open");
    is_int(scalar(ro, "SELECT count(*) FROM articles"), 4, "read-only handle sees all four");
    a.title = S("Üç");
    is_int(nd_store_add(ro, &a, &id, &status), ND_EDB, "adding through a read-only handle fails");
    ok(strstr(nd_store_errmsg(ro), "readonly") != NULL, "message says read-only");
    nd_store_close(ro);
    nd_store_close(db);

    snprintf(cmd, sizeof cmd, "sqlite3 %s 'SELECT count(*) FROM articles; PRAGMA user_version;' 2>&1", path);
    {
        FILE *p = popen(cmd, "r");
        char line[128] = "";
        char all[256] = "";
        while (p && fgets(line, sizeof line, p))
            strncat(all, line, sizeof all - strlen(all) - 1);
        if (p)
            pclose(p);
        is_str(all, "4\n3\n", "the sqlite3 program reads the file");
    }

    snprintf(path, sizeof path, "%s/other.db", dir);
    {
        sqlite3 *raw;
        sqlite3_open(path, &raw);
        sqlite3_exec(raw, "PRAGMA user_version = 99; CREATE TABLE t(x)", NULL, NULL, NULL);
        sqlite3_close(raw);
    }
    is_int(nd_store_open(&db, path, 0), ND_EINVAL, "a store of a newer schema is refused");
    ok(strstr(nd_store_errmsg(db), "newer") && strstr(nd_store_errmsg(db), path), "message names file and reason");
    nd_store_close(db);
    snprintf(path, sizeof path, "%s/nosuch.db", dir);
    ok(nd_store_open(&db, path, ND_OPEN_READONLY) != ND_OK, "read-only open of a missing file fails");
    ok(strstr(nd_store_errmsg(db), path) != NULL, "message names the file");
    nd_store_close(db);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
}

/* The tokenizer's fast folding table agrees with nd_text_fold on every
 * word, whatever the script or normalization form. */
static void test_fold_agrees(void)
{
    static const char *const texts[] = {
        "İSTANBUL'DAKİ Iğdır ılık ŞOFÖR Çağrı Güneş öğle ÜRÜN",
        "Straße GRÜSSE Ärger Œuvre ﬁnale ofﬁce proﬁli Ǆemal ½ ²",
        "Ελληνικά ΣΟΦΟΣ σοφός Москва́ ЁЛКА Київ",
        "I\xCC\x87stanbul cafe\xCC\x81 S\xCC\xA7" "ahin",        /* combining marks (NFD) */
        "Kim Jong-un’un Rusya’nın Cho Tae-yul'un 2024'te e‐posta",
        "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 ﬃ ℌ ㎏ ①",     /* compatibility forms */
        "soft\xC2\xADhyphen zero\xE2\x80\x8Bwidth",
    };
    nd__folder *f = NULL;
    nd__terms t = { 0 };
    nd_buf want = ND_BUF_INIT;
    size_t i, k;
    int bad = 0, bad_hash = 0;
    ok(nd__folder_new(&f) == ND_OK, "folding table builds");
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        nd_tokenizer tz;
        nd_token tok;
        nd__terms_clear(&t);
        nd__tokenize(f, &t, texts[i], strlen(texts[i]), -1);
        nd_tokenizer_init(&tz, texts[i], strlen(texts[i]));
        k = 0;
        while (nd_tokenizer_next(&tz, &tok) && k < t.n) {
            unsigned p;
            for (p = 0; p < (tok.nparts ? tok.nparts : 1) && k < t.n; p++) {
                size_t ps = tok.start, pe = tok.stem_stop;
                if (tok.nparts > 1)
                    nd_token_part(texts[i], &tok, p, &ps, &pe);
                if (pe > tok.stem_stop)
                    pe = tok.stem_stop;
                nd_text_fold(&want, texts[i] + ps, pe - ps, 0, NULL);
                if (want.len == 0)
                    continue;
                {
                    /* a fold that brings in separators ("½" -> "1⁄2") is
                     * indexed as the tokens of the folded text */
                    nd_tokenizer wz;
                    nd_token w;
                    int whole;
                    nd_tokenizer_init(&wz, want.ptr, want.len);
                    whole = !nd_tokenizer_next(&wz, &w) || (w.start == 0 && w.stop == want.len);
                    if (whole) {
                        w.start = 0;
                        w.stem_stop = want.len;
                    }
                    for (;;) {
                        size_t wl = w.stem_stop - w.start;
                        if (k >= t.n || wl != t.v[k].len || memcmp(want.ptr + w.start, t.text.ptr + t.v[k].off, wl) != 0) {
                            printf("# '%.*s': table '%.*s', nd_text_fold '%.*s'\n", (int)(pe - ps), texts[i] + ps,
                                   k < t.n ? (int)t.v[k].len : 0, k < t.n ? t.text.ptr + t.v[k].off : "",
                                   (int)wl, want.ptr + w.start);
                            bad++;
                        }
                        k++;
                        if (whole || !nd_tokenizer_next(&wz, &w))
                            break;
                    }
                }
            }
        }
        ok(k == t.n && k > 0, "every term checked in text %zu (%zu terms)", i + 1, k);
        for (k = 0; k < t.n; k++)       /* hashed while folding, on every path */
            bad_hash += t.v[k].hash != nd__term_hash(t.text.ptr + t.v[k].off, t.v[k].len);
    }
    is_int(bad, 0, "fast folding equals nd_text_fold for every term");
    is_int(bad_hash, 0, "each term's hash is nd__term_hash of its folded bytes");
    nd__terms_free(&t);
    nd_buf_free(&want);
    nd__folder_free(f);
}

/* ---- the band map of near-duplicate lookup ---------------------------- */

static uint32_t key_of(uint32_t i, uint32_t seed)
{
    uint64_t x = ((uint64_t)seed << 32 | i) * 0x9E3779B97F4A7C15ULL;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 32;
    return (uint32_t)x | 1u;
}

static int cmp_pair(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Every key of put 0..upto-1 finds want[first[i]]; keys never put are missing. */
static int lsh_mismatches(const nd__lsh *t, size_t upto, const uint32_t *first, const uint32_t *want,
                          const uint64_t *sorted, size_t n)
{
    size_t i;
    int bad = 0;
    for (i = 0; i < upto; i++) {
        uint32_t got = 0, absent = key_of((uint32_t)i, 2);
        size_t lo = 0, hi = n;
        if (!nd__lsh_get(t, key_of((uint32_t)i, 1), &got) || got != want[first[i]])
            bad++;
        while (lo < hi) {           /* does the reference hold the other key? */
            size_t mid = lo + (hi - lo) / 2;
            if (sorted[mid] >> 32 < absent)
                lo = mid + 1;
            else
                hi = mid;
        }
        if ((lo == n || sorted[lo] >> 32 != absent) && nd__lsh_get(t, absent, &got))
            bad++;
    }
    return bad;
}

static void test_lsh_map(void)
{
    enum { N = 150000 };
    nd__lsh t;
    uint64_t *pairs = malloc(N * sizeof *pairs);
    uint32_t *first = malloc(N * sizeof *first), *want = malloc(N * sizeof *want);
    size_t i, distinct = 0, bytes;
    int bad = 0, fail = 0;
    memset(&t, 0, sizeof t);
    /* the reference: for each put, the first put of the same key */
    for (i = 0; i < N; i++)
        pairs[i] = (uint64_t)key_of((uint32_t)i, 1) << 32 | i;
    qsort(pairs, N, sizeof *pairs, cmp_pair);
    for (i = 0; i < N; i++) {
        int same = i > 0 && pairs[i] >> 32 == pairs[i - 1] >> 32;
        first[(uint32_t)pairs[i]] = same ? first[(uint32_t)pairs[i - 1]] : (uint32_t)pairs[i];
        distinct += !same;
    }
    for (i = 0; i < N; i++)
        want[i] = (uint32_t)i + 1;

    for (i = 0; i < N; i++) {
        fail |= nd__lsh_put(&t, key_of((uint32_t)i, 1), (uint32_t)i + 1, 0) != ND_OK;
        if ((i + 1) % 30000 == 0)
            bad += lsh_mismatches(&t, i + 1, first, want, pairs, N);
    }
    ok(!fail, "%d puts succeed", N);
    is_int(bad, 0, "every key finds the first id put under it, at each of five checkpoints");
    ok(t.n > 2 * 8192 && t.n + t.fresh.n == distinct,
       "the map holds each distinct key once (%zu in the run, %zu recent, %zu distinct)", t.n, t.fresh.n, distinct);

    for (i = 0; i < N; i++) {
        if (i % 3 == 0) {
            fail |= nd__lsh_put(&t, key_of((uint32_t)i, 1), 5000000u + (uint32_t)i, 1) != ND_OK;
            want[first[i]] = 5000000u + (uint32_t)i;
        } else if (i % 3 == 1) {
            fail |= nd__lsh_put(&t, key_of((uint32_t)i, 1), 9000000u, 0) != ND_OK;
        }
    }
    is_int(lsh_mismatches(&t, N, first, want, pairs, N), 0,
           "replacing puts overwrite the id, keeping puts leave it");
    ok(t.n + t.fresh.n == distinct, "replacing adds no entries");

    /* the map's whole memory, per key held: an article has 8 keys, so this
     * bounds what near-duplicate lookup costs a large ingest (an open table
     * at half load took 16 to 32 bytes, and twice that while growing) */
    bytes = t.nchunks * (sizeof(uint32_t) + sizeof(uint16_t)) * 8192 +
            t.fresh.cap * (sizeof(uint64_t) + sizeof(uint32_t)) + 65537 * sizeof(uint32_t);
    ok((double)bytes / distinct < 12.0, "the map takes %.1f bytes a key (under 12)", (double)bytes / distinct);
    nd__lsh_clear(&t);
    ok(!nd__lsh_get(&t, key_of(0, 1), &want[0]), "a cleared map is empty");
    free(pairs);
    free(first);
    free(want);
}

/* A letter whose fold brings in an apostrophe ("ŉ" -> "'n") is indexed as
 * a text holding the fold would be: by the stem, so every spelling finds it.
 * A word that folds to no word at all is not indexed. */
static void test_fold_brings_apostrophe(void)
{
    nd_store *db;
    int status;
    is_int(nd_store_open(&db, NULL, 0), ND_OK, "in-memory store opens");
    add(db, "Afrikaans", "Die Boer\xC5\x89uus het gister in Kaapstad verskyn.", NULL, &status);
    is_int(matches(db, "\"boer\xC5\x89uus\""), 1, "found as written, with the letter");
    is_int(matches(db, "\"boer'nuus\""), 1, "found by its folded spelling, with an apostrophe");
    is_int(matches(db, "boer"), 1, "found by the stem before the apostrophe");
    nd_store_close(db);
    {   /* "ͺ" folds to a space: no word, so no term (a term " " no query can reach) */
        static const char text[] = "Bir \xCD\xBA iki";
        nd__folder *f = NULL;
        nd__terms t = { 0 };
        ok(nd__folder_new(&f) == ND_OK && nd__tokenize(f, &t, text, strlen(text), -1) == ND_OK, "tokenizes");
        ok(t.n == 2 && t.v[0].len == 3 && memcmp(t.text.ptr + t.v[0].off, "bir", 3) == 0 && t.v[1].len == 3 &&
           memcmp(t.text.ptr + t.v[1].off, "iki", 3) == 0, "a word folding to a space alone gives no term");
        nd__terms_free(&t);
        nd__folder_free(f);
    }
}

/* The text walks: one field each, in id order from the bound id. */
static void test_text_cursor(void)
{
    static const char *const body[3] = {
        "Ankara'da kabine toplantısı beş saat sürdü; ekonomi gündemin ilk maddesiydi.",
        "İzmir Limanı'nda grev üçüncü gününe girdi, konteyner gemileri açıkta bekliyor.",
        "Karadeniz'de fırtına nedeniyle balıkçı tekneleri limandan çıkamadı."
    };
    nd_store *db;
    nd_article a;
    sqlite3_stmt *st = NULL;
    int64_t id[3];
    int i, status, ok_walk = 1;
    char raw[3][64];
    is_int(nd_store_open(&db, NULL, 0), ND_OK, "in-memory store opens");
    for (i = 0; i < 3; i++) {
        memset(&a, 0, sizeof a);
        snprintf(raw[i], sizeof raw[i], "{\"text\": \"haber %d\"}", i);
        a.title = (nd_str){ body[i], 12 };
        a.body = (nd_str){ body[i], strlen(body[i]) };
        a.raw = (nd_str){ raw[i], strlen(raw[i]) };
        id[i] = -1;
        nd_store_add(db, &a, &id[i], &status);
    }
    ok(id[0] > 0 && id[1] > id[0] && id[2] > id[1], "three articles stored");

    is_int(nd_store_text_cursor(db, "body", &st), ND_OK, "body walk prepares");
    is_int(sqlite3_column_count(st), 2, "the body walk reads id and body, not raw");
    sqlite3_bind_int64(st, 1, id[1]);
    for (i = 1; i < 3; i++)
        ok_walk &= sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == id[i]
                   && strcmp((const char *)sqlite3_column_text(st, 1), body[i]) == 0;
    ok(ok_walk && sqlite3_step(st) == SQLITE_DONE, "the body walk starts at the bound id and goes in id order");
    sqlite3_finalize(st);

    is_int(nd_store_text_cursor(db, "raw", &st), ND_OK, "raw walk prepares");
    sqlite3_bind_int64(st, 1, 0);
    ok_walk = 1;
    for (i = 0; i < 3; i++)
        ok_walk &= sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 1), raw[i]) == 0;
    ok(ok_walk && sqlite3_column_count(st) == 2, "the raw walk gives each article's input as received");
    sqlite3_finalize(st);

    is_int(nd_store_text_cursor(db, "meta", &st), ND_EINVAL, "only body and raw have walks");
    ok(st == NULL && strstr(nd_store_errmsg(db), "'meta'") != NULL, "the message names the field");
    nd_store_close(db);
}

/* A store whose full-text index another tokenizer version built (or a
 * schema-1 store, which recorded none) is re-indexed when next opened
 * read-write, and only then. */
static void test_reindex(void)
{
    char dir[] = "/tmp/nd-reindex-XXXXXX", path[256], cmd[300];
    nd_store *db;
    int status;
    ok(mkdtemp(dir) != NULL, "temp dir");
    snprintf(path, sizeof path, "%s/news.db", dir);
    is_int(nd_store_open(&db, path, 0), ND_OK, "store opens");
    add(db, "Ankara'da toplantı", "Bakanlar Ankara'da bir araya geldi ve bütçeyi görüştü.", "A", &status);
    add(db, "Seul'de açıklama", BODY1, "B", &status);
    /* an index missing the first article's terms stands for one built by
     * another tokenizer */
    sqlite3_exec(nd_store_sqlite(db), "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                 " SELECT 'delete', id, title, body FROM article_content WHERE id = 1", NULL, NULL, NULL);
    is_int(matches(db, "bakanlar"), 0, "the index lost the first article");
    nd_store_close(db);
    is_int(nd_store_open(&db, path, 0), ND_OK, "reopened");
    is_int(matches(db, "bakanlar"), 0, "an index of this tokenizer version is not rebuilt on open");
    sqlite3_exec(nd_store_sqlite(db), "UPDATE store_info SET value = 1 WHERE key = 'fts_tokenizer'", NULL, NULL, NULL);
    nd_store_close(db);

    is_int(nd_store_open(&db, path, ND_OPEN_READONLY), ND_OK, "a read-only handle opens a store with a stale index");
    is_int(matches(db, "bakanlar"), 0, "... and searches it as it is");
    nd_store_close(db);
    is_int(nd_store_open(&db, path, 0), ND_OK, "read-write open of a store indexed by another tokenizer version");
    is_int(matches(db, "bakanlar"), 1, "its index is rebuilt: the lost article is found again");
    is_int(matches(db, "rusya"), 1, "and the others still are");
    is_int(scalar(db, "SELECT value FROM store_info WHERE key = 'fts_tokenizer'"), ND__FTS_TOKENIZER_VERSION,
           "the new version is recorded");

    /* back to a schema-1 store with the same lost article */
    sqlite3_exec(nd_store_sqlite(db), "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                 " SELECT 'delete', id, title, body FROM article_content WHERE id = 1;"
                 "DROP TABLE store_info; DROP TABLE fts_stems; DELETE FROM schema_migrations WHERE version > 1;"
                 "PRAGMA user_version = 1",
                 NULL, NULL, NULL);
    nd_store_close(db);
    is_int(nd_store_open(&db, path, ND_OPEN_READONLY), ND_EINVAL, "a schema-1 store needs a read-write open first");
    nd_store_close(db);
    is_int(nd_store_open(&db, path, 0), ND_OK, "a schema-1 store opens read-write");
    is_int(scalar(db, "PRAGMA user_version"), ND_STORE_SCHEMA_VERSION, "it is migrated");
    is_int(matches(db, "bakanlar"), 1, "and re-indexed");
    is_int(scalar(db, "SELECT count(*) FROM articles"), 2, "with every article kept");
    nd_store_close(db);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
}

/* Articles nd_store_query finds for the search query q (lang: the
 * query's language, NULL to guess it). */
static long long found(nd_store *db, const char *q, const char *lang)
{
    nd_query nq;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    memset(&nq, 0, sizeof nq);
    nq.match = (nd_str){ q, strlen(q) };
    if (lang)
        nq.match_lang = (nd_str){ lang, strlen(lang) };
    if (nd_store_query(db, &nq, 1, &st) != ND_OK) {
        printf("# %s: %s\n", q, nd_store_errmsg(db));
        return -2;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t add_lang(nd_store *db, const char *body, const char *lang)
{
    nd_article a;
    int64_t id = -1;
    int status;
    memset(&a, 0, sizeof a);
    a.title = S("t");
    a.body = (nd_str){ body, strlen(body) };
    a.lang = (nd_str){ lang, strlen(lang) };
    if (nd_store_add(db, &a, &id, &status) != ND_OK)
        printf("# add failed: %s\n", nd_store_errmsg(db));
    return id;
}

/* Stems are indexed in each article's language: when it is added, when
 * the index is rebuilt on open (FTS5's own rebuild cannot know a row's
 * language), and when it is deleted (no stem terms are left behind). */
static void test_stems_per_language(void)
{
    char dir[] = "/tmp/nd-stems-XXXXXX", path[256], cmd[300];
    nd_store *db;
    int64_t tr, ru;
    ok(mkdtemp(dir) != NULL, "temp dir");
    snprintf(path, sizeof path, "%s/news.db", dir);
    is_int(nd_store_open(&db, path, 0), ND_OK, "store opens");
    tr = add_lang(db, "Suriyeyle ilişkiler ve Rusyanın tutumu.", "tr");
    ru = add_lang(db, "Визит в Россию и переговоры с Россией.", "ru");
    is_int(found(db, "suriye", "tr"), 1, "a Turkish article is found by the base of its inflected word");
    is_int(found(db, "россия", NULL), 1, "a Russian one too, the query's language read from its letters");
    is_int(found(db, "=suriye", NULL), 0, "=suriye matches as written: not Suriyeyle");
    /* an index built by the version-2 tokenizer had no stems: FTS5's own
     * rebuild, which cannot pass a row's language, and an empty stem table
     * stand for it */
    sqlite3_exec(nd_store_sqlite(db), "INSERT INTO articles_fts(articles_fts) VALUES('rebuild');"
                 "DELETE FROM fts_stems; UPDATE store_info SET value = 2 WHERE key = 'fts_tokenizer'",
                 NULL, NULL, NULL);
    is_int(found(db, "suriye", "tr"), 0, "an index without stems does not find the inflected word");
    nd_store_close(db);
    is_int(nd_store_open(&db, path, 0), ND_OK, "reopened read-write");
    is_int(found(db, "suriye", "tr"), 1, "the rebuilt index has the Turkish stems");
    is_int(found(db, "россия", NULL), 1, "and the Russian ones");
    is_int(scalar(db, "SELECT value FROM store_info WHERE key = 'fts_tokenizer'"), ND__FTS_TOKENIZER_VERSION,
           "the tokenizer version is recorded");
    ok(sqlite3_exec(nd_store_sqlite(db), "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, row)",
                    NULL, NULL, NULL) == SQLITE_OK, "vocabulary table");
    is_int(scalar(db, "SELECT count(*) FROM temp.vocab WHERE term GLOB '~*'"), 0, "the index holds words only");
    is_int(scalar(db, "SELECT count(*) FROM fts_stems WHERE stem = 'suriye' AND word = 'suriyeyle'"), 1,
           "the stem table gives a Turkish word its stem");
    is_int(scalar(db, "SELECT count(*) FROM fts_stems WHERE stem = 'росс' AND word = 'россию'"), 1,
           "and a Russian one");
    is_int(nd_store_delete(db, tr), ND_OK, "delete the Turkish article");
    is_int(nd_store_delete(db, ru), ND_OK, "and the Russian one");
    is_int(scalar(db, "SELECT count(*) FROM temp.vocab"), 0, "no term, stem or word, is left behind");
    nd_store_close(db);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
}

/* A word's stems are written to the stem table once per connection, so a
 * rollback that takes the rows back must make the connection write them
 * again: a savepoint rolled back by hand (as db:transaction nests), a
 * transaction rolled back, each followed by an article with the same word. */
static void test_stems_after_rollback(void)
{
    nd_store *db;
    sqlite3 *con;
    is_int(nd_store_open(&db, NULL, 0), ND_OK, "store opens");
    con = nd_store_sqlite(db);
    is_int(nd_store_begin(db), ND_OK, "begin");
    is_int(sqlite3_exec(con, "SAVEPOINT by_hand", NULL, NULL, NULL), SQLITE_OK, "a savepoint by hand");
    ok(add_lang(db, "Suriyeyle görüşmeler.", "tr") > 0, "an article with Suriyeyle");
    is_int(sqlite3_exec(con, "ROLLBACK TO by_hand; RELEASE by_hand", NULL, NULL, NULL), SQLITE_OK,
           "rolled back to the savepoint");
    ok(add_lang(db, "Suriyeyle yeni görüşmeler.", "tr") > 0, "the same word in another article");
    is_int(nd_store_commit(db), ND_OK, "commit");
    is_int(found(db, "suriye", "tr"), 1, "the second article is found by the word's stem");

    is_int(nd_store_begin(db), ND_OK, "begin again");
    ok(add_lang(db, "Rusyanın tutumu.", "tr") > 0, "an article with Rusyanın");
    is_int(nd_store_rollback(db), ND_OK, "rolled back");
    is_int(sqlite3_exec(con, "BEGIN; SAVEPOINT x", NULL, NULL, NULL), SQLITE_OK, "a transaction by hand");
    ok(add_lang(db, "Rusyanın yeni tutumu.", "tr") > 0, "the same word inside it");
    is_int(sqlite3_exec(con, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK, "rolled back by hand");
    ok(add_lang(db, "Rusyanın son tutumu.", "tr") > 0, "and once more, committed");
    is_int(found(db, "rusya", "tr"), 1, "found by its stem");
    nd_store_close(db);
}

int main(void)
{
    test_fold_agrees();
    test_lsh_map();
    test_basics();
    test_transactions();
    test_files();
    test_reindex();
    test_stems_per_language();
    test_stems_after_rollback();
    test_text_cursor();
    test_fold_brings_apostrophe();
    return tap_done();
}
