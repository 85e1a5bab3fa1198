/*
 * sandbox.c — the safe Lua environment of embedded runtimes (and of
 * `newsdesk --sandbox`): libraries opened one by one, text chunks only,
 * file reads below the allowed directories only, require limited to the
 * newsdesk modules, pcall and friends that cannot swallow a limit error,
 * print counted against the output limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "sandbox.h"

/* ---- paths ----------------------------------------------------------------- */

/* realpath(path) if it lies inside one of the readable directories, else
 * NULL.  The caller frees the result with free(). */
static char *allowed_path(nd_runtime *rt, const char *path)
{
    size_t i;
    char *real = realpath(path, NULL);
    if (!real)
        return NULL;
    for (i = 0; i < rt->nread_dirs; i++) {
        const char *d = rt->read_dirs[i];
        size_t n = strlen(d);
        if (strncmp(real, d, n) == 0 &&
            (real[n] == '\0' || real[n] == '/' || (n > 0 && d[n - 1] == '/')))
            return real;
    }
    free(real);
    return NULL;
}

/* Replace the string argument at idx by its resolved path, or return
 * nil, message like io.open does.  Returns 0 when the path is allowed,
 * else the number of values pushed for the caller to return. */
static int resolve_arg(lua_State *L, int idx)
{
    nd_runtime *rt = lnd_rt_get(L);
    const char *path = luaL_checkstring(L, idx);
    char *real = allowed_path(rt, path);
    if (!real) {
        luaL_pushfail(L);
        lua_pushfstring(L, "%s: not readable in the sandbox (missing, or outside the allowed directories)", path);
        lua_pushliteral(L, "sandbox");
        return 3;
    }
    lua_pushstring(L, real);
    free(real);
    lua_replace(L, idx);
    return 0;
}

/* Longest loop in C over a length a script controls (table.insert/remove/
 * move, table.concat). */
#define MAX_TABLE_LOOP ((lua_Integer)1 << 26)

/* The lnd_host read_path hook of a sealed sandbox: the modules' file
 * reads (the paths their bindings declare with lnd_path_arg, and the files
 * they open) go below read_dirs only.  [-0, +1] */
static int sb_read_path(lua_State *L, void *ud, const char *path)
{
    char *real = allowed_path(ud, path);
    if (!real) {
        lua_pushfstring(L, "%s: not readable in the sandbox (missing, or outside the allowed directories)", path);
        return -1;
    }
    lua_pushstring(L, real);
    free(real);
    return 0;
}

/* The lnd_host charge hook: C work done for a sandboxed script. */
static void sb_charge(lua_State *L, void *ud, uint64_t units, int level)
{
    lnd_rt_charge(L, ud, units, level);
}

/* The tail of every wrapper: call the wrapped original (upvalue 1) with
 * all the arguments and return all its results.  [-n, +m, e] */
static int call_original(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* io.open(path [, mode]): read modes only, path inside read_dirs.
 * [-(1|2), +(1|3)] */
static int sb_io_open(lua_State *L)
{
    const char *mode = luaL_optstring(L, 2, "r");
    int n;
    if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0) {
        luaL_pushfail(L);
        lua_pushfstring(L, "%s: mode '%s' is not allowed in the sandbox (files are read only)",
                        luaL_checkstring(L, 1), mode);
        lua_pushliteral(L, "sandbox");
        return 3;
    }
    if ((n = resolve_arg(L, 1)) != 0)
        return n;
    lua_settop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_pushstring(L, mode);
    lua_call(L, 2, LUA_MULTRET);
    return lua_gettop(L);
}

/* io.lines(path, ...): as io.lines, for a file inside read_dirs; reading
 * standard input is not allowed.  [-n, +4] */
static int sb_io_lines(lua_State *L)
{
    int n;
    if (lua_isnoneornil(L, 1))
        return luaL_error(L, "io.lines needs a file name in the sandbox");
    if ((n = resolve_arg(L, 1)) != 0)
        return luaL_error(L, "%s", lua_tostring(L, -2));
    return call_original(L);
}

/* ---- base functions ---------------------------------------------------------- */

/* load(chunk [, name [, mode [, env]]]): text chunks only; without env the
 * chunk gets the script environment.  [-n, +1|2] */
static int sb_load(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    int has_env = !lua_isnone(L, 4);
    lua_settop(L, 4);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_rawgeti(L, LUA_REGISTRYINDEX, rt->env_ref);
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L) - 4;
}

/* collectgarbage: only the options that cannot change how the collector
 * runs ("collect", "count", "step", "isrunning").  [-n, +1] */
static int sb_collectgarbage(lua_State *L)
{
    static const char *const allowed[] = { "collect", "count", "step", "isrunning", NULL };
    const char *opt = luaL_optstring(L, 1, "collect");
    int i;
    for (i = 0; allowed[i]; i++)
        if (strcmp(opt, allowed[i]) == 0)
            break;
    if (!allowed[i])
        return luaL_error(L, "collectgarbage('%s') is not allowed in the sandbox", opt);
    return call_original(L);
}

/* Continuation of pcall/xpcall: a limit error is raised again, anything
 * else is returned as false, message.  Mirrors lbaselib's finishpcall. */
static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
    lnd_rt_recheck(L, lnd_rt_get(L), 1);
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int sb_pcall(lua_State *L)
{
    int status;
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
    return finish_pcall(L, status, 0);
}

/* The message handler of sb_xpcall: the script's handler (upvalue 1),
 * except for a limit error.  A limit error raised from the count hook runs
 * the handler with hooks disabled, so the script's handler must not run
 * then: it could loop forever.  [-1, +1] */
static int sb_msgh(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    if (rt->in_call && (rt->limit || rt->mem_over || atomic_load(&rt->interrupted)))
        return 1;
    return call_original(L);
}

static int sb_xpcall(lua_State *L)
{
    int status;
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, sb_msgh, 1);                 /* replaces the handler */
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
    return finish_pcall(L, status, 2);
}

/* setmetatable refusing metatables with a __gc field: Lua runs
 * finalizers with hooks disabled, so a looping __gc could not be stopped.
 * [-2, +1] */
static int sb_setmetatable(lua_State *L)
{
    if (lua_istable(L, 2)) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
        lua_pop(L, 1);
    }
    return call_original(L);
}

/* coroutine.create / coroutine.wrap: a new coroutine starts its own hook
 * count, so up to hook_count of its instructions would go uncounted if it
 * ends before the hook fires; charge them up front.  [-n, +1] */
static int sb_new_coroutine(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    if (rt->in_call && rt->budget) {
        rt->count += (uint64_t)rt->hook_count;
        if (rt->count > rt->budget)
            return lnd_rt_limit(L, rt, LND_LIMIT_BUDGET, 1);
    }
    return call_original(L);
}

/* getmetatable that hands out copies of the metatables Lua will look up
 * __gc in (those of userdata, of tables marked for finalization, and of
 * tables C code made, which C may set on later objects): a script that set
 * __gc on the real one would have its function run by the collector with
 * hooks off.  Metatables with a __metatable field (every one that exists
 * when the sandbox is sealed) give that field, a copy made at sealing.  Copies are cached in upvalue 1 (weak keys), so
 * getmetatable(x) == getmetatable(y) still holds.  [-1, +1] */
static int sb_getmetatable(lua_State *L)
{
    luaL_checkany(L, 1);
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushliteral(L, "__metatable");
    if (lua_rawget(L, -2) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (lua_type(L, 1) == LUA_TTABLE) {
        /* a table's metatable made by C code (it has a __name, as
         * luaL_newmetatable gives) may be set again on new objects by C:
         * a __gc added to it would make them finalized */
        int c_made, gc;
        lua_pushliteral(L, "__name");
        c_made = lua_rawget(L, -2) == LUA_TSTRING;
        lua_pushliteral(L, "__gc");
        gc = lua_rawget(L, -3) != LUA_TNIL;
        lua_pop(L, 2);
        if (!c_made && !gc)
            return 1;
    }
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TTABLE)
        return 1;
    lua_pop(L, 1);
    lua_newtable(L);                                 /* the copy */
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_rawset(L, lua_upvalueindex(1));
    return 1;
}

/* Push a copy of the table at idx; with deep != 0 its table-valued fields
 * are copied too (one level), so a method table is not shared.  Raw
 * access only.  [-0, +1] */
static void copy_table(lua_State *L, int idx, int deep)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 4, NULL);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (deep && lua_type(L, -1) == LUA_TTABLE) {
            copy_table(L, -1, 0);
            lua_replace(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

void lnd_sandbox_protect_mt(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_pushliteral(L, "__metatable");
    if (lua_rawget(L, idx) != LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    lua_pushliteral(L, "__metatable");
    copy_table(L, idx, 1);
    lua_rawset(L, idx);
}

/* Call the wrapped function (upvalue 1) and raise a limit error it caught
 * (coroutine.resume, coroutine.close).  [-n, +m] */
static int sb_recheck_after(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    lnd_rt_recheck(L, lnd_rt_get(L), 1);
    return lua_gettop(L);
}

/* string.rep that refuses, with the memory limit's error, a result larger
 * than the memory still available.  [-n, +1] */
static int sb_string_rep(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0 && l + lsep == 0) {
        lua_pushliteral(L, "");          /* Lua would loop n times copying nothing */
        return 1;
    }
    if (rt->mem_limit && n > 0) {
        size_t room = rt->mem_used < rt->mem_limit ? rt->mem_limit - rt->mem_used : 0;
        if ((lua_Unsigned)n > room / (l + lsep) + 1)
            return lnd_rt_limit(L, rt, LND_LIMIT_MEMORY, 1);
    }
    if (n > 0)
        lnd_rt_charge(L, rt, 1 + (uint64_t)((double)n * (double)(l + lsep) / LND_CHARGE_BYTES), 1);
    return call_original(L);
}

/* ---- charging C work to the budget ------------------------------------------ */

/* A C function (upvalue 1) whose work grows with the bytes of its string
 * arguments, declared with an lnd_cost (upvalues 2 and 3: units_per_byte,
 * mem_per_byte): those bytes are charged (lnd_rt_charge) before it runs,
 * and with mem_per_byte a call that could take more C memory than is left
 * under the limit is refused with the memory limit's error.  [-n, +m] */
static int sb_charged(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    int n = lua_gettop(L), i;
    uint64_t bytes = 0, units = (uint64_t)lua_tointeger(L, lua_upvalueindex(2)),
             mem = (uint64_t)lua_tointeger(L, lua_upvalueindex(3));
    for (i = 1; i <= n; i++)
        if (lua_type(L, i) == LUA_TSTRING)
            bytes += lua_rawlen(L, i);
    if (mem && rt->mem_limit && rt->in_call &&
        (double)bytes * (double)mem > (double)(rt->mem_limit > rt->mem_used ? rt->mem_limit - rt->mem_used : 0))
        return lnd_rt_limit(L, rt, LND_LIMIT_MEMORY, 1);
    lnd_rt_charge(L, rt, 1 + (units ? bytes * units : bytes / LND_CHARGE_BYTES), 1);
    return call_original(L);
}

/* Wrap field name (at the top; popped) of the table at idx with
 * sb_charged for cost, unless it is not a function or wrapped already. */
static void charge_field(lua_State *L, int idx, const lnd_cost *cost)
{
    idx = lua_absindex(L, idx);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, idx) != LUA_TFUNCTION || lua_tocfunction(L, -1) == sb_charged) {
        lua_pop(L, 2);
        return;
    }
    lua_pushinteger(L, cost->units_per_byte);
    lua_pushinteger(L, cost->mem_per_byte);
    lua_pushcclosure(L, sb_charged, 3);
    lua_rawset(L, idx);
}

/* Wrap every function the modules declared with lnd_declare_cost.  [-0, +0] */
static void charge_declared(lua_State *L)
{
    lua_Integer i, n;
    if (lua_getfield(L, LUA_REGISTRYINDEX, LND_COSTS_KEY) == LUA_TTABLE) {
        n = (lua_Integer)lua_rawlen(L, -1);
        for (i = 1; i <= n; i++) {
            lnd_cost cost;
            lua_rawgeti(L, -1, i);                   /* {table, name, units, mem} */
            lua_rawgeti(L, -1, 3);
            lua_rawgeti(L, -2, 4);
            cost.units_per_byte = (unsigned)lua_tointeger(L, -2);
            cost.mem_per_byte = (unsigned)lua_tointeger(L, -1);
            lua_pop(L, 2);
            if (lua_rawgeti(L, -1, 1) == LUA_TTABLE) {
                lua_rawgeti(L, -2, 2);
                charge_field(L, -2, &cost);
            }
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
}

/* Wrap the functions of Lua's own libraries named in names (NULL-terminated)
 * of the table at idx as sb_charged with the default cost.  [-0, +0] */
static void charge_fields(lua_State *L, int idx, const char *const *names)
{
    static const lnd_cost per_bytes = { 0, 0 };
    idx = lua_absindex(L, idx);
    for (; *names; names++) {
        lua_pushstring(L, *names);
        charge_field(L, idx, &per_bytes);
    }
}

/* table.concat(t [, sep [, i [, j]]]): the elements and their bytes are
 * charged before the copy.  [-n, +1] */
static int sb_table_concat(lua_State *L)
{
    lua_Integer i, last;
    uint64_t bytes = 0;
    size_t lsep;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_optlstring(L, 2, "", &lsep);
    i = luaL_optinteger(L, 3, 1);
    last = luaL_opt(L, luaL_checkinteger, 4, (lua_Integer)lua_rawlen(L, 1));
    if (last >= i && (lua_Unsigned)last - (lua_Unsigned)i < (lua_Unsigned)MAX_TABLE_LOOP) {
        for (; i <= last; i++) {
            if (lua_rawgeti(L, 1, i) == LUA_TSTRING)
                bytes += lua_rawlen(L, -1);
            lua_pop(L, 1);
            bytes += lsep;
        }
    } else if (last >= i) {
        return luaL_error(L, "table.concat over more elements than the sandbox allows (%I)", MAX_TABLE_LOOP);
    }
    lnd_rt_charge(L, lnd_rt_get(L), 1 + bytes / LND_CHARGE_BYTES, 1);
    return call_original(L);
}

/* The comparison table.sort uses when the script gives none: a < b as
 * Lua compares them, each comparison charged, so the deadline and budget
 * stop a long sort.  [-2, +1] */
static int sort_less(lua_State *L)
{
    lnd_rt_charge(L, lnd_rt_get(L), 1, 1);
    lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
    return 1;
}

/* table.sort(t [, comp]): without comp, sort_less compares.  (A script's
 * comp is Lua code, which the count hook already stops.)  [-2, +0] */
static int sb_table_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_isnoneornil(L, 2)) {
        lua_settop(L, 1);
        lua_pushcfunction(L, sort_less);
    }
    return call_original(L);
}

/* table.insert, table.remove and table.move loop in C over lengths a
 * script controls (a __len metamethod can claim 2^53 elements), with no
 * hook in between: lengths beyond what fits in memory are refused.  The
 * wrapped function is upvalue 1; upvalue 2 tells which count to check:
 * 0 = #t (insert, remove), 1 = e - f + 1 (move).  [-n, +m] */
static int sb_table_loop(lua_State *L)
{
    lua_Integer n;
    if (lua_tointeger(L, lua_upvalueindex(2)) == 0) {
        luaL_checktype(L, 1, LUA_TTABLE);
        n = luaL_len(L, 1);
    } else {
        lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
        n = e >= f ? (lua_Integer)((lua_Unsigned)e - (lua_Unsigned)f) : 0;
    }
    if (n > MAX_TABLE_LOOP || n < 0)
        return luaL_error(L, "%I elements are more than the sandbox allows (%I)", n, MAX_TABLE_LOOP);
    return call_original(L);
}

static void wrap_table_loop(lua_State *L, int idx, const char *name, int which)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, name);
    lua_pushinteger(L, which);
    lua_pushcclosure(L, sb_table_loop, 2);
    lua_setfield(L, idx, name);
}

/* ---- read-only library tables -------------------------------------------- */

/* Scripts see the library tables (string, table, ..., newsdesk and its
 * modules, package.loaded) through read-only proxies: an empty table whose
 * metatable reads from the real table and refuses writes, so no script can
 * change a library for other scripts or for newsdesk's own modules.  The
 * registry table PROXIES_KEY maps each real table to its proxy (and each
 * proxy to itself), so a table has one proxy and proxies are not wrapped
 * again. */
#define PROXIES_KEY "newsdesk.sandbox.proxies"

static void push_proxy(lua_State *L, int idx);
static void wrap(lua_State *L, int idx, const char *name, lua_CFunction f);

/* Replace the value on top by its proxy when it is a table.  [-1, +1] */
static void proxy_top(lua_State *L)
{
    if (lua_type(L, -1) == LUA_TTABLE) {
        push_proxy(L, -1);
        lua_replace(L, -2);
    }
}

/* Push the name recorded for the table at idx, or "?".  [-0, +1] */
static void push_name(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, LUA_REGISTRYINDEX, PROXIES_KEY ".names");
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushliteral(L, "?");
    }
    lua_remove(L, -2);
}

/* Record `name` as the name of the table at idx, for proxy messages, unless
 * it has one.  [-0, +0] */
static void name_table(lua_State *L, int idx, const char *name)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, LUA_REGISTRYINDEX, PROXIES_KEY ".names");
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TNIL) {
        lua_pushvalue(L, idx);
        lua_pushstring(L, name);
        lua_rawset(L, -4);
    }
    lua_pop(L, 2);
}

/* __index(proxy, k): the real table's value (its own __index included),
 * tables as proxies named "parent.k".  Upvalue 1: the real table.
 * [-2, +1] */
static int proxy_index(lua_State *L)
{
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_gettable(L, lua_upvalueindex(1)) == LUA_TTABLE && lua_type(L, 2) == LUA_TSTRING) {
        push_name(L, lua_upvalueindex(1));
        lua_pushfstring(L, "%s.%s", lua_tostring(L, -1), lua_tostring(L, 2));
        name_table(L, 3, lua_tostring(L, -1));
        lua_pop(L, 2);
    }
    proxy_top(L);
    return 1;
}

/* __newindex: always an error naming the table (upvalue 1).  [-3, +0] */
static int proxy_newindex(lua_State *L)
{
    return luaL_error(L, "attempt to change the library table '%s' (library tables are read-only "
                         "in the sandbox; keep your own functions in a table of yours)",
                      lua_tostring(L, lua_upvalueindex(1)));
}

/* next over the real table (upvalue 1), tables as proxies.  [-2, +2] */
static int proxy_next(lua_State *L)
{
    lua_settop(L, 2);
    if (!lua_next(L, lua_upvalueindex(1))) {
        lua_pushnil(L);
        return 1;
    }
    proxy_top(L);
    return 2;
}

/* __pairs(proxy): proxy_next, proxy, nil.  Upvalue 1: the real table.
 * [-1, +3] */
static int proxy_pairs(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, proxy_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* __len(proxy): the real table's border.  [-1, +1] */
static int proxy_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* Push the proxy of the table at idx (itself if it is a proxy); its
 * messages use the name recorded for the table.  [-0, +1] */
static void push_proxy(lua_State *L, int idx)
{
    static const struct { const char *name; lua_CFunction f; } meta[] = {
        { "__index", proxy_index }, { "__pairs", proxy_pairs }, { "__len", proxy_len }, { NULL, NULL }
    };
    int i;
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 6, NULL);
    lua_getfield(L, LUA_REGISTRYINDEX, PROXIES_KEY);
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TTABLE) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    lua_newtable(L);                                 /* the proxy */
    lua_createtable(L, 0, 5);                        /* its metatable */
    for (i = 0; meta[i].name; i++) {
        lua_pushvalue(L, idx);
        lua_pushcclosure(L, meta[i].f, 1);
        lua_setfield(L, -2, meta[i].name);
    }
    push_name(L, idx);
    lua_pushcclosure(L, proxy_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, idx);                           /* proxies[real] = proxy */
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    lua_pushvalue(L, -1);                            /* proxies[proxy] = proxy */
    lua_pushvalue(L, -1);
    lua_rawset(L, -4);
    lua_remove(L, -2);
}

/* require in the sandbox: a module table comes back as its proxy.
 * [-1, +(1|2)] */
static int sb_require(lua_State *L)
{
    int n;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    n = lua_gettop(L);
    if (n >= 1 && lua_type(L, 1) == LUA_TTABLE) {
        if (lua_type(L, 2) == LUA_TSTRING) {
            lua_pushvalue(L, 1);
            name_table(L, -1, lua_tostring(L, 2));
            lua_pop(L, 1);
        }
        push_proxy(L, 1);
        lua_replace(L, 1);
    }
    return n;
}

/* Make every library table the scripts reach read-only: the globals that
 * are tables (string, table, ..., newsdesk), package.loaded's entries
 * (require('_G') included) and what require returns later.  [-0, +0] */
static void seal_libraries(lua_State *L)
{
    int i;
    for (i = 0; i < 2; i++) {                        /* proxies, names: weak keys */
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, i ? PROXIES_KEY ".names" : PROXIES_KEY);
    }

    /* package.loaded: every module, the global table as "_G" */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -1) == LUA_TTABLE && lua_type(L, -2) == LUA_TSTRING)
            name_table(L, -1, lua_tostring(L, -2));
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            push_proxy(L, -1);
            lua_pushvalue(L, -3);
            lua_insert(L, -2);
            lua_rawset(L, -5);                       /* same key: allowed in next */
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    /* the global table's tables */
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -1) == LUA_TTABLE && !lua_rawequal(L, -1, -3)) {
            push_proxy(L, -1);
            lua_pushvalue(L, -3);
            lua_insert(L, -2);
            lua_rawset(L, -5);
        }
        lua_pop(L, 1);
    }
    wrap(L, -1, "require", sb_require);
    lua_pop(L, 1);
}

/* ---- print ----------------------------------------------------------------- */

/* Deliver the string on top (popped) to the host, counted against the
 * output limit.  [-1, +0, e] */
static void emit(lua_State *L, nd_runtime *rt)
{
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (rt->output_limit && (len > rt->output_limit || rt->output_used > rt->output_limit - len))
        lnd_rt_limit(L, rt, LND_LIMIT_OUTPUT, 1);
    rt->output_used += len;
    if (rt->print) {
        rt->print(rt->print_ud, s, len);
    } else {
        fwrite(s, 1, len, stdout);
        fflush(stdout);
    }
    lua_pop(L, 1);
}

int lnd_sandbox_print(lua_State *L)
{
    int n = lua_gettop(L), i;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    emit(L, lnd_rt_get(L));
    return 0;
}

/* io.write(...) and io.stdout:write(...) in the sandbox: strings and
 * numbers, as io.write takes them, go where print goes.  Upvalue 1 is the
 * sandbox's io.stdout, returned as io.write returns its file; upvalue 2
 * is 1 for the method (skip self).  [-n, +1] */
static int sb_write(lua_State *L)
{
    int first = 1 + (int)lua_tointeger(L, lua_upvalueindex(2)), n = lua_gettop(L), i;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (i = first; i <= n; i++) {
        luaL_checklstring(L, i, NULL);
        lua_pushvalue(L, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    emit(L, lnd_rt_get(L));
    push_proxy(L, lua_upvalueindex(1));              /* io.stdout as scripts see it */
    return 1;
}

/* io.stdout:flush() and friends: nothing to do.  [-n, +1] */
static int sb_self(lua_State *L)
{
    lua_settop(L, 1);
    return 1;
}

/* Add io.stdout (a table with write/flush/setvbuf) and io.write to the
 * io table at idx.  [-0, +0] */
static void add_stdout(lua_State *L, int idx)
{
    int m;
    idx = lua_absindex(L, idx);
    lua_createtable(L, 0, 3);                        /* io.stdout */
    for (m = 0; m <= 1; m++) {
        lua_pushvalue(L, -1);
        lua_pushinteger(L, m);
        lua_pushcclosure(L, sb_write, 2);
        lua_setfield(L, m ? -2 : idx, "write");
    }
    lua_pushcfunction(L, sb_self);
    lua_setfield(L, -2, "flush");
    lua_pushcfunction(L, sb_self);
    lua_setfield(L, -2, "setvbuf");
    lua_setfield(L, idx, "stdout");
}

/* ---- opening ----------------------------------------------------------------- */

/* Replace t[name] (t at idx) by a C closure with the old value as upvalue. */
static void wrap(lua_State *L, int idx, const char *name, lua_CFunction f)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, idx, name);
}

static void set_fn(lua_State *L, int idx, const char *name, lua_CFunction f)
{
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, f);
    lua_setfield(L, idx, name);
}

/* Copy fields names[] of the table at src into the table at dst. */
static void copy_fields(lua_State *L, int src, int dst, const char *const *names)
{
    src = lua_absindex(L, src);
    dst = lua_absindex(L, dst);
    for (; *names; names++) {
        lua_getfield(L, src, *names);
        lua_setfield(L, dst, *names);
    }
}

void lnd_sandbox_open(lua_State *L, nd_runtime *rt)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base },
        { LUA_COLIBNAME, luaopen_coroutine },
        { LUA_TABLIBNAME, luaopen_table },
        { LUA_STRLIBNAME, luaopen_string },
        { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 },
        { NULL, NULL }
    };
    static const char *const os_safe[] = { "time", "clock", "date", "difftime", NULL };
    static const char *const io_safe[] = { "type", NULL };
    static const char *const string_charged[] = { "upper", "lower", "reverse", "format", "byte", "pack", "unpack", NULL };
    const luaL_Reg *lib;
    (void)rt;
    for (lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    /* package: needed by require and the embedded searcher; not global */
    luaL_requiref(L, LUA_LOADLIBNAME, luaopen_package, 0);
    lua_setglobal(L, LUA_LOADLIBNAME);              /* hidden again by seal */

    lua_pushglobaltable(L);
    lua_pushnil(L);
    lua_setfield(L, -2, "dofile");
    lua_pushnil(L);
    lua_setfield(L, -2, "loadfile");
    wrap(L, -1, "load", sb_load);
    wrap(L, -1, "collectgarbage", sb_collectgarbage);
    set_fn(L, -1, "pcall", sb_pcall);
    set_fn(L, -1, "xpcall", sb_xpcall);
    wrap(L, -1, "setmetatable", sb_setmetatable);
    lua_newtable(L);                                 /* getmetatable's copies */
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, sb_getmetatable, 1);
    lua_setfield(L, -2, "getmetatable");
    lua_pop(L, 1);

    lua_getglobal(L, LUA_COLIBNAME);
    wrap(L, -1, "resume", sb_recheck_after);
    wrap(L, -1, "create", sb_new_coroutine);
    wrap(L, -1, "wrap", sb_new_coroutine);
    wrap(L, -1, "close", sb_recheck_after);
    lua_pop(L, 1);

    lua_getglobal(L, LUA_TABLIBNAME);
    wrap(L, -1, "concat", sb_table_concat);
    wrap(L, -1, "sort", sb_table_sort);
    wrap_table_loop(L, -1, "insert", 0);
    wrap_table_loop(L, -1, "remove", 0);
    wrap_table_loop(L, -1, "move", 1);
    lua_pop(L, 1);

    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    charge_fields(L, -1, string_charged);
    wrap(L, -1, "rep", sb_string_rep);
    lnd_pattern_gate(L, -1);
    lua_pop(L, 1);

    /* os: the clock only */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    lua_newtable(L);
    copy_fields(L, -2, -1, os_safe);
    lua_setglobal(L, LUA_OSLIBNAME);
    lua_pop(L, 1);

    /* io: reading files below read_dirs */
    luaL_requiref(L, LUA_IOLIBNAME, luaopen_io, 0);
    lua_newtable(L);
    copy_fields(L, -2, -1, io_safe);
    lua_getfield(L, -2, "open");
    lua_pushcclosure(L, sb_io_open, 1);
    lua_setfield(L, -2, "open");
    lua_getfield(L, -2, "lines");
    lua_pushcclosure(L, sb_io_lines, 1);
    lua_setfield(L, -2, "lines");
    add_stdout(L, -1);
    lua_setglobal(L, LUA_IOLIBNAME);
    lua_pop(L, 1);
}

void lnd_sandbox_seal(lua_State *L, nd_runtime *rt)
{
    static const char *const keep[] = {
        LUA_GNAME, LUA_COLIBNAME, LUA_TABLIBNAME, LUA_STRLIBNAME,
        LUA_MATHLIBNAME, LUA_UTF8LIBNAME, NULL
    };
    const char *const *k;

    /* package: only preload and the embedded newsdesk modules, no C loader */
    lua_getglobal(L, LUA_LOADLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "loadlib");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_getfield(L, -1, "searchers");
    lua_createtable(L, 2, 0);
    lua_rawgeti(L, -2, 1);                           /* package.preload's */
    lua_rawseti(L, -2, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, "newsdesk.searcher");
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -3, "searchers");
    lua_pop(L, 2);
    lua_pushnil(L);
    lua_setglobal(L, LUA_LOADLIBNAME);

    /* package.loaded: the safe libraries and newsdesk only */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_newtable(L);
    for (k = keep; *k; k++) {
        lua_getglobal(L, *k);
        lua_setfield(L, -2, *k);
    }
    lua_getglobal(L, LUA_OSLIBNAME);
    lua_setfield(L, -2, LUA_OSLIBNAME);
    lua_getglobal(L, LUA_IOLIBNAME);
    lua_setfield(L, -2, LUA_IOLIBNAME);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        if (strcmp(name, "newsdesk") == 0 || strncmp(name, "newsdesk.", 9) == 0) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, -4);
        } else {
            lua_pop(L, 1);
        }
    }
    /* swap the contents: the registry table must stay the same object */
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_settable(L, -5);
    }
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -5);
    }
    lua_pop(L, 2);

    /* newsdesk functions that read files or open stores check with the
     * host (lnd_path_arg, lnd_check_read): from here on, the sandbox */
    rt->host.read_path = sb_read_path;
    rt->host.readonly_stores = 1;
    rt->host.charge = sb_charge;
    rt->host.ud = rt;
    lnd_host_set(L, &rt->host);
    /* newsdesk functions whose work grows with the text they get, as
     * each module declared (lnd_declare_cost) */
    charge_declared(L);

    /* every metatable made so far by C code (luaL_newmetatable's, named
     * by __name in the registry) and the module table's: getmetatable
     * gives a copy, setmetatable cannot replace them */
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE) {
            lua_pushliteral(L, "__name");
            if (lua_rawget(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, -3))
                lnd_sandbox_protect_mt(L, -2);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_getglobal(L, "newsdesk");
    if (lua_getmetatable(L, -1)) {
        lnd_sandbox_protect_mt(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    seal_libraries(L);

    /* strings share one metatable: scripts may not reach or change it */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}
