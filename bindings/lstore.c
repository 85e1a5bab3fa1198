/*
 * lstore.c — the Lua side of the article store (module "newsdesk.store";
 * newsdesk.open is this module's open).
 *
 *   db = newsdesk.open([path][, {readonly=true}])   -- no path: in memory
 *   db:add(t) -> id, is_new, status      db:get(id) -> article | nil
 *   db:delete(id) -> true                db:count([q]) -> n
 *   db:transaction(fn, ...) -> fn's results (rolled back and re-raised on error)
 *   for a in db:articles([q]) do ... end  -- q: source, lang, since, until,
 *        match, ids, duplicates, limit, offset, order ("date", "-date", "rank")
 *   db:search(query[, {limit=20, snippet=true, mark={"[", "]"}, ...q}])
 *        -> { {article=, score=, snippet=}, ... } | nil, message, "syntax"
 *        (q and db:articles also take exact, derive, match_lang with match)
 *   newsdesk.store.check_query(query) -> true | nil, message
 *   for row in db:sql(select, ...) do ... end           -- read-only
 *   db:mentions{id=, type=, article=, since=, until=, source=} -> list
 *   db:merge(path[, {progress=fn}]) -> stats | nil, message, code
 *   db:close()
 * Articles ("newsdesk.article") carry their metadata; body, raw and meta are
 * read from the store on first access and then kept.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lnd.h"
#include "nd_store.h"
#include "nd_store_sql.h"   /* nd_store_query & co.: statements on the connection */

#define ARTICLE_MT "newsdesk.article"
#define CURSOR_MT "newsdesk.cursor"

typedef struct lcursor lcursor;

typedef struct lstore {
    nd_store *db;              /* NULL once closed */
    int pinned;                /* C code is using db across Lua callbacks */
    lcursor *cursors;          /* open cursors, finalized when the store closes */
    unsigned restrict_flags;   /* LND_STORE_READONLY, LND_STORE_HOST */
    const lnd_host *host;      /* lnd_host_get at open (set once per state), kept for a:find */
    nd_buf buf;
} lstore;

enum { CURSOR_ARTICLES, CURSOR_ROWS };

struct lcursor {
    sqlite3_stmt *st;          /* NULL once finished */
    lcursor *next, **prevp;
    int kind;
    int text_walk;             /* articles come in id order */
    lstore *store;             /* kept alive by the cursor's user value */
    uint64_t gen;              /* steps taken, for articles reading the current row */
    sqlite3_stmt *text[2];     /* walk body [0] and raw [1] beside an id-ordered cursor */
    int64_t text_id[2];        /* id of each walk's current row, 0 = none */
};

/* Text fields of an article object, stored after the struct. */
enum { F_HASH, F_DATE, F_DATE_TEXT, F_SOURCE, F_AUTHOR, F_URL, F_LANG, F_TITLE, F__COUNT };
static const int field_col[F__COUNT] = {
    ND_COL_HASH, ND_COL_DATE, ND_COL_DATE_TEXT, ND_COL_SOURCE, ND_COL_AUTHOR, ND_COL_URL, ND_COL_LANG, ND_COL_TITLE
};
#define NO_VALUE UINT32_MAX

/* An article object.  Made by a cursor, it reads its metadata from the
 * cursor's current row while the cursor stays there (gen unchanged) and
 * copies nothing; once the cursor has moved on, the first access loads the
 * row (an eager copy kept as user value UV_ROW).  Made elsewhere, it holds
 * a copy of its metadata in text[]. */
typedef struct larticle {
    int64_t id;
    lcursor *cur;              /* row mode: the cursor (kept alive by UV_OWNER) */
    uint64_t gen;              /* the cursor's step when this row was current */
    unsigned cached;           /* bit uv: user value uv (body, raw, meta) is set */
    /* copy mode only: */
    int64_t duplicate_of;      /* 0: none */
    uint32_t off[F__COUNT], len[F__COUNT];
    char text[];
} larticle;

/* Row-mode articles end before the copy: less to allocate and collect a row. */
#define ROW_ARTICLE_SIZE offsetof(larticle, duplicate_of)

/* user values of an article: its owner (the cursor it came from, whose
 * user value is the store, or else the store itself), cached body, raw and
 * meta, and the row loaded once the cursor has moved on */
enum { UV_OWNER = 1, UV_BODY, UV_RAW, UV_META, UV_ROW, UV__COUNT = UV_ROW };

/* ---- store handle ------------------------------------------------------- */

static lstore *tostore(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, LND_STORE_MT);
}

static lstore *checkopen(lua_State *L, int idx)
{
    lstore *s = tostore(L, idx);
    if (!s->db)
        luaL_error(L, "attempt to use a closed store");
    return s;
}

nd_store *lnd_checkstore(lua_State *L, int idx)
{
    return checkopen(L, idx)->db;
}

/* checkopen for a method that writes: a read-only store raises. */
static lstore *checkwritable(lua_State *L, int idx, const char *method)
{
    lstore *s = checkopen(L, idx);
    if (s->restrict_flags & LND_STORE_READONLY)
        luaL_error(L, "db:%s: the store is read-only here (the host grants writes with store_writable)", method);
    return s;
}

nd_store *lnd_checkstore_writable(lua_State *L, int idx, const char *method)
{
    return checkwritable(L, idx, method)->db;
}

void lnd_store_restrict(lua_State *L, int idx, unsigned flags)
{
    lstore *s = checkopen(L, idx);
    s->restrict_flags = flags;
    /* also below this binding: no write reaches the file */
    sqlite3_exec(nd_store_sqlite(s->db), (flags & LND_STORE_READONLY) ? "PRAGMA query_only = ON"
                                                                       : "PRAGMA query_only = OFF",
                 NULL, NULL, NULL);
}

int lnd_store_pin(lua_State *L, int idx, int delta)
{
    lstore *s = checkopen(L, idx);
    s->pinned += delta;
    return s->pinned;
}

static void cursor_finish(lcursor *c)
{
    int w;
    for (w = 0; w < 2; w++) {
        sqlite3_finalize(c->text[w]);
        c->text[w] = NULL;
        c->text_id[w] = 0;
    }
    if (!c->st)
        return;
    sqlite3_finalize(c->st);
    c->st = NULL;
    *c->prevp = c->next;
    if (c->next)
        c->next->prevp = c->prevp;
    c->next = NULL;
    c->prevp = &c->next;
}

/* __gc: [-0, +0] finalizes the cursors, closes the connection; harmless
 * when already closed.  db:close() and __close do the same, except on a
 * store the host owns (LND_STORE_HOST), which only the host closes. */
static int store_gc(lua_State *L)
{
    lstore *s = tostore(L, 1);
    if (s->pinned)
        return luaL_error(L, "attempt to close a store while it is in use (by db:ingest or db:tag)");
    while (s->cursors)
        cursor_finish(s->cursors);
    nd_store_close(s->db);
    s->db = NULL;
    nd_buf_free(&s->buf);
    return 0;
}

static int store_close(lua_State *L)
{
    if (tostore(L, 1)->restrict_flags & LND_STORE_HOST)
        return 0;
    return store_gc(L);
}

static int store_tostring(lua_State *L)
{
    lstore *s = tostore(L, 1);
    lua_pushfstring(L, s->db ? "newsdesk.store (%p)" : "newsdesk.store (closed)", (void *)s);
    return 1;
}

/* Raise or fail with the store's message. */
static int store_fail(lua_State *L, lstore *s, int rc)
{
    return lnd_fail(L, rc, nd_store_errmsg(s->db));
}

/* newsdesk.open([path][, {readonly=bool}]) -> db | nil, msg, code
 * Under a host that restricts reads (lnd_host), a path other than
 * ":memory:" is declared with lnd_path_arg and, when the host says so,
 * opened read-only whatever the options ask. */
static int store_open(lua_State *L)
{
    const char *path = luaL_optstring(L, 1, NULL);
    const lnd_host *h = lnd_host_get(L);
    unsigned flags = 0;
    lstore *s;
    int rc;
    if (path && strcmp(path, ":memory:") != 0 && h && h->read_path) {
        lnd_path_arg(L, 1);
        path = lua_tostring(L, 1);
    }
    if (path && strcmp(path, ":memory:") != 0 && h && h->readonly_stores) {
        flags |= ND_OPEN_READONLY;
    } else if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "readonly");
        if (lua_toboolean(L, -1))
            flags |= ND_OPEN_READONLY;
        lua_pop(L, 1);
    }
    s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    s->host = h;
    luaL_setmetatable(L, LND_STORE_MT);
    rc = nd_store_open(&s->db, path, flags);
    if (rc != ND_OK) {
        lnd_fail(L, rc, nd_store_errmsg(s->db));
        nd_store_close(s->db);
        s->db = NULL;
        return 3;
    }
    return 1;
}

void lnd_store_addmethods(lua_State *L, const luaL_Reg *methods)
{
    luaL_getmetatable(L, LND_STORE_MT);
    lua_getfield(L, -1, "__index");
    luaL_setfuncs(L, methods, 0);
    lua_pop(L, 2);
}

/* ---- articles ------------------------------------------------------------ */

/* [-0, +1] the article in the current row of st (columns ND_COL_*), tied to
 * the store at store_idx; mt_idx is the article metatable's index, or 0 to
 * look it up. */
static void push_article_row(lua_State *L, int store_idx, sqlite3_stmt *st, int mt_idx)
{
    const void *p[F__COUNT];
    size_t n[F__COUNT], total = 0;
    int f;
    larticle *a;
    for (f = 0; f < F__COUNT; f++) {   /* blob: no NUL-terminated copy of TEXT */
        p[f] = sqlite3_column_blob(st, field_col[f]);
        n[f] = (size_t)sqlite3_column_bytes(st, field_col[f]);
        if (!p[f] && sqlite3_column_type(st, field_col[f]) != SQLITE_NULL)
            p[f] = "";
        total += n[f];
    }
    a = lua_newuserdatauv(L, sizeof *a + total, UV__COUNT);
    a->id = sqlite3_column_int64(st, ND_COL_ID);
    a->duplicate_of = sqlite3_column_int64(st, ND_COL_DUPLICATE_OF);
    a->cur = NULL;
    a->gen = 0;
    a->cached = 0;
    total = 0;
    for (f = 0; f < F__COUNT; f++) {
        a->off[f] = (uint32_t)total;
        a->len[f] = p[f] ? (uint32_t)n[f] : NO_VALUE;
        if (n[f])
            memcpy(a->text + total, p[f], n[f]);
        total += n[f];
    }
    lua_pushvalue(L, store_idx);
    lua_setiuservalue(L, -2, UV_OWNER);
    if (mt_idx) {
        lua_pushvalue(L, mt_idx);
        lua_setmetatable(L, -2);
    } else {
        luaL_setmetatable(L, ARTICLE_MT);
    }
}

/* [-0, +1] an article reading the current row of cursor c (at cursor_idx);
 * mt_idx as for push_article_row.  Only the cursor is anchored: it anchors
 * the store. */
static void push_article_on_row(lua_State *L, int cursor_idx, lcursor *c, int mt_idx)
{
    larticle *a = lua_newuserdatauv(L, ROW_ARTICLE_SIZE, UV__COUNT);
    a->id = sqlite3_column_int64(c->st, ND_COL_ID);
    a->cur = c;
    a->gen = c->gen;
    a->cached = 0;
    lua_pushvalue(L, cursor_idx);
    lua_setiuservalue(L, -2, UV_OWNER);
    lua_pushvalue(L, mt_idx);
    lua_setmetatable(L, -2);
}

void lnd_pusharticle(lua_State *L, int store_idx, int64_t id)
{
    nd_store *db = lnd_checkstore(L, store_idx);
    sqlite3_stmt *st;
    int src;
    store_idx = lua_absindex(L, store_idx);
    if (nd_store_get_stmt(db, &st) != ND_OK) {
        lnd_raise(L, ND_EDB, nd_store_errmsg(db));
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        push_article_row(L, store_idx, st, 0);
    else
        lua_pushnil(L);
    sqlite3_reset(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        luaL_error(L, "%s", sqlite3_errmsg(nd_store_sqlite(db)));
}

/* The article at idx.  Functions of the article metatable carry the
 * metatable as upvalue 1, which makes the check one comparison. */
static larticle *toarticle(lua_State *L, int idx)
{
    void *p = lua_touserdata(L, idx);
    if (p && lua_getmetatable(L, idx)) {
        int same = lua_rawequal(L, -1, lua_upvalueindex(1));
        lua_pop(L, 1);
        if (same)
            return p;
    }
    return luaL_checkudata(L, idx, ARTICLE_MT);
}

/* [-0, +1] the store value of the article a at idx. */
static void push_article_store(lua_State *L, int idx, const larticle *a)
{
    lua_getiuservalue(L, idx, UV_OWNER);
    if (a->cur) {                       /* the cursor's user value */
        lua_getiuservalue(L, -1, 1);
        lua_remove(L, -2);
    }
}

/* [-0, +1] the store of the article at idx, raising when it is closed. */
static lstore *article_store(lua_State *L, int idx, const larticle *a)
{
    push_article_store(L, idx, a);
    return checkopen(L, -1);
}

/* [-0, +1] column col of st's current row as a string, nil when NULL. */
static void push_text_column(lua_State *L, sqlite3_stmt *st, int col)
{
    const void *p = sqlite3_column_blob(st, col);   /* NULL: NULL or empty */
    if (p || sqlite3_column_type(st, col) != SQLITE_NULL)
        lua_pushlstring(L, p ? p : "", (size_t)sqlite3_column_bytes(st, col));
    else
        lua_pushnil(L);
}

/* The walk of body (w 0) or raw (w 1) beside the cursor article a came
 * from, stepped forward in id order to a's row (cursor's text_id[w] ==
 * a->id when a has one), or NULL when a has no live id-ordered cursor. */
static sqlite3_stmt *cursor_text_row(larticle *a, int w)
{
    lcursor *c = a->cur;                /* the article keeps it alive (UV_OWNER) */
    sqlite3_stmt *t;
    int src, steps = 0;
    if (!c || !c->st || !c->text_walk || !c->store->db)
        return NULL;
    if (!c->text[w] && nd_store_text_cursor(c->store->db, w ? "raw" : "body", &c->text[w]) != ND_OK)
        return NULL;
    t = c->text[w];
    while (c->text_id[w] && c->text_id[w] < a->id && steps++ < 32) {
        src = sqlite3_step(t);
        c->text_id[w] = src == SQLITE_ROW ? sqlite3_column_int64(t, 0) : 0;
    }
    if (c->text_id[w] != a->id) {       /* not reachable by a few steps: seek */
        sqlite3_reset(t);
        sqlite3_bind_int64(t, 1, a->id);
        src = sqlite3_step(t);
        c->text_id[w] = src == SQLITE_ROW ? sqlite3_column_int64(t, 0) : 0;
    }
    return t;
}

/* [-0, +1 or +0] body (w 0) or raw (w 1) of article a from its walk.
 * Returns 0 and pushes nothing when the article has no live id-ordered
 * cursor. */
static int cursor_text(lua_State *L, larticle *a, int w)
{
    sqlite3_stmt *t = cursor_text_row(a, w);
    if (!t)
        return 0;
    if (a->cur->text_id[w] == a->id)
        push_text_column(L, t, 1);
    else
        lua_pushnil(L);
    return 1;
}

/* [-0, +1] a lazily read field (body, raw or meta) of article 1. */
static void push_lazy(lua_State *L, larticle *a, int uv, const char *field)
{
    lstore *s;
    int isnull, rc;
    if (a->cached & 1u << uv) {
        lua_getiuservalue(L, 1, uv);
        if (lua_type(L, -1) == LUA_TBOOLEAN) {  /* known to be NULL */
            lua_pop(L, 1);
            lua_pushnil(L);
        }
        return;
    }
    if (uv != UV_META && cursor_text(L, a, uv == UV_RAW)) {
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, 1, uv);
        a->cached |= 1u << uv;
        return;
    }
    s = article_store(L, 1, a);
    lua_pop(L, 1);
    rc = nd_store_field(s->db, a->id, field, &s->buf, &isnull);
    if (rc == ND_ENOTFOUND)
        isnull = 1;
    else if (rc != ND_OK)
        lnd_raise(L, rc, nd_store_errmsg(s->db));
    if (uv == UV_META) {
        if (isnull)
            lua_newtable(L);
        else
            lnd_json_push(L, s->buf.ptr, s->buf.len, "the article's meta");
        if (!lua_istable(L, -1)) {          /* stored by another tool as a non-object */
            lua_pop(L, 1);
            lua_newtable(L);
        }
    } else if (isnull) {
        lua_pushboolean(L, 0);
    } else {
        lnd_pushbuf(L, &s->buf);
    }
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, uv);
    a->cached |= 1u << uv;
    if (lua_type(L, -1) == LUA_TBOOLEAN) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}

static int article_mentions(lua_State *L);

/* a:find(pattern [, init [, plain]]) and a:match(pattern [, init]): the
 * body searched where it is (the cached string, the row of the body walk
 * beside the cursor, or the store's buffer), never made a Lua string; the
 * results of a.body:find / a.body:match, and nil for an article with no
 * body.  [-n, +m] */
static int article_search(lua_State *L, int find)
{
    larticle *a = toarticle(L, 1);
    const lnd_host *host;
    sqlite3_stmt *t;
    const char *s = NULL, *p;
    size_t len = 0, lp;
    int isnull = 0, rc;
    p = luaL_checklstring(L, 2, &lp);        /* before the body: its error comes first */
    if (a->cur) {                            /* the cursor keeps its store alive */
        host = a->cur->store->host;
    } else {
        host = article_store(L, 1, a)->host;
        lua_pop(L, 1);
    }
    if (a->cached & 1u << UV_BODY) {
        if (lua_getiuservalue(L, 1, UV_BODY) == LUA_TSTRING)
            s = lua_tolstring(L, -1, &len);  /* anchored as the user value */
        lua_pop(L, 1);
        isnull = !s;
    } else if ((t = cursor_text_row(a, 0)) != NULL && a->cur->text_id[0] == a->id) {
        s = sqlite3_column_blob(t, 1);       /* valid until the walk steps */
        len = (size_t)sqlite3_column_bytes(t, 1);
        isnull = !s && sqlite3_column_type(t, 1) == SQLITE_NULL;
    } else {
        lstore *st = article_store(L, 1, a);
        lua_pop(L, 1);
        rc = nd_store_field(st->db, a->id, "body", &st->buf, &isnull);
        if (rc == ND_ENOTFOUND)
            isnull = 1;
        else if (rc != ND_OK)
            lnd_raise(L, rc, nd_store_errmsg(st->db));
        s = st->buf.ptr;
        len = st->buf.len;
    }
    if (isnull) {
        lua_pushnil(L);
        return 1;
    }
    return lnd_pattern_search(L, host, 2, p, lp, s ? s : "", len, find);
}

static int article_find(lua_State *L)
{
    return article_search(L, 1);
}

static int article_match(lua_State *L)
{
    return article_search(L, 0);
}

/* The statement whose current row is article a's, or NULL. */
static sqlite3_stmt *current_row(const larticle *a)
{
    return a->cur && a->cur->st && a->cur->gen == a->gen ? a->cur->st : NULL;
}

/* The copy holding the metadata of the article a at idx: a itself, or for
 * an article whose cursor has moved on its row, loaded on first use and
 * kept as user value UV_ROW; NULL when the article was deleted meanwhile. */
static const larticle *article_copy(lua_State *L, int idx, const larticle *a)
{
    if (!a->cur)
        return a;
    if (lua_getiuservalue(L, idx, UV_ROW) == LUA_TNIL) {  /* load the row once */
        lua_pop(L, 1);
        push_article_store(L, idx, a);
        lnd_pusharticle(L, lua_gettop(L), a->id);
        lua_remove(L, -2);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushboolean(L, 0);          /* deleted meanwhile */
        }
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, idx, UV_ROW);
    }
    a = lua_type(L, -1) == LUA_TUSERDATA ? lua_touserdata(L, -1) : NULL;
    lua_pop(L, 1);                          /* anchored as user value */
    return a;
}

/* [-0, +1] text field f of the article at idx (1 in metamethods). */
static void push_field(lua_State *L, int idx, const larticle *a, int f)
{
    sqlite3_stmt *st = current_row(a);
    if (st) {
        push_text_column(L, st, field_col[f]);
        return;
    }
    a = article_copy(L, idx, a);
    if (!a || a->len[f] == NO_VALUE)
        lua_pushnil(L);
    else
        lua_pushlstring(L, a->text + a->off[f], a->len[f]);
}

/* [-0, +1] duplicate_of of the article at idx: an id or nil. */
static void push_duplicate_of(lua_State *L, int idx, const larticle *a)
{
    sqlite3_stmt *st = current_row(a);
    int64_t d;
    if (st) {
        d = sqlite3_column_int64(st, ND_COL_DUPLICATE_OF);
    } else {
        a = article_copy(L, idx, a);
        d = a ? a->duplicate_of : 0;
    }
    if (d)
        lua_pushinteger(L, d);
    else
        lua_pushnil(L);
}

/* article.<key>: [-0, +1] metadata from the object, body/raw/meta read on
 * first use, methods.  Upvalues: the metatable, a:find, a:match. */
static int article_index(lua_State *L)
{
    larticle *a;
    size_t n;
    const char *k;
    int f = -1;
    if (lua_type(L, 2) != LUA_TSTRING) {            /* no field has another key type */
        toarticle(L, 1);
        lua_pushnil(L);
        return 1;
    }
    k = lua_tolstring(L, 2, &n);
    /* the methods a scan asks for per article, by length and bytes (the
     * compiler makes each one comparison, where strcmp was a call) */
    if (n == 4 && memcmp(k, "find", 4) == 0) {
        lua_pushvalue(L, lua_upvalueindex(2));
        return 1;
    }
    if (n == 5 && memcmp(k, "match", 5) == 0) {
        lua_pushvalue(L, lua_upvalueindex(3));
        return 1;
    }
    a = toarticle(L, 1);
    switch (k[0]) {
    case 'a': if (strcmp(k, "author") == 0) f = F_AUTHOR; break;
    case 'b':
        if (strcmp(k, "body") == 0) {
            push_lazy(L, a, UV_BODY, "body");
            return 1;
        }
        break;
    case 'd':
        if (strcmp(k, "date") == 0) f = F_DATE;
        else if (strcmp(k, "date_text") == 0) f = F_DATE_TEXT;
        else if (strcmp(k, "duplicate_of") == 0) {
            push_duplicate_of(L, 1, a);
            return 1;
        }
        break;
    case 'h': if (strcmp(k, "hash") == 0) f = F_HASH; break;
    case 'i':
        if (strcmp(k, "id") == 0) {
            lua_pushinteger(L, a->id);
            return 1;
        }
        break;
    case 'l': if (strcmp(k, "lang") == 0) f = F_LANG; break;
    case 'm':
        if (strcmp(k, "meta") == 0) {
            push_lazy(L, a, UV_META, "meta");
            return 1;
        }
        if (strcmp(k, "mentions") == 0) {
            lua_pushvalue(L, lua_upvalueindex(1));
            lua_pushcclosure(L, article_mentions, 1);
            return 1;
        }
        break;
    case 'r':
        if (strcmp(k, "raw") == 0) {
            push_lazy(L, a, UV_RAW, "raw");
            return 1;
        }
        break;
    case 's': if (strcmp(k, "source") == 0) f = F_SOURCE; break;
    case 't': if (strcmp(k, "title") == 0) f = F_TITLE; break;
    case 'u': if (strcmp(k, "url") == 0) f = F_URL; break;
    default: break;
    }
    if (f < 0)
        lua_pushnil(L);
    else
        push_field(L, 1, a, f);
    return 1;
}

/* The fields pairs() lists, in the order a reader expects them. */
static const char *const article_fields[] = {
    "id", "title", "date", "date_text", "source", "author", "url", "lang", "body",
    "hash", "duplicate_of", "raw", "meta", NULL
};

/* __pairs: for k, v in pairs(article) walks the fields (methods such as
 * mentions are left out). */
static int article_pairs(lua_State *L)
{
    toarticle(L, 1);
    return lnd_pairs(L, 1, article_fields);
}

static int article_newindex(lua_State *L)
{
    return luaL_error(L, "article fields are read-only (field '%s')", luaL_tolstring(L, 2, NULL));
}

static int article_tostring(lua_State *L)
{
    larticle *a = toarticle(L, 1);
    lua_pushfstring(L, "newsdesk.article %I", (lua_Integer)a->id);
    push_field(L, 1, a, F_TITLE);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
    } else {
        lua_pushliteral(L, ": ");
        lua_insert(L, -2);
        lua_concat(L, 3);
    }
    return 1;
}

static int article_eq(lua_State *L)
{
    larticle *a = toarticle(L, 1), *b = toarticle(L, 2);
    push_article_store(L, 1, a);
    push_article_store(L, 2, b);
    lua_pushboolean(L, a->id == b->id && lua_rawequal(L, -1, -2));
    return 1;
}

/* ---- queries -------------------------------------------------------------- */

static nd_str optfield(lua_State *L, int t, const char *k)
{
    nd_str s = { NULL, 0 };
    int ty = lua_getfield(L, t, k);
    if (ty == LUA_TSTRING)
        s.ptr = lua_tolstring(L, -1, &s.len);
    else if (ty != LUA_TNIL)
        luaL_error(L, "bad field '%s' (string expected, got %s)", k, luaL_typename(L, -1));
    lua_pop(L, 1);                      /* the table keeps the string alive */
    return s;
}

static lua_Integer optint(lua_State *L, int t, const char *k, lua_Integer def)
{
    lua_Integer v = def;
    int ty = lua_getfield(L, t, k), isint;
    if (ty != LUA_TNIL) {
        v = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_error(L, "bad field '%s' (integer expected, got %s)", k, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

/* The one query-table parser (declared in lnd.h; db:count, db:query,
 * db:each, db:tag). */
void lnd_checkquery(lua_State *L, int idx, nd_query *q, const char *const *extra)
{
    static const char *const known[] = {
        "source", "lang", "since", "until", "match", "ids", "duplicates", "limit", "offset", "order",
        "exact", "derive", "match_lang", NULL
    };
    memset(q, 0, sizeof *q);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        int i, found = 0;
        for (i = 0; k && !found && known[i]; i++)
            found = strcmp(k, known[i]) == 0;
        for (i = 0; k && !found && extra && extra[i]; i++)
            found = strcmp(k, extra[i]) == 0;
        if (!found)
            luaL_error(L, "unknown query field '%s'", k ? k : luaL_typename(L, -2));
        lua_pop(L, 1);
    }
    q->source = optfield(L, idx, "source");
    q->lang = optfield(L, idx, "lang");
    q->since = optfield(L, idx, "since");
    q->until = optfield(L, idx, "until");
    q->match = optfield(L, idx, "match");
    q->match_lang = optfield(L, idx, "match_lang");
    lua_getfield(L, idx, "exact");
    q->exact = lua_toboolean(L, -1);
    lua_pop(L, 1);
    switch (lua_getfield(L, idx, "derive")) {
    case LUA_TNIL: q->derive = ND_DERIVE_DEFAULT; break;
    case LUA_TBOOLEAN: q->derive = lua_toboolean(L, -1) ? ND_DERIVE_ORIGIN : ND_DERIVE_NONE; break;
    default:
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0)
            q->derive = ND_DERIVE_ALL;
        else
            luaL_error(L, "bad field 'derive' (true, false or \"all\" expected)");
    }
    lua_pop(L, 1);
    q->limit = optint(L, idx, "limit", 0);
    q->offset = optint(L, idx, "offset", 0);
    if (q->limit < 0 || q->offset < 0)
        luaL_error(L, "limit and offset must not be negative");
    lua_getfield(L, idx, "duplicates");
    q->hide_duplicates = !lua_isnil(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    {
        nd_str o = optfield(L, idx, "order");
        if (!o.ptr || strcmp(o.ptr, "id") == 0)
            q->order = ND_ORDER_ID;
        else if (strcmp(o.ptr, "date") == 0)
            q->order = ND_ORDER_DATE;
        else if (strcmp(o.ptr, "-date") == 0)
            q->order = ND_ORDER_DATE_DESC;
        else if (strcmp(o.ptr, "rank") == 0)
            q->order = ND_ORDER_RANK;
        else
            luaL_error(L, "bad order '%s' (expected \"date\", \"-date\" or \"rank\")", o.ptr);
        if (q->order == ND_ORDER_RANK && !q->match.ptr)
            luaL_error(L, "order \"rank\" needs match");
    }
    if (lua_getfield(L, idx, "ids") != LUA_TNIL) {
        lua_Integer i, n;
        int64_t *ids;
        luaL_checktype(L, -1, LUA_TTABLE);
        n = (lua_Integer)lua_rawlen(L, -1);
        ids = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *ids, 0);
        for (i = 1; i <= n; i++) {
            int isint;
            lua_rawgeti(L, -2, i);
            ids[i - 1] = (int64_t)lua_tointegerx(L, -1, &isint);
            if (!isint)
                luaL_error(L, "bad ids[%I] (integer expected, got %s)", i, luaL_typename(L, -1));
            lua_pop(L, 1);
        }
        if (n == 0) {                   /* ids = {} selects nothing: no id is 0 */
            ids[0] = 0;
            n = 1;
        }
        q->ids = ids;
        q->nids = (size_t)n;
        lua_remove(L, -2);              /* the array stays on the stack until the caller returns */
    } else {
        lua_pop(L, 1);
    }
}

/* db:count([q]) -> integer */
static int store_count(lua_State *L)
{
    lstore *s = checkopen(L, 1);
    nd_query q;
    sqlite3_stmt *st;
    int rc, src;
    lua_Integer n = 0;
    lnd_checkquery(L, 2, &q, NULL);
    rc = nd_store_query(s->db, &q, 1, &st);
    if (rc != ND_OK)
        return lnd_raise(L, rc, nd_store_errmsg(s->db));
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        lua_pushstring(L, sqlite3_errmsg(nd_store_sqlite(s->db)));
    sqlite3_finalize(st);
    if (src != SQLITE_ROW)
        return lua_error(L);
    lua_pushinteger(L, n);
    return 1;
}

/* ---- cursors -------------------------------------------------------------- */

static lcursor *push_cursor(lua_State *L, int store_idx, sqlite3_stmt *st, int kind)
{
    lstore *s = tostore(L, store_idx);
    lcursor *c = lua_newuserdatauv(L, sizeof *c, 1);
    memset(c, 0, sizeof *c);
    c->st = st;
    c->kind = kind;
    c->store = s;
    c->next = s->cursors;
    c->prevp = &s->cursors;
    if (s->cursors)
        s->cursors->prevp = &c->next;
    s->cursors = c;
    luaL_setmetatable(L, CURSOR_MT);
    lua_pushvalue(L, store_idx);
    lua_setiuservalue(L, -2, 1);
    return c;
}

static int cursor_close(lua_State *L)
{
    cursor_finish(luaL_checkudata(L, 1, CURSOR_MT));
    return 0;
}

/* [-0, +1] a row of a db:sql statement as a table keyed by column name. */
static void push_row(lua_State *L, sqlite3_stmt *st)
{
    int i, n = sqlite3_column_count(st);
    lua_createtable(L, 0, n);
    for (i = 0; i < n; i++) {
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, i)); break;
        case SQLITE_NULL: continue;
        default:
            lua_pushlstring(L, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
            break;
        }
        lua_setfield(L, -2, sqlite3_column_name(st, i));
    }
}

/* Iterator of a cursor: [-0, +1] the next article or row, nil at the end.
 * Upvalue 1: the article metatable; 2: the cursor the iterator was made
 * for, which makes the check of argument 1 one comparison in a loop: the
 * same block is the same cursor. */
static int cursor_next(lua_State *L)
{
    lcursor *c = lua_touserdata(L, 1);
    int cursor_idx = lua_upvalueindex(2), src;
    if (!c || c != lua_touserdata(L, cursor_idx)) {
        c = luaL_checkudata(L, 1, CURSOR_MT);
        cursor_idx = 1;
    }
    if (!c->store->db)
        return luaL_error(L, "attempt to use a closed store");
    if (!c->st) {
        lua_pushnil(L);
        return 1;
    }
    src = sqlite3_step(c->st);
    c->gen++;
    if (src == SQLITE_ROW) {
        if (c->kind == CURSOR_ARTICLES)
            push_article_on_row(L, cursor_idx, c, lua_upvalueindex(1));
        else
            push_row(L, c->st);
        return 1;
    }
    if (src != SQLITE_DONE)
        lua_pushstring(L, sqlite3_errmsg(sqlite3_db_handle(c->st)));
    cursor_finish(c);
    if (src != SQLITE_DONE)
        return lua_error(L);
    lua_pushnil(L);
    return 1;
}

/* [-0, +4] the values of a generic for: next, cursor, nil, cursor (closed
 * when the loop ends or breaks). */
static int push_iteration(lua_State *L, int store_idx, sqlite3_stmt *st, int kind, int text_walk)
{
    push_cursor(L, store_idx, st, kind)->text_walk = text_walk;
    luaL_getmetatable(L, ARTICLE_MT);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, cursor_next, 2);
    lua_insert(L, -2);                  /* next, cursor */
    lua_pushnil(L);
    lua_pushvalue(L, -2);
    return 4;
}

/* db:articles([q]) -> iterator over article objects */
static int store_articles(lua_State *L)
{
    lstore *s = checkopen(L, 1);
    nd_query q;
    sqlite3_stmt *st;
    int rc;
    lnd_checkquery(L, 2, &q, NULL);
    if (q.match.ptr && !lua_isnoneornil(L, 2)) {
        lua_getfield(L, 2, "order");
        if (lua_isnil(L, -1))
            q.order = ND_ORDER_RANK;   /* a full-text filter lists best matches first */
        lua_pop(L, 1);
    }
    rc = nd_store_query(s->db, &q, 0, &st);
    if (rc != ND_OK)
        return lnd_raise(L, rc, nd_store_errmsg(s->db));
    return push_iteration(L, 1, st, CURSOR_ARTICLES, q.order == ND_ORDER_ID);
}

/* db:search(query[, opts]) -> list of {article=, score=, snippet=} | nil, msg, code */
static int store_search(lua_State *L)
{
    static const char *const extra[] = { "snippet", "mark", "tokens", NULL };
    lstore *s = checkopen(L, 1);
    size_t qlen;
    const char *query = luaL_checklstring(L, 2, &qlen);
    nd_query q;
    sqlite3_stmt *st;
    int rc, src, snippet = 1, store_idx = 1;
    lua_Integer i = 0;
    lnd_checkquery(L, 3, &q, extra);
    if (q.match.ptr)
        return luaL_error(L, "search takes the query as its first argument, not match=");
    q.match = (nd_str){ query, qlen };
    if (!lua_isnoneornil(L, 3)) {
        lua_getfield(L, 3, "order");
        if (lua_isnil(L, -1))
            q.order = ND_ORDER_RANK;
        lua_pop(L, 1);
        lua_getfield(L, 3, "snippet");
        snippet = lua_isnil(L, -1) || lua_toboolean(L, -1);
        lua_pop(L, 1);
        q.snippet_tokens = (int)optint(L, 3, "tokens", 16);
        if (lua_getfield(L, 3, "mark") != LUA_TNIL) {
            luaL_checktype(L, -1, LUA_TTABLE);
            lua_rawgeti(L, -1, 1);
            lua_rawgeti(L, -2, 2);
            q.mark_open.ptr = luaL_checklstring(L, -2, &q.mark_open.len);
            q.mark_close.ptr = luaL_checklstring(L, -1, &q.mark_close.len);
            lua_pop(L, 2);              /* the mark table keeps them alive */
        }
        lua_pop(L, 1);
    } else {
        q.order = ND_ORDER_RANK;
    }
    if (q.limit <= 0)
        q.limit = 20;
    if (snippet && !q.mark_open.ptr) {
        q.mark_open = (nd_str){ "[", 1 };
        q.mark_close = (nd_str){ "]", 1 };
    }
    if (!snippet)
        q.mark_open.ptr = NULL;
    q.score = 1;
    rc = nd_store_query(s->db, &q, 0, &st);
    if (rc != ND_OK)
        return store_fail(L, s, rc);
    lua_newtable(L);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lua_createtable(L, 0, 3);
        push_article_row(L, store_idx, st, 0);
        lua_setfield(L, -2, "article");
        lua_pushnumber(L, sqlite3_column_double(st, ND_COL_SCORE));
        lua_setfield(L, -2, "score");
        if (snippet) {
            lua_pushlstring(L, (const char *)sqlite3_column_text(st, ND_COL_SNIPPET),
                            (size_t)sqlite3_column_bytes(st, ND_COL_SNIPPET));
            lua_setfield(L, -2, "snippet");
        }
        lua_rawseti(L, -2, ++i);
    }
    if (src != SQLITE_DONE) {
        lua_pushfstring(L, "%s%s", src == SQLITE_ERROR ? "bad search query: " : "",
                        sqlite3_errmsg(nd_store_sqlite(s->db)));
        sqlite3_finalize(st);
        return lnd_fail(L, src == SQLITE_ERROR ? ND_ESYNTAX : ND_EDB, lua_tostring(L, -1));
    }
    sqlite3_finalize(st);
    return 1;
}

/* ---- db:sql -------------------------------------------------------------- */

/* Authorizer for db:sql: reading only. */
static int read_only_auth(void *ud, int action, const char *a, const char *b, const char *c, const char *d)
{
    (void)ud; (void)a; (void)b; (void)c; (void)d;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    default:
        return SQLITE_DENY;
    }
}

/* db:sql(statement, ...) -> iterator over rows as tables */
static int store_sql(lua_State *L)
{
    lstore *s = checkopen(L, 1);
    size_t len;
    const char *sql = luaL_checklstring(L, 2, &len), *tail = NULL;
    sqlite3 *con = nd_store_sqlite(s->db);
    sqlite3_stmt *st = NULL;
    int src, i, n = lua_gettop(L) - 2;
    sqlite3_set_authorizer(con, read_only_auth, NULL);
    src = sqlite3_prepare_v2(con, sql, (int)len, &st, &tail);
    sqlite3_set_authorizer(con, NULL, NULL);
    if (src != SQLITE_OK)
        return luaL_error(L, "sql: %s", sqlite3_errmsg(con));
    if (!st)
        return luaL_error(L, "sql: no statement");
    while (tail && tail < sql + len && strchr(" \t\r\n;", *tail))
        tail++;
    if (!sqlite3_stmt_readonly(st) || (tail && tail < sql + len)) {
        sqlite3_finalize(st);
        return luaL_error(L, tail && tail < sql + len ? "sql: one statement only"
                                                      : "sql: only read-only statements are allowed");
    }
    if (n > sqlite3_bind_parameter_count(st)) {
        int want = sqlite3_bind_parameter_count(st);   /* read before st is freed */
        sqlite3_finalize(st);
        return luaL_error(L, "sql: %d values for %d parameters", n, want);
    }
    for (i = 1; i <= n; i++) {
        int arg = i + 2;
        switch (lua_type(L, arg)) {
        case LUA_TNIL: sqlite3_bind_null(st, i); break;
        case LUA_TBOOLEAN: sqlite3_bind_int(st, i, lua_toboolean(L, arg)); break;
        case LUA_TNUMBER:
            if (lua_isinteger(L, arg))
                sqlite3_bind_int64(st, i, lua_tointeger(L, arg));
            else
                sqlite3_bind_double(st, i, lua_tonumber(L, arg));
            break;
        case LUA_TSTRING: {
            size_t vl;
            const char *v = lua_tolstring(L, arg, &vl);
            sqlite3_bind_text64(st, i, v, vl, SQLITE_TRANSIENT, SQLITE_UTF8);
            break;
        }
        default:
            sqlite3_finalize(st);
            return luaL_argerror(L, arg, lua_pushfstring(L, "cannot bind a %s", luaL_typename(L, arg)));
        }
    }
    return push_iteration(L, 1, st, CURSOR_ROWS, 0);
}

/* ---- writing ------------------------------------------------------------- */

static const char *const article_keys[] = {
    "title", "body", "date", "date_text", "source", "author", "url", "lang", "raw", NULL
};

/* db:add(t) -> id, is_new, status | nil, msg, code.  Fields other than the
 * article's own go into meta, which is written by newsdesk.json: a table
 * that is not a JSON array (or nothing).  Raises "bad meta: ..." when it
 * cannot be written. */
static int store_add(lua_State *L)
{
    lstore *s = checkwritable(L, 1, "add");
    nd_article a;
    nd_str *slot[] = { &a.title, &a.body, &a.date, &a.date_text, &a.source, &a.author, &a.url, &a.lang, &a.raw };
    nd_buf metatext = ND_BUF_INIT, err = ND_BUF_INIT;
    int64_t id;
    int status, rc, i, meta, fields = 0;
    luaL_checktype(L, 2, LUA_TTABLE);
    memset(&a, 0, sizeof a);
    for (i = 0; article_keys[i]; i++)
        *slot[i] = optfield(L, 2, article_keys[i]);
    lua_newtable(L);                                /* meta: t.meta, then the extra fields */
    meta = lua_gettop(L);
    if (lua_getfield(L, 2, "meta") != LUA_TNIL) {
        luaL_checktype(L, -1, LUA_TTABLE);
        if (lnd_json_array_len(L, -1) > 0)
            return luaL_error(L, "bad meta: meta must be a table with string keys");
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, meta);
            fields++;
        }
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, 2)) {                        /* extra fields */
        int own = lua_type(L, -2) != LUA_TSTRING || strcmp(lua_tostring(L, -2), "meta") == 0;
        for (i = 0; !own && article_keys[i]; i++)
            own = strcmp(lua_tostring(L, -2), article_keys[i]) == 0;
        if (!own) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, meta);
            fields++;
        } else {
            lua_pop(L, 1);
        }
    }
    if (fields > 0) {
        rc = lnd_json_encode(L, meta, "meta", &metatext, &err);
        if (rc != ND_OK) {
            nd_buf_free(&metatext);
            luaL_where(L, 1);
            lua_pushfstring(L, "bad meta: %s", err.len ? err.ptr : nd_errstr(rc));
            nd_buf_free(&err);
            lua_concat(L, 2);
            return lua_error(L);
        }
        a.meta_json.ptr = metatext.ptr;
        a.meta_json.len = metatext.len;
    }
    rc = nd_store_add(s->db, &a, &id, &status);
    nd_buf_free(&metatext);
    if (rc != ND_OK)
        return store_fail(L, s, rc);
    lua_pushinteger(L, id);
    lua_pushboolean(L, status != ND_ADD_DUPLICATE);
    lua_pushstring(L, status == ND_ADD_NEW ? "new" : status == ND_ADD_DUPLICATE ? "duplicate" : "near_duplicate");
    return 3;
}

/* db:get(id) -> article | nil */
static int store_get(lua_State *L)
{
    checkopen(L, 1);
    lnd_pusharticle(L, 1, (int64_t)luaL_checkinteger(L, 2));
    return 1;
}

/* db:delete(id) -> true | nil, msg, code */
static int store_delete(lua_State *L)
{
    lstore *s = checkwritable(L, 1, "delete");
    int rc = nd_store_delete(s->db, (int64_t)luaL_checkinteger(L, 2));
    if (rc != ND_OK)
        return store_fail(L, s, rc);
    lua_pushboolean(L, 1);
    return 1;
}

/* db:transaction(fn, ...) -> fn's results.  Commits when fn returns; rolls
 * back and re-raises its error otherwise.  Nested calls use savepoints. */
static int store_transaction(lua_State *L)
{
    lstore *s = checkopen(L, 1);
    sqlite3 *con = nd_store_sqlite(s->db);
    int nested = !sqlite3_get_autocommit(con), rc, status, base;
    luaL_checktype(L, 2, LUA_TFUNCTION);
    rc = nested ? (sqlite3_exec(con, "SAVEPOINT nd_transaction", NULL, NULL, NULL) == SQLITE_OK ? ND_OK : ND_EDB)
                : nd_store_begin(s->db);
    if (rc != ND_OK)
        return luaL_error(L, "transaction: %s", nested ? sqlite3_errmsg(con) : nd_store_errmsg(s->db));
    base = 1;
    status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
    if (!s->db)                                     /* fn closed the store */
        return status == LUA_OK ? lua_gettop(L) - base : lua_error(L);
    if (status == LUA_OK) {
        if (nested)
            rc = sqlite3_exec(con, "RELEASE nd_transaction", NULL, NULL, NULL) == SQLITE_OK ? ND_OK : ND_EDB;
        else
            rc = nd_store_commit(s->db);
        if (rc == ND_OK)
            return lua_gettop(L) - base;
        lua_pushfstring(L, "transaction: commit failed: %s", nested ? sqlite3_errmsg(con) : nd_store_errmsg(s->db));
    }
    if (nested) {
        sqlite3_exec(con, "ROLLBACK TO nd_transaction", NULL, NULL, NULL);
        sqlite3_exec(con, "RELEASE nd_transaction", NULL, NULL, NULL);
    } else if (!sqlite3_get_autocommit(con)) {
        nd_store_rollback(s->db);
    }
    return lua_error(L);
}

/* ---- mentions ------------------------------------------------------------ */

/* [-0, +1] the list of mentions selected by mq, positions 1-based inclusive. */
static int push_mentions(lua_State *L, lstore *s, const nd_mention_query *mq)
{
    static const char *const names[] = { "article", "field", "type", "id", "start", "stop", "text", "suffix", "rule" };
    sqlite3_stmt *st;
    int rc = nd_store_mentions(s->db, mq, &st), src, c;
    lua_Integer n = 0;
    if (rc != ND_OK)
        return lnd_raise(L, rc, nd_store_errmsg(s->db));
    lua_newtable(L);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lua_createtable(L, 0, 9);
        for (c = 0; c < 9; c++) {
            if (sqlite3_column_type(st, c) == SQLITE_NULL)
                continue;
            if (c == 0 || c == 5)
                lua_pushinteger(L, sqlite3_column_int64(st, c));
            else if (c == 4)
                lua_pushinteger(L, sqlite3_column_int64(st, c) + 1);
            else
                lua_pushlstring(L, (const char *)sqlite3_column_text(st, c), (size_t)sqlite3_column_bytes(st, c));
            lua_setfield(L, -2, names[c]);
        }
        lua_rawseti(L, -2, ++n);
    }
    if (src != SQLITE_DONE)
        lua_pushstring(L, sqlite3_errmsg(nd_store_sqlite(s->db)));
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return lua_error(L);
    return 1;
}

/* db:mentions{id=, type=, article=, since=, until=, source=} -> list */
static int store_mentions(lua_State *L)
{
    static const char *const known[] = { "id", "type", "article", "since", "until", "source", NULL };
    lstore *s = checkopen(L, 1);
    nd_mention_query mq;
    memset(&mq, 0, sizeof mq);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_pushnil(L);
        while (lua_next(L, 2)) {
            const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            int i, found = 0;
            for (i = 0; k && !found && known[i]; i++)
                found = strcmp(k, known[i]) == 0;
            if (!found)
                luaL_error(L, "unknown mentions field '%s'", k ? k : luaL_typename(L, -2));
            lua_pop(L, 1);
        }
        mq.entity = optfield(L, 2, "id");
        mq.type = optfield(L, 2, "type");
        mq.since = optfield(L, 2, "since");
        mq.until = optfield(L, 2, "until");
        mq.source = optfield(L, 2, "source");
        mq.article = optint(L, 2, "article", 0);
        lua_getfield(L, 2, "article");
        if (!lua_isnil(L, -1) && mq.article <= 0)
            mq.article = -1;            /* no article has such an id */
        lua_pop(L, 1);
    }
    if (mq.article < 0) {
        lua_newtable(L);
        return 1;
    }
    return push_mentions(L, s, &mq);
}

/* article:mentions() -> list */
static int article_mentions(lua_State *L)
{
    larticle *a = toarticle(L, 1);
    lstore *s = article_store(L, 1, a);
    nd_mention_query mq;
    memset(&mq, 0, sizeof mq);
    mq.article = a->id;
    return push_mentions(L, s, &mq);
}

/* ---- module ------------------------------------------------------------- */

/* ---- merge --------------------------------------------------------------- */

typedef struct merge_ctx {
    lua_State *L;
    int fn;             /* stack index of the progress function, or 0 */
    int failed;         /* it raised: its error is at the top of the stack */
} merge_ctx;

/* Calls fn({articles=, total=, added=, mentions=}) under pcall (articles:
 * records read so far, as the progress bar counts); false from it or an
 * error stops the merge. */
static int merge_progress(void *ud, const nd_merge_progress *p)
{
    merge_ctx *mc = ud;
    lua_State *L = mc->L;
    int stop;
    lua_pushvalue(L, mc->fn);
    lua_createtable(L, 0, 4);
    lnd_setint(L, "articles", (lua_Integer)p->done);
    lnd_setint(L, "total", (lua_Integer)p->total);
    lnd_setint(L, "added", (lua_Integer)p->added);
    lnd_setint(L, "mentions", (lua_Integer)p->mentions);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        mc->failed = 1;
        return 1;
    }
    stop = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    return stop;
}

/* db:merge(path [, {progress=fn}]) -> stats | nil, message, code
 * Adds the articles, tagging records and mentions of the store file path
 * (nd_store_merge).  A sandboxed script may name only a file it may read,
 * and merges only into a store the host made writable. */
static int store_merge(lua_State *L)
{
    lstore *s = checkwritable(L, 1, "merge");
    const char *path = luaL_checkstring(L, 2);
    nd_merge_opts o;
    nd_merge_stats st;
    merge_ctx mc;
    int rc;
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    memset(&mc, 0, sizeof mc);
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        if (lua_getfield(L, 3, "progress") != LUA_TNIL) {
            luaL_argexpected(L, lua_isfunction(L, -1), 3, "progress function");
            mc.L = L;
            mc.fn = lua_gettop(L);
            o.progress = merge_progress;
            o.progress_ud = &mc;
        }
    }
    if (lnd_check_read(L, path) != 0) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        lua_pushliteral(L, "sandbox");
        return 3;
    }
    lnd_store_pin(L, 1, 1);     /* progress callbacks cannot close db under us */
    rc = nd_store_merge(s->db, path, &o, &st);
    lnd_store_pin(L, 1, -1);
    if (mc.failed)
        return lua_error(L);
    if (rc == ND_ENOMEM)
        return lnd_raise(L, rc, NULL);
    if (rc != ND_OK)
        return store_fail(L, s, rc);
    lua_createtable(L, 0, 7);
    lnd_setint(L, "articles", (lua_Integer)st.articles);
    lnd_setint(L, "added", (lua_Integer)st.added);
    lnd_setint(L, "duplicates", (lua_Integer)st.duplicates);
    lnd_setint(L, "near_duplicates", (lua_Integer)st.near_duplicates);
    lnd_setint(L, "tagged", (lua_Integer)st.tagged);
    lnd_setint(L, "mentions", (lua_Integer)st.mentions);
    lnd_setint(L, "untagged", (lua_Integer)st.untagged);
    return 1;
}

static const luaL_Reg store_methods[] = {
    { "add", store_add },
    { "get", store_get },
    { "delete", store_delete },
    { "count", store_count },
    { "transaction", store_transaction },
    { "articles", store_articles },
    { "search", store_search },
    { "sql", store_sql },
    { "mentions", store_mentions },
    { "merge", store_merge },
    { "close", store_close },
    { NULL, NULL }
};

static const luaL_Reg store_meta[] = {
    { "__gc", store_gc },
    { "__close", store_close },
    { "__tostring", store_tostring },
    { NULL, NULL }
};

static const luaL_Reg article_meta[] = {
    { "__newindex", article_newindex },
    { "__pairs", article_pairs },
    { "__tostring", article_tostring },
    { "__eq", article_eq },
    { NULL, NULL }
};

static const luaL_Reg cursor_meta[] = {
    { "__gc", cursor_close },
    { "__close", cursor_close },
    { NULL, NULL }
};

/* newsdesk.store.check_query(q) -> true | nil, message: is q a well-formed
 * search query?  The message is the one db:search would give. */
static int store_check_query(lua_State *L)
{
    size_t len;
    const char *q = luaL_checklstring(L, 1, &len);
    nd_buf msg = ND_BUF_INIT;
    int rc = nd_query_check(q, len, &msg);
    if (rc == ND_OK) {
        lua_pushboolean(L, 1);
    } else {
        lua_pushnil(L);
        lua_pushstring(L, rc == ND_ESYNTAX ? msg.ptr : nd_errstr(rc));
    }
    nd_buf_free(&msg);
    return rc == ND_OK ? 1 : 2;
}

static const luaL_Reg module_funcs[] = {
    { "open", store_open },
    { "check_query", store_check_query },
    { NULL, NULL }
};

int luaopen_newsdesk_store(lua_State *L)
{
    if (luaL_newmetatable(L, LND_STORE_MT)) {
        luaL_setfuncs(L, store_meta, 0);
        luaL_newlib(L, store_methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, ARTICLE_MT)) {
        lua_pushvalue(L, -1);
        luaL_setfuncs(L, article_meta, 1);      /* upvalue: the metatable, for toarticle */
        /* __index: upvalues the metatable, a:find and a:match (made once,
         * not per a:find call) */
        lua_pushvalue(L, -1);
        lua_pushvalue(L, -1);
        lua_pushcclosure(L, article_find, 1);
        lua_pushvalue(L, -2);
        lua_pushcclosure(L, article_match, 1);
        lua_pushcclosure(L, article_index, 3);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, CURSOR_MT))
        luaL_setfuncs(L, cursor_meta, 0);
    lua_pop(L, 1);
    luaL_newlib(L, module_funcs);
    return 1;
}
