/*
 * lrules_tag.c — db:tag(rules [, query] [, opts]): find the mentions of a
 * rule set in stored articles and store them (a method of newsdesk.store,
 * added by luaopen_newsdesk_rules).  See lrules.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lrules.h"
#include "nd_store.h"
#include "nd_store_sql.h"   /* nd_store_query & co.: statements on the connection */

/* Options of db:tag, read from a table at idx. */
typedef struct tagopts {
    int force;
    int progress;          /* stack index of the progress function, or 0 */
    lua_Integer every;     /* articles per transaction and progress call */
    int discover;          /* stack index of opts.discover (true or {lang=, cues=}), or 0 */
} tagopts;

/* Keys of db:tag's options, which may also stand in the query table. */
static const char *const tag_keys[] = { "force", "progress", "batch", "discover", NULL };

/* Fill q from the query argument at idx: nil, an FTS5 string, or a query
 * table as db:query takes (lnd_checkquery; unknown keys raise). */
static void tag_query(lua_State *L, int idx, nd_query *q)
{
    memset(q, 0, sizeof *q);
    if (lua_type(L, idx) == LUA_TSTRING) {
        q->match.ptr = lua_tolstring(L, idx, &q->match.len);
        return;
    }
    if (!lua_isnil(L, idx) && lua_type(L, idx) != LUA_TTABLE)
        luaL_typeerror(L, idx, "nil, string or query table");
    lnd_checkquery(L, idx, q, tag_keys);
}

/* Read db:tag's options from the table at idx (nil: none).  With `only`,
 * any other key raises (the options argument; a query table holds query
 * keys too, checked by lnd_checkquery). */
static void tag_opts(lua_State *L, int idx, tagopts *o, int only)
{
    if (lua_isnil(L, idx)) return;
    luaL_checktype(L, idx, LUA_TTABLE);
    if (only) {
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            size_t i;
            for (i = 0; k && tag_keys[i] && strcmp(k, tag_keys[i]) != 0; i++) {}
            if (!k || !tag_keys[i]) luaL_error(L, "unknown db:tag option '%s'", k ? k : luaL_typename(L, -2));
            lua_pop(L, 1);
        }
    }
    if (lua_getfield(L, idx, "force") != LUA_TNIL) o->force = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "progress") == LUA_TFUNCTION) o->progress = lua_gettop(L);
    else lua_pop(L, 1);
    if (lua_getfield(L, idx, "batch") == LUA_TNUMBER && lua_tointeger(L, -1) > 0) o->every = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "discover") != LUA_TNIL && lua_toboolean(L, -1)) o->discover = lua_gettop(L);
    else lua_pop(L, 1);
}

/* [-0, +0] call the progress function with {articles=, total=, tagged=,
 * skipped=, mentions=}. */
static void tag_progress(lua_State *L, const tagopts *o, lua_Integer done, lua_Integer total,
                         lua_Integer tagged, lua_Integer skipped, lua_Integer mentions)
{
    if (!o->progress) return;
    lua_pushvalue(L, o->progress);
    lua_createtable(L, 0, 5);
    lnd_setint(L, "articles", done);
    lnd_setint(L, "total", total);
    lnd_setint(L, "tagged", tagged);
    lnd_setint(L, "skipped", skipped);
    lnd_setint(L, "mentions", mentions);
    lua_call(L, 1, 0);
}

static nd_str optfield(lua_State *L, int t, const char *k)
{
    nd_str v = { NULL, 0 };
    if (lua_getfield(L, t, k) == LUA_TSTRING) v.ptr = lua_tolstring(L, -1, &v.len);
    lua_pop(L, 1);                          /* anchored by the match table */
    return v;
}

/* Tag article id with rule set u (no accept functions) without Lua: scan
 * its title and body and store the taken matches as they come out of the
 * scanner, the same mentions lnd_rules_scan_text's tables give.  field and mbuf are
 * the caller's scratch (the title is kept at the front of mbuf while the
 * body is read into field).  *cnt gets the number stored.  ND_OK or a
 * store code. */
static int tag_direct(nd_store *db, lrules *u, int64_t id, nd_str ks, nd_buf *field, nd_buf *mbuf, size_t *cnt)
{
    static const char *const fields[] = { "title", "body" };
    nd_mention *ms = NULL;
    size_t nm = 0, cap = 0, f, i;
    int rc = ND_OK;
    *cnt = 0;
    mbuf->len = 0;
    for (f = 0; f < 2 && rc == ND_OK; f++) {
        int isnull = 1;
        const char *s;
        size_t len, n;
        if ((rc = nd_store_field(db, id, fields[f], field, &isnull)) != ND_OK || isnull) continue;
        if (f == 0) {                              /* the title's text must outlive the body's read */
            if ((rc = nd_buf_append(mbuf, field->ptr ? field->ptr : "", field->len)) != ND_OK) break;
        }
        s = f == 0 ? mbuf->ptr : field->ptr;
        len = field->len;
        if ((rc = nd_rules_scan(u->r, u->sc, s ? s : "", len, 0)) != ND_OK) break;
        n = nd_scan_count(u->sc);
        for (i = 0; i < n; i++) {
            const nd_match *m = nd_scan_match(u->sc, i);
            nd_mention *x;
            if (nm == cap) {
                size_t c = cap ? cap * 2 : 64;
                nd_mention *q = realloc(ms, c * sizeof *ms);
                if (!q) {
                    rc = ND_ENOMEM;
                    break;
                }
                ms = q;
                cap = c;
            }
            x = &ms[nm++];
            x->type.ptr = m->type;
            x->type.len = strlen(m->type);
            if (m->id) {
                x->entity.ptr = m->id;
                x->entity.len = strlen(m->id);
            } else {
                x->entity.ptr = s + m->start;
                x->entity.len = m->suffix_start - m->start;
            }
            x->text.ptr = s + m->start;
            x->text.len = m->stop - m->start;
            x->suffix.ptr = s + m->suffix_start;
            x->suffix.len = m->stop - m->suffix_start;
            x->rule.ptr = m->rule;
            x->rule.len = strlen(m->rule);
            x->field.ptr = fields[f];
            x->field.len = strlen(fields[f]);
            x->start = m->start;
            x->stop = m->stop;
        }
    }
    if (rc == ND_OK) rc = nd_store_put_mentions(db, id, ks, ms, nm);
    free(ms);
    if (rc == ND_OK) *cnt = nm;
    return rc;
}

/* The body of db:tag, run under lua_pcall so the transaction can be rolled
 * back on any error.  Stack: 1 db, 2 rules, 3 userdata of int64 ids,
 * 4 count, 5 force, 6 progress or nil, 7 every, 8 true when the caller
 * already holds a transaction (then no begin/commit here), 9 the discover
 * option or nil.  Returns the stats table. */
static int tag_loop(lua_State *L)
{
    nd_store *db = lnd_checkstore(L, 1);
    lrules *u = lnd_checkrules(L, 2);
    const int64_t *ids = lua_touserdata(L, 3);
    lua_Integer n = lua_tointeger(L, 4), i, tagged = 0, skipped = 0, nment = 0;
    tagopts o = { lua_toboolean(L, 5), lua_isfunction(L, 6) ? 6 : 0, lua_tointeger(L, 7),
                  lua_toboolean(L, 9) ? 9 : 0 };
    char key[33 + 9];
    nd_str ks;
    nd_buf field = ND_BUF_INIT, mbuf = ND_BUF_INIT;
    int rc = ND_OK, in_tx = lua_toboolean(L, 8), outer = in_tx;
    static const char *const fields[] = { "title", "body" };
    nd_rules_key(u->r, key);
    if (o.discover) memcpy(key + 32, "+discover", 10);   /* its own rule set */
    ks.ptr = key;
    ks.len = strlen(key);
    lua_settop(L, 9);
    for (i = 0; i < n; i++) {
        int yes = 0, f, list;
        size_t k, cnt;
        nd_mention *ms;
        if (!in_tx) {
            if ((rc = nd_store_begin(db)) != ND_OK) break;
            in_tx = 1;
        }
        if (!o.force && (rc = nd_store_tagged(db, ids[i], ks, &yes)) != ND_OK) break;
        if (yes) {
            skipped++;
        } else {
            if (!u->callbacks && !o.discover) {     /* no Lua value per mention */
                rc = tag_direct(db, u, ids[i], ks, &field, &mbuf, &cnt);
                if (rc != ND_OK) break;
                tagged++;
                nment += (lua_Integer)cnt;
                goto next;
            }
            lua_newtable(L);
            list = lua_gettop(L);
            if (u->callbacks) lnd_pusharticle(L, 1, ids[i]);
            else lua_pushnil(L);
            for (f = 0; f < 2; f++) {
                int isnull = 1;
                if ((rc = nd_store_field(db, ids[i], fields[f], &field, &isnull)) != ND_OK) break;
                if (!isnull)
                    lnd_rules_scan_text(L, u, 2, field.len ? field.ptr : "", field.len, fields[f],
                              u->callbacks ? list + 1 : 0, list, 0);
                if (!isnull && o.discover)
                    lnd_discover_append(L, o.discover, field.len ? field.ptr : "", field.len, fields[f], list);
            }
            if (rc != ND_OK) break;
            cnt = lua_rawlen(L, list);
            ms = lua_newuserdatauv(L, (cnt ? cnt : 1) * sizeof *ms, 0);
            for (k = 0; k < cnt; k++) {
                int t;
                lua_rawgeti(L, list, (lua_Integer)k + 1);
                t = lua_gettop(L);
                ms[k].type = optfield(L, t, "type");
                ms[k].entity = optfield(L, t, "id");
                ms[k].text = optfield(L, t, "text");
                ms[k].suffix = optfield(L, t, "suffix");
                ms[k].rule = optfield(L, t, "rule");
                ms[k].field = optfield(L, t, "field");
                lua_getfield(L, t, "start");
                ms[k].start = (size_t)lua_tointeger(L, -1) - 1;
                lua_getfield(L, t, "stop");
                ms[k].stop = (size_t)lua_tointeger(L, -1);
                lua_pop(L, 3);
            }
            rc = nd_store_put_mentions(db, ids[i], ks, ms, cnt);
            lua_settop(L, 9);
            if (rc != ND_OK) break;
            tagged++;
            nment += (lua_Integer)cnt;
        }
    next:
        if ((i + 1) % o.every == 0 || i + 1 == n) {
            if (!outer) {
                if ((rc = nd_store_commit(db)) != ND_OK) break;
                in_tx = 0;
            }
            tag_progress(L, &o, i + 1, n, tagged, skipped, nment);
        }
    }
    nd_buf_free(&field);
    nd_buf_free(&mbuf);
    if (rc != ND_OK) {
        const char *msg = nd_store_errmsg(db);
        lua_pushstring(L, msg && *msg ? msg : nd_errstr(rc));
        if (in_tx && !outer) nd_store_rollback(db);
        return lua_error(L);
    }
    lua_createtable(L, 0, 5);
    lnd_setint(L, "articles", n);
    lnd_setint(L, "tagged", tagged);
    lnd_setint(L, "skipped", skipped);
    lnd_setint(L, "mentions", nment);
    lua_pushstring(L, key);
    lua_setfield(L, -2, "ruleset");
    return 1;
}

/* A rule set loaded from several paths and packs (rules.load{A, B}) has
 * tagged ids[0..n): each part (A alone, B alone) counts as having tagged
 * them too, with its own earlier mentions of them cleared, so tagging with
 * A after A and B finds nothing to do and no span is stored twice.  The
 * stats table is on the top and gets parts = {key, ...}.  Stack: 2 the
 * rules.  Returns 1, or raises. */
static int tag_parts(lua_State *L, nd_store *db, const int64_t *ids, size_t n, int outer)
{
    int stats = lua_gettop(L), rc = ND_OK, in_tx = 0;
    lua_Integer p, np;
    size_t i;
    lnd_rules_getuv(L, 2, "parts");
    if (lua_type(L, -1) != LUA_TTABLE) {
        lua_settop(L, stats);
        return 1;
    }
    np = (lua_Integer)lua_rawlen(L, -1);
    lua_createtable(L, (int)np, 0);                 /* the part keys */
    for (p = 1; p <= np; p++) {
        char key[33];
        lua_pushcfunction(L, lnd_rules_load);
        lua_rawgeti(L, stats + 1, p);
        lua_call(L, 1, 2);
        if (lua_isnil(L, -2)) return lua_error(L);   /* a part changed on disk since */
        nd_rules_key(lnd_checkrules(L, -2)->r, key);
        lua_pop(L, 2);
        lua_pushstring(L, key);
        lua_rawseti(L, stats + 2, p);
    }
    if (!outer && (rc = nd_store_begin(db)) == ND_OK) in_tx = 1;
    for (i = 0; rc == ND_OK && i < n; i++)
        for (p = 1; rc == ND_OK && p <= np; p++) {
            nd_str ks;
            lua_rawgeti(L, stats + 2, p);
            ks.ptr = lua_tolstring(L, -1, &ks.len);
            rc = nd_store_put_mentions(db, ids[i], ks, NULL, 0);
            lua_pop(L, 1);
        }
    if (in_tx) rc = rc == ND_OK ? nd_store_commit(db) : (nd_store_rollback(db), rc);
    if (rc != ND_OK) return lnd_fail(L, rc, nd_store_errmsg(db));
    lua_pushvalue(L, stats + 2);
    lua_setfield(L, stats, "parts");
    lua_settop(L, stats);
    return 1;
}

/* db:tag(rules [, query] [, opts]) -> stats | nil, message, code
 * query: nil (every article), an FTS5 string, or {match=, source=, lang=,
 * since=, until=}; opts (or the query table itself): force=true re-tags
 * articles already tagged by the identical rule set, progress=function(t),
 * batch=N articles per transaction (500), discover=true (or {lang=, cues=})
 * also stores the names newsdesk.rules.discover finds that overlap no rule
 * mention, as mentions of rule "discover"; the rule set is then stored as
 * "<key>+discover".  Stats: {articles=, tagged=, skipped=, mentions=,
 * ruleset=}. */
static int store_tag(lua_State *L)
{
    nd_store *db = lnd_checkstore_writable(L, 1, "tag");
    nd_query q;
    tagopts o = { 0, 0, 500, 0 };
    sqlite3_stmt *st = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc, anchor, outer = !sqlite3_get_autocommit(nd_store_sqlite(db));
    lnd_checkrules(L, 2);
    lua_settop(L, 4);
    tag_query(L, 3, &q);
    if (lua_type(L, 3) == LUA_TTABLE) tag_opts(L, 3, &o, 0);
    tag_opts(L, 4, &o, 1);
    rc = nd_store_query(db, &q, 1, &st);           /* how many, then which */
    if (rc != ND_OK) return lnd_fail(L, rc, nd_store_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW) cap = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    lua_pushnil(L);                                 /* anchors ids past the call */
    anchor = lua_gettop(L);
    lua_pushcfunction(L, tag_loop);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    ids = lua_newuserdatauv(L, (cap ? cap : 1) * sizeof *ids, 0);
    lua_pushvalue(L, -1);
    lua_replace(L, anchor);
    rc = nd_store_query(db, &q, 0, &st);
    if (rc != ND_OK) return lnd_fail(L, rc, nd_store_errmsg(db));
    while (n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, ND_COL_ID);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && n < cap) return lnd_fail(L, ND_EDB, nd_store_errmsg(db));
    lua_pushinteger(L, (lua_Integer)n);
    lua_pushboolean(L, o.force);
    if (o.progress) lua_pushvalue(L, o.progress);
    else lua_pushnil(L);
    lua_pushinteger(L, o.every);
    lua_pushboolean(L, outer);
    if (o.discover) lua_pushvalue(L, o.discover);
    else lua_pushnil(L);
    if (lua_pcall(L, 9, 1, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (!outer && !sqlite3_get_autocommit(nd_store_sqlite(db))) nd_store_rollback(db);
        if (msg && (strstr(msg, "locked") || strstr(msg, "busy"))) return lnd_fail(L, ND_EBUSY, msg);
        return lua_error(L);               /* a callback or progress error: re-raise */
    }
    return tag_parts(L, db, ids, n, outer);
}

const luaL_Reg lnd_rules_store_methods[] = {
    { "tag", store_tag },
    { NULL, NULL }
};
