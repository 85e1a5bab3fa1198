/*
 * lrules_scan.c — scanning with a rule set: rules:scan, rules:matches,
 * rules:explain (match tables, accept functions) and rules:tally (counts
 * made in C).  See lrules.h.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "lrules.h"

/* The field names of a match table, pushed once per text (push_keys) so
 * that a match sets its fields with lua_rawset: lua_setfield looked each
 * name up again (and went the metamethod way), some 60 instructions a
 * field, for every match of a dense scan. */
enum { K_TYPE, K_ID, K_TEXT, K_START, K_STOP, K_SUFFIX, K_RULE, K_FIELD, K_EDITS, K_COUNT };

/* [-0, +K_COUNT] the field names, in the order of the enum. */
static void push_keys(lua_State *L)
{
    static const char *const names[K_COUNT] = { "type", "id", "text", "start", "stop", "suffix", "rule", "field",
                                                "edits" };
    int i;
    luaL_checkstack(L, K_COUNT, NULL);
    for (i = 0; i < K_COUNT; i++) lua_pushstring(L, names[i]);
}

/* [-0, +1] the Lua table of candidate m found in text s (field may be NULL);
 * attrs is the stack index of the rule set's attribute list, keys that of
 * the field names (push_keys). */
static void push_match(lua_State *L, int attrs, int keys, const nd_match *m, const char *s, const char *field)
{
    int attributes = 0;
    if (m->entry != ND_NO_ENTRY) {
        attributes = lua_rawgeti(L, attrs, (lua_Integer)m->entry + 1) == LUA_TTABLE;
        if (!attributes) lua_pop(L, 1);
    }
    /* the size the table will have (7 fields, field, edits): most get an
     * 8-slot part, not 16, which halves what a dense scan allocates */
    lua_createtable(L, 0, attributes ? 12 : 7 + (field != NULL) + (m->edits != 0));
    if (attributes) {                               /* attributes first: core fields win */
        lua_pushnil(L);
        while (lua_next(L, -3)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        lua_remove(L, -2);
    }
    lua_pushvalue(L, keys + K_TYPE);
    lua_pushstring(L, m->type);
    lua_rawset(L, -3);
    lua_pushvalue(L, keys + K_ID);
    if (m->id) lua_pushstring(L, m->id);
    else lua_pushlstring(L, s + m->start, m->suffix_start - m->start);
    lua_rawset(L, -3);
    lua_pushvalue(L, keys + K_TEXT);
    lua_pushlstring(L, s + m->start, m->stop - m->start);
    lua_rawset(L, -3);
    lua_pushvalue(L, keys + K_START);
    lua_pushinteger(L, (lua_Integer)m->start + 1);
    lua_rawset(L, -3);
    lua_pushvalue(L, keys + K_STOP);
    lua_pushinteger(L, (lua_Integer)m->stop);
    lua_rawset(L, -3);
    lua_pushvalue(L, keys + K_SUFFIX);
    lua_pushlstring(L, s + m->suffix_start, m->stop - m->suffix_start);
    lua_rawset(L, -3);
    lua_pushvalue(L, keys + K_RULE);
    lua_pushstring(L, m->rule);
    lua_rawset(L, -3);
    if (field) {
        lua_pushvalue(L, keys + K_FIELD);
        lua_pushstring(L, field);
        lua_rawset(L, -3);
    }
    if (m->edits) {
        lua_pushvalue(L, keys + K_EDITS);
        lua_pushinteger(L, (lua_Integer)m->edits);
        lua_rawset(L, -3);
    }
}

/* [-0, +1] a list of up to 3 token strings before (dir < 0) or after. */
static void push_tokens(lua_State *L, nd_scan *sc, const char *s, const nd_match *m, int dir)
{
    size_t n = nd_scan_ntokens(sc), t, a, b;
    lua_Integer k = 0;
    lua_newtable(L);
    t = nd_scan_token_at(sc, dir < 0 ? m->start : m->stop);
    if (dir < 0) {
        size_t i;
        size_t first = t >= 3 ? t - 3 : 0;
        for (i = first; i < t; i++) {
            nd_scan_token(sc, i, &a, &b);
            lua_pushlstring(L, s + a, b - a);
            lua_rawseti(L, -2, ++k);
        }
    } else {
        for (; t < n && k < 3; t++) {
            nd_scan_token(sc, t, &a, &b);
            if (a < m->stop) continue;
            lua_pushlstring(L, s + a, b - a);
            lua_rawseti(L, -2, ++k);
        }
    }
}

void lnd_rules_scan_text(lua_State *L, lrules *u, int rs, const char *s, size_t len, const char *field,
                         int art, int out, int explain)
{
    unsigned flags = (explain ? ND_SCAN_EXPLAIN : 0) | (u->callbacks ? ND_SCAN_DEFER | ND_SCAN_TOKENS : 0);
    size_t i, nc;
    int cands, accept, attrs, keys, rc;
    lua_Integer k = (lua_Integer)lua_rawlen(L, out);
    rc = nd_rules_scan(u->r, u->sc, s, len, flags | ND_SCAN_DEFER);
    if (rc != ND_OK) lnd_raise(L, rc, NULL);
    nc = nd_scan_ncandidates(u->sc);
    lnd_rules_getuv(L, rs, "attrs");
    attrs = lua_gettop(L);
    if (u->callbacks) lua_createtable(L, (int)nc, 0);   /* candidate index -> match table */
    else lua_pushnil(L);
    cands = lua_gettop(L);
    lnd_rules_getuv(L, rs, "accept");
    accept = lua_gettop(L);
    if (u->callbacks) lua_pushlstring(L, s, len);  /* ctx.text, made once */
    push_keys(L);
    keys = lua_gettop(L) - K_COUNT + 1;
    /* Accept functions see only candidates that win the overlap resolution:
     * resolve, ask about each new winner once, and resolve again while some
     * winner was dropped (what it shadowed may win now). */
    for (;;) {
        int dropped = 0;
        if ((rc = nd_scan_resolve(u->sc)) != ND_OK) lnd_raise(L, rc, NULL);
        if (!u->callbacks) break;
        for (i = 0; i < nc; i++) {
            const nd_match *m = nd_scan_candidate(u->sc, i);
            if (m->status != ND_MATCH_TAKEN) continue;
            if (lua_rawgeti(L, cands, (lua_Integer)i + 1) != LUA_TNIL) {   /* asked already */
                lua_pop(L, 1);
                continue;
            }
            lua_pop(L, 1);
            if (lua_rawgeti(L, accept, (lua_Integer)m->rule_index + 1) != LUA_TFUNCTION) {
                lua_pop(L, 1);
                continue;
            }
            push_match(L, attrs, keys, m, s, field);
            lua_pushvalue(L, -1);
            lua_rawseti(L, cands, (lua_Integer)i + 1);
            lua_createtable(L, 0, 5);                /* ctx */
            push_tokens(L, u->sc, s, m, -1);
            lua_setfield(L, -2, "before");
            push_tokens(L, u->sc, s, m, 1);
            lua_setfield(L, -2, "after");
            lua_pushvalue(L, accept + 1);
            lua_setfield(L, -2, "text");
            if (field) {
                lua_pushstring(L, field);
                lua_setfield(L, -2, "field");
            }
            if (art) {
                lua_pushvalue(L, art);
                lua_setfield(L, -2, "article");
            }
            lua_call(L, 2, 1);
            if (!u->r) luaL_error(L, "the rule set was closed during its own scan");
            if (lua_type(L, -1) == LUA_TTABLE) {    /* changes to the match */
                lua_rawgeti(L, cands, (lua_Integer)i + 1);
                lua_pushnil(L);
                while (lua_next(L, -3)) {
                    lua_pushvalue(L, -2);
                    lua_insert(L, -2);
                    lua_settable(L, -4);
                }
                lua_pop(L, 1);
            } else if (!lua_toboolean(L, -1)) {
                nd_scan_reject(u->sc, i);
                dropped = 1;
            }
            lua_pop(L, 1);
        }
        if (!dropped) break;
    }
    if (k == 0) {                                   /* a new list: make it at its size */
        size_t n = explain ? nc : nd_scan_count(u->sc);
        if (n) {
            lua_createtable(L, n < INT_MAX ? (int)n : INT_MAX, 0);
            lua_replace(L, out);
        }
    }
    for (i = 0; i < nc; i++) {
        const nd_match *m = nd_scan_candidate(u->sc, i);
        if (!explain && m->status != ND_MATCH_TAKEN) continue;
        if (!u->callbacks || lua_rawgeti(L, cands, (lua_Integer)i + 1) != LUA_TTABLE) {
            if (u->callbacks) lua_pop(L, 1);
            push_match(L, attrs, keys, m, s, field);
        }
        if (explain) {
            static const char *const st[] = { "candidate", "taken", "overlap", "rejected", "bad suffix",
                                              "address" };
            lua_pushstring(L, st[m->status]);
            lua_setfield(L, -2, "status");
            if (m->status == ND_MATCH_OVERLAP) {
                const nd_match *w = nd_scan_candidate(u->sc, m->shadowed_by);
                const char *why = (w->stop - w->start) != (m->stop - m->start) ? "is longer"
                                : w->edits != m->edits ? "is exact"
                                : (w->suffix_start - w->start) != (m->suffix_start - m->start) ? "is a longer name"
                                : w->priority != m->priority ? "has a higher priority"
                                : w->rule_index != m->rule_index ? "comes from an earlier rule"
                                : "starts earlier";
                lua_pushfstring(L, "dropped: overlaps '%s' (rule %s), which %s",
                                lua_pushlstring(L, s + w->start, w->stop - w->start), w->rule, why);
                lua_remove(L, -2);
                lua_pushinteger(L, k - (lua_Integer)i + (lua_Integer)m->shadowed_by + 1);
                lua_setfield(L, -3, "by");
            } else if (m->status == ND_MATCH_REJECTED) {
                lua_pushstring(L, "dropped: the rule's accept function rejected it");
            } else if (m->status == ND_MATCH_ADDRESS) {
                lua_pushstring(L, "dropped: inside a URL or an e-mail address");
            } else if (m->status == ND_MATCH_BADSUFFIX) {
                lua_pushfstring(L, "dropped: '%s' is not a Turkish suffix chain after '%s'",
                                lua_pushlstring(L, s + m->suffix_start, m->stop - m->suffix_start),
                                lua_pushlstring(L, s + m->start, m->suffix_start - m->start));
                lua_replace(L, -3);
                lua_pop(L, 1);
            } else {
                lua_pushfstring(L, "taken: %s match (rule %s)", m->edits ? "fuzzy" : "exact", m->rule);
            }
            lua_setfield(L, -2, "why");
        }
        lua_rawseti(L, out, ++k);
    }
    lua_settop(L, attrs - 1);
}

/* Scan argument idx: a string, or an article (userdata or table with title
 * and body fields).  Appends to the list at out.  [-0, +0] */
static void scan_arg(lua_State *L, lrules *u, int idx, int out, int explain)
{
    static const char *const fields[] = { "title", "body" };
    size_t len, f;
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, idx, &len);
        lnd_rules_scan_text(L, u, 1, s, len, NULL, 0, out, explain);
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE && lua_type(L, idx) != LUA_TUSERDATA)
        luaL_typeerror(L, idx, "string or article");
    for (f = 0; f < 2; f++) {
        const char *s;
        lua_getfield(L, idx, fields[f]);
        s = lua_tolstring(L, -1, &len);
        if (s) lnd_rules_scan_text(L, u, 1, s, len, fields[f], idx, out, explain);
        lua_pop(L, 1);
    }
}

/* One id's count in add_counts: id (a string of the rule set or of the
 * scan), or NULL for an id that is the text s[start, start + len). */
typedef struct idcount {
    const char *id;
    size_t start, len;
    lua_Integer n;
} idcount;

#define FEW_MATCHES 64                    /* counted on the C stack */

/* Add the n taken matches of the scan of s to the counts at out (fresh: a
 * new empty table nobody else holds, replaced by one sized for the ids).
 * A dense text names the same entities again and again: the matches are
 * counted in C by their id string (the pointer: one per entry or pattern
 * match), and each id then makes one Lua string and one table update, not
 * one per match (the interning and the two table look-ups were most of
 * what a tally did besides the scan).  Ids go in by first appearance, as
 * they did one match at a time.  [-0, +0] */
static void add_counts(lua_State *L, nd_scan *sc, const char *s, size_t n, int out, int fresh)
{
    idcount few[FEW_MATCHES], *ids = few;
    uint32_t fewslot[2 * FEW_MATCHES], *slot = fewslot;
    size_t i, nids = 0, cap = 16, mask;
    if (!n) return;
    while (cap < 2 * n) cap *= 2;
    if (n > FEW_MATCHES) {
        ids = lua_newuserdatauv(L, n * sizeof *ids + cap * sizeof *slot, 0);
        slot = (uint32_t *)(void *)(ids + n);
    }
    mask = cap - 1;
    memset(slot, 0, cap * sizeof *slot);
    for (i = 0; i < n; i++) {
        const nd_match *m = nd_scan_match(sc, i);
        size_t h;
        if (m->id) {                                 /* the same pointer, the same id */
            for (h = ((uintptr_t)m->id * 0x9E3779B97F4A7C15ull) >> 40 & mask; slot[h]; h = (h + 1) & mask)
                if (ids[slot[h] - 1].id == m->id) break;
            if (slot[h]) {
                ids[slot[h] - 1].n++;
                continue;
            }
            slot[h] = (uint32_t)nids + 1;
        }
        ids[nids].id = m->id;
        ids[nids].start = m->start;
        ids[nids].len = m->suffix_start - m->start;
        ids[nids++].n = 1;
    }
    if (fresh) {
        lua_createtable(L, 0, nids < 1024 ? (int)nids : 1024);
        lua_replace(L, out);
    }
    for (i = 0; i < nids; i++) {
        lua_Integer c;
        if (ids[i].id) lua_pushstring(L, ids[i].id);
        else lua_pushlstring(L, s + ids[i].start, ids[i].len);
        lua_pushvalue(L, -1);
        c = lua_rawget(L, out) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
        lua_pop(L, 1);
        lua_pushinteger(L, c + ids[i].n);
        lua_rawset(L, out);
    }
    if (ids != few) lua_pop(L, 1);
}

/* Add the matches of text s (one field; art as for scan_text) to the
 * counts by entity id in the table at out.  Without accept functions no
 * Lua value is made per match: the ids are the rule set's own strings (or
 * the matched text of a pattern).  fresh: out is a new empty table nobody
 * else holds, which is replaced by one sized for the ids (no rehash
 * as it fills).  [-0, +0] */
static void tally_text(lua_State *L, lrules *u, const char *s, size_t len, const char *field, int art, int out,
                       int fresh)
{
    size_t i, n;
    int rc;
    if (u->callbacks) {                             /* accept functions may change ids */
        int list;
        lua_newtable(L);
        list = lua_gettop(L);
        lnd_rules_scan_text(L, u, 1, s, len, field, art, list, 0);
        n = lua_rawlen(L, list);
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, list, (lua_Integer)i);
            lua_getfield(L, -1, "id");
            lua_pushvalue(L, -1);
            lua_pushinteger(L, (lua_Integer)(lua_rawget(L, out) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0) + 1);
            lua_remove(L, -2);
            lua_rawset(L, out);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        return;
    }
    if ((rc = nd_rules_scan(u->r, u->sc, s, len, 0)) != ND_OK) lnd_raise(L, rc, NULL);
    add_counts(L, u->sc, s, nd_scan_count(u->sc), out, fresh);
}

/* rules:tally(text | article) -> {[id] = number of matches}: the counts
 * rules:scan would give, made in C. */
static int rules_tally(lua_State *L)
{
    static const char *const fields[] = { "title", "body" };
    lrules *u = lnd_checkrules(L, 1);
    size_t len, f;
    int fresh = 1;
    lua_settop(L, 2);
    lua_newtable(L);
    if (lua_type(L, 2) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, 2, &len);
        tally_text(L, u, s, len, NULL, 0, 3, 1);
        return 1;
    }
    if (lua_type(L, 2) != LUA_TTABLE && lua_type(L, 2) != LUA_TUSERDATA) luaL_typeerror(L, 2, "string or article");
    for (f = 0; f < 2; f++) {
        const char *s;
        lua_getfield(L, 2, fields[f]);
        s = lua_tolstring(L, -1, &len);
        if (s) {
            tally_text(L, u, s, len, fields[f], 2, 3, fresh);
            fresh = 0;
        }
        lua_pop(L, 1);
    }
    return 1;
}

/* iterator of rules:scan: upvalues list, index. */
static int scan_iter(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2)) + 1;
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(2));
    lua_rawgeti(L, lua_upvalueindex(1), i);
    return 1;
}

/* ---- rules:each: every match as values, no table per match ---------------- */

#define EACH_STRIDE 5                     /* start, stop, id, type, field */

/* Append the taken matches of the scan just made of s (field, or NULL for a
 * string) to the flat list at out, EACH_STRIDE values a match, after *k. */
static void each_values(lua_State *L, nd_scan *sc, const char *s, const char *field, int out, lua_Integer *k)
{
    size_t i, n = nd_scan_count(sc);
    for (i = 0; i < n; i++) {
        const nd_match *m = nd_scan_match(sc, i);
        lua_pushinteger(L, (lua_Integer)m->start + 1);
        lua_rawseti(L, out, ++*k);
        lua_pushinteger(L, (lua_Integer)m->stop);
        lua_rawseti(L, out, ++*k);
        if (m->id) lua_pushstring(L, m->id);
        else lua_pushlstring(L, s + m->start, m->suffix_start - m->start);
        lua_rawseti(L, out, ++*k);
        lua_pushstring(L, m->type);
        lua_rawseti(L, out, ++*k);
        if (field) lua_pushstring(L, field);
        else lua_pushboolean(L, 0);
        lua_rawseti(L, out, ++*k);
    }
}

/* The same from match tables (a rule set with accept functions, whose
 * answers may change a match): the list at tables, to the flat list at out. */
static void each_from_tables(lua_State *L, int tables, int out, lua_Integer *k)
{
    static const char *const f[EACH_STRIDE] = { "start", "stop", "id", "type", "field" };
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, tables);
    int j;
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, tables, i);
        for (j = 0; j < EACH_STRIDE; j++) {
            if (lua_getfield(L, -1, f[j]) == LUA_TNIL) {
                lua_pop(L, 1);
                lua_pushboolean(L, 0);
            }
            lua_rawseti(L, out, ++*k);
        }
        lua_pop(L, 1);
    }
}

/* iterator of rules:each: upvalues the flat list and the index of the last
 * value given. */
static int each_iter(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
    int j;
    if (lua_rawgeti(L, lua_upvalueindex(1), i + 1) == LUA_TNIL)
        return 1;
    for (j = 2; j <= EACH_STRIDE; j++)
        lua_rawgeti(L, lua_upvalueindex(1), i + j);
    if (!lua_toboolean(L, -1)) {                    /* no field: a string was scanned */
        lua_pop(L, 1);
        lua_pushnil(L);
    }
    lua_pushinteger(L, i + EACH_STRIDE);
    lua_replace(L, lua_upvalueindex(2));
    return EACH_STRIDE;
}

/* rules:each(text | article) -> iterator of start, stop, id, type, field:
 * the matches rules:scan gives, in its order, as values (field is nil for
 * a string), without a table per match. */
static int rules_each(lua_State *L)
{
    static const char *const fields[] = { "title", "body" };
    lrules *u = lnd_checkrules(L, 1);
    lua_Integer k = 0;
    size_t len, f;
    int rc;
    lua_settop(L, 2);
    lua_newtable(L);                                /* 3: the flat list */
    if (u->callbacks) {
        lua_newtable(L);
        scan_arg(L, u, 2, 4, 0);
        each_from_tables(L, 4, 3, &k);
        lua_pop(L, 1);
    } else if (lua_type(L, 2) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, 2, &len);
        if ((rc = nd_rules_scan(u->r, u->sc, s, len, 0)) != ND_OK) lnd_raise(L, rc, NULL);
        each_values(L, u->sc, s, NULL, 3, &k);
    } else {
        if (lua_type(L, 2) != LUA_TTABLE && lua_type(L, 2) != LUA_TUSERDATA) luaL_typeerror(L, 2, "string or article");
        for (f = 0; f < 2; f++) {
            const char *s;
            lua_getfield(L, 2, fields[f]);
            if ((s = lua_tolstring(L, -1, &len)) != NULL) {
                if ((rc = nd_rules_scan(u->r, u->sc, s, len, 0)) != ND_OK) lnd_raise(L, rc, NULL);
                each_values(L, u->sc, s, fields[f], 3, &k);
            }
            lua_pop(L, 1);
        }
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, each_iter, 2);
    return 1;
}

/* [-0, +1] the list of matches (or, explain, of candidates) of argument 2
 * of a method called on a rule set; leaves the list at index 3. */
static void scan_list(lua_State *L, int explain)
{
    lrules *u = lnd_checkrules(L, 1);
    lua_settop(L, 2);
    lua_newtable(L);
    scan_arg(L, u, 2, 3, explain);
}

/* rules:scan(text | article) -> iterator of match tables */
static int rules_scan(lua_State *L)
{
    scan_list(L, 0);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, scan_iter, 2);
    return 1;
}

/* rules:matches(text | article) -> list of match tables */
static int rules_matches(lua_State *L)
{
    scan_list(L, 0);
    return 1;
}

/* rules:explain(text | article) -> list of every candidate with status
 * ("taken", "overlap", "rejected", "bad suffix"), why, and by (the index
 * of the winner for an overlap). */
static int rules_explain(lua_State *L)
{
    scan_list(L, 1);
    return 1;
}

const luaL_Reg lnd_rules_scan_methods[] = {
    { "scan", rules_scan },
    { "each", rules_each },
    { "matches", rules_matches },
    { "explain", rules_explain },
    { "tally", rules_tally },
    { NULL, NULL }
};
