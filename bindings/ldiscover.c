/*
 * ldiscover.c — newsdesk.rules.discover: names nobody listed (nd_discover).
 *
 *   for _, m in ipairs(newsdesk.rules.discover(text, { lang = "tr" })) do
 *     print(m.type, m.id, m.text, m.start, m.stop, m.suffix, m.why)
 *   end
 *
 * The cue words are a Lua table (default: the module
 * "newsdesk.discover_cues", scripts/lib/newsdesk/discover_cues.lua, which
 * documents the format).  A compiled discoverer is kept per cue table and
 * language in a weak registry table, so repeated calls cost one run each.
 */
#include <string.h>

#include "lnd.h"
#include "nd_dates.h"
#include "nd_rules.h"

#define DISCOVER_MT "newsdesk.discoverer"
#define CACHE_KEY "newsdesk.discover.cache"
#define CUES_MODULE "newsdesk.discover_cues"

typedef struct ldisc { nd_discover *d; } ldisc;

static int disc_gc(lua_State *L)
{
    ldisc *u = luaL_checkudata(L, 1, DISCOVER_MT);
    nd_discover_free(u->d);
    u->d = NULL;
    return 0;
}

static void check_add(lua_State *L, int rc, const char *lang, const char *field, const char *word)
{
    if (rc == ND_ENOMEM) luaL_error(L, "out of memory");
    if (rc != ND_OK) luaL_error(L, "discover cues %s.%s: bad word '%s'", lang, field, word);
}

/* Add the strings of the list at index l as cues of kind `kind`.  [-0, +0] */
static void add_words(lua_State *L, nd_discover *d, int l, const char *lang, const char *field, int kind,
                      const char *type)
{
    lua_Integer i, n;
    if (!lua_istable(L, l)) luaL_error(L, "discover cues %s.%s: a list of strings expected", lang, field);
    n = luaL_len(L, l);
    for (i = 1; i <= n; i++) {
        size_t len;
        const char *w;
        if (lua_rawgeti(L, l, i) != LUA_TSTRING)
            luaL_error(L, "discover cues %s.%s[%d]: a string expected", lang, field, (int)i);
        w = lua_tolstring(L, -1, &len);
        check_add(L, nd_discover_add(d, kind, type, w, len), lang, field, w);
        lua_pop(L, 1);
    }
}

/* t[field] (t at index t): a list of words, or with typed = 1 a table
 * { TYPE = { words } }.  [-0, +0] */
static void add_field(lua_State *L, nd_discover *d, int t, const char *lang, const char *field, int kind, int typed)
{
    int f;
    if (lua_getfield(L, t, field) == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    f = lua_gettop(L);
    if (!typed) {
        add_words(L, d, f, lang, field, kind, NULL);
    } else {
        if (!lua_istable(L, f)) luaL_error(L, "discover cues %s.%s: a table of TYPE = {words} expected", lang, field);
        lua_pushnil(L);
        while (lua_next(L, f)) {
            if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "discover cues %s.%s: keys must be type names", lang, field);
            add_words(L, d, lua_gettop(L), lang, field, kind, lua_tostring(L, -2));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static const struct { const char *field; int kind; } lists[] = {
    { "stop", ND_CUE_STOP }, { "title", ND_CUE_TITLE }, { "title_mod", ND_CUE_TITLE_MOD },
    { "connect", ND_CUE_CONNECT }, { "given", ND_CUE_GIVEN }, { "demonym", ND_CUE_DEMONYM },
    { "ending", ND_CUE_ENDING }, { "determiner", ND_CUE_DETERMINER },
    { "noun_ending", ND_CUE_NOUN_ENDING }, { "place_before", ND_CUE_PLACE_BEFORE },
    { "title_after", ND_CUE_TITLE_AFTER }, { "list_and", ND_CUE_LIST_AND },
    { "derived", ND_CUE_DERIVED },
};

/* Add one language section (table at index t).  [-0, +0] */
static void add_section(lua_State *L, nd_discover *d, int t, const char *lang)
{
    size_t i;
    for (i = 0; i < sizeof lists / sizeof lists[0]; i++) add_field(L, d, t, lang, lists[i].field, lists[i].kind, 0);
    add_field(L, d, t, lang, "head", ND_CUE_HEAD, 1);
    add_field(L, d, t, lang, "known", ND_CUE_KNOWN, 1);
}

/* Debian's Hunspell dictionaries are public system data: a sandboxed
 * script may use them; any other path goes through the sandbox's check. */
#define HUNSPELL_DIR "/usr/share/hunspell/"

/* [-0, +0] raise unless a sandboxed script may read path. */
static void check_dictionary_path(lua_State *L, const char *path)
{
    if (strncmp(path, HUNSPELL_DIR, sizeof HUNSPELL_DIR - 1) == 0 && !strstr(path, "..")) return;
    if (lnd_check_read(L, path) != 0) lua_error(L);
}

/* section.dictionary = "/usr/share/hunspell/tr_TR": the Hunspell files
 * PATH.aff and PATH.dic give the common words; missing files are skipped
 * (discovery then works without).  [-0, +0] */
static void add_dictionary(lua_State *L, nd_discover *d, int t, const char *lang)
{
    if (lua_getfield(L, t, "dictionary") == LUA_TSTRING) {
        const char *p = lua_tostring(L, -1);
        const char *aff = lua_pushfstring(L, "%s.aff", p);
        const char *dic = lua_pushfstring(L, "%s.dic", p);
        int rc;
        check_dictionary_path(L, aff);
        check_dictionary_path(L, dic);
        rc = nd_discover_dictionary(d, aff, dic, lang);
        if (rc == ND_ENOMEM) luaL_error(L, "out of memory");
        lua_pop(L, 2);
    } else if (!lua_isnil(L, -1)) {
        luaL_error(L, "discover cues %s.dictionary: a path expected", lang);
    }
    lua_pop(L, 1);
}

/* ND_DISCOVER_* from section.flags (table at index t).  [-0, +0] */
static unsigned section_flags(lua_State *L, int t, const char *lang)
{
    unsigned f = 0;
    lua_Integer i, n;
    if (lua_getfield(L, t, "flags") == LUA_TTABLE) {
        n = luaL_len(L, -1);
        for (i = 1; i <= n; i++) {
            const char *s = (lua_rawgeti(L, -1, i), lua_tostring(L, -1));
            if (s && strcmp(s, "tr") == 0) f |= ND_DISCOVER_TR;
            else if (s && strcmp(s, "nouns") == 0) f |= ND_DISCOVER_NOUNS;
            else if (s && strcmp(s, "apostrophe") == 0) f |= ND_DISCOVER_APOS;
            else luaL_error(L, "discover cues %s.flags[%d]: unknown flag (tr, nouns or apostrophe)", lang, (int)i);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return f;
}

/* Every name of every entity of the rule packs listed in cues.packs becomes
 * a known name, typed through cues.pack_types (unmapped types are left
 * out; a pack the library does not carry is skipped).  [-0, +0] */
static void add_packs(lua_State *L, nd_discover *d, int cues)
{
    lua_Integer p, np;
    int top = lua_gettop(L), packs, types;
    if (lua_getfield(L, cues, "packs") != LUA_TTABLE || lua_getfield(L, cues, "pack_types") != LUA_TTABLE) {
        lua_settop(L, top);
        return;
    }
    packs = top + 1;
    types = top + 2;
    np = luaL_len(L, packs);
    for (p = 1; p <= np; p++) {
        const lnd_embedded *m;
        lua_Integer r, nr;
        int pack;
        lua_rawgeti(L, packs, p);
        lua_pushfstring(L, "newsdesk.rulepacks.%s", luaL_checkstring(L, -1));
        m = lnd_embedded_find(lua_tostring(L, -1));
        lua_settop(L, types);
        if (!m) continue;
        if (luaL_loadbufferx(L, m->source, m->len, m->chunkname, "t") != LUA_OK) lua_error(L);
        lua_call(L, 0, 1);
        pack = lua_gettop(L);
        nr = lua_istable(L, pack) ? luaL_len(L, pack) : 0;
        for (r = 1; r <= nr; r++) {
            lua_Integer e, ne;
            int rule = pack + 1, ents = pack + 2, rtype = pack + 3;
            if (lua_rawgeti(L, pack, r) != LUA_TTABLE || lua_getfield(L, rule, "entities") != LUA_TTABLE) {
                lua_settop(L, pack);
                continue;
            }
            lua_getfield(L, rule, "type");
            ne = luaL_len(L, ents);
            for (e = 1; e <= ne; e++) {
                int ent = rtype + 1, etype = rtype + 2, mapped = rtype + 3, names = rtype + 4;
                if (lua_rawgeti(L, ents, e) != LUA_TTABLE) {
                    lua_settop(L, rtype);
                    continue;
                }
                if (lua_getfield(L, ent, "type") == LUA_TNIL) {
                    lua_pop(L, 1);
                    lua_pushvalue(L, rtype);
                }
                if (lua_type(L, etype) == LUA_TSTRING && lua_getfield(L, types, lua_tostring(L, etype)) == LUA_TSTRING) {
                    /* an entity with display labels is known by them: its
                     * base forms ("Россия", "Москва"), whose inflected
                     * forms discovery finds itself and gives the base's
                     * id; its other names may be inflected forms */
                    if (lua_getfield(L, ent, "labels") == LUA_TTABLE) {
                        lua_Integer k = 0;
                        lua_newtable(L);
                        lua_pushnil(L);
                        while (lua_next(L, names) != 0) {
                            lua_rawseti(L, -3, ++k);
                        }
                        lua_replace(L, names);
                        add_words(L, d, names, "packs", "labels", ND_CUE_KNOWN, lua_tostring(L, mapped));
                    } else if (lua_pop(L, 1), lua_getfield(L, ent, "names") == LUA_TTABLE) {
                        add_words(L, d, names, "packs", "names", ND_CUE_KNOWN, lua_tostring(L, mapped));
                    }
                }
                lua_settop(L, rtype);
            }
            lua_settop(L, pack);
        }
        lua_settop(L, types);
    }
    lua_settop(L, top);
}

/* [-0, +1] the compiled discoverer for cue table at index cues and lang. */
static nd_discover *get_discoverer(lua_State *L, int cues, const char *lang)
{
    ldisc *u;
    int cache, rc;
    if (luaL_getsubtable(L, LUA_REGISTRYINDEX, CACHE_KEY) == 0) {
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
    }
    lua_pushvalue(L, cues);
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, cues);
        lua_pushvalue(L, -2);
        lua_rawset(L, -4);
    }
    cache = lua_gettop(L);
    if (lua_getfield(L, cache, lang) == LUA_TUSERDATA) {
        u = lua_touserdata(L, -1);
        lua_replace(L, cache - 1);
        lua_settop(L, cache - 1);
        return u->d;
    }
    lua_pop(L, 1);
    u = lua_newuserdatauv(L, sizeof *u, 0);
    u->d = NULL;
    if (luaL_newmetatable(L, DISCOVER_MT)) {
        lua_pushcfunction(L, disc_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_getfield(L, cues, lang);
    rc = nd_discover_new(&u->d, lua_istable(L, -1) ? section_flags(L, lua_gettop(L), lang) : 0);
    if (rc != ND_OK) luaL_error(L, "out of memory");
    if (lua_getfield(L, cues, "all") == LUA_TTABLE) add_section(L, u->d, lua_gettop(L), "all");
    lua_pop(L, 1);
    if (lua_istable(L, -1)) {
        add_section(L, u->d, lua_gettop(L), lang);
        add_dictionary(L, u->d, lua_gettop(L), lang);
    }
    lua_pop(L, 1);
    add_packs(L, u->d, cues);
    lua_pushvalue(L, -1);
    lua_setfield(L, cache, lang);
    lua_replace(L, cache - 1);
    lua_settop(L, cache - 1);
    return u->d;
}

/* [-0, +1] the default cue table (module newsdesk.discover_cues). */
static void push_default_cues(lua_State *L)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, CUES_MODULE) != LUA_TTABLE) {
        const lnd_embedded *m = lnd_embedded_find(CUES_MODULE);
        lua_pop(L, 1);
        if (!m) luaL_error(L, "discover: module %s is missing", CUES_MODULE);
        if (luaL_loadbufferx(L, m->source, m->len, m->chunkname, "t") != LUA_OK) lua_error(L);
        lua_call(L, 0, 1);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, CUES_MODULE);
    }
    lua_remove(L, -2);
}

/* [-0, +1] the mention table of f found in s (field may be NULL). */
static void push_one(lua_State *L, const nd_found *f, const char *s, const char *field)
{
    lua_createtable(L, 0, 10);
    lnd_setint(L, "start", (lua_Integer)f->start + 1);
    lnd_setint(L, "stop", (lua_Integer)f->stop);
    lua_pushlstring(L, s + f->start, f->stop - f->start);
    lua_setfield(L, -2, "text");
    lua_pushlstring(L, s + f->suffix_start, f->stop - f->suffix_start);
    lua_setfield(L, -2, "suffix");
    lua_pushstring(L, f->type);
    lua_setfield(L, -2, "type");
    lua_pushstring(L, f->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, f->why);
    lua_setfield(L, -2, "why");
    lnd_setint(L, "score", f->score);
    lua_pushliteral(L, "discover");
    lua_setfield(L, -2, "rule");
    if (field) {
        lua_pushstring(L, field);
        lua_setfield(L, -2, "field");
    }
}

/* Does [start, stop) (1-based start, inclusive stop as in mention tables)
 * overlap a mention of `field` in the list at index list?  [-0, +0] */
static int overlaps(lua_State *L, int list, lua_Integer start, lua_Integer stop, const char *field)
{
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, list);
    int hit = 0;
    for (i = 1; i <= n && !hit; i++) {
        lua_Integer a, b;
        const char *f;
        lua_rawgeti(L, list, i);
        lua_getfield(L, -1, "start");
        lua_getfield(L, -2, "stop");
        lua_getfield(L, -3, "field");
        a = lua_tointeger(L, -3);
        b = lua_tointeger(L, -2);
        f = lua_tostring(L, -1);
        hit = (!f || !field || strcmp(f, field) == 0) && a <= stop && start <= b;
        lua_pop(L, 4);
    }
    return hit;
}

void lnd_discover_append(lua_State *L, int opt, const char *s, size_t len, const char *field, int list)
{
    const nd_found *f;
    size_t i, n;
    nd_discover *d = lnd_discoverer(L, opt && lua_istable(L, opt) ? opt : 0, s, len);
    int rc = nd_discover_run(d, s, len, &f, &n);
    if (rc != ND_OK) lnd_raise(L, rc, "discover");
    for (i = 0; i < n; i++) {
        if (overlaps(L, list, (lua_Integer)f[i].start + 1, (lua_Integer)f[i].stop, field)) continue;
        push_one(L, &f[i], s, field);
        lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
    }
}

/* [-0, +0] the discoverer for opts (table at index o, or 0) and text s. */
nd_discover *lnd_discoverer(lua_State *L, int o, const char *s, size_t len)
{
    const char *lang = NULL;
    nd_discover *d;
    int top = lua_gettop(L);
    if (o) {
        if (lua_getfield(L, o, "lang") != LUA_TNIL) lang = luaL_checkstring(L, -1);
        if (lua_getfield(L, o, "cues") != LUA_TNIL) luaL_checktype(L, -1, LUA_TTABLE);
        else {
            lua_pop(L, 1);
            push_default_cues(L);
        }
    } else {
        push_default_cues(L);
    }
    if (!lang || !*lang) lang = nd_lang_detect(s, len);
    if (!lang) lang = "und";
    d = get_discoverer(L, lua_gettop(L), lang);
    lua_settop(L, top);                /* the discoverer stays alive in the cache */
    return d;
}

/* newsdesk.rules.discover(text [, {lang=, cues=, except=}]) -> list of
 * mentions {start=, stop=, text=, suffix=, type=, id=, why=, score=,
 * rule="discover"}; lang defaults to the detected language of text; except
 * is a list of mentions ({start=, stop=}, e.g. rules:matches(text)) whose
 * spans discovered names may not overlap. */
static int rules_discover(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int list;
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_istable(L, 2) && lua_getfield(L, 2, "except") != LUA_TNIL) {
        luaL_checktype(L, 3, LUA_TTABLE);
        list = 3;
    } else {
        lua_settop(L, 2);
        lua_newtable(L);
        list = 3;
    }
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, list));   /* 4: where the new names start */
    lnd_discover_append(L, lua_istable(L, 2) ? 2 : 0, s, len, NULL, list);
    {
        lua_Integer i, from = lua_tointeger(L, 4), to = (lua_Integer)lua_rawlen(L, list);
        lua_createtable(L, (int)(to - from), 0);
        for (i = from + 1; i <= to; i++) {
            lua_rawgeti(L, list, i);
            lua_rawseti(L, -2, i - from);
        }
        for (i = to; i > from; i--) {                          /* the caller's list as it was */
            lua_pushnil(L);
            lua_rawseti(L, list, i);
        }
    }
    return 1;
}

void lnd_rules_discover_register(lua_State *L)
{
    lua_pushcfunction(L, rules_discover);
    lua_setfield(L, -2, "discover");
}
