/*
 * lingest.c — the Lua module "newsdesk.ingest" and the store method
 * db:ingest(paths[, opts]).
 *
 *   db:ingest(paths [, {encoding=, strict=, boilerplate=, batch=, lang=,
 *                       progress=fn, max_bytes=, format=, ref=, threads=}])
 *       -> stats {files, added, duplicates, near_duplicates, repaired,
 *                 rejected, bytes, errors = {{file=, line=, message=}, ...}}
 *          (line is nil when the problem is about the whole file)
 *       or nil, message, code, stats  when the store fails, progress stops
 *       it, or a path names nothing
 *   newsdesk.ingest._extract(text [, {boilerplate=, lang=, ref=}])
 *       -> list of {title=, date=, date_text=, updated=, source=, author=,
 *                   body=, raw=} found in one page dump (no store needed)
 *   newsdesk.ingest._rules(spec) -> number of line rules spec holds
 *   (underscored: helpers for checking rule files, not yet in REFERENCE.md)
 *
 * boilerplate is false (no rules), a built-in name ("tr", "en", "de", "ru"), a
 * path to a rule file (a string ending in ".lua" or holding '/'), a rule
 * table, or a list of those; the default is {"tr", "en", "de", "ru"}.  The rule
 * format is documented at the top of scripts/boilerplate/tr.lua.  ref (as
 * newsdesk.dates.parse takes it: "2016-11-20" or {year=, month=, day=})
 * places dates without a year, such as a dateline's "4. November".
 */
#include <stdint.h>
#include <string.h>

#include "lnd.h"
#include "nd_ingest.h"
#include "nd_fields.h"   /* the names input fields go by */

#define BOX_MT "newsdesk.ingest.box"

/* C memory ingest holds per byte of the largest record or page in flight
 * (decoding, extraction, tokens, signature; measured: about 6.5), and the
 * default max_bytes (nd_ingest_opts). */
#define INGEST_BYTES_PER_BYTE 8
#define INGEST_MAX_BYTES ((uint64_t)16 << 20)

/* Core objects of one call, freed by __gc even when a Lua error unwinds. */
typedef struct box {
    nd_boilerplate *bp;
    nd_extractor *ex;
    nd_ingest_stats st;
} box;

static int box_close(lua_State *L)
{
    box *b = luaL_checkudata(L, 1, BOX_MT);
    nd_boilerplate_free(b->bp);
    nd_extractor_free(b->ex);
    nd_ingest_stats_free(&b->st);
    b->bp = NULL;
    b->ex = NULL;
    return 0;
}

/* [-0, +1] a new box on the stack. */
static box *newbox(lua_State *L)
{
    return lnd_newbox(L, sizeof(box), BOX_MT, box_close);
}

/* ---- boilerplate rules --------------------------------------------------- */

static const char *const kinds[] = { "drop", "source", "author", "end", "agency", "dateline", NULL };
static const int kind_codes[] = { ND_BP_DROP, ND_BP_SOURCE, ND_BP_AUTHOR, ND_BP_END, ND_BP_AGENCY,
                                  ND_BP_DATELINE };
static const char *const hows[] = { "exact", "prefix", "suffix", "contains", NULL };
static const int how_codes[] = { ND_BP_EXACT, ND_BP_PREFIX, ND_BP_SUFFIX, ND_BP_CONTAINS };

static int find_name(const char *const *list, const char *s)
{
    int i;
    for (i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

static void add_spec(lua_State *L, nd_boilerplate *bp, int depth);

/* Rule table at the top: {KIND = {HOW = {pattern, ...}}}.  [-0, +0] */
static void add_table(lua_State *L, nd_boilerplate *bp)
{
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        const char *kname = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
        int kind = find_name(kinds, kname), h = lua_gettop(L);
        if (kind < 0)
            luaL_error(L, "boilerplate: unknown kind '%s' (drop, source, author, end, agency or dateline)",
                       kname);
        luaL_argexpected(L, lua_istable(L, h), h, "table of rule lists");
        lua_pushnil(L);
        while (lua_next(L, h)) {
            const char *hname = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            int how = find_name(hows, hname), i, n;
            if (how < 0)
                luaL_error(L, "boilerplate: unknown match '%s' in %s (exact, prefix, suffix or contains)",
                           hname, kname);
            if (!lua_istable(L, -1))
                luaL_error(L, "boilerplate: %s.%s must be a list of strings", kname, hname);
            n = (int)luaL_len(L, -1);
            for (i = 1; i <= n; i++) {
                size_t len;
                const char *p;
                if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
                    luaL_error(L, "boilerplate: %s.%s[%d] must be a string", kname, hname, i);
                p = lua_tolstring(L, -1, &len);
                switch (nd_boilerplate_add(bp, how_codes[how], p, len, kind_codes[kind])) {
                case ND_ENOMEM:
                    luaL_error(L, "out of memory");
                    break;
                case ND_EINVAL:
                    if (kind_codes[kind] == ND_BP_AGENCY)
                        luaL_error(L, "boilerplate: agency.%s[%d]: agencies are exact names", hname, i);
                    if (kind_codes[kind] == ND_BP_DATELINE)
                        luaL_error(L, "boilerplate: dateline.%s[%d] '%s': a dateline shape is a prefix or "
                                   "suffix and names AGENCY", hname, i, p);
                    break;
                default:
                    break;
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
}

/* A name ("tr"), a rule file path, or a table: add its rules.  [-1, +0] */
static void add_spec(lua_State *L, nd_boilerplate *bp, int depth)
{
    if (depth > 8)
        luaL_error(L, "boilerplate: lists nested too deep");
    if (lua_type(L, -1) == LUA_TSTRING) {
        const char *s = lua_tostring(L, -1);
        size_t n = strlen(s);
        if (strchr(s, '/') || (n > 4 && strcmp(s + n - 4, ".lua") == 0)) {
            if (luaL_loadfilex(L, s, "t") != LUA_OK)
                lua_error(L);
            lua_call(L, 0, 1);
        } else {
            lua_getglobal(L, "require");
            lua_pushfstring(L, "newsdesk.boilerplate.%s", s);
            lua_call(L, 1, 1);
        }
        if (!lua_istable(L, -1))
            luaL_error(L, "boilerplate '%s' did not return a table", s);
        lua_remove(L, -2);
    }
    if (!lua_istable(L, -1))
        luaL_error(L, "boilerplate: expected a name, a file name or a table, got %s", luaL_typename(L, -1));
    if (lua_rawlen(L, -1) > 0) {      /* a list of specs */
        lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            add_spec(L, bp, depth + 1);
        }
    } else {
        add_table(L, bp);
    }
    lua_pop(L, 1);
}

/* Build b->bp from opts.boilerplate (opts at index o, or 0).  [-0, +0] */
static void load_rules(lua_State *L, box *b, int o)
{
    int t = o ? lua_getfield(L, o, "boilerplate") : LUA_TNIL;
    if (!o)
        lua_pushnil(L);
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    if (nd_boilerplate_new(&b->bp) != ND_OK)
        luaL_error(L, "out of memory");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        lua_createtable(L, 4, 0);
        lua_pushliteral(L, "tr");
        lua_rawseti(L, -2, 1);
        lua_pushliteral(L, "en");
        lua_rawseti(L, -2, 2);
        lua_pushliteral(L, "de");
        lua_rawseti(L, -2, 3);
        lua_pushliteral(L, "ru");
        lua_rawseti(L, -2, 4);
    }
    add_spec(L, b->bp, 0);
}

/* ---- options -------------------------------------------------------------- */

/* opts[k] as a string or NULL; the value stays on the stack so the string
 * lives as long as the call, whatever a callback does to opts.  [-0, +1] */
static const char *opt_string(lua_State *L, int o, const char *k)
{
    if (!o) {
        lua_pushnil(L);
        return NULL;
    }
    lua_getfield(L, o, k);
    if (lua_isnil(L, -1))
        return NULL;
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "bad option '%s' (string expected, got %s)", k, luaL_typename(L, -1));
    return lua_tostring(L, -1);
}

static lua_Integer opt_integer(lua_State *L, int o, const char *k, lua_Integer def)
{
    lua_Integer v;
    int isnum;
    if (!o)
        return def;
    lua_getfield(L, o, k);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return def;
    }
    v = lua_tointegerx(L, -1, &isnum);
    if (!isnum || v < 0)
        luaL_error(L, "bad option '%s' (non-negative integer expected)", k);
    lua_pop(L, 1);
    return v;
}

/* ---- progress ------------------------------------------------------------- */

typedef struct progress_ctx {
    lua_State *L;
    int fn;             /* stack index of the function */
    int failed;         /* it raised: its error is at the top of the stack */
} progress_ctx;

/* Calls fn({files=, articles=, bytes=, total_bytes=, committed=}) under pcall; false
 * from it or an error stops the ingest. */
static int call_progress(void *ud, const nd_ingest_progress *p)
{
    progress_ctx *pc = ud;
    lua_State *L = pc->L;
    int stop;
    lua_pushvalue(L, pc->fn);
    lua_createtable(L, 0, 5);
    lnd_setint(L, "files", (lua_Integer)p->files);
    lnd_setint(L, "articles", (lua_Integer)p->articles);
    lnd_setint(L, "bytes", (lua_Integer)p->bytes);
    lnd_setint(L, "total_bytes", (lua_Integer)p->total_bytes);
    lnd_setint(L, "committed", (lua_Integer)p->committed);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        pc->failed = 1;
        return 1;
    }
    stop = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    return stop;
}

/* opts.refuse: non-zero for a file the host does not let scripts read (a
 * sandboxed runtime reads only below its read_dirs, and never the host's
 * standard input); without such a host no file is refused. */
static int refuse_file(void *ud, const char *path)
{
    lua_State *L = ud;
    if (strcmp(path, "-") == 0)
        return lnd_check_read(L, "/dev/stdin") != 0 ? (lua_pop(L, 1), 1) : 0;
    if (lnd_check_read(L, path) != 0) {
        lua_pop(L, 1);
        return 1;
    }
    return 0;
}

/* ---- results ------------------------------------------------------------- */

/* [-0, +1] the stats table. */
static void push_stats(lua_State *L, const nd_ingest_stats *st)
{
    size_t i;
    lua_createtable(L, 0, 8);
    lnd_setint(L, "files", (lua_Integer)st->files);
    lnd_setint(L, "added", (lua_Integer)st->added);
    lnd_setint(L, "duplicates", (lua_Integer)st->duplicates);
    lnd_setint(L, "near_duplicates", (lua_Integer)st->near_duplicates);
    lnd_setint(L, "repaired", (lua_Integer)st->repaired);
    lnd_setint(L, "rejected", (lua_Integer)st->rejected);
    lnd_setint(L, "bytes", (lua_Integer)st->bytes);
    lua_createtable(L, (int)st->nerrors, 0);
    for (i = 0; i < st->nerrors; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, st->errors[i].file);
        lua_setfield(L, -2, "file");
        if (st->errors[i].line)         /* nil when about the whole file */
            lnd_setint(L, "line", (lua_Integer)st->errors[i].line);
        lua_pushstring(L, st->errors[i].message);
        lua_setfield(L, -2, "message");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "errors");
    lnd_setint(L, "skipped", (lua_Integer)st->skipped);
    lua_createtable(L, (int)st->nskips, 0);
    for (i = 0; i < st->nskips; i++) {
        lua_createtable(L, 0, 2);
        lua_pushstring(L, st->skips[i].file);
        lua_setfield(L, -2, "file");
        lua_pushstring(L, st->skips[i].message);
        lua_setfield(L, -2, "message");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "skipped_files");
}

/* db:ingest(paths [, opts]) -> stats | nil, message, code, stats */
static int l_ingest(lua_State *L)
{
    nd_store *db;
    int o = lua_isnoneornil(L, 3) ? 0 : 3, rc;
    size_t n = 1, i;
    nd_ingest_opts opts;
    nd_date ref;
    progress_ctx pc;
    const char **paths;
    box *b;
    int capped = 0;
    size_t e;
    lnd_path_arg(L, 2);
    db = lnd_checkstore_writable(L, 1, "ingest");
    luaL_argexpected(L, lua_type(L, 2) == LUA_TSTRING || lua_istable(L, 2), 2, "path or list of paths");
    if (lua_istable(L, 2))
        n = (size_t)luaL_len(L, 2);
    if (o)
        luaL_checktype(L, 3, LUA_TTABLE);
    paths = lua_newuserdatauv(L, (n ? n : 1) * sizeof *paths, 1);
    lua_createtable(L, (int)n, 0);      /* private copy: the strings stay alive */
    for (i = 0; i < n; i++) {
        if (lua_istable(L, 2)) {
            lua_rawgeti(L, 2, (lua_Integer)i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                return luaL_argerror(L, 2, lua_pushfstring(L, "paths[%d] is not a string", (int)i + 1));
        } else {
            lua_pushvalue(L, 2);
        }
        paths[i] = lua_tostring(L, -1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setiuservalue(L, -2, 1);
    b = newbox(L);
    nd_ingest_opts_init(&opts);
    if (o && lua_getfield(L, o, "ref") != LUA_TNIL) {
        lnd_check_date_ref(L, lua_gettop(L), "ingest", &ref);
        opts.ref = &ref;
    }
    lua_pop(L, o ? 1 : 0);
    opts.encoding = opt_string(L, o, "encoding");
    opts.lang = opt_string(L, o, "lang");
    opts.format = opt_string(L, o, "format");
    opts.batch = (size_t)opt_integer(L, o, "batch", 0);
    opts.max_bytes = (uint64_t)opt_integer(L, o, "max_bytes", 0);
    {
        lua_Integer threads = opt_integer(L, o, "threads", 1);
        if (threads < 1 || threads > 64)
            return luaL_error(L, "bad option 'threads' (a number from 1 to 64 expected)");
        opts.threads = (size_t)threads;
    }
    {   /* under a runtime's memory limit, no record larger than what its C
         * work leaves room for: the limit bounds ingest's buffers too */
        uint64_t room = lnd_cmem_room(L), want = opts.max_bytes ? opts.max_bytes : INGEST_MAX_BYTES;
        if (room != SIZE_MAX && room / INGEST_BYTES_PER_BYTE < want) {
            opts.max_bytes = room / INGEST_BYTES_PER_BYTE ? room / INGEST_BYTES_PER_BYTE : 1;
            capped = 1;
        }
        if (room != SIZE_MAX)
            opts.threads = 1;       /* one record in flight: the bound above holds */
    }
    if (o) {
        lua_getfield(L, o, "strict");
        opts.strict = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    load_rules(L, b, o);
    opts.boilerplate = b->bp;
    memset(&pc, 0, sizeof pc);
    if (o && lua_getfield(L, o, "progress") != LUA_TNIL) {
        luaL_argexpected(L, lua_isfunction(L, -1), 3, "progress function");
        pc.L = L;
        pc.fn = lua_gettop(L);
        opts.progress = call_progress;
        opts.progress_ud = &pc;
    }
    opts.refuse = refuse_file;
    opts.refuse_ud = L;
    lnd_store_pin(L, 1, 1);     /* progress callbacks cannot close db under us */
    rc = nd_ingest_paths(db, paths, n, &opts, &b->st);
    lnd_store_pin(L, 1, -1);
    if (pc.failed)
        return lua_error(L);    /* the progress function's error, re-raised */
    if (rc == ND_ENOMEM)
        return lnd_raise(L, rc, NULL);
    /* a record skipped for the lowered max_bytes (every such message names
     * max_bytes) did not fit under the memory limit */
    for (e = 0; capped && e < b->st.nerrors; e++)
        if (strstr(b->st.errors[e].message, "max_bytes"))
            return lnd_cmem_exceeded(L);
    if (rc != ND_OK) {
        lnd_fail(L, rc, b->st.errmsg);
        push_stats(L, &b->st);
        return 4;
    }
    push_stats(L, &b->st);
    return 1;
}

/* newsdesk.ingest._extract(text [, {boilerplate=, lang=, ref=}]) -> list of articles */
static int l_extract(lua_State *L)
{
    size_t len, n, i;
    const char *s = luaL_checklstring(L, 1, &len);
    int o = lua_isnoneornil(L, 2) ? 0 : 2, rc;
    const char *lang;
    box *b;
    if (o)
        luaL_checktype(L, 2, LUA_TTABLE);
    lang = opt_string(L, o, "lang");       /* stays on the stack */
    b = newbox(L);
    load_rules(L, b, o);
    if (nd_extractor_new(&b->ex, b->bp) != ND_OK)
        return luaL_error(L, "out of memory");
    if (o && lua_getfield(L, o, "ref") != LUA_TNIL) {
        nd_date ref;
        lnd_check_date_ref(L, lua_gettop(L), "_extract", &ref);
        nd_extractor_set_ref(b->ex, &ref);
    }
    if ((rc = nd_extract_page(b->ex, s, len, lang, &n)) != ND_OK)
        return lnd_raise(L, rc, NULL);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const nd_extracted *e = nd_extract_get(b->ex, i);
        const struct { const char *k; nd_str v; } f[] = {
            { "title", e->title }, { "body", e->body }, { "date", e->date },
            { "date_text", e->date_text }, { "updated", e->updated },
            { "source", e->source }, { "author", e->author }, { "url", e->url },
        };
        size_t k;
        lua_createtable(L, 0, 8);
        for (k = 0; k < sizeof f / sizeof f[0]; k++)
            if (f[k].v.ptr) {
                lua_pushlstring(L, f[k].v.ptr, f[k].v.len);
                lua_setfield(L, -2, f[k].k);
            }
        lua_pushlstring(L, s + e->raw_start, e->raw_stop - e->raw_start);
        lua_setfield(L, -2, "raw");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* newsdesk.ingest._rules(spec) -> number of rules */
static int l_rules(lua_State *L)
{
    box *b;
    lua_settop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "boilerplate");        /* 2: {boilerplate = spec} */
    b = newbox(L);
    load_rules(L, b, 2);
    lua_pushinteger(L, (lua_Integer)nd_boilerplate_count(b->bp));
    return 1;
}

static const luaL_Reg store_methods[] = {
    { "ingest", l_ingest },
    { NULL, NULL }
};

static const luaL_Reg funcs[] = {
    { "_extract", l_extract },
    { "_rules", l_rules },
    { NULL, NULL }
};

/* fields = { body = {"body", "text", ...}, ... }: the names input fields
 * go by, from the one table in core/jsonl.c (newsdesk.filters reads it).
 * [-0, +0] on the module table at the top. */
static void set_fields(lua_State *L)
{
    const char *const *names;
    int i, k;
    lua_newtable(L);
    for (i = 1; (names = nd__field_names(i)) != NULL; i++) {
        lua_newtable(L);
        for (k = 0; names[k]; k++) {
            lua_pushstring(L, names[k]);
            lua_rawseti(L, -2, k + 1);
        }
        lua_setfield(L, -2, names[0]);
    }
    lua_setfield(L, -2, "fields");
}

int luaopen_newsdesk_ingest(lua_State *L)
{
    lnd_store_addmethods(L, store_methods);
    luaL_newlib(L, funcs);
    set_fields(L);
    return 1;
}
