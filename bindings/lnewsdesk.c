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
    lua_pushstring(L, msg ? msg : nd_errstr(code));
    lua_pushstring(L, lnd_codename(code));
    return 3;
}

int lnd_raise(lua_State *L, int code, const char *msg)
{
    return luaL_error(L, "%s", msg ? msg : nd_errstr(code));
}

void lnd_pushbuf(lua_State *L, const nd_buf *b)
{
    lua_pushlstring(L, b->len ? b->ptr : "", b->len);
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
