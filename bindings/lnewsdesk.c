/*
 * lnewsdesk.c — the Lua module "newsdesk": version, the C submodules, and
 * a package searcher for the Lua-side parts embedded in the library, so that
 * require("newsdesk.report") works in any lua_State with no path set-up.
 */
#include <string.h>

#include "lnd.h"

/* ---- shared helpers ---------------------------------------------------- */

const char *lnd_codename(int code)
{
    switch (code) {
    case ND_OK: return "ok";
    case ND_ENOMEM: return "nomem";
    case ND_EINVAL: return "invalid";
    case ND_EUTF8: return "utf8";
    case ND_EIO: return "io";
    case ND_EDB: return "db";
    case ND_ENOTFOUND: return "notfound";
    case ND_ELIMIT: return "limit";
    case ND_ECLOSED: return "closed";
    case ND_ESYNTAX: return "syntax";
    case ND_ESCRIPT: return "script";
    case ND_EBUSY: return "busy";
    case ND_ERANGE: return "range";
    default: return "error";
    }
}

int lnd_fail(lua_State *L, int code, const char *msg)
{
    luaL_pushfail(L);
    lua_pushstring(L, msg && *msg ? msg : nd_errstr(code));
    lua_pushstring(L, lnd_codename(code));
    return 3;
}

int lnd_raise(lua_State *L, int code, const char *msg)
{
    return luaL_error(L, "%s", msg && *msg ? msg : nd_errstr(code));
}

void lnd_pushbuf(lua_State *L, const nd_buf *b)
{
    lua_pushlstring(L, b->len ? b->ptr : "", b->len);
}

int lnd_newmetatable_fin(lua_State *L, const char *mt, lua_CFunction fin)
{
    if (!luaL_newmetatable(L, mt))
        return 0;
    lua_pushcfunction(L, fin);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, fin);
    lua_setfield(L, -2, "__close");
    return 1;
}

void *lnd_newbox(lua_State *L, size_t size, const char *mt, lua_CFunction fin)
{
    void *b = lua_newuserdatauv(L, size, 0);
    memset(b, 0, size);
    lnd_newmetatable_fin(L, mt, fin);
    lua_setmetatable(L, -2);
    return b;
}

/* ---- pairs over listed fields ------------------------------------------- */

/* Position of key k in names, or -1 when it is not listed.  [-0, +0] */
static int listed(const char *const *names, lua_State *L, int k)
{
    int i;
    if (lua_type(L, k) != LUA_TSTRING)
        return -1;
    for (i = 0; names[i]; i++)
        if (strcmp(names[i], lua_tostring(L, k)) == 0)
            return i;
    return -1;
}

/* The iterator of lnd_pairs: (obj, key) -> the next key and value, or nil.
 * Upvalue 1: the names (light userdata).  [-2, +(1|2)] */
static int pairs_next(lua_State *L)
{
    const char *const *names = lua_touserdata(L, lua_upvalueindex(1));
    int i = 0;
    lua_settop(L, 2);
    if (!lua_isnil(L, 2)) {
        i = listed(names, L, 2);
        if (i < 0)
            goto others;                   /* past the listed fields */
        i++;
    }
    for (; names[i]; i++) {
        lua_pushstring(L, names[i]);
        lua_pushvalue(L, -1);
        if ((lua_type(L, 1) == LUA_TTABLE ? lua_rawget(L, 1) : lua_gettable(L, 1)) != LUA_TNIL)
            return 2;
        lua_pop(L, 2);
    }
    lua_pushnil(L);
    lua_replace(L, 2);
others:
    if (lua_type(L, 1) == LUA_TTABLE) {
        while (lua_next(L, 1)) {
            if (listed(names, L, -2) < 0)
                return 2;
            lua_pop(L, 1);
        }
    }
    lua_pushnil(L);
    return 1;
}

int lnd_pairs(lua_State *L, int idx, const char *const *names)
{
    idx = lua_absindex(L, idx);
    lua_pushlightuserdata(L, (void *)names);
    lua_pushcclosure(L, pairs_next, 1);
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    return 3;
}

/* ---- the host ---------------------------------------------------------- */

#define HOST_KEY "newsdesk.host"

void lnd_host_set(lua_State *L, const lnd_host *h)
{
    if (h)
        lua_pushlightuserdata(L, (void *)h);
    else
        lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, HOST_KEY);
}

const lnd_host *lnd_host_get(lua_State *L)
{
    const lnd_host *h;
    lua_getfield(L, LUA_REGISTRYINDEX, HOST_KEY);
    h = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return h;
}

/* An account is the host itself: its hooks and their ud. */
void *lnd_cmem_account(lua_State *L)
{
    const lnd_host *h = lnd_host_get(L);
    return h && h->mem_charge ? (void *)h : NULL;
}

int lnd_cmem_charge(void *account, ptrdiff_t bytes)
{
    const lnd_host *h = account;
    return h->mem_charge(h->ud, bytes);
}

size_t lnd_cmem_room(lua_State *L)
{
    const lnd_host *h = lnd_host_get(L);
    return h && h->mem_room ? h->mem_room(h->ud) : SIZE_MAX;
}

int lnd_cmem_exceeded(lua_State *L)
{
    const lnd_host *h = lnd_host_get(L);
    if (h && h->mem_exceeded)
        return h->mem_exceeded(L, h->ud);
    return luaL_error(L, "not enough memory");
}

void lnd_charge(lua_State *L, uint64_t units, int level)
{
    const lnd_host *h = lnd_host_get(L);
    if (h && h->charge)
        h->charge(L, h->ud, units, level);
}

/* Append {table at idx, name at top, cost} to the list at list.  Pops the
 * name. */
static void add_cost(lua_State *L, int list, int idx, const lnd_cost *cost)
{
    lua_createtable(L, 4, 0);
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, 1);
    lua_rotate(L, -2, 1);
    lua_rawseti(L, -2, 2);
    lua_pushinteger(L, cost->units_per_byte);
    lua_rawseti(L, -2, 3);
    lua_pushinteger(L, cost->mem_per_byte);
    lua_rawseti(L, -2, 4);
    lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
}

void lnd_declare_cost(lua_State *L, int idx, const luaL_Reg *fields, const lnd_cost *cost)
{
    int list;
    idx = lua_absindex(L, idx);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LND_COSTS_KEY);
    list = lua_gettop(L);
    if (fields) {
        for (; fields->name; fields++) {
            lua_pushstring(L, fields->name);
            add_cost(L, list, idx, cost);
        }
    } else {
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            int fn = lua_type(L, -1) == LUA_TFUNCTION;
            lua_pop(L, 1);
            if (fn && lua_type(L, -1) == LUA_TSTRING) {
                lua_pushvalue(L, -1);
                add_cost(L, list, idx, cost);
            }
        }
    }
    lua_pop(L, 1);
}

void lnd_limit_check(lua_State *L)
{
    const lnd_host *h = lnd_host_get(L);
    if (h && h->limit_check)
        h->limit_check(L, h->ud);
}

int lnd_check_read(lua_State *L, const char *path)
{
    const lnd_host *h = lnd_host_get(L);
    if (!h || !h->read_path)
        return 0;
    if (h->read_path(L, h->ud, path) != 0)
        return -1;
    lua_pop(L, 1);
    return 0;
}

/* lnd_path_arg for the value at idx, depth levels down.  [-0, +0, e] */
static void path_value(lua_State *L, const lnd_host *h, int idx, int depth)
{
    lua_Integer i, n;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *path = lua_tostring(L, idx);
        if (strncmp(path, "pack:", 5) == 0)
            return;
        if (h->read_path(L, h->ud, path) != 0)
            lua_error(L);
        if (depth == 0)
            lua_replace(L, idx);
        else
            lua_pop(L, 1);
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE || depth > 8)
        return;
    luaL_checkstack(L, 4, "nested too deeply");
    lua_pushliteral(L, "gazetteer");
    lua_rawget(L, idx);
    path_value(L, h, -1, depth + 1);
    lua_pop(L, 1);
    n = (lua_Integer)lua_rawlen(L, idx);
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        path_value(L, h, -1, depth + 1);
        lua_pop(L, 1);
    }
}

void lnd_path_arg(lua_State *L, int arg)
{
    const lnd_host *h = lnd_host_get(L);
    if (h && h->read_path && lua_gettop(L) >= arg)
        path_value(L, h, arg, 0);
}

const lnd_embedded *lnd_embedded_find(const char *name)
{
    size_t i;
    for (i = 0; i < lnd_embedded_count; i++)
        if (strcmp(lnd_embedded_modules[i].name, name) == 0)
            return &lnd_embedded_modules[i];
    return NULL;
}

/* ---- embedded searcher ------------------------------------------------- */

/* package.searchers entry: [-0, +1 or +2] returns a loader and the chunk
 * name for an embedded module, or a message saying it is not embedded. */
static int searcher(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const lnd_embedded *m = lnd_embedded_find(name);
    if (!m) {
        lua_pushfstring(L, "no embedded module '%s'", name);
        return 1;
    }
    if (luaL_loadbufferx(L, m->source, m->len, m->chunkname, "t") != LUA_OK)
        return lua_error(L);
    lua_pushstring(L, m->chunkname + 1);
    return 2;
}

/* Insert the embedded searcher right after package.preload's, once. */
static void install_searcher(lua_State *L)
{
    lua_Integer n;
    if (lua_getglobal(L, "package") != LUA_TTABLE ||
        lua_getfield(L, -1, "searchers") != LUA_TTABLE) {
        lua_pop(L, 2);
        return;
    }
    if (lua_getfield(L, LUA_REGISTRYINDEX, "newsdesk.searcher") != LUA_TNIL) {
        lua_pop(L, 3);
        return;
    }
    lua_pop(L, 1);
    n = (lua_Integer)luaL_len(L, -1);
    for (; n >= 2; n--) {
        lua_rawgeti(L, -1, n);
        lua_rawseti(L, -2, n + 1);
    }
    lua_pushcfunction(L, searcher);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "newsdesk.searcher");
    lua_rawseti(L, -2, 2);
    lua_pop(L, 2);
}

/* ---- module ------------------------------------------------------------ */

/* C submodules, opened eagerly and stored as newsdesk.<name> and in
 * package.loaded["newsdesk.<name>"]. */
static const struct {
    const char *name;
    lua_CFunction open;
} submodules[] = {
    { "store", luaopen_newsdesk_store },
    { "ingest", luaopen_newsdesk_ingest },
    { "text", luaopen_newsdesk_text },
    { "dates", luaopen_newsdesk_dates },
    { "lang", luaopen_newsdesk_lang },
    { "rules", luaopen_newsdesk_rules },
    { "json", luaopen_newsdesk_json },
    { NULL, NULL }
};

/* __index of the module table: newsdesk.<k> loads the embedded Lua part
 * "newsdesk.<k>" on first use.  [-0, +1] */
static int module_index(lua_State *L)
{
    const char *k = lua_tostring(L, 2);
    if (!k || lua_type(L, 2) != LUA_TSTRING) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushfstring(L, "newsdesk.%s", k);           /* 3: module name */
    if (!lnd_embedded_find(lua_tostring(L, 3)) ||
        lua_getglobal(L, "require") != LUA_TFUNCTION) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, 3);
    lua_call(L, 1, 1);                               /* 4: the module */
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 4);
    lua_rawset(L, 1);                                /* cache it */
    return 1;
}

int luaopen_newsdesk(lua_State *L)
{
    size_t i;
    install_searcher(L);
    lua_newtable(L);
    lua_pushliteral(L, ND_VERSION_STRING);
    lua_setfield(L, -2, "version");
    lnd_setint(L, "version_major", ND_VERSION_MAJOR);
    lnd_setint(L, "version_minor", ND_VERSION_MINOR);
    lnd_setint(L, "version_patch", ND_VERSION_PATCH);
    for (i = 0; submodules[i].name; i++) {
        lua_pushfstring(L, "newsdesk.%s", submodules[i].name);
        luaL_requiref(L, lua_tostring(L, -1), submodules[i].open, 0);
        lua_setfield(L, -3, submodules[i].name);
        lua_pop(L, 1);
    }
    lua_getfield(L, -1, "store"); lua_getfield(L, -1, "open"); lua_setfield(L, -3, "open"); lua_pop(L, 1); /* newsdesk.open */
    lua_newtable(L);
    lua_pushcfunction(L, module_index);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    return 1;
}
