/*
 * ldates.c — the Lua module "newsdesk.dates": finding dates in text.
 *
 *   iso, parts = newsdesk.dates.parse(s [, {lang=, ref=, day_first=}])
 */
#include <string.h>

#include "lnd.h"
#include "nd_dates.h"

void lnd_check_date_ref(lua_State *L, int idx, const char *fname, nd_date *ref)
{
    memset(ref, 0, sizeof *ref);
    ref->hour = ref->minute = ref->second = -1;
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (nd_date_parse(s, len, NULL, ref) != ND_OK || ref->year == 0)
            luaL_error(L, "bad option 'ref' to '%s' (no date in '%s')", fname, s);
    } else if (lua_type(L, idx) == LUA_TTABLE) {
        int isnum;
        lua_getfield(L, idx, "year");
        ref->year = (int)lua_tointegerx(L, -1, &isnum);
        if (!isnum || ref->year < 1900 || ref->year > 2100)
            luaL_error(L, "bad option 'ref' to '%s' (ref.year must be a year 1900..2100)", fname);
        /* a ref with a year only gives that year to year-less dates */
        lua_getfield(L, idx, "month");
        ref->month = (int)luaL_optinteger(L, -1, 0);
        lua_getfield(L, idx, "day");
        ref->day = (int)luaL_optinteger(L, -1, ref->month ? 1 : 0);
        if (ref->month < 0 || ref->month > 12 || ref->day < 0 || ref->day > 31)
            luaL_error(L, "bad option 'ref' to '%s' (ref.month must be 1..12 and ref.day 1..31)", fname);
        lua_pop(L, 3);
    } else {
        luaL_error(L, "bad option 'ref' to '%s' (string or table expected, got %s)", fname,
                   luaL_typename(L, idx));
    }
}

/* Set t[k] = v when v >= 0.  [-0, +0] */
static void set_opt_int(lua_State *L, const char *k, int v)
{
    if (v < 0)
        return;
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* parse(s [, opts]) → iso, parts | nil, message, code.
 * parts: year, month, day (absent for a time-only update line), hour,
 * minute, second (absent when not given), offset (minutes east of UTC, absent
 * when unknown), is_update, start, stop (1-based, inclusive, into s). */
static int dates_parse(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    nd_date_opts o = { NULL, -1, NULL };
    nd_date d, ref;
    nd_buf b = ND_BUF_INIT;
    int rc;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        if (lua_getfield(L, 2, "lang") != LUA_TNIL)
            o.lang = luaL_checkstring(L, -1);   /* stays on the stack while used */
        if (lua_getfield(L, 2, "day_first") != LUA_TNIL) {
            luaL_checktype(L, -1, LUA_TBOOLEAN);
            o.day_first = lua_toboolean(L, -1);
        }
        if (lua_getfield(L, 2, "ref") != LUA_TNIL) {
            lnd_check_date_ref(L, lua_gettop(L), "parse", &ref);
            o.ref = &ref;
        }
    }
    rc = nd_date_parse(s, len, &o, &d);
    if (rc == ND_ERANGE) {
        const char *msg = lua_pushfstring(L, "impossible date '%s' at byte %d",
                                          lua_pushlstring(L, s + d.start, d.stop - d.start),
                                          (int)d.start + 1);
        return lnd_fail(L, rc, msg);
    }
    if (rc == ND_ENOTFOUND)
        return lnd_fail(L, rc, "no date found");
    if (rc != ND_OK)
        return lnd_fail(L, rc, NULL);
    rc = nd_date_format(&d, &b);
    if (rc != ND_OK) {
        nd_buf_free(&b);
        return lnd_raise(L, rc, NULL);
    }
    lnd_pushbuf(L, &b);
    nd_buf_free(&b);
    lua_createtable(L, 0, 10);
    if (d.year) {
        set_opt_int(L, "year", d.year);
        set_opt_int(L, "month", d.month);
        set_opt_int(L, "day", d.day);
    }
    set_opt_int(L, "hour", d.hour);
    set_opt_int(L, "minute", d.minute);
    set_opt_int(L, "second", d.second);
    if (d.has_offset) {
        lnd_setint(L, "offset", d.offset_min);
    }
    lua_pushboolean(L, d.is_update);
    lua_setfield(L, -2, "is_update");
    lnd_setint(L, "start", (lua_Integer)d.start + 1);
    lnd_setint(L, "stop", (lua_Integer)d.stop);
    return 2;
}

static const luaL_Reg dates_funcs[] = {
    { "parse", dates_parse },
    { NULL, NULL }
};

int luaopen_newsdesk_dates(lua_State *L)
{
    luaL_newlib(L, dates_funcs);
    return 1;
}
