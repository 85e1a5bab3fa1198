/*
 * llang.c — the Lua module "newsdesk.lang": which language a text is in.
 *
 *   code = newsdesk.lang.detect(s)    -- "tr", "en", ..., or "und"
 *   t = newsdesk.lang.scores(s)       -- {tr = 8874, az = 7824, ...}, every language of the model
 */
#include "lnd.h"
#include "nd_dates.h"

/* detect(s) → code.  [-0, +1] */
static int lang_detect(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_pushstring(L, nd_lang_detect(s, len));
    return 1;
}

/* scores(s) → table of language code → evidence (higher is stronger), for
 * every language of the model.  [-0, +1] */
static int lang_scores(lua_State *L)
{
    size_t len, n, k;
    const char *s = luaL_checklstring(L, 1, &len);
    nd_lang_score *sc;
    n = nd_lang_scores(NULL, 0, NULL, 0);
    sc = lua_newuserdatauv(L, n * sizeof *sc, 0);
    n = nd_lang_scores(s, len, sc, n);
    lua_createtable(L, 0, (int)n);
    for (k = 0; k < n; k++) {
        lua_pushinteger(L, sc[k].score);
        lua_setfield(L, -2, sc[k].lang);
    }
    lua_remove(L, -2);              /* the scratch userdata */
    return 1;
}

static const luaL_Reg lang_funcs[] = {
    { "detect", lang_detect },
    { "scores", lang_scores },
    { NULL, NULL }
};

int luaopen_newsdesk_lang(lua_State *L)
{
    luaL_newlib(L, lang_funcs);
    return 1;
}
