/*
 * lrules.c — the Lua module "newsdesk.rules": rule sets built from Lua rule
 * files, TSV/CSV gazetteers and tables.  Scanning is in lrules_scan.c,
 * db:tag in lrules_tag.c; lrules.h says what they share.
 *
 *   local rules = newsdesk.rules.load{"people.lua", "places.tsv", "pack:world"}
 *   for m in rules:scan(text) do print(m.type, m.id, m.text, m.start, m.stop, m.suffix) end
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrules.h"
#include "nd_ingest.h"   /* nd_csv_parse_ex: the one CSV reader */

lrules *lnd_checkrules(lua_State *L, int idx)
{
    lrules *u = luaL_checkudata(L, idx, RULES_MT);
    if (!u->r) luaL_error(L, "attempt to use a closed rule set");
    return u;
}

/* [-0, +1] a new empty rule set. */
static lrules *newrules(lua_State *L)
{
    lrules *u = lua_newuserdatauv(L, sizeof *u, 1);
    memset(u, 0, sizeof *u);
    luaL_setmetatable(L, RULES_MT);
    lua_createtable(L, 0, 3);
    lua_newtable(L);
    lua_setfield(L, -2, "attrs");
    lua_newtable(L);
    lua_setfield(L, -2, "accept");
    lua_setiuservalue(L, -2, 1);
    if (nd_rules_new(&u->r) != ND_OK || nd_scan_new(&u->sc) != ND_OK)
        luaL_error(L, "out of memory");
    /* in a runtime with a memory limit, what the rule set holds counts */
    if (lnd_cmem_account(L) && nd_rules_set_account(u->r, lnd_cmem_charge, lnd_cmem_account(L)) != ND_OK)
        luaL_error(L, "%s", nd_rules_errmsg(u->r));
    return u;
}

static void free_rules(lrules *u)
{
    nd_scan_free(u->sc);
    nd_rules_free(u->r);
    u->sc = NULL;
    u->r = NULL;
}

/* close, __gc, __close: [-0, +0] */
static int rules_close(lua_State *L)
{
    free_rules(luaL_checkudata(L, 1, RULES_MT));
    return 0;
}

void lnd_rules_getuv(lua_State *L, int idx, const char *name)
{
    lua_getiuservalue(L, idx, 1);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
}

/* ==== adding rules ========================================================= */

/* Errors while adding: the message goes to registry[ERRKEY] and RULE_FAIL
 * is returned up to load() (which returns it) or add() (which raises it);
 * those two reset the stack, so helpers return at once on failure. */
#define RULE_FAIL (-1)
#define ERRKEY "newsdesk.rules.error"

static int fail(lua_State *L, const char *where, const char *fmt, const char *a)
{
    lua_pushfstring(L, "%s: ", where);
    lua_pushfstring(L, fmt, a);
    lua_concat(L, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, ERRKEY);
    return RULE_FAIL;
}

/* [-1, +0] the message at the top becomes the error. */
static int fail_top(lua_State *L)
{
    lua_setfield(L, LUA_REGISTRYINDEX, ERRKEY);
    return RULE_FAIL;
}

static int fail_c(lua_State *L, lrules *u, const char *where)
{
    return fail(L, where, "%s", nd_rules_errmsg(u->r));
}

static const char *const rule_keys[] = {
    "type", "id", "rule", "names", "name", "entities", "pattern", "priority", "fuzzy",
    "suffixes", "accept", "gazetteer", "cap", NULL
};

static int is_key(const char *k, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(k, *keys) == 0) return 1;
    return 0;
}

/* [-0, +0] copy the string-keyed fields of table t that are not in `skip`
 * into table dst. */
static void copy_extra(lua_State *L, int t, int dst, const char *const *skip)
{
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING && !is_key(lua_tostring(L, -2), skip)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, dst);
        } else {
            lua_pop(L, 1);
        }
    }
}

/* [-0, +0] store the attribute table at index attrs for entry e. */
static void set_attrs(lua_State *L, int rs, unsigned e, int attrs)
{
    lnd_rules_getuv(L, rs, "attrs");
    lua_pushvalue(L, attrs);
    lua_rawseti(L, -2, (lua_Integer)e + 1);
    lua_pop(L, 1);
}

/* Add one name (string at the top of the stack) to entry e.  [-0, +0] */
static int add_one_name(lua_State *L, lrules *u, unsigned e, int idx, const char *where)
{
    size_t len;
    const char *s;
    if (lua_type(L, idx) != LUA_TSTRING)
        return fail(L, where, "a name must be a string, not %s", luaL_typename(L, idx));
    s = lua_tolstring(L, idx, &len);
    if (nd_rules_add_name(u->r, e, s, len) != ND_OK)
        return fail_c(L, u, where);
    return 0;
}

/* Entity table (or the rule itself) at t: names/name fields. */
static int add_names(lua_State *L, lrules *u, unsigned e, int t, const char *where)
{
    int ty, n = 0, rc = 0;
    ty = lua_getfield(L, t, "name");
    if (ty != LUA_TNIL) {
        rc = add_one_name(L, u, e, lua_gettop(L), where);
        n++;
    }
    lua_pop(L, 1);
    if (rc) return rc;
    ty = lua_getfield(L, t, "names");
    if (ty == LUA_TTABLE) {
        lua_Integer i, len = luaL_len(L, -1);
        for (i = 1; i <= len && !rc; i++) {
            lua_rawgeti(L, -1, i);
            rc = add_one_name(L, u, e, lua_gettop(L), where);
            lua_pop(L, 1);
            n++;
        }
    } else if (ty != LUA_TNIL) {
        rc = fail(L, where, "names must be a list of strings, not %s", luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    if (!rc && n == 0) rc = fail(L, where, "%sentity has no name", "");
    return rc;
}

static int load_gazetteer(lua_State *L, lrules *u, unsigned ri, int rs, const char *path,
                          const char *type, int rule_attrs);

/* ---- patterns ---------------------------------------------------------------- */

static const char *const elem_keys[] = { "is", "words", "min", "max", "opt", "mark", "except", NULL };

static int test_of(const char *s)
{
    static const struct { const char *name; int test; } tests[] = {
        { "cap", ND_TEST_CAP }, { "capitalized", ND_TEST_CAP }, { "upper", ND_TEST_UPPER },
        { "allcaps", ND_TEST_UPPER }, { "number", ND_TEST_NUMBER }, { "word", ND_TEST_WORD },
        { "any", ND_TEST_ANY }, { NULL, 0 }
    };
    int i;
    for (i = 0; tests[i].name; i++)
        if (strcmp(s, tests[i].name) == 0) return tests[i].test;
    return 0;
}

/* Append the string items 1..#t of the table at t to words (room was
 * counted beforehand), advancing *n.  A non-string item fails with
 * fmt/what; the walk goes on so *n counts what was taken.  0 or RULE_FAIL. */
static int take_strings(lua_State *L, int t, nd_str *words, size_t *n, const char *where,
                        const char *fmt, const char *what)
{
    lua_Integer j, len;
    int rc = 0;
    t = lua_absindex(L, t);
    len = luaL_len(L, t);
    for (j = 1; j <= len; j++) {
        if (lua_rawgeti(L, t, j) != LUA_TSTRING) rc = fail(L, where, fmt, what);
        else words[*n].ptr = lua_tolstring(L, -1, &words[*n].len), (*n)++;
        lua_pop(L, 1);
    }
    return rc;
}

/* Pattern list at index p of rule ri.  Element forms: "phrase";
 * {"a", "b"} or {words={...}} (one of); {is="cap"|"upper"|"number"|"word"|"any"};
 * each table may add min=, max=, opt=true, mark=true. */
static int add_pattern(lua_State *L, lrules *u, unsigned ri, int p, const char *where)
{
    lua_Integer n = luaL_len(L, p), i;
    nd_pattern_elem *el;
    nd_str *words;
    size_t nwords = 0, wcap = 0;
    int rc = 0;
    char what[64];
    if (n <= 0) return fail(L, where, "%spattern is empty, so it can match nothing", "");
    /* count words first so every nd_str lives in one block */
    for (i = 1; i <= n; i++) {
        int ty = lua_rawgeti(L, p, i);
        if (ty == LUA_TSTRING) wcap++;
        else if (ty == LUA_TTABLE) {
            wcap += (size_t)luaL_len(L, -1);
            if (lua_getfield(L, -1, "words") == LUA_TTABLE) wcap += (size_t)luaL_len(L, -1);
            if (lua_getfield(L, -2, "except") == LUA_TTABLE) wcap += (size_t)luaL_len(L, -1);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    el = lua_newuserdatauv(L, (size_t)n * sizeof *el, 0);          /* freed by the GC */
    words = lua_newuserdatauv(L, (wcap + 1) * sizeof *words, 0);
    memset(el, 0, (size_t)n * sizeof *el);
    for (i = 1; i <= n && !rc; i++) {
        int ty = lua_rawgeti(L, p, i), e = lua_gettop(L);
        nd_pattern_elem *x = &el[i - 1];
        snprintf(what, sizeof what, "pattern element %d", (int)i);
        x->min = x->max = 1;
        if (ty == LUA_TSTRING) {
            x->test = ND_TEST_LITERAL;
            x->words = &words[nwords];
            words[nwords].ptr = lua_tolstring(L, e, &words[nwords].len);
            nwords++;
            x->nwords = 1;
        } else if (ty == LUA_TTABLE) {
            lua_pushnil(L);
            while (!rc && lua_next(L, e)) {
                if (lua_type(L, -2) == LUA_TSTRING && !is_key(lua_tostring(L, -2), elem_keys))
                    rc = fail(L, where, "unknown key '%s' in pattern element", lua_tostring(L, -2));
                lua_pop(L, 1);
            }
            if (rc) break;
            x->words = &words[nwords];
            if (take_strings(L, e, words, &nwords, where, "%s: words must be strings", what)) rc = RULE_FAIL;
            if (lua_getfield(L, e, "words") == LUA_TTABLE)
                if (take_strings(L, -1, words, &nwords, where, "%s: words must be strings", what)) rc = RULE_FAIL;
            lua_pop(L, 1);
            x->nwords = (size_t)(&words[nwords] - x->words);
            x->except = &words[nwords];
            if (lua_getfield(L, e, "except") == LUA_TTABLE)
                if (take_strings(L, -1, words, &nwords, where, "%s: except must list strings", what)) rc = RULE_FAIL;
            lua_pop(L, 1);
            x->nexcept = (size_t)(&words[nwords] - x->except);
            if (lua_getfield(L, e, "is") != LUA_TNIL) {
                const char *t = lua_tostring(L, -1);
                x->test = t ? test_of(t) : 0;
                if (!x->test) rc = fail(L, where, "unknown token test '%s' (cap, upper, number, word or any)",
                                        t ? t : luaL_typename(L, -1));
                else if (x->nwords) rc = fail(L, where, "%s has both words and a token test", what);
            } else if (x->nwords) {
                x->test = ND_TEST_LITERAL;
            } else if (!rc) {
                rc = fail(L, where, "%s has neither words nor a token test (is=)", what);
            }
            lua_pop(L, 1);
            if (lua_getfield(L, e, "opt") != LUA_TNIL && lua_toboolean(L, -1)) x->min = 0;
            lua_pop(L, 1);
            if (lua_getfield(L, e, "min") != LUA_TNIL) {
                lua_Integer v = lua_tointeger(L, -1);
                if (v < 0 || v > 64 || !lua_isinteger(L, -1)) rc = fail(L, where, "%s: min must be 0..64", what);
                x->min = (unsigned)v;
                if (x->max < x->min) x->max = x->min;
            }
            lua_pop(L, 1);
            if (lua_getfield(L, e, "max") != LUA_TNIL) {
                lua_Integer v = lua_tointeger(L, -1);
                if (v < 1 || v > 64 || !lua_isinteger(L, -1)) rc = fail(L, where, "%s: max must be 1..64", what);
                x->max = (unsigned)v;
            }
            lua_pop(L, 1);
            lua_getfield(L, e, "mark");
            x->mark = lua_toboolean(L, -1);
            lua_pop(L, 1);
        } else {
            rc = fail(L, where, "pattern elements are strings or tables, not %s", luaL_typename(L, e));
        }
        lua_pop(L, 1);
    }
    if (!rc && nd_rules_add_pattern(u->r, ri, el, (size_t)n) != ND_OK) rc = fail_c(L, u, where);
    return rc;
}

/* lua_Writer feeding dumped accept functions into the rule-set key. */
static int key_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    nd_rules_feed_key(ud, p, n);
    return 0;
}

/* Add the rule table at index t (absolute).  Returns 0, or RULE_FAIL with the
 * message in registry[ERRKEY].  base is NULL for a rule given by the script
 * (its gazetteer path is used as is), else the directory of the rules file
 * it came from ("" for a bundled pack): a gazetteer there must be a
 * relative path without "..", read from that directory.  where: "file:line" or "rule N". */
static int add_rule(lua_State *L, lrules *u, int rs, int t, const char *where, const char *base)
{
    nd_rule_def d;
    unsigned ri, e;
    int rc = 0, top = lua_gettop(L), attrs, has = 0;
    const char *suffixes;
    memset(&d, 0, sizeof d);
    if (lua_type(L, t) != LUA_TTABLE)
        return fail(L, where, "a rule must be a table, not %s", luaL_typename(L, t));
    lua_getfield(L, t, "type");
    lua_getfield(L, t, "id");
    lua_getfield(L, t, "rule");
    lua_getfield(L, t, "priority");
    lua_getfield(L, t, "fuzzy");
    lua_getfield(L, t, "suffixes");
    d.type = lua_tostring(L, top + 1);
    d.id = lua_tostring(L, top + 2);
    d.name = lua_tostring(L, top + 3);
    if (!d.name) d.name = where;
    if (!lua_isnoneornil(L, top + 4) && !lua_isinteger(L, top + 4)) {
        rc = fail(L, where, "priority must be an integer, not %s", luaL_typename(L, top + 4));
        goto done;
    }
    d.priority = (int)lua_tointeger(L, top + 4);
    if (lua_isboolean(L, top + 5)) d.fuzzy = (unsigned)lua_toboolean(L, top + 5);
    else if (!lua_isnoneornil(L, top + 5)) {
        lua_Integer f = lua_tointeger(L, top + 5);
        if (!lua_isinteger(L, top + 5) || f < 0 || f > 1) {
            rc = fail(L, where, "fuzzy must be 0 or 1, not %s", luaL_tolstring(L, top + 5, NULL));
            goto done;
        }
        d.fuzzy = (unsigned)f;
    }
    suffixes = lua_tostring(L, top + 6);
    if (suffixes && strcmp(suffixes, "tr") == 0) d.flags |= ND_RULE_SUFFIXES_TR;
    else if (!lua_isnoneornil(L, top + 6)) {
        rc = fail(L, where, "unknown suffixes '%s' (only \"tr\")", luaL_tolstring(L, top + 6, NULL));
        goto done;
    }
    switch (lua_getfield(L, t, "cap")) {          /* cap = true | "all" */
    case LUA_TNIL: break;
    case LUA_TBOOLEAN: if (lua_toboolean(L, -1)) d.flags |= ND_RULE_CAPITALIZED; break;
    default:
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0) {
            d.flags |= ND_RULE_UPPERCASE;
            break;
        }
        rc = fail(L, where, "cap must be true or \"all\", not %s", luaL_tolstring(L, -1, NULL));
        goto done;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "accept") == LUA_TFUNCTION) {
        d.flags |= ND_RULE_CALLBACK;
    } else if (!lua_isnil(L, -1)) {
        rc = fail(L, where, "accept must be a function, not %s", luaL_typename(L, -1));
        goto done;
    }
    if (nd_rules_add_rule(u->r, &d, &ri) != ND_OK) {
        rc = fail_c(L, u, where);
        goto done;
    }
    if (d.flags & ND_RULE_CALLBACK) {
        lnd_rules_getuv(L, rs, "accept");
        lua_pushvalue(L, -2);
        lua_rawseti(L, -2, (lua_Integer)ri + 1);
        lua_pop(L, 1);
        lua_dump(L, key_writer, u->r, 1);           /* the key covers the function's code */
        u->callbacks = 1;
    }
    /* rule-level attributes: the fields we do not know */
    lua_newtable(L);
    attrs = lua_gettop(L);
    copy_extra(L, t, attrs, rule_keys);
    if (lua_getfield(L, t, "names") != LUA_TNIL || lua_getfield(L, t, "name") != LUA_TNIL) {
        has = 1;
        if (nd_rules_add_entry(u->r, ri, NULL, NULL, &e) != ND_OK) {
            rc = fail_c(L, u, where);
            goto done;
        }
        set_attrs(L, rs, e, attrs);
        if ((rc = add_names(L, u, e, t, where)) != 0) goto done;
    }
    if (lua_getfield(L, t, "entities") == LUA_TTABLE) {
        int ents = lua_gettop(L);
        lua_Integer i, n = luaL_len(L, ents);
        static const char *const ent_keys[] = { "type", "id", "names", "name", NULL };
        has = 1;
        for (i = 1; i <= n && !rc; i++) {
            int et;
            if (lua_rawgeti(L, ents, i) != LUA_TTABLE) {
                rc = fail(L, where, "entities must be tables, not %s", luaL_typename(L, -1));
                break;
            }
            et = lua_gettop(L);
            lua_getfield(L, et, "type");
            lua_getfield(L, et, "id");
            if (nd_rules_add_entry(u->r, ri, lua_tostring(L, -2), lua_tostring(L, -1), &e) != ND_OK) {
                rc = fail_c(L, u, where);
                break;
            }
            lua_pop(L, 2);
            lua_newtable(L);
            copy_extra(L, attrs, lua_gettop(L), ent_keys);
            copy_extra(L, et, lua_gettop(L), ent_keys);
            set_attrs(L, rs, e, lua_gettop(L));
            lua_pop(L, 1);
            rc = add_names(L, u, e, et, where);
            lua_pop(L, 1);
        }
        if (rc) goto done;
    } else if (!lua_isnil(L, -1)) {
        rc = fail(L, where, "entities must be a list of tables, not %s", luaL_typename(L, -1));
        goto done;
    }
    if (lua_getfield(L, t, "gazetteer") == LUA_TSTRING) {
        const char *g = lua_tostring(L, -1);
        has = 1;
        if (base) {
            if (!*base || g[0] == '/' || strstr(g, "..")) {
                rc = fail(L, where, "gazetteer '%s': a rules file names a file beside it (relative, no '..')", g);
                goto done;
            }
            g = lua_pushfstring(L, "%s%s", base, g);
        }
        if ((rc = load_gazetteer(L, u, ri, rs, g, d.type, attrs)) != 0) goto done;
    }
    if (lua_getfield(L, t, "pattern") == LUA_TTABLE) {
        if (has) {
            rc = fail(L, where, "%sa rule has either names or a pattern, not both", "");
            goto done;
        }
        has = 1;
        if ((rc = add_pattern(L, u, ri, lua_gettop(L), where)) != 0) goto done;
    } else if (!lua_isnil(L, -1)) {
        rc = fail(L, where, "pattern must be a list, not %s", luaL_typename(L, -1));
        goto done;
    }
    if (!has) rc = fail(L, where, "%srule has neither names, entities, gazetteer nor pattern", "");
done:
    lua_settop(L, top);
    return rc;
}

/* ---- gazetteer files ---------------------------------------------------------- */

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Read a whole file into a Lua string.  [-0, +1]; returns 0 or RULE_FAIL. */
static int read_file(lua_State *L, const char *path)
{
    FILE *f = fopen(path, "rb");
    luaL_Buffer b;
    char *p;
    size_t n;
    if (!f) {
        lua_pushfstring(L, "%s: %s", path, strerror(errno));
        return fail_top(L);
    }
    luaL_buffinit(L, &b);
    do {
        p = luaL_prepbuffer(&b);
        n = fread(p, 1, LUAL_BUFFERSIZE, f);
        luaL_addsize(&b, n);
    } while (n == LUAL_BUFFERSIZE);
    if (ferror(f)) {
        fclose(f);
        luaL_pushresult(&b);
        lua_pop(L, 1);
        lua_pushfstring(L, "%s: read error", path);
        return fail_top(L);
    }
    fclose(f);
    luaL_pushresult(&b);
    return 0;
}

/* Line breaks in s[0..n). */
static lua_Integer count_lines(const char *s, size_t n)
{
    lua_Integer k = 0;
    const char *e = s + n;
    while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) k++, s++;
    return k;
}

/* [-0, +1] field i of rec as a Lua string ("" past the last field). */
static void push_field(lua_State *L, const nd_csv_record *rec, size_t i)
{
    if (i < rec->n) lua_pushlstring(L, rec->data.ptr + rec->off[i], rec->len[i]);
    else lua_pushliteral(L, "");
}

/* Field i of rec ("" past the last field); its length in *n. */
static const char *field_at(const nd_csv_record *rec, size_t i, size_t *n)
{
    *n = i < rec->n ? rec->len[i] : 0;
    return i < rec->n ? rec->data.ptr + rec->off[i] : "";
}

/* Entries of gazetteer file `path` into rule ri, its records read by
 * nd_csv_parse_ex (CSV for *.csv, TSV otherwise): a header line naming
 * columns (name, type, id, anything else = attribute) or the columns
 * name, type, id in that order.  Blank lines and lines starting with '#'
 * are skipped.  Several names in one cell are separated by '|'.  Rows with
 * the same type and id are one entity.  Errors name path:line. */
static int load_gazetteer(lua_State *L, lrules *u, unsigned ri, int rs, const char *path,
                          const char *type, int rule_attrs)
{
    int top = lua_gettop(L), rc = 0, hdr, seen, where;
    unsigned flags = has_suffix(path, ".csv") ? 0 : ND_CSV_TAB;
    size_t cname = 0, ctype = 1, cid = 2, ncols = 3, len, pos = 0, used, i;
    nd_csv_record rec = ND_CSV_RECORD_INIT;
    const char *s;
    lua_Integer lineno = 1;
    if (read_file(L, path) != 0) return RULE_FAIL;
    s = lua_tolstring(L, -1, &len);
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) pos = 3;    /* a byte-order mark */
    lua_newtable(L);                                 /* header: column -> name */
    hdr = lua_gettop(L);
    lua_newtable(L);                                 /* "type\1id" -> entry */
    seen = lua_gettop(L);
    lua_pushnil(L);                                  /* "path:line" of the record */
    where = lua_gettop(L);
    for (; pos < len && !rc; lineno += count_lines(s + pos, used), pos += used) {
        const char *name, *ty = type, *id = NULL;
        size_t nname, nty, nid;
        int code;
        lua_pushfstring(L, "%s:%d", path, (int)lineno);
        lua_replace(L, where);
        if (s[pos] == '#' || s[pos] == '\n' || (s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n')) {
            const char *nl = memchr(s + pos, '\n', len - pos);
            used = nl ? (size_t)(nl - (s + pos)) + 1 : len - pos;
            continue;
        }
        code = nd_csv_parse_ex(&rec, s + pos, len - pos, flags, &used);
        if (code == ND_ELIMIT) {
            rc = fail(L, lua_tostring(L, where), "%sa quoted field never ends", "");
            break;
        }
        if (code == ND_ESYNTAX) {
            lua_pushfstring(L, "%s:%d: text after a closing quote", path,
                            (int)(lineno + count_lines(s + pos, used)));
            rc = fail_top(L);
            break;
        }
        if (code != ND_OK) luaL_error(L, "out of memory");
        if (lineno == 1) {
            int named = 0;
            for (i = 0; i < rec.n; i++)
                if (rec.len[i] == 4 && memcmp(rec.data.ptr + rec.off[i], "name", 4) == 0) named = 1;
            if (named) {
                cname = ctype = cid = (size_t)-1;
                for (i = 0; i < rec.n; i++) {
                    const char *c = rec.data.ptr + rec.off[i];
                    if (strcmp(c, "name") == 0) cname = i;
                    else if (strcmp(c, "type") == 0) ctype = i;
                    else if (strcmp(c, "id") == 0) cid = i;
                    push_field(L, &rec, i);
                    lua_rawseti(L, hdr, (lua_Integer)i + 1);
                }
                ncols = rec.n;
                continue;
            }
        }
        name = field_at(&rec, cname, &nname);
        if (field_at(&rec, ctype, &nty) && nty) ty = field_at(&rec, ctype, &nty);
        if (field_at(&rec, cid, &nid) && nid) id = field_at(&rec, cid, &nid);
        if (!nname) {
            rc = fail(L, lua_tostring(L, where), "%sempty name", "");
            break;
        }
        if (!ty || !*ty) {
            rc = fail(L, lua_tostring(L, where), "%smissing type", "");
            break;
        }
        {
            lua_Integer e;
            const char *p, *q, *end = name + nname;
            lua_pushfstring(L, "%s\1%s", ty, id ? id : name);
            if (lua_rawget(L, seen) == LUA_TNUMBER) {
                e = lua_tointeger(L, -1);
            } else {
                unsigned ue;
                int at;
                if (nd_rules_add_entry(u->r, ri, ty, id, &ue) != ND_OK) {
                    rc = fail_c(L, u, lua_tostring(L, where));
                    break;
                }
                e = ue;
                lua_pushfstring(L, "%s\1%s", ty, id ? id : name);
                lua_pushinteger(L, e);
                lua_rawset(L, seen);
                lua_newtable(L);
                at = lua_gettop(L);
                copy_extra(L, rule_attrs, at, rule_keys);
                for (i = 0; i < ncols; i++) {
                    if (i == cname || i == ctype || i == cid || i >= rec.n || rec.len[i] == 0) continue;
                    if (lua_rawgeti(L, hdr, (lua_Integer)i + 1) != LUA_TSTRING) {
                        lua_pop(L, 1);
                        continue;
                    }
                    push_field(L, &rec, i);
                    lua_rawset(L, at);
                }
                set_attrs(L, rs, (unsigned)e, at);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
            for (p = name; !rc; p = q + 1) {                 /* names separated by '|' */
                q = memchr(p, '|', (size_t)(end - p));
                if (nd_rules_add_name(u->r, (unsigned)e, p, (size_t)((q ? q : end) - p)) != ND_OK)
                    rc = fail_c(L, u, lua_tostring(L, where));
                if (!q) break;
            }
        }
    }
    nd_csv_record_free(&rec);
    lua_settop(L, top);
    return rc;
}

/* ---- rules files ---------------------------------------------------------------- */

/* The line of a string element of a rules list.  noted is the line whose
 * code loaded it, which for the last element of a constructor is the line of
 * its closing brace: the element's own line is that of the last quoted
 * literal equal to str standing at or before the end of line noted (noted
 * itself where the literal is not written plainly, e.g. with escapes). */
static int string_line(const char *src, size_t n, const char *str, size_t len, int noted)
{
    size_t end = 0, k, at = (size_t)-1;
    int line = 1;
    for (; end < n && line <= noted; end++)                  /* the end of line noted */
        line += src[end] == '\n';
    for (k = 0; k + len + 2 <= end; k++)
        if ((src[k] == '"' || src[k] == '\'') && src[k + len + 1] == src[k] && memcmp(src + k + 1, str, len) == 0)
            at = k;
    if (at == (size_t)-1)
        return noted;
    for (line = 1, k = 0; k < at; k++)
        line += src[k] == '\n';
    return line;
}

static int load_one(lua_State *L, lrules *u, int rs, int idx, lua_Integer nth);

/* A rules file is data: running it may take at most this many Lua
 * instructions, so a file that loops forever fails to load instead of
 * hanging the program or host. */
#define RULES_FILE_BUDGET 50000000L

/* Noting lines costs a hook call per line run (and per loop turn): past
 * this many the run goes on with the count hook alone, and the entries made
 * after that are named "rule N". */
#define RULES_FILE_LINE_EVENTS 1000000L

/* While a rules file runs, one hook serves two ends: a count hook charges
 * its budget, and line and return events of the main chunk note on which
 * line each table and string first stood in one of the chunk's registers
 * (lua_getlocal, "(temporary)" slots included).  A table first seen empty
 * gets the line about to run (its fields come there: an entry such as
 * `{ type = "X", ... }` starting on its own line), one already filled the
 * line that ran since the previous line event (an entry that began and ended
 * on that line, or one a helper function built there).  A string gets the
 * line that loaded it. */
typedef struct load_run {
    lua_Hook prev;             /* the hook in place before (a sandbox's), or NULL */
    int prevmask;              /* its event mask */
    int count;                 /* its instruction interval, kept */
    long used, limit;
    long events;               /* line and return events so far */
    const void *chunk;         /* the main chunk, whose frame is watched */
    int line;                  /* the line of its latest line event, 0 before */
} load_run;

static const char run_key = 'b';       /* registry: light userdata load_run */
static const char lines_key = 'l';     /* registry: value -> first line */

static int event_mask(int event)
{
    return event == LUA_HOOKTAILCALL ? LUA_MASKCALL : 1 << event;
}

/* Note the tables and strings in the registers of the chunk's frame ar that
 * are not noted yet.  Stack balanced. */
static void note_values(lua_State *L, lua_Debug *ar, load_run *b)
{
    int n, rec, here = ar->event == LUA_HOOKLINE ? ar->currentline : b->line;
    if (!lua_getinfo(L, "f", ar))
        return;
    if (lua_topointer(L, -1) != b->chunk) {         /* a helper function's frame */
        lua_pop(L, 1);
        return;
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &lines_key) != LUA_TTABLE) {
        lua_pop(L, 2);
        return;
    }
    rec = lua_gettop(L);
    for (n = 1; lua_getlocal(L, ar, n) != NULL; n++) {
        int t = lua_type(L, -1);
        if (t == LUA_TTABLE || t == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            if (lua_rawget(L, rec) == LUA_TNIL) {
                int at = b->line ? b->line : here;
                if (t == LUA_TTABLE) {
                    lua_pushnil(L);
                    if (lua_next(L, -3)) lua_pop(L, 2);
                    else at = here;
                }
                lua_pushvalue(L, -2);
                lua_pushinteger(L, at);
                lua_rawset(L, rec);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    if (ar->event == LUA_HOOKLINE)
        b->line = ar->currentline;
}

/* The hook while a rules file runs: passes each event the displaced hook
 * asked for on to it, charges the instructions, raises past the budget,
 * and notes lines. */
static void run_hook(lua_State *L, lua_Debug *ar)
{
    load_run *b;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &run_key);
    b = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!b)
        return;
    if (b->prev && (b->prevmask & event_mask(ar->event)))
        b->prev(L, ar);
    if (ar->event == LUA_HOOKCOUNT) {
        if ((b->used += b->count) > b->limit)
            luaL_error(L, "rules file runs too long (more than %d million instructions)",
                       (int)(b->limit / 1000000));
    } else if (ar->event == LUA_HOOKLINE || ar->event == LUA_HOOKRET) {
        if (++b->events > RULES_FILE_LINE_EVENTS)
            lua_sethook(L, run_hook, b->prevmask | LUA_MASKCOUNT, b->count);
        else
            note_values(L, ar, b);
    }
}

/* lua_pcall(L, 0, 1, 0) of the chunk on top under the rules-file budget,
 * noting lines into the table at index rec; puts back the previous hook
 * and registry entries whatever happens.  Same stack effect as the pcall. */
static int pcall_noted(lua_State *L, int rec)
{
    load_run b;
    int status;
    b.prev = lua_gethook(L);
    b.prevmask = lua_gethookmask(L);
    b.count = b.prev && (b.prevmask & LUA_MASKCOUNT) ? lua_gethookcount(L) : 10000;
    b.used = b.events = 0;
    b.limit = RULES_FILE_BUDGET;
    b.chunk = lua_topointer(L, -1);
    b.line = 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &lines_key);   /* an outer run's, kept */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &run_key);
    lua_rotate(L, -3, 2);                            /* below the chunk */
    lua_pushvalue(L, rec);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lines_key);
    lua_pushlightuserdata(L, &b);                    /* last: nothing raises after it but the run */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &run_key);
    lua_sethook(L, run_hook, b.prevmask | LUA_MASKCOUNT | LUA_MASKLINE | LUA_MASKRET, b.count);
    status = lua_pcall(L, 0, 1, 0);
    lua_sethook(L, b.prev, b.prevmask, b.prev ? b.count : 0);
    lua_rotate(L, -3, 1);                            /* the result below the kept entries */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &run_key);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lines_key);
    return status;
}

static int load_one(lua_State *L, lrules *u, int rs, int idx, lua_Integer nth);

/* Run Lua rules source (string at the top) named chunk in an empty
 * environment and add the rules of the list it returns; a string
 * "pack:NAME" in the list loads that bundled pack.  Errors name
 * label:line of the entry (see load_run), or "rule N" where no line was
 * noted.  [-1, +0 or +1 message on failure] */
static int load_source(lua_State *L, lrules *u, int rs, const char *chunk, const char *label,
                       const char *base)
{
    size_t n;
    const char *src = lua_tolstring(L, -1, &n);
    int top = lua_gettop(L), rec;
    lua_Integer i, count;
    if (n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) src += 3, n -= 3;   /* a byte-order mark */
    lua_newtable(L);                                 /* value -> line */
    lua_insert(L, top);                              /* below the source */
    rec = top++;
    if (luaL_loadbufferx(L, src, n, chunk, "t") != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (msg && strncmp(msg, label, strlen(label)) != 0) {  /* e.g. a binary chunk */
            lua_pushfstring(L, "%s: %s", label, msg);
            lua_remove(L, -2);
        }
        goto lua_err;
    }
    lua_newtable(L);                                /* the empty _ENV */
    lua_setupvalue(L, -2, 1);
    if (pcall_noted(L, rec) != LUA_OK) goto lua_err;
    if (lua_type(L, -1) != LUA_TTABLE) {
        fail(L, label, "a rules file must return a list of rules, not %s", luaL_typename(L, -1));
        goto err;
    }
    count = luaL_len(L, -1);
    for (i = 1; i <= count; i++) {
        const char *where;
        if (lua_rawgeti(L, top + 1, i) == LUA_TSTRING) {
            size_t len;
            const char *str = lua_tolstring(L, -1, &len);
            int line = lua_rawget(L, rec) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : 0;
            if (line) line = string_line(src, n, str, len, line);
            where = line ? lua_pushfstring(L, "%s:%d", label, line) : lua_pushfstring(L, "%s: rule %d", label, (int)i);
        } else if (lua_rawget(L, rec) == LUA_TNUMBER) {
            where = lua_pushfstring(L, "%s:%d", label, (int)lua_tointeger(L, -1));
        } else {
            where = lua_pushfstring(L, "%s: rule %d", label, (int)i);
        }
        lua_remove(L, -2);                           /* anchored until the entry is done */
        if (lua_rawgeti(L, top + 1, i) == LUA_TSTRING) {      /* a bundled pack */
            if (strncmp(lua_tostring(L, -1), "pack:", 5) != 0) {
                /* no file paths: a sandbox checks the paths a script passes,
                 * not the ones inside the files it may read */
                fail(L, where, "a rules file may include \"pack:NAME\" only, not '%s'", lua_tostring(L, -1));
                goto err;
            }
            if (load_one(L, u, rs, lua_gettop(L), i) != 0) goto err;
        } else if (add_rule(L, u, rs, lua_gettop(L), where, base) != 0) {
            goto err;
        }
        lua_pop(L, 2);
    }
    lua_settop(L, top - 2);
    return 0;
lua_err:
    fail_top(L);
err:
    lua_settop(L, top - 2);
    return RULE_FAIL;
}

/* Load one source: path of a .lua/.tsv/.csv file, "pack:NAME", a rule table
 * or a list of rules.  [-0, +0 or +1 message] */
static int load_one(lua_State *L, lrules *u, int rs, int idx, lua_Integer nth)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *path = lua_tostring(L, idx);
        if (strncmp(path, "pack:", 5) == 0) {
            const lnd_embedded *m;
            lua_pushfstring(L, "newsdesk.rulepacks.%s", path + 5);
            m = lnd_embedded_find(lua_tostring(L, -1));
            lua_pop(L, 1);
            if (!m) return fail(L, path, "no rule pack '%s'", path + 5);
            lua_pushlstring(L, m->source, m->len);
            return load_source(L, u, rs, m->chunkname, m->chunkname + 1, "");
        }
        if (has_suffix(path, ".tsv") || has_suffix(path, ".csv") || has_suffix(path, ".txt")) {
            nd_rule_def d = { NULL, "ENTITY", NULL, 0, 0, 0, NULL };
            const char *base = strrchr(path, '/');
            unsigned ri;
            d.name = base ? base + 1 : path;
            if (nd_rules_add_rule(u->r, &d, &ri) != ND_OK) return fail_c(L, u, path);
            lua_newtable(L);
            if (load_gazetteer(L, u, ri, rs, path, NULL, lua_gettop(L)) != 0) return RULE_FAIL;
            lua_pop(L, 1);
            return 0;
        }
        if (read_file(L, path) != 0) return RULE_FAIL;
        lua_pushfstring(L, "@%s", path);
        lua_insert(L, -2);
        {
            const char *slash = strrchr(path, '/');
            if (slash) lua_pushlstring(L, path, (size_t)(slash - path + 1));   /* its directory */
            else lua_pushliteral(L, "./");
            lua_insert(L, -2);
            if (load_source(L, u, rs, lua_tostring(L, -3), path, lua_tostring(L, -2)) != 0) return RULE_FAIL;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        return 0;
    }
    if (lua_type(L, idx) == LUA_TTABLE) {
        char where[64];
        if (lua_getfield(L, idx, "type") != LUA_TNIL || lua_rawlen(L, idx) == 0) {   /* one rule */
            lua_pop(L, 1);
            snprintf(where, sizeof where, "rule %lld", (long long)nth);
            return add_rule(L, u, rs, idx, where, NULL);
        }
        lua_pop(L, 1);
        {
            lua_Integer i, n = luaL_len(L, idx);
            for (i = 1; i <= n; i++) {
                int rc;
                lua_rawgeti(L, idx, i);
                rc = load_one(L, u, rs, lua_gettop(L), i);
                if (rc) return rc;
                lua_pop(L, 1);
            }
            return 0;
        }
    }
    return fail(L, "rules.load", "expected a path, a rule or a list, got %s", luaL_typename(L, idx));
}

/* newsdesk.rules.load(path | {paths and rules...}) -> rules | nil, message, "syntax"|"io" */
int lnd_rules_load(lua_State *L)
{
    lrules *u;
    int rs;
    lnd_path_arg(L, 1);
    luaL_argexpected(L, lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TTABLE, 1,
                     "path or list");
    u = newrules(L);
    rs = lua_gettop(L);
    if (load_one(L, u, rs, 1, 1) != 0) {
        const char *msg;
        int io;
        lua_settop(L, rs);
        free_rules(u);                      /* free the half-built set now */
        luaL_pushfail(L);
        lnd_limit_check(L);             /* a limit that stopped the work wins */
        lua_getfield(L, LUA_REGISTRYINDEX, ERRKEY);
        msg = lua_tostring(L, -1);
        io = msg && (strstr(msg, "No such file") || strstr(msg, "Permission denied") ||
                     strstr(msg, "read error"));
        lua_pushstring(L, io ? "io" : "syntax");
        return 3;
    }
    lua_settop(L, rs);
    if (lua_type(L, 1) == LUA_TTABLE && lua_rawlen(L, 1) > 1) {   /* parts: a list of paths and packs */
        lua_Integer i, n = (lua_Integer)lua_rawlen(L, 1);
        for (i = 1; i <= n; i++) {
            int str = lua_rawgeti(L, 1, i) == LUA_TSTRING;
            lua_pop(L, 1);
            if (!str) break;
        }
        if (i > n) {
            lua_getiuservalue(L, rs, 1);
            lua_createtable(L, (int)n, 0);
            for (i = 1; i <= n; i++) {
                lua_rawgeti(L, 1, i);
                lua_rawseti(L, -2, i);
            }
            lua_setfield(L, -2, "parts");
            lua_settop(L, rs);
        }
    }
    return 1;
}

/* newsdesk.rules.new() -> empty rule set */
static int rules_new(lua_State *L)
{
    newrules(L);
    return 1;
}

/* rules:add(rule | list of rules | path) -> rules; raises on a bad rule */
static int rules_add(lua_State *L)
{
    lrules *u;
    lnd_path_arg(L, 2);
    u = lnd_checkrules(L, 1);
    luaL_argexpected(L, lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TTABLE, 2,
                     "rule, list or path");
    lua_settop(L, 2);
    lua_getiuservalue(L, 1, 1);                     /* no longer just its parts */
    lua_pushnil(L);
    lua_setfield(L, -2, "parts");
    lua_pop(L, 1);
    if (load_one(L, u, 1, 2, (lua_Integer)nd_rules_count(u->r) + 1) != 0) {
        lnd_limit_check(L);             /* a limit that stopped the work wins */
        lua_getfield(L, LUA_REGISTRYINDEX, ERRKEY);
        return lua_error(L);
    }
    lua_settop(L, 1);
    return 1;
}

/* rules:key() -> 32 hex digits identifying the rule set */
static int rules_key(lua_State *L)
{
    char k[33];
    nd_rules_key(lnd_checkrules(L, 1)->r, k);
    lua_pushstring(L, k);
    return 1;
}

/* rules:count() -> rules, names */
static int rules_count(lua_State *L)
{
    lrules *u = lnd_checkrules(L, 1);
    lua_pushinteger(L, (lua_Integer)nd_rules_count(u->r));
    lua_pushinteger(L, (lua_Integer)nd_rules_names(u->r));
    return 2;
}

static int rules_tostring(lua_State *L)
{
    lrules *u = luaL_checkudata(L, 1, RULES_MT);
    if (!u->r) lua_pushliteral(L, "newsdesk.rules (closed)");
    else lua_pushfstring(L, "newsdesk.rules (%d rules, %d names)", (int)nd_rules_count(u->r),
                         (int)nd_rules_names(u->r));
    return 1;
}

/* rules:scan/matches/explain/tally (lnd_rules_scan_methods) cost about
 * as much per byte of text as 8 Lua instructions (measured: about 0.3 us a
 * byte), and may take up to 48 bytes of C memory per byte of text
 * (measured: about 40 on text dense with matches). */
static const lnd_cost rules_scan_cost = { 8, 48 };

static const luaL_Reg rules_methods[] = {
    { "add", rules_add },
    { "key", rules_key },
    { "count", rules_count },
    { "close", rules_close },
    { NULL, NULL }
};

static const luaL_Reg rules_meta[] = {
    { "__gc", rules_close },
    { "__close", rules_close },
    { "__tostring", rules_tostring },
    { NULL, NULL }
};

/* newsdesk.rules.entity_id(name) -> id | nil, message, code: the id an
 * entity gets when no pack names one (nd_rules_entity_id: the fold key of
 * the base name), so scripts compare names the way discovery ids them. */
static int rules_entity_id(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    nd_buf out = ND_BUF_INIT;
    int rc = nd_rules_entity_id(&out, s, len);
    if (rc == ND_OK) lua_pushlstring(L, out.ptr ? out.ptr : "", out.len);
    nd_buf_free(&out);
    if (rc != ND_OK) return lnd_fail(L, rc, rc == ND_EINVAL ? "no letter or digit in the name" : "out of memory");
    return 1;
}

static const luaL_Reg rules_funcs[] = {
    { "entity_id", rules_entity_id },
    { "load", lnd_rules_load },
    { "new", rules_new },
    { NULL, NULL }
};

int luaopen_newsdesk_rules(lua_State *L)
{
    if (luaL_newmetatable(L, RULES_MT)) {
        luaL_setfuncs(L, rules_meta, 0);
        luaL_newlib(L, rules_methods);
        luaL_setfuncs(L, lnd_rules_scan_methods, 0);
        lnd_declare_cost(L, -1, lnd_rules_scan_methods, &rules_scan_cost);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    lnd_store_addmethods(L, lnd_rules_store_methods);
    luaL_newlib(L, rules_funcs);
    lnd_rules_discover_register(L);
    return 1;
}
