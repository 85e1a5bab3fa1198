/*
 * store.c — the article store: connection, schema and migrations, adding,
 * deleting and querying articles, mentions and tagging records.
 *
 * Every statement is a fixed SQL text with ? parameters.  Statements used
 * per article are prepared once and cached on the handle (nd__store_stmt).
 * The query builder (nd_store_query) only joins fixed clauses chosen by
 * which fields of nd_query are set; caller strings are bound, never pasted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "nd_text.h"
#include "store_internal.h"

#define BUSY_TIMEOUT_MS 10000
/* Page cache per connection (KiB): large transactions stay in memory
 * instead of spilling pages to the WAL and reading them back. */
#define CACHE_KB "32768"
/* A number macro as a string literal, for the one PRAGMA that takes no
 * bound value. */
#define STR_(x) #x
#define STR(x) STR_(x)
/* Estimated Jaccard similarity of word 3-shingles from which a new article
 * counts as a near-duplicate (see dedup.c and the README). */
#define NEAR_THRESHOLD ND_SIGNATURE_NEAR
/* Fewer shingles than this: too short to judge, never a near-duplicate. */
#define NEAR_MIN_SHINGLES ND_SIGNATURE_MIN_SHINGLES

/* ---- schema ----------------------------------------------------------- */

static const struct migration {
    int version;
    const char *description;
    const char *sql;
} migrations[] = {
    { 1, "articles, text, full-text index, mentions, tagged",
      "CREATE TABLE articles(\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  hash TEXT NOT NULL,\n"
      "  duplicate_of INTEGER,\n"
      "  date TEXT, date_text TEXT, source TEXT, author TEXT, url TEXT, lang TEXT,\n"
      "  title TEXT,\n"
      "  meta TEXT,\n"
      "  added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));\n"
      "CREATE UNIQUE INDEX articles_hash ON articles(hash);\n"

      "CREATE INDEX articles_duplicate_of ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;\n"
      "CREATE TABLE article_text(\n"
      "  id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,\n"
      "  sig BLOB,\n"
      "  body TEXT,\n"
      "  raw BLOB);\n"
      "CREATE VIEW article_content AS\n"
      "  SELECT a.id AS id, a.title AS title, t.body AS body\n"
      "  FROM articles a JOIN article_text t ON t.id = a.id;\n"
      "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,\n"
      "  content='article_content', content_rowid='id', tokenize='newsdesk');\n"
      "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 8388608);\n"

      "CREATE TABLE mentions(\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
      "  ruleset TEXT NOT NULL,\n"
      "  field TEXT NOT NULL,\n"
      "  type TEXT NOT NULL,\n"
      "  entity TEXT NOT NULL,\n"
      "  start INTEGER NOT NULL,\n"
      "  stop INTEGER NOT NULL,\n"
      "  text TEXT, suffix TEXT, rule TEXT);\n"
      "CREATE INDEX mentions_article ON mentions(article_id, ruleset);\n"
      "CREATE INDEX mentions_entity ON mentions(entity, type);\n"
      "CREATE TABLE tagged(\n"
      "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,\n"
      "  ruleset TEXT NOT NULL,\n"
      "  tagged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
      "  PRIMARY KEY(article_id, ruleset)) WITHOUT ROWID;\n" },
    { 2, "store_info: what the store was built with",
      "CREATE TABLE store_info(key TEXT PRIMARY KEY, value) WITHOUT ROWID;\n" },
    { 3, "fts_stems: the stems of the index's words",
      "CREATE TABLE fts_stems(stem TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY(stem, word)) WITHOUT ROWID;\n" },
};

#define ARTICLE_COLUMNS "a.id, a.hash, a.duplicate_of, a.date, a.date_text, a.source, a.author, a.url, a.lang, a.title"

static const char *const sql_text[ST__COUNT] = {
    [ST_FIND_HASH] = "SELECT id FROM articles WHERE hash = ?1",
    [ST_INSERT_ARTICLE] = "INSERT INTO articles(hash, duplicate_of, date, date_text, source, author, url, lang, title, meta)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_INSERT_TEXT] = "INSERT INTO article_text(id, sig, body, raw) VALUES(?1, ?2, ?3, ?4)",
    [ST_INSERT_FTS] = "INSERT INTO articles_fts(rowid, title, body) VALUES(?1, ?2, ?3)",
    [ST_LOAD_SIGS] = "SELECT id, sig FROM article_text WHERE id > ?1 AND sig IS NOT NULL ORDER BY id",
    [ST_GET_SIG] = "SELECT t.sig, a.duplicate_of FROM article_text t JOIN articles a ON a.id = t.id WHERE t.id = ?1",
    [ST_GET] = "SELECT " ARTICLE_COLUMNS " FROM articles a WHERE a.id = ?1",
    [ST_GET_BODY] = "SELECT body FROM article_text WHERE id = ?1",
    [ST_GET_RAW] = "SELECT raw FROM article_text WHERE id = ?1",
    [ST_GET_META] = "SELECT meta FROM articles WHERE id = ?1",
    [ST_DELETE_FTS] = "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                      " SELECT 'delete', id, title, body FROM article_content WHERE id = ?1",
    [ST_DELETE_TEXT] = "DELETE FROM article_text WHERE id = ?1",
    [ST_DELETE_ARTICLE] = "DELETE FROM articles WHERE id = ?1",
    [ST_DELETE_MENTIONS] = "DELETE FROM mentions WHERE article_id = ?1",
    [ST_DELETE_TAGGED] = "DELETE FROM tagged WHERE article_id = ?1",
    [ST_PROMOTE_DUPS] = "UPDATE articles SET duplicate_of ="
                        " nullif((SELECT min(id) FROM articles WHERE duplicate_of = ?1), id)"
                        " WHERE duplicate_of = ?1",
    [ST_PUT_MENTIONS_CLEAR] = "DELETE FROM mentions WHERE article_id = ?1 AND ruleset = ?2",
    [ST_PUT_MENTION] = "INSERT INTO mentions(article_id, ruleset, field, type, entity, start, stop, text, suffix, rule)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_PUT_TAGGED] = "INSERT OR REPLACE INTO tagged(article_id, ruleset) VALUES(?1, ?2)",
    [ST_TAGGED] = "SELECT 1 FROM tagged WHERE article_id = ?1 AND ruleset = ?2",
    [ST_SAVEPOINT] = "SAVEPOINT nd_store",
    [ST_RELEASE] = "RELEASE nd_store",
    [ST_ROLLBACK_TO] = "ROLLBACK TO nd_store",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
};

/* ---- errors and statements --------------------------------------------- */

int nd__store_fail(nd_store *db, int rc, const char *fmt, ...)
{
    va_list ap;
    db->err.len = 0;
    va_start(ap, fmt);
    nd__vbufcat(&db->err, fmt, ap);
    va_end(ap);
    return rc;
}

int nd__store_dberr(nd_store *db, int src)
{
    int rc;
    switch (src & 0xFF) {
    case SQLITE_NOMEM: rc = ND_ENOMEM; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: rc = ND_EBUSY; break;
    default: rc = ND_EDB; break;
    }
    db->stems_stale = 1;        /* the failed statement's rows are taken back */
    return nd__store_fail(db, rc, "%s", db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(src));
}

sqlite3_stmt *nd__store_stmt(nd_store *db, int which)
{
    int src;
    if (db->st[which])
        return db->st[which];
    src = sqlite3_prepare_v3(db->db, sql_text[which], -1, SQLITE_PREPARE_PERSISTENT, &db->st[which], NULL);
    if (src != SQLITE_OK) {
        nd__store_dberr(db, src);
        return NULL;
    }
    return db->st[which];
}

/* Run a cached statement that returns no rows (after binding). */
static int run(nd_store *db, sqlite3_stmt *st)
{
    int src = sqlite3_step(st);
    sqlite3_reset(st);
    if (src == SQLITE_DONE || src == SQLITE_ROW)
        return ND_OK;
    return nd__store_dberr(db, src);
}

static int run_cached(nd_store *db, int which)
{
    sqlite3_stmt *st = nd__store_stmt(db, which);
    return st ? run(db, st) : ND_EDB;
}

static int exec(nd_store *db, const char *sql)
{
    int src = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return src == SQLITE_OK ? ND_OK : nd__store_dberr(db, src);
}

static void bind_str(sqlite3_stmt *st, int i, nd_str s)
{
    if (s.ptr)
        sqlite3_bind_text64(st, i, s.ptr, s.len, SQLITE_STATIC, SQLITE_UTF8);
    else
        sqlite3_bind_null(st, i);
}

/* For statements handed to the caller, which outlive the strings. */
static void bind_copy(sqlite3_stmt *st, int i, nd_str s)
{
    if (s.ptr)
        sqlite3_bind_text64(st, i, s.ptr, s.len, SQLITE_TRANSIENT, SQLITE_UTF8);
    else
        sqlite3_bind_null(st, i);
}

/* One integer from a single-row query (bound by the caller); *found = 0
 * when there is no row. */
static int query_int(nd_store *db, sqlite3_stmt *st, int64_t *v, int *found)
{
    int src = sqlite3_step(st);
    *found = src == SQLITE_ROW;
    if (*found)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (src == SQLITE_ROW || src == SQLITE_DONE)
        return ND_OK;
    return nd__store_dberr(db, src);
}

/* Prepare a statement run once (the caller finalizes *st, NULL when this
 * fails). */
static int prepare_once(nd_store *db, const char *sql, sqlite3_stmt **st)
{
    int src = sqlite3_prepare_v2(db->db, sql, -1, st, NULL);
    return src == SQLITE_OK ? ND_OK : nd__store_dberr(db, src);
}

/* The one integer of a single-row statement run once; *found as query_int. */
static int query_once(nd_store *db, const char *sql, int64_t *v, int *found)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare_once(db, sql, &st);
    *v = 0;
    *found = 0;
    if (rc == ND_OK)
        rc = query_int(db, st, v, found);
    sqlite3_finalize(st);
    return rc;
}

/* ---- open / close ------------------------------------------------------- */

static int schema_version(nd_store *db, int *version)
{
    int64_t v;
    int found, rc = query_once(db, "PRAGMA user_version", &v, &found);
    *version = (int)v;
    return rc;
}

/* *stale = 1 when the full-text index was built by another tokenizer
 * version than this library's (or none was recorded: stores of schema 1). */
static int index_stale(nd_store *db, int *stale)
{
    int64_t v;
    int found, rc = query_once(db, "SELECT value FROM store_info WHERE key = 'fts_tokenizer'", &v, &found);
    *stale = !found || v != ND__FTS_TOKENIZER_VERSION;
    return rc;
}

/* Index every article again, each in its language (FTS5's own 'rebuild'
 * cannot tell the tokenizer the language of a row). */
static int index_all(nd_store *db)
{
    sqlite3_stmt *rd = NULL, *ins = NULL;
    int src = sqlite3_prepare_v2(db->db, "SELECT c.id, c.title, c.body, a.lang FROM article_content c"
                                 " JOIN articles a ON a.id = c.id ORDER BY c.id", -1, &rd, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_prepare_v2(db->db, sql_text[ST_INSERT_FTS], -1, &ins, NULL);
    while (src == SQLITE_OK && (src = sqlite3_step(rd)) == SQLITE_ROW) {
        int k;
        for (k = 0; k < 3; k++)
            sqlite3_bind_value(ins, k + 1, sqlite3_column_value(rd, k));
        db->doc_lang = nd__fts_lang((const char *)sqlite3_column_text(rd, 3), (size_t)sqlite3_column_bytes(rd, 3));
        src = sqlite3_step(ins);
        db->doc_lang = -1;
        sqlite3_reset(ins);
        src = src == SQLITE_DONE ? SQLITE_OK : src;
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(ins);
    return src == SQLITE_DONE || src == SQLITE_OK ? ND_OK : nd__store_dberr(db, src);
}

/* Inside migrate's transaction: rebuild a stale full-text index from the
 * articles with this library's tokenizer, and record its version. */
static int reindex(nd_store *db)
{
    sqlite3_stmt *st = NULL;
    int stale, rc = index_stale(db, &stale);
    if (rc != ND_OK || !stale)
        return rc;
    rc = exec(db, "INSERT INTO articles_fts(articles_fts) VALUES('delete-all'); DELETE FROM fts_stems");
    db->stems_stale = 1;
    if (rc != ND_OK)
        return rc;
    rc = index_all(db);
    if (rc != ND_OK)
        return rc;
    rc = prepare_once(db, "INSERT OR REPLACE INTO store_info(key, value) VALUES('fts_tokenizer', ?1)", &st);
    if (rc == ND_OK) {
        sqlite3_bind_int(st, 1, ND__FTS_TOKENIZER_VERSION);
        rc = run(db, st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Bring the store up to this library: the schema migrations it lacks, and
 * a full-text index built by this tokenizer.  A read-only handle can do
 * neither: it refuses an older schema and searches a stale index as is. */
static int migrate(nd_store *db)
{
    int version = 0, stale = 0, rc;
    size_t i;
    rc = schema_version(db, &version);
    if (rc != ND_OK)
        return rc;
    if (version > ND_STORE_SCHEMA_VERSION)
        return nd__store_fail(db, ND_EINVAL, "store schema version %d is newer than this library's (%d)",
                              version, ND_STORE_SCHEMA_VERSION);
    if (version == ND_STORE_SCHEMA_VERSION) {
        if (db->flags & ND_OPEN_READONLY)
            return ND_OK;
        rc = index_stale(db, &stale);
        if (rc != ND_OK || !stale)
            return rc;
    } else if (db->flags & ND_OPEN_READONLY) {
        return nd__store_fail(db, ND_EINVAL, version == 0 ? "not a newsdesk store"
                              : "the store needs a schema upgrade: open it once read-write");
    }
    rc = run_cached(db, ST_BEGIN);
    if (rc == ND_OK)
        rc = schema_version(db, &version);         /* another process may have won */
    if (rc == ND_OK)
        rc = exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations(\n"
                      "  version INTEGER PRIMARY KEY,\n"
                      "  description TEXT NOT NULL,\n"
                      "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
    for (i = 0; rc == ND_OK && i < ND_ARRAY_LEN(migrations); i++) {
        sqlite3_stmt *st = NULL;
        if (migrations[i].version <= version)
            continue;
        rc = exec(db, migrations[i].sql);
        if (rc == ND_OK)
            rc = prepare_once(db, "INSERT INTO schema_migrations(version, description) VALUES(?1, ?2)", &st);
        if (rc == ND_OK) {
            sqlite3_bind_int(st, 1, migrations[i].version);
            sqlite3_bind_text(st, 2, migrations[i].description, -1, SQLITE_STATIC);
            rc = run(db, st);
        }
        sqlite3_finalize(st);
    }
    if (rc == ND_OK)
        rc = exec(db, "PRAGMA user_version = " STR(ND_STORE_SCHEMA_VERSION));
    if (rc == ND_OK)
        rc = reindex(db);
    if (rc == ND_OK)
        return run_cached(db, ST_COMMIT);
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* WAL, pragmas and migrations for a new connection.  SQLite does not call
 * the busy handler on every lock path taken here (the switch to WAL while
 * another process creates the same file, for one), so a busy answer is
 * retried for up to BUSY_TIMEOUT_MS: a second process opening a store waits
 * for the first instead of failing. */
static int setup(nd_store *db, int on_disk)
{
    const struct timespec pause = { 0, 20 * 1000000L };
    int waited = 0, rc;
    for (;;) {
        rc = ND_OK;
        if (on_disk && !(db->flags & ND_OPEN_READONLY))
            rc = exec(db, "PRAGMA journal_mode = WAL");
        if (rc == ND_OK)
            rc = exec(db, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -" CACHE_KB);
        if (rc == ND_OK)
            rc = migrate(db);
        if (rc != ND_EBUSY || waited >= BUSY_TIMEOUT_MS)
            return rc;
        nanosleep(&pause, NULL);
        waited += 20;
    }
}

int nd_store_open(nd_store **out, const char *path, unsigned flags)
{
    nd_store *db = nd__calloc(1, sizeof *db);
    int rc = ND_OK, src, oflags;
    *out = db;
    if (!db)
        return ND_ENOMEM;
    db->flags = flags;
    db->doc_lang = -1;
    if (flags & ~(unsigned)ND_OPEN_READONLY)
        return nd__store_fail(db, ND_EINVAL, "unknown flags 0x%x", flags);
    oflags = (flags & ND_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    src = sqlite3_open_v2(path ? path : ":memory:", &db->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        rc = nd__store_fail(db, src == SQLITE_NOMEM ? ND_ENOMEM : ND_EDB, "%s: %s", path ? path : ":memory:",
                            db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(src));
        goto done;
    }
    sqlite3_extended_result_codes(db->db, 1);
    sqlite3_busy_timeout(db->db, BUSY_TIMEOUT_MS);
    rc = nd__fts_register(db);
    if (rc == ND_OK)
        rc = setup(db, path != NULL);
    if (rc == ND_OK)
        nd__fts_terms_open(db);
    if (rc != ND_OK && path && db->err.len) {
        /* name the file in the message */
        nd_buf msg = ND_BUF_INIT;
        if (nd_buf_append(&msg, db->err.ptr, db->err.len) == ND_OK)
            nd__store_fail(db, rc, "%s: %s", path, msg.ptr);
        nd_buf_free(&msg);
    }
done:
    return rc;
}

void nd_store_close(nd_store *db)
{
    size_t i;
    if (!db)
        return;
    for (i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(db->st[i]);
    nd__fts_terms_close(db);
    sqlite3_close_v2(db->db);
    nd__folder_free(db->folder);
    nd__lsh_clear(&db->lsh);
    nd__prep_free(&db->prep);
    nd_buf_free(&db->scratch);
    nd_buf_free(&db->err);
    nd__free(db);
}

const char *nd_store_errmsg(const nd_store *db)
{
    return nd__errmsg(db ? &db->err : NULL);
}

sqlite3 *nd_store_sqlite(nd_store *db)
{
    return db->db;
}

/* The band table is re-synced in each new transaction (other connections
 * may have added articles); a rollback may take back ids it holds, so it
 * is rebuilt from scratch. */
int nd_store_begin(nd_store *db)
{
    db->lsh.loaded = 0;
    return run_cached(db, ST_BEGIN);
}

int nd_store_commit(nd_store *db)
{
    db->lsh.loaded = 0;
    return run_cached(db, ST_COMMIT);
}

int nd_store_rollback(nd_store *db)
{
    nd__lsh_clear(&db->lsh);
    return run_cached(db, ST_ROLLBACK);
}

/* Work on the store as one unit: its own transaction when none is open,
 * a savepoint inside the caller's.  *outer tells end_unit which it was. */
static int begin_unit(nd_store *db, int *outer)
{
    *outer = !sqlite3_get_autocommit(db->db);
    return run_cached(db, *outer ? ST_SAVEPOINT : ST_BEGIN);
}

static int end_unit(nd_store *db, int outer, int rc)
{
    if (rc == ND_OK)
        return run_cached(db, outer ? ST_RELEASE : ST_COMMIT);
    if (outer) {
        run_cached(db, ST_ROLLBACK_TO);
        run_cached(db, ST_RELEASE);
    } else if (!sqlite3_get_autocommit(db->db)) {
        run_cached(db, ST_ROLLBACK);
    }
    return rc;
}

/* ---- adding ------------------------------------------------------------- */

/* Set err to a formatted message and return rc (ND_ENOMEM if it cannot). */
static int prep_fail(nd_buf *err, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int prep_fail(nd_buf *err, int rc, const char *fmt, ...)
{
    va_list ap;
    int frc;
    va_start(ap, fmt);
    frc = nd__vbufprintf(err, fmt, ap);
    va_end(ap);
    return frc == ND_OK ? rc : ND_ENOMEM;
}

static int check_text(nd_buf *err, const char *name, nd_str s)
{
    size_t bad;
    if (!s.ptr || nd_utf8_check(s.ptr, s.len, &bad) == ND_OK)
        return ND_OK;
    return prep_fail(err, ND_EUTF8, "article %s: invalid UTF-8 at byte %zu", name, bad);
}

/* The article's fields as nd_store_add requires them; the text fields'
 * UTF-8 unless utf8_known. */
static int check_article(nd_buf *err, const nd_article *a, int utf8_known)
{
    const struct { const char *name; nd_str s; } f[] = {
        { "title", a->title }, { "body", a->body }, { "date", a->date }, { "date_text", a->date_text },
        { "source", a->source }, { "author", a->author }, { "url", a->url }, { "lang", a->lang },
        { "meta", a->meta_json },
    };
    size_t i;
    int rc = ND_OK;
    for (i = 0; rc == ND_OK && !utf8_known && i < ND_ARRAY_LEN(f); i++)
        rc = check_text(err, f[i].name, f[i].s);
    if (rc == ND_OK && a->meta_json.ptr) {
        json_error_t jerr;
        json_t *j = json_loadb(a->meta_json.ptr, a->meta_json.len, JSON_ALLOW_NUL, &jerr);
        if (!json_is_object(j))
            rc = prep_fail(err, ND_EINVAL, "article meta: not a JSON object (%s)", j ? "other value" : jerr.text);
        json_decref(j);
    }
    if (rc == ND_OK && ((a->title.ptr && a->title.len > UINT32_MAX) || (a->body.ptr && a->body.len > UINT32_MAX)))
        rc = prep_fail(err, ND_ELIMIT, "article text over 4 GB");
    return rc;
}

static void sig_to_blob(const nd__sig *sig, unsigned char *b)
{
    unsigned j;
    for (j = 0; j < ND__SIG_BINS; j++) {
        b[4 * j] = (unsigned char)(sig->bin[j] >> 24);
        b[4 * j + 1] = (unsigned char)(sig->bin[j] >> 16);
        b[4 * j + 2] = (unsigned char)(sig->bin[j] >> 8);
        b[4 * j + 3] = (unsigned char)sig->bin[j];
    }
}

static int sig_from_blob(nd__sig *sig, const unsigned char *b, int n)
{
    unsigned j;
    if (!b || n != 4 * ND__SIG_BINS)
        return 0;
    for (j = 0; j < ND__SIG_BINS; j++)
        sig->bin[j] = (uint32_t)b[4 * j] << 24 | (uint32_t)b[4 * j + 1] << 16 |
                      (uint32_t)b[4 * j + 2] << 8 | b[4 * j + 3];
    sig->empty = 0;
    return 1;
}

/* Bring the band table up to date with the database: everything on the
 * first add of a handle (or after a rollback), then, once per transaction,
 * what other connections added since. */
static int lsh_sync(nd_store *db)
{
    sqlite3_stmt *st = nd__store_stmt(db, ST_LOAD_SIGS);
    int src, rc = ND_OK;
    if (!st)
        return ND_EDB;
    sqlite3_bind_int64(st, 1, db->lsh.known_max);
    while (rc == ND_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        nd__sig sig;
        unsigned b;
        if (id > db->lsh.known_max)
            db->lsh.known_max = id;
        if (id > UINT32_MAX ||
            !sig_from_blob(&sig, sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1)))
            continue;
        for (b = 0; rc == ND_OK && b < ND__SIG_BANDS; b++)
            rc = nd__lsh_put(&db->lsh, nd__sig_band(&sig, b), (uint32_t)id, 0);
    }
    sqlite3_reset(st);
    if (rc != ND_OK)
        return nd__store_fail(db, rc, "%s", nd_errstr(rc));
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return nd__store_dberr(db, src);
    db->lsh.loaded = 1;
    return ND_OK;
}

/* The first-seen article that `sig` is a near-duplicate of, or 0.  dead[b]
 * is set when band b points at an article that no longer exists. */
static int find_near(nd_store *db, const nd__sig *sig, int64_t *orig, int dead[ND__SIG_BANDS])
{
    sqlite3_stmt *get = nd__store_stmt(db, ST_GET_SIG);
    uint32_t seen[ND__SIG_BANDS];
    unsigned b, nseen = 0, k;
    *orig = 0;
    if (!get)
        return ND_EDB;
    for (b = 0; b < ND__SIG_BANDS; b++) {
        uint32_t cand;
        nd__sig other;
        int row, dup = 0;
        dead[b] = 0;
        if (*orig || !nd__lsh_get(&db->lsh, nd__sig_band(sig, b), &cand))
            continue;
        for (k = 0; k < nseen; k++)
            dup |= seen[k] == cand;
        if (dup)
            continue;
        seen[nseen++] = cand;
        sqlite3_bind_int64(get, 1, cand);
        row = sqlite3_step(get);
        if (row == SQLITE_ROW &&
            sig_from_blob(&other, sqlite3_column_blob(get, 0), sqlite3_column_bytes(get, 0)) &&
            nd__sig_similarity(sig, &other) >= NEAR_THRESHOLD)
            *orig = sqlite3_column_type(get, 1) == SQLITE_NULL ? cand : sqlite3_column_int64(get, 1);
        dead[b] = row == SQLITE_DONE;
        sqlite3_reset(get);
        if (row != SQLITE_ROW && row != SQLITE_DONE)
            return nd__store_dberr(db, row);
    }
    return ND_OK;
}

/* Insert the rows of a new article; *stage counts the tables written so far
 * (1 articles, 2 article_text, 3 the index, 4 bands) for undo_insert. */
static int insert_article(nd_store *db, const nd_article *a, const nd__prep *prep, int64_t dup_of,
                          const int dead[ND__SIG_BANDS], int64_t *id, int *stage)
{
    const char *hash = prep->hash;
    const nd__sig *sig = &prep->sig;
    sqlite3_stmt *st = nd__store_stmt(db, ST_INSERT_ARTICLE);
    unsigned char blob[4 * ND__SIG_BINS];
    int rc;
    unsigned b;
    if (!st)
        return ND_EDB;
    sqlite3_bind_text(st, 1, hash, 16, SQLITE_STATIC);
    if (dup_of)
        sqlite3_bind_int64(st, 2, dup_of);
    else
        sqlite3_bind_null(st, 2);
    bind_str(st, 3, a->date);
    bind_str(st, 4, a->date_text);
    bind_str(st, 5, a->source);
    bind_str(st, 6, a->author);
    bind_str(st, 7, a->url);
    bind_str(st, 8, a->lang);
    bind_str(st, 9, a->title);
    bind_str(st, 10, a->meta_json);
    rc = run(db, st);
    sqlite3_clear_bindings(st);
    if (rc != ND_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(db->db);
    *stage = 1;

    if (!(st = nd__store_stmt(db, ST_INSERT_TEXT)))
        return ND_EDB;
    sqlite3_bind_int64(st, 1, *id);
    if (!sig->empty) {
        sig_to_blob(sig, blob);
        sqlite3_bind_blob(st, 2, blob, sizeof blob, SQLITE_STATIC);
    }
    bind_str(st, 3, a->body);
    if (a->raw.ptr)
        sqlite3_bind_blob64(st, 4, a->raw.len ? a->raw.ptr : "", a->raw.len, SQLITE_STATIC);
    rc = run(db, st);
    sqlite3_clear_bindings(st);
    if (rc != ND_OK)
        return rc;
    *stage = 2;

    if (!(st = nd__store_stmt(db, ST_INSERT_FTS)))
        return ND_EDB;
    sqlite3_bind_int64(st, 1, *id);
    bind_str(st, 2, a->title);
    bind_str(st, 3, a->body);
    db->replay = prep;
    db->replay_title = a->title;
    db->replay_body = a->body;
    rc = run(db, st);
    db->replay = NULL;
    sqlite3_clear_bindings(st);
    if (rc != ND_OK || sig->empty || sig->count < NEAR_MIN_SHINGLES)
        return rc;
    *stage = 3;

    if (*id > UINT32_MAX)
        return ND_OK;
    for (b = 0; rc == ND_OK && b < ND__SIG_BANDS; b++)
        rc = nd__lsh_put(&db->lsh, nd__sig_band(sig, b), (uint32_t)*id, dead[b]);
    if (*id > db->lsh.known_max)
        db->lsh.known_max = *id;
    return rc == ND_OK ? ND_OK : nd__store_fail(db, rc, "%s", nd_errstr(rc));
}

static int remove_rows(nd_store *db, int64_t id, int with_index);

void nd__prep_free(nd__prep *p)
{
    nd__terms_free(&p->title);
    nd__terms_free(&p->body);
    nd_buf_free(&p->err);
}

int nd__store_prepare(nd__folder *f, const nd_article *a, nd__prep *p)
{
    int rc = check_article(&p->err, a, p->utf8_known), lang;
    if (rc != ND_OK)
        return rc;
    nd__terms_clear(&p->title);
    nd__terms_clear(&p->body);
    lang = nd__fts_lang(a->lang.ptr, a->lang.len);
    if (a->title.ptr)
        rc = nd__tokenize(f, &p->title, a->title.ptr, a->title.len, lang);
    if (rc == ND_OK && a->body.ptr)
        rc = nd__tokenize(f, &p->body, a->body.ptr, a->body.len, lang);
    if (rc != ND_OK)
        return prep_fail(&p->err, rc, "%s", nd_errstr(rc));
    nd__terms_hash(&p->title, &p->body, p->hash);
    nd__sig_compute(&p->sig, p->body.n ? &p->body : &p->title);
    return ND_OK;
}

int nd_store_add(nd_store *db, const nd_article *a, int64_t *id, int *status)
{
    int rc;
    *id = 0;
    *status = ND_ADD_NEW;
    if (!db->folder && (rc = nd__folder_new(&db->folder)) != ND_OK)
        return nd__store_fail(db, rc, "%s", nd_errstr(rc));
    if ((rc = nd__store_prepare(db->folder, a, &db->prep)) != ND_OK)
        return nd__store_fail(db, rc, "%s", db->prep.err.ptr ? db->prep.err.ptr : nd_errstr(rc));
    return nd__store_add_prepared(db, a, &db->prep, id, status);
}

/* nd__store_add_prepared runs without a savepoint inside the caller's
 * transaction: FTS5 flushes its pending terms at every savepoint, which
 * would make each article a segment of its own.  A failure part-way is
 * undone by hand. */
int nd__store_add_prepared(nd_store *db, const nd_article *a, const nd__prep *p, int64_t *id, int *status)
{
    int64_t found = 0, dup_of = 0;
    int rc = ND_OK, have = 0, outer, stage = 0, dead[ND__SIG_BANDS] = { 0 };
    sqlite3_stmt *st;
    *id = 0;
    *status = ND_ADD_NEW;
    outer = !sqlite3_get_autocommit(db->db);
    if (!outer && (rc = run_cached(db, ST_BEGIN)) != ND_OK)
        return rc;
    if (!(st = nd__store_stmt(db, ST_FIND_HASH))) {
        rc = ND_EDB;
        goto done;
    }
    sqlite3_bind_text(st, 1, p->hash, 16, SQLITE_STATIC);
    rc = query_int(db, st, &found, &have);
    if (rc != ND_OK)
        goto done;
    if (have) {
        *id = found;
        *status = ND_ADD_DUPLICATE;
        goto done;
    }
    if (!p->sig.empty && p->sig.count >= NEAR_MIN_SHINGLES) {
        if (!outer || !db->lsh.loaded)
            rc = lsh_sync(db);
        if (rc == ND_OK)
            rc = find_near(db, &p->sig, &dup_of, dead);
        if (rc != ND_OK)
            goto done;
    }
    rc = insert_article(db, a, p, dup_of, dead, id, &stage);
    if (rc == ND_OK && dup_of)
        *status = ND_ADD_NEAR_DUPLICATE;
    if (rc != ND_OK && outer && stage > 0) {
        nd_buf keep = ND_BUF_INIT;             /* the message of the first failure */
        nd_buf_append(&keep, db->err.ptr ? db->err.ptr : "", db->err.len);
        remove_rows(db, *id, stage >= 3);
        nd__store_fail(db, rc, "%s", keep.ptr ? keep.ptr : "");
        nd_buf_free(&keep);
    }
done:
    if (!outer) {
        if (rc == ND_OK)
            rc = run_cached(db, ST_COMMIT);
        if (rc != ND_OK && !sqlite3_get_autocommit(db->db))
            nd_store_rollback(db);
    }
    if (rc != ND_OK) {
        *id = 0;
        *status = ND_ADD_NEW;
    }
    return rc;
}

/* ---- deleting ----------------------------------------------------------- */

static int run_id(nd_store *db, int which, int64_t id)
{
    sqlite3_stmt *st = nd__store_stmt(db, which);
    if (!st)
        return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    return run(db, st);
}

/* Remove the index entries of article id: FTS5 tokenizes its text again,
 * in the article's language, to find them. */
static int delete_index(nd_store *db, int64_t id)
{
    sqlite3_stmt *st = nd__store_stmt(db, ST_GET);
    int rc, src;
    if (!st)
        return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    src = sqlite3_step(st);
    db->doc_lang = src == SQLITE_ROW ? nd__fts_lang((const char *)sqlite3_column_text(st, ND_COL_LANG),
                                                    (size_t)sqlite3_column_bytes(st, ND_COL_LANG)) : -1;
    sqlite3_reset(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return nd__store_dberr(db, src);
    rc = run_id(db, ST_DELETE_FTS, id);
    db->doc_lang = -1;
    return rc;
}

/* Delete every row of article id: index entries (when it was indexed),
 * mentions, tagging records, text, metadata. */
static int remove_rows(nd_store *db, int64_t id, int with_index)
{
    static const int steps[] = {
        ST_DELETE_MENTIONS, ST_DELETE_TAGGED, ST_DELETE_TEXT, ST_DELETE_ARTICLE
    };
    int rc = with_index ? delete_index(db, id) : ND_OK;
    size_t i;
    for (i = 0; rc == ND_OK && i < ND_ARRAY_LEN(steps); i++)
        rc = run_id(db, steps[i], id);
    return rc;
}

int nd_store_delete(nd_store *db, int64_t id)
{
    sqlite3_stmt *st = nd__store_stmt(db, ST_GET);
    int rc, outer, have;
    int64_t v;
    if (!st)
        return ND_EDB;
    rc = begin_unit(db, &outer);
    if (rc != ND_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = query_int(db, st, &v, &have);
    if (rc == ND_OK && !have)
        rc = nd__store_fail(db, ND_ENOTFOUND, "no article with id %lld", (long long)id);
    if (rc == ND_OK)
        rc = remove_rows(db, id, 1);
    if (rc == ND_OK)
        rc = run_id(db, ST_PROMOTE_DUPS, id);
    nd__lsh_clear(&db->lsh);            /* its bands now belong to the surviving copies */
    return end_unit(db, outer, rc);
}

/* ---- mentions ----------------------------------------------------------- */

static int exists(nd_store *db, int64_t id)
{
    sqlite3_stmt *st = nd__store_stmt(db, ST_GET);
    int rc, have;
    int64_t v;
    if (!st)
        return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    rc = query_int(db, st, &v, &have);
    if (rc == ND_OK && !have)
        rc = nd__store_fail(db, ND_ENOTFOUND, "no article with id %lld", (long long)id);
    return rc;
}

int nd_store_put_mentions(nd_store *db, int64_t id, nd_str ruleset, const nd_mention *m, size_t n)
{
    sqlite3_stmt *st;
    int rc, outer;
    size_t i;
    if (!ruleset.ptr)
        return nd__store_fail(db, ND_EINVAL, "put_mentions: ruleset missing");
    rc = begin_unit(db, &outer);
    if (rc != ND_OK)
        return rc;
    rc = exists(db, id);
    if (rc == ND_OK && (st = nd__store_stmt(db, ST_PUT_MENTIONS_CLEAR))) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, ruleset);
        rc = run(db, st);
    }
    st = nd__store_stmt(db, ST_PUT_MENTION);
    if (!st && rc == ND_OK)
        rc = ND_EDB;
    for (i = 0; rc == ND_OK && i < n; i++) {
        if (!m[i].type.ptr || !m[i].entity.ptr || !m[i].field.ptr || m[i].start > m[i].stop) {
            rc = nd__store_fail(db, ND_EINVAL, "mention %zu: needs type, entity, field and start <= stop", i + 1);
            break;
        }
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, ruleset);
        bind_str(st, 3, m[i].field);
        bind_str(st, 4, m[i].type);
        bind_str(st, 5, m[i].entity);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)m[i].start);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)m[i].stop);
        bind_str(st, 8, m[i].text);
        bind_str(st, 9, m[i].suffix);
        bind_str(st, 10, m[i].rule);
        rc = run(db, st);
    }
    if (st)
        sqlite3_clear_bindings(st);
    if (rc == ND_OK && (st = nd__store_stmt(db, ST_PUT_TAGGED))) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, ruleset);
        rc = run(db, st);
    }
    return end_unit(db, outer, rc);
}

int nd_store_tagged(nd_store *db, int64_t id, nd_str ruleset, int *yes)
{
    sqlite3_stmt *st = nd__store_stmt(db, ST_TAGGED);
    int64_t v;
    *yes = 0;
    if (!st)
        return ND_EDB;
    if (!ruleset.ptr)
        return nd__store_fail(db, ND_EINVAL, "tagged: ruleset missing");
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, ruleset);
    return query_int(db, st, &v, yes);
}

/* ---- reading ------------------------------------------------------------ */

int nd_store_get_stmt(nd_store *db, sqlite3_stmt **st)
{
    *st = nd__store_stmt(db, ST_GET);
    return *st ? ND_OK : ND_EDB;
}

int nd_store_text_cursor(nd_store *db, const char *field, sqlite3_stmt **st)
{
    /* one column each: SQLite copies every result column at each step, and
     * a walk over bodies must not copy the raw input beside them */
    const char *sql;
    int src;
    *st = NULL;
    if (strcmp(field, "body") == 0)
        sql = "SELECT id, body FROM article_text WHERE id >= ?1 ORDER BY id";
    else if (strcmp(field, "raw") == 0)
        sql = "SELECT id, raw FROM article_text WHERE id >= ?1 ORDER BY id";
    else
        return nd__store_fail(db, ND_EINVAL, "text cursor: no stored text field '%s'", field);
    src = sqlite3_prepare_v2(db->db, sql, -1, st, NULL);
    return src == SQLITE_OK ? ND_OK : nd__store_dberr(db, src);
}

int nd_store_field(nd_store *db, int64_t id, const char *field, nd_buf *out, int *isnull)
{
    static const char *const cols[ND_COL_COUNT] = {
        "id", "hash", "duplicate_of", "date", "date_text", "source", "author", "url", "lang", "title"
    };
    int which = -1, col = 0, src, rc = ND_OK;
    size_t i;
    sqlite3_stmt *st;
    *isnull = 1;
    out->len = 0;
    if (strcmp(field, "body") == 0)
        which = ST_GET_BODY;
    else if (strcmp(field, "raw") == 0)
        which = ST_GET_RAW;
    else if (strcmp(field, "meta") == 0)
        which = ST_GET_META;
    for (i = 0; which < 0 && i < ND_COL_COUNT; i++)
        if (strcmp(field, cols[i]) == 0) {
            which = ST_GET;
            col = (int)i;
        }
    if (which < 0)
        return nd__store_fail(db, ND_EINVAL, "no article field '%s'", field);
    if (!(st = nd__store_stmt(db, which)))
        return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, col);
        int n = sqlite3_column_bytes(st, col);
        *isnull = sqlite3_column_type(st, col) == SQLITE_NULL;
        rc = nd_buf_append(out, p ? p : "", (size_t)n);
        if (rc != ND_OK)
            nd__store_fail(db, rc, "out of memory");
    } else if (src == SQLITE_DONE) {
        rc = nd__store_fail(db, ND_ENOTFOUND, "no article with id %lld", (long long)id);
    } else {
        rc = nd__store_dberr(db, src);
    }
    sqlite3_reset(st);
    return rc;
}

/* ---- queries ------------------------------------------------------------ */

static int append(nd_buf *b, const char *s)
{
    return nd_buf_append(b, s, strlen(s));
}

/* ids as a JSON array for json_each: only integers are written. */
static int ids_json(nd_buf *b, const int64_t *ids, size_t n)
{
    size_t i;
    int rc = append(b, "[");
    for (i = 0; rc == ND_OK && i < n; i++) {
        char num[32];
        int k = snprintf(num, sizeof num, "%s%lld", i ? "," : "", (long long)ids[i]);
        rc = nd_buf_append(b, num, (size_t)k);
    }
    return rc == ND_OK ? append(b, "]") : rc;
}

/* The FTS5 text of q->match into mq: matched in q->match_lang, else in the
 * language of the lang filter, else in the languages its letters suggest. */
static int match_query(nd_store *db, const nd_query *q, nd_buf *mq)
{
    nd__qopts o;
    nd_buf err = ND_BUF_INIT;
    int rc, lang = -1;
    if (q->derive < ND_DERIVE_DEFAULT || q->derive > ND_DERIVE_ALL)
        return nd__store_fail(db, ND_EINVAL, "unknown derive %d", q->derive);
    o.exact = q->exact;
    o.derive = q->derive == ND_DERIVE_NONE ? 0 : q->derive == ND_DERIVE_ALL ? 2 : 1;
    if (q->match_lang.ptr)
        lang = nd__fts_lang(q->match_lang.ptr, q->match_lang.len);
    else if (q->lang.ptr)
        lang = nd__fts_lang(q->lang.ptr, q->lang.len);
    o.langs = lang >= 0 ? 1u << lang : q->match_lang.ptr || q->lang.ptr ? 0 : nd__fts_guess_langs(q->match.ptr, q->match.len);
    /* letters only one language has ("rusyanın": ı) tell it as surely as
     * lang= would: one language guessed counts as known */
    o.known = lang >= 0 || (o.langs && !(o.langs & (o.langs - 1)));
    rc = nd__fts_query(mq, q->match.ptr, q->match.len, &o, &err);
    if (rc == ND_ESYNTAX && nd_query_check(q->match.ptr, q->match.len, &err) == ND_ESYNTAX)
        rc = nd__store_fail(db, rc, "%s", err.ptr);     /* the message nd_query_check gives */
    else if (rc != ND_OK)
        rc = nd__store_fail(db, rc, "out of memory");
    nd_buf_free(&err);
    return rc;
}

int nd_query_check(const char *q, size_t len, nd_buf *msg)
{
    nd_buf err = ND_BUF_INIT;
    int rc = nd__fts_query(NULL, q, len, NULL, &err);
    msg->len = 0;
    if (rc == ND_ESYNTAX) {
        if (nd_buf_append(msg, "bad search query '", 18) != ND_OK ||
            nd_buf_append(msg, q, len > 200 ? 200 : len) != ND_OK || nd_buf_append(msg, "': ", 3) != ND_OK ||
            nd_buf_append(msg, err.ptr, err.len) != ND_OK)
            rc = ND_ENOMEM;
    }
    nd_buf_free(&err);
    return rc;
}

/* The date range of a query or mention query: a.date from since (?4), up to
 * and within until (?5).  Appended to sql for the bounds given. */
static int append_dates(nd_buf *sql, nd_str since, nd_str until)
{
    int rc = ND_OK;
    if (since.ptr)
        rc = append(sql, " AND a.date >= ?4");
    if (rc == ND_OK && until.ptr)
        rc = append(sql, " AND (a.date < ?5 OR substr(a.date, 1, length(?5)) = ?5)");
    return rc;
}

static void bind_dates(sqlite3_stmt *st, nd_str since, nd_str until)
{
    if (since.ptr)
        bind_copy(st, 4, since);
    if (until.ptr)
        bind_copy(st, 5, until);
}

/* Prepare the statement built in sql for the caller; built: how building it
 * went (only ND_ENOMEM can fail).  *st stays NULL on failure. */
static int prepare_built(nd_store *db, int built, const nd_buf *sql, sqlite3_stmt **st)
{
    int src;
    if (built != ND_OK)
        return nd__store_fail(db, built, "out of memory");
    src = sqlite3_prepare_v2(db->db, sql->ptr, (int)sql->len, st, NULL);
    return src == SQLITE_OK ? ND_OK : nd__store_dberr(db, src);
}

int nd_store_query(nd_store *db, const nd_query *q, int count, sqlite3_stmt **out)
{
    nd_buf sql = ND_BUF_INIT, ids = ND_BUF_INIT, mq = ND_BUF_INIT;
    int rc = ND_OK, match = q->match.ptr != NULL, snippet, scored;
    sqlite3_stmt *st = NULL;
    *out = NULL;
    if (q->order == ND_ORDER_RANK && !match)
        return nd__store_fail(db, ND_EINVAL, "order \"rank\" needs a match query");
    if (q->order < ND_ORDER_ID || q->order > ND_ORDER_RANK)
        return nd__store_fail(db, ND_EINVAL, "unknown order %d", q->order);
    snippet = match && !count && q->mark_open.ptr;
    scored = match && !count && (q->score || snippet);
    rc = append(&sql, count ? "SELECT count(*) FROM (SELECT a.id" : "SELECT " ARTICLE_COLUMNS);
    if (rc == ND_OK && scored)
        rc = append(&sql, ", bm25(articles_fts)");
    if (rc == ND_OK && snippet)     /* neighbouring matches (a phrase) marked once */
        rc = append(&sql, ", replace(snippet(articles_fts, -1, ?9, ?10, '…', ?11), ?10 || ' ' || ?9, ' ')");
    if (rc == ND_OK && match) {
        rc = match_query(db, q, &mq);
        if (rc != ND_OK)
            goto done;
    }
    if (rc == ND_OK)
        rc = append(&sql, match ? " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                                  " WHERE articles_fts MATCH ?1" : " FROM articles a WHERE 1");
    if (rc == ND_OK && q->source.ptr)
        rc = append(&sql, " AND a.source = ?2");
    if (rc == ND_OK && q->lang.ptr)
        rc = append(&sql, " AND a.lang = ?3");
    if (rc == ND_OK)
        rc = append_dates(&sql, q->since, q->until);
    if (rc == ND_OK && q->nids)
        rc = append(&sql, " AND a.id IN (SELECT value FROM json_each(?6))");
    if (rc == ND_OK && q->hide_duplicates)
        rc = append(&sql, " AND a.duplicate_of IS NULL");
    if (rc == ND_OK && !count) {
        static const char *const order[] = {
            [ND_ORDER_ID] = " ORDER BY a.id",
            [ND_ORDER_DATE] = " ORDER BY a.date IS NULL, a.date, a.id",
            [ND_ORDER_DATE_DESC] = " ORDER BY a.date IS NULL, a.date DESC, a.id DESC",
            [ND_ORDER_RANK] = " ORDER BY articles_fts.rank, a.id",
        };
        rc = append(&sql, order[q->order]);
    }
    if (rc == ND_OK && (q->limit > 0 || q->offset > 0))
        rc = append(&sql, " LIMIT ?7 OFFSET ?8");
    if (rc == ND_OK && count)
        rc = append(&sql, ")");
    if (rc == ND_OK && q->nids)
        rc = ids_json(&ids, q->ids, q->nids);
    if ((rc = prepare_built(db, rc, &sql, &st)) != ND_OK)
        goto done;
    if (match)
        sqlite3_bind_text(st, 1, mq.len ? mq.ptr : "", (int)mq.len, SQLITE_TRANSIENT);
    if (snippet) {
        bind_copy(st, 9, q->mark_open);
        bind_copy(st, 10, q->mark_close.ptr ? q->mark_close : q->mark_open);
        sqlite3_bind_int(st, 11, q->snippet_tokens > 0 && q->snippet_tokens <= 64 ? q->snippet_tokens : 16);
    }
    if (q->source.ptr)
        bind_copy(st, 2, q->source);
    if (q->lang.ptr)
        bind_copy(st, 3, q->lang);
    bind_dates(st, q->since, q->until);
    if (q->nids)
        sqlite3_bind_text(st, 6, ids.ptr, (int)ids.len, SQLITE_TRANSIENT);
    if (q->limit > 0 || q->offset > 0) {
        sqlite3_bind_int64(st, 7, q->limit > 0 ? q->limit : -1);
        sqlite3_bind_int64(st, 8, q->offset > 0 ? q->offset : 0);
    }
    *out = st;
    st = NULL;
done:
    sqlite3_finalize(st);
    nd_buf_free(&sql);
    nd_buf_free(&ids);
    nd_buf_free(&mq);
    return rc;
}

int nd_store_mentions(nd_store *db, const nd_mention_query *q, sqlite3_stmt **out)
{
    nd_buf sql = ND_BUF_INIT;
    int rc;
    sqlite3_stmt *st = NULL;
    *out = NULL;
    rc = append(&sql, "SELECT m.article_id, m.field, m.type, m.entity, m.start, m.stop, m.text, m.suffix, m.rule"
                      " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE 1");
    if (rc == ND_OK && q->entity.ptr)
        rc = append(&sql, " AND m.entity = ?1");
    if (rc == ND_OK && q->type.ptr)
        rc = append(&sql, " AND m.type = ?2");
    if (rc == ND_OK && q->article > 0)
        rc = append(&sql, " AND m.article_id = ?3");
    if (rc == ND_OK)
        rc = append_dates(&sql, q->since, q->until);
    if (rc == ND_OK && q->source.ptr)
        rc = append(&sql, " AND a.source = ?6");
    if (rc == ND_OK)
        rc = append(&sql, " ORDER BY m.article_id, m.field DESC, m.start, m.id");
    if ((rc = prepare_built(db, rc, &sql, &st)) != ND_OK)
        goto done;
    if (q->entity.ptr)
        bind_copy(st, 1, q->entity);
    if (q->type.ptr)
        bind_copy(st, 2, q->type);
    if (q->article > 0)
        sqlite3_bind_int64(st, 3, q->article);
    bind_dates(st, q->since, q->until);
    if (q->source.ptr)
        bind_copy(st, 6, q->source);
    *out = st;
    st = NULL;
done:
    sqlite3_finalize(st);
    nd_buf_free(&sql);
    return rc;
}

/* ---- cursors: rows for hosts, without SQLite types ------------------------ */

struct nd_cursor {
    nd_store *db;
    sqlite3_stmt *st;
    int scored, snippet;     /* the optional columns the statement has */
};

int nd_store_select(nd_store *db, const nd_query *q, nd_cursor **out)
{
    nd_cursor *c;
    int rc;
    *out = NULL;
    c = nd__calloc(1, sizeof *c);
    if (!c)
        return ND_ENOMEM;
    rc = nd_store_query(db, q, 0, &c->st);
    if (rc != ND_OK) {
        nd_free(c);
        return rc;
    }
    c->db = db;
    c->snippet = q->match.ptr && q->mark_open.ptr;
    c->scored = q->match.ptr && (q->score || c->snippet);
    *out = c;
    return ND_OK;
}

/* Column i of st as borrowed text; ptr NULL for SQL NULL. */
static nd_str column_str(sqlite3_stmt *st, int i)
{
    nd_str s;
    s.ptr = (const char *)sqlite3_column_text(st, i);
    s.len = s.ptr ? (size_t)sqlite3_column_bytes(st, i) : 0;
    return s;
}

int nd_cursor_next(nd_cursor *c, nd_row *row)
{
    int rc;
    memset(row, 0, sizeof *row);
    if (!c)
        return ND_EINVAL;
    rc = sqlite3_step(c->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return nd__store_fail(c->db, ND_EDB, "%s", sqlite3_errmsg(sqlite3_db_handle(c->st)));
    row->id = sqlite3_column_int64(c->st, ND_COL_ID);
    row->duplicate_of = sqlite3_column_int64(c->st, ND_COL_DUPLICATE_OF);
    row->hash = column_str(c->st, ND_COL_HASH);
    row->date = column_str(c->st, ND_COL_DATE);
    row->date_text = column_str(c->st, ND_COL_DATE_TEXT);
    row->source = column_str(c->st, ND_COL_SOURCE);
    row->author = column_str(c->st, ND_COL_AUTHOR);
    row->url = column_str(c->st, ND_COL_URL);
    row->lang = column_str(c->st, ND_COL_LANG);
    row->title = column_str(c->st, ND_COL_TITLE);
    if (c->scored)
        row->score = sqlite3_column_double(c->st, ND_COL_SCORE);
    if (c->snippet)
        row->snippet = column_str(c->st, ND_COL_SNIPPET);
    return 1;
}

void nd_cursor_close(nd_cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    nd_free(c);
}
