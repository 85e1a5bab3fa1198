/*
 * merge.c — combine stores: every article of another store file is added
 * to this one as nd_store_add adds any article (exact duplicates found by
 * the folded-text hash, near-duplicates linked by the MinHash bands, the
 * full-text index written with this library's tokenizer), then the other
 * store's tagging records and mentions follow the articles they belong to.
 *
 * The other store is opened read-only through nd_store_open, so a file
 * that is not a newsdesk store is refused with its name; nothing is
 * ATTACHed and every statement is fixed SQL with bound parameters.  A
 * merge run twice adds nothing the second time: every article is then an
 * exact duplicate and every (article, rule set) pair already tagged.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Articles per transaction when the caller has none open (as ingest). */
#define MERGE_BATCH 1000
/* Articles or tagging records between progress calls. */
#define PROGRESS_EVERY 256

/* Where an article of the other store went: its id here, and whether its
 * mentions may follow it (the stored text is byte for byte the same, so
 * the byte offsets still hold). */
typedef struct moved {
    int64_t from, to;
    int carry;
} moved;

typedef struct merge {
    nd_store *db, *in;
    const char *path;
    const nd_merge_opts *o;
    nd_merge_stats *st;
    moved *map;
    size_t n, cap;
    int outer;                   /* the caller's transaction is open */
    uint64_t done, total;
} merge;

/* Fail with the other store's message, prefixed by its file name. */
static int fail_in(merge *m, int rc)
{
    return nd__store_fail(m->db, rc, "%s: %s", m->path, m->in && m->in->db ? sqlite3_errmsg(m->in->db)
                                                                          : nd_store_errmsg(m->in));
}

static int prepare_in(merge *m, const char *sql, sqlite3_stmt **st)
{
    int src = sqlite3_prepare_v2(m->in->db, sql, -1, st, NULL);
    return src == SQLITE_OK ? ND_OK : fail_in(m, ND_EDB);
}

static int report(merge *m, int force)
{
    nd_merge_progress p;
    if (!m->o || !m->o->progress || (!force && m->done % PROGRESS_EVERY != 0))
        return ND_OK;
    p.done = m->done;
    p.total = m->total;
    p.added = m->st->added;
    p.mentions = m->st->mentions;
    if (m->o->progress(m->o->progress_ud, &p))
        return nd__store_fail(m->db, ND_ERROR, "interrupted");
    return ND_OK;
}

/* Commit every MERGE_BATCH articles when the merge owns the transaction. */
static int batch_step(merge *m, int last)
{
    int rc = ND_OK;
    if (m->outer || (!last && m->done % MERGE_BATCH != 0))
        return ND_OK;
    rc = nd_store_commit(m->db);
    if (rc == ND_OK && !last)
        rc = nd_store_begin(m->db);
    return rc;
}

static nd_str col_str(sqlite3_stmt *st, int i)
{
    nd_str s = { NULL, 0 };
    if (sqlite3_column_type(st, i) != SQLITE_NULL) {
        s.ptr = (const char *)sqlite3_column_text(st, i);
        s.len = (size_t)sqlite3_column_bytes(st, i);
        if (!s.ptr)
            s.ptr = "";
    }
    return s;
}

static int same_str(nd_str a, nd_str b)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* *same = 1 when article `id` here has exactly title t and body b. */
static int same_text(merge *m, sqlite3_stmt *get, int64_t id, nd_str t, nd_str b, int *same)
{
    int src;
    sqlite3_bind_int64(get, 1, id);
    src = sqlite3_step(get);
    *same = src == SQLITE_ROW && same_str(col_str(get, 0), t) && same_str(col_str(get, 1), b);
    sqlite3_reset(get);
    return src == SQLITE_ROW || src == SQLITE_DONE ? ND_OK : nd__store_dberr(m->db, src);
}

static int remember(merge *m, int64_t from, int64_t to, int carry)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        moved *v = nd__realloc(m->map, cap * sizeof *v);
        if (!v)
            return nd__store_fail(m->db, ND_ENOMEM, "%s", nd_errstr(ND_ENOMEM));
        m->map = v;
        m->cap = cap;
    }
    m->map[m->n].from = from;
    m->map[m->n].to = to;
    m->map[m->n].carry = carry;
    m->n++;
    return ND_OK;
}

/* Pass 1: every article, in the other store's id order. */
static int merge_articles(merge *m)
{
    sqlite3_stmt *rd = NULL, *get = NULL;
    int rc, src = SQLITE_OK;
    rc = prepare_in(m, "SELECT a.id, a.title, t.body, a.date, a.date_text, a.source, a.author, a.url, a.lang,"
                       " t.raw, a.meta FROM articles a JOIN article_text t ON t.id = a.id ORDER BY a.id", &rd);
    if (rc == ND_OK && sqlite3_prepare_v2(m->db->db, "SELECT a.title, t.body FROM articles a"
                                          " JOIN article_text t ON t.id = a.id WHERE a.id = ?1",
                                          -1, &get, NULL) != SQLITE_OK)
        rc = nd__store_dberr(m->db, sqlite3_errcode(m->db->db));
    while (rc == ND_OK && (src = sqlite3_step(rd)) == SQLITE_ROW) {
        nd_article a;
        int64_t id = 0;
        int status = ND_ADD_NEW, carry = 1;
        memset(&a, 0, sizeof a);
        a.title = col_str(rd, 1);
        a.body = col_str(rd, 2);
        a.date = col_str(rd, 3);
        a.date_text = col_str(rd, 4);
        a.source = col_str(rd, 5);
        a.author = col_str(rd, 6);
        a.url = col_str(rd, 7);
        a.lang = col_str(rd, 8);
        if (sqlite3_column_type(rd, 9) != SQLITE_NULL) {
            a.raw.ptr = sqlite3_column_blob(rd, 9);
            a.raw.len = (size_t)sqlite3_column_bytes(rd, 9);
            if (!a.raw.ptr)
                a.raw.ptr = "";
        }
        a.meta_json = col_str(rd, 10);
        rc = nd_store_add(m->db, &a, &id, &status);
        if (rc != ND_OK) {
            nd_buf msg = ND_BUF_INIT;
            if (nd_buf_append(&msg, m->db->err.ptr, m->db->err.len) == ND_OK)
                nd__store_fail(m->db, rc, "%s: article %lld: %s", m->path,
                               (long long)sqlite3_column_int64(rd, 0), msg.ptr);
            nd_buf_free(&msg);
            break;
        }
        if (status == ND_ADD_DUPLICATE) {
            m->st->duplicates++;
            rc = same_text(m, get, id, a.title, a.body, &carry);
        } else {
            m->st->added++;
            m->st->near_duplicates += status == ND_ADD_NEAR_DUPLICATE;
        }
        if (rc == ND_OK)
            rc = remember(m, sqlite3_column_int64(rd, 0), id, carry);
        m->st->articles++;
        m->done++;
        if (rc == ND_OK)
            rc = batch_step(m, 0);
        if (rc == ND_OK)
            rc = report(m, 0);
    }
    if (rc == ND_OK && src != SQLITE_DONE)
        rc = fail_in(m, ND_EDB);
    sqlite3_finalize(rd);
    sqlite3_finalize(get);
    return rc;
}

static const moved *find_moved(const merge *m, int64_t from)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->map[mid].from < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->map[lo].from == from ? &m->map[lo] : NULL;
}

/* The mentions of one (article, rule set) of the other store, copied into
 * text (all strings) and v (offsets + 1 into text while reading, then
 * pointers: text may move as it grows). */
typedef struct mention_set {
    nd_buf text;
    nd_mention *v;
    size_t n, cap;
} mention_set;

static int keep_str(nd_buf *text, nd_str s, nd_str *out)
{
    int rc;
    out->ptr = s.ptr ? (const char *)(uintptr_t)(text->len + 1) : NULL;   /* offset + 1: 0 stays NULL */
    out->len = s.len;
    if (!s.ptr)
        return ND_OK;
    rc = nd_buf_append(text, s.len ? s.ptr : "", s.len);
    return rc;
}

static void fix_ptr(const nd_buf *text, nd_str *s)
{
    if (s->ptr)
        s->ptr = text->ptr + ((uintptr_t)s->ptr - 1);
}

static int read_mentions(merge *m, sqlite3_stmt *rd, mention_set *ms)
{
    int src, rc = ND_OK;
    size_t i;
    ms->n = 0;
    ms->text.len = 0;
    while (rc == ND_OK && (src = sqlite3_step(rd)) == SQLITE_ROW) {
        nd_mention *x;
        if (ms->n == ms->cap) {
            size_t cap = ms->cap ? 2 * ms->cap : 64;
            nd_mention *v = nd__realloc(ms->v, cap * sizeof *v);
            if (!v) {
                rc = ND_ENOMEM;
                break;
            }
            ms->v = v;
            ms->cap = cap;
        }
        x = &ms->v[ms->n++];
        memset(x, 0, sizeof *x);
        x->start = (size_t)sqlite3_column_int64(rd, 3);
        x->stop = (size_t)sqlite3_column_int64(rd, 4);
        rc = keep_str(&ms->text, col_str(rd, 0), &x->field);
        if (rc == ND_OK)
            rc = keep_str(&ms->text, col_str(rd, 1), &x->type);
        if (rc == ND_OK)
            rc = keep_str(&ms->text, col_str(rd, 2), &x->entity);
        if (rc == ND_OK)
            rc = keep_str(&ms->text, col_str(rd, 5), &x->text);
        if (rc == ND_OK)
            rc = keep_str(&ms->text, col_str(rd, 6), &x->suffix);
        if (rc == ND_OK)
            rc = keep_str(&ms->text, col_str(rd, 7), &x->rule);
    }
    sqlite3_reset(rd);
    if (rc != ND_OK)
        return nd__store_fail(m->db, rc, "%s", nd_errstr(rc));
    if (src != SQLITE_DONE)
        return fail_in(m, ND_EDB);
    for (i = 0; i < ms->n; i++) {
        fix_ptr(&ms->text, &ms->v[i].field);
        fix_ptr(&ms->text, &ms->v[i].type);
        fix_ptr(&ms->text, &ms->v[i].entity);
        fix_ptr(&ms->text, &ms->v[i].text);
        fix_ptr(&ms->text, &ms->v[i].suffix);
        fix_ptr(&ms->text, &ms->v[i].rule);
    }
    return ND_OK;
}

/* Pass 2: every tagging record of the other store, with its mentions,
 * unless the article here is already tagged with that rule set or its
 * stored text differs (an exact duplicate written otherwise: the offsets
 * would not fit; tagging it again here finds its mentions). */
static int merge_tags(merge *m)
{
    sqlite3_stmt *tags = NULL, *rd = NULL;
    mention_set ms;
    int rc, src = SQLITE_OK;
    memset(&ms, 0, sizeof ms);
    rc = prepare_in(m, "SELECT article_id, ruleset FROM tagged ORDER BY article_id, ruleset", &tags);
    if (rc == ND_OK)
        rc = prepare_in(m, "SELECT field, type, entity, start, stop, text, suffix, rule FROM mentions"
                           " WHERE article_id = ?1 AND ruleset = ?2 ORDER BY id", &rd);
    while (rc == ND_OK && (src = sqlite3_step(tags)) == SQLITE_ROW) {
        const moved *mv = find_moved(m, sqlite3_column_int64(tags, 0));
        nd_str ruleset = col_str(tags, 1);
        int yes = 0;
        m->done++;
        if (!mv || !ruleset.ptr)
            continue;                  /* a record of no article: nothing to carry */
        rc = nd_store_tagged(m->db, mv->to, ruleset, &yes);
        if (rc != ND_OK || yes)
            continue;
        if (!mv->carry) {
            m->st->untagged++;
            continue;
        }
        sqlite3_bind_int64(rd, 1, sqlite3_column_int64(tags, 0));
        sqlite3_bind_text64(rd, 2, ruleset.ptr, ruleset.len, SQLITE_STATIC, SQLITE_UTF8);
        rc = read_mentions(m, rd, &ms);
        if (rc == ND_OK)
            rc = nd_store_put_mentions(m->db, mv->to, ruleset, ms.v, ms.n);
        if (rc == ND_OK) {
            m->st->tagged++;
            m->st->mentions += ms.n;
            rc = report(m, 0);
        }
    }
    if (rc == ND_OK && src != SQLITE_DONE)
        rc = fail_in(m, ND_EDB);
    sqlite3_finalize(tags);
    sqlite3_finalize(rd);
    nd__free(ms.v);
    nd_buf_free(&ms.text);
    return rc;
}

static int count_in(merge *m, const char *sql, uint64_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare_in(m, sql, &st);
    if (rc == ND_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *n += (uint64_t)sqlite3_column_int64(st, 0);
        else
            rc = fail_in(m, ND_EDB);
    }
    sqlite3_finalize(st);
    return rc;
}

int nd_store_merge(nd_store *db, const char *path, const nd_merge_opts *o, nd_merge_stats *st)
{
    merge m;
    const char *here, *there;
    int rc;
    memset(&m, 0, sizeof m);
    m.db = db;
    m.path = path;
    m.o = o;
    m.st = st;
    if (!path)
        return nd__store_fail(db, ND_EINVAL, "merge: no store file named");
    if (db->flags & ND_OPEN_READONLY)
        return nd__store_fail(db, ND_EINVAL, "merge: this store is open read-only");
    rc = nd_store_open(&m.in, path, ND_OPEN_READONLY);
    if (rc != ND_OK) {
        /* nd_store_open's message names the file already */
        rc = nd__store_fail(db, rc, "%s", nd_store_errmsg(m.in));
        goto done;
    }
    here = sqlite3_db_filename(db->db, "main");
    there = sqlite3_db_filename(m.in->db, "main");
    if (here && there && *here && strcmp(here, there) == 0) {
        rc = nd__store_fail(db, ND_EINVAL, "%s: cannot merge a store into itself", path);
        goto done;
    }
    rc = count_in(&m, "SELECT count(*) FROM articles", &m.total);
    if (rc == ND_OK)
        rc = count_in(&m, "SELECT count(*) FROM tagged", &m.total);
    if (rc != ND_OK)
        goto done;
    m.outer = !sqlite3_get_autocommit(db->db);
    if (!m.outer && (rc = nd_store_begin(db)) != ND_OK)
        goto done;
    rc = merge_articles(&m);
    if (rc == ND_OK)
        rc = merge_tags(&m);
    if (rc == ND_OK)
        rc = batch_step(&m, 1);
    else if (!m.outer && !sqlite3_get_autocommit(db->db))
        nd_store_rollback(db);
    if (rc == ND_OK)
        rc = report(&m, 1);
done:
    nd__free(m.map);
    nd_store_close(m.in);
    return rc;
}
