/*
 * runtime_article.c — the article a host passes to a call, seen from Lua
 * as a fresh table whose fields are created on first read, so a filter
 * pays only for the fields it uses.  pairs() lists every field.  Once the
 * call returns, fields that were never read are gone: reading one raises
 * an error instead of quietly giving nil.
 */
#include <string.h>

#include "runtime.h"
#include "sandbox.h"    /* lnd_sandbox_protect_mt */

enum { F_ID, F_TITLE, F_BODY, F_DATE, F_SOURCE, F_AUTHOR, F_URL, F_LANG, F_META_JSON, F_META, F_COUNT };

static const char *const field_names[F_COUNT + 1] = {
    "id", "title", "body", "date", "source", "author", "url", "lang", "meta_json", "meta", NULL
};

static int field_of(const char *k, size_t len)
{
    int i;
    for (i = 0; i < F_COUNT; i++)
        if (field_names[i][0] == k[0] && strlen(field_names[i]) == len && memcmp(k, field_names[i], len) == 0)
            return i;
    return -1;
}

/* Push field f of a, or nothing when absent; returns the count pushed.
 * [-0, +(0|1), e] */
static int push_field(lua_State *L, const nd_runtime_article *a, int f)
{
    const nd_str *s;
    switch (f) {
    case F_ID:
        if (!a->id)
            return 0;
        lua_pushinteger(L, (lua_Integer)a->id);
        return 1;
    case F_META:
        if (!a->meta_json.ptr)
            return 0;
        lnd_json_push(L, a->meta_json.ptr, a->meta_json.len, "the article's meta_json");
        return 1;
    case F_TITLE: s = &a->title; break;
    case F_BODY: s = &a->body; break;
    case F_DATE: s = &a->date; break;
    case F_SOURCE: s = &a->source; break;
    case F_AUTHOR: s = &a->author; break;
    case F_URL: s = &a->url; break;
    case F_LANG: s = &a->lang; break;
    default: s = &a->meta_json; break;
    }
    if (!s->ptr)
        return 0;
    lua_pushlstring(L, s->ptr, s->len);
    return 1;
}

/* __index(t, k): create field k of the current call's article and keep it
 * in t.  [-2, +1] */
static int article_index(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    size_t len;
    const char *k;
    int f;
    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    k = lua_tolstring(L, 2, &len);
    if ((f = field_of(k, len)) < 0)
        return 0;
    if (!rt->cur || lua_topointer(L, 1) != rt->cur_table)
        return luaL_error(L, "article field '%s' was not read during the call that received the "
                             "article; read the fields you keep while the call runs", field_names[f]);
    if (!push_field(L, rt->cur, f))
        return 0;
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

void lnd_rt_article_fill(lua_State *L, int idx)
{
    nd_runtime *rt = lnd_rt_get(L);
    int f;
    idx = lua_absindex(L, idx);
    if (!rt->cur || lua_topointer(L, idx) != rt->cur_table)
        return;
    for (f = 0; f < F_COUNT; f++) {
        lua_pushstring(L, field_names[f]);
        if (lua_rawget(L, idx) == LUA_TNIL && push_field(L, rt->cur, f))
            lua_setfield(L, idx, field_names[f]);
        lua_pop(L, 1);
    }
}

/* __pairs(t): every field (created now if t is the running call's
 * article), then the keys a script added.  [-1, +3] */
static int article_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lnd_rt_article_fill(L, 1);
    return lnd_pairs(L, 1, field_names);
}

/* The metatable is protected: it is set on every call's article, so a
 * __gc a script added to it would become a finalizer. */
void lnd_rt_article_init(lua_State *L, nd_runtime *rt)
{
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, article_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, article_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "newsdesk.runtime.article");
    lua_setfield(L, -2, "__name");
    lnd_sandbox_protect_mt(L, -1);
    rt->article_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

void lnd_rt_push_article(lua_State *L, nd_runtime *rt, const nd_runtime_article *a)
{
    lua_createtable(L, 0, 4);
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->article_mt_ref);
    lua_setmetatable(L, -2);
    rt->cur = a;
    rt->cur_table = lua_topointer(L, -1);
}
