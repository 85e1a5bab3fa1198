/*
 * map.c — the streaming mapper of `newsdesk map`: JSON Lines in, the
 * script's map(article) per line, JSON Lines out.
 *
 * Each line is decoded straight into a Lua table and what map() returns is
 * written as compact JSON with sorted keys, both by newsdesk.json
 * (ljson.c) with LND_JSON_REPAIR: invalid UTF-8 a script produced becomes
 * U+FFFD and infinities null.  Lua work that may raise (building tables,
 * writing records) runs under lua_pcall in helper C functions; the map()
 * call goes through nd_runtime_pcall so the runtime's limits apply to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "cli.h"
#include "lnd.h"

/* State shared by the protected helpers; owned by lnd_map_run. */
typedef struct mapstate {
    const char *line;     /* the input line being decoded */
    size_t len;
    lnd_json_error err;   /* where the line is malformed */
    nd_buf out;           /* records of the current line */
} mapstate;

/* Push the article table of the line st->line; raises for malformed text
 * (st->err set) and "expected a JSON object, got ..." for other values.
 * [-1, +1] (the light userdata) */
static int decode(lua_State *L)
{
    mapstate *st = lua_touserdata(L, 1);
    lnd_json_read(L, st->line, st->len, 0, NULL, &st->err);
    if (lua_type(L, -1) != LUA_TTABLE || *st->line != '{')
        return luaL_error(L, "expected a JSON object, got %s",
                          *st->line == '[' ? "an array" : "a scalar");
    return 1;
}

static void put(lua_State *L, nd_buf *b, const char *s, size_t n)
{
    if (nd_buf_append(b, s, n) != ND_OK)
        luaL_error(L, "not enough memory");
}

/* Write what map() returned (at 2) as records into st->out: nil/false
 * nothing, a list of tables one record each, another table one record.
 * [-2, +0] */
static int encode(lua_State *L)
{
    mapstate *st = lua_touserdata(L, 1);
    lua_Integer n, i;
    int t = lua_type(L, 2);
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, 2)))
        return 0;
    if (t != LUA_TTABLE)
        return luaL_error(L, "map must return nil, a table or a list of tables, not a %s",
                          luaL_typename(L, 2));
    lua_pushnil(L);
    if (!lua_next(L, 2))
        return 0;                                   /* {}: an empty list */
    lua_pop(L, 2);
    n = lnd_json_array_len(L, 2);
    lua_rawgeti(L, 2, 1);
    if (n == 0 || lua_type(L, -1) != LUA_TTABLE) {
        lnd_json_write(L, 2, &st->out, "record", LND_JSON_REPAIR);
        put(L, &st->out, "\n", 1);
        return 0;
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) != LUA_TTABLE)
            return luaL_error(L, "item %I of the list map returned is a %s, not a table",
                              (LUAI_UACINT)i, luaL_typename(L, -1));
        lnd_json_write(L, lua_gettop(L), &st->out, "record", LND_JSON_REPAIR);
        put(L, &st->out, "\n", 1);
        lua_pop(L, 1);
    }
    return 0;
}

/* ---- the loop ------------------------------------------------------------------ */

/* Run the raw C function f(st, value at top) under lua_pcall; report a
 * failure on err.  Pops the value.  Returns 0 or -1. */
static int protected(lua_State *L, lua_CFunction f, mapstate *st, int nvalues, int nres)
{
    int status;
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, st);
    if (nvalues) {
        lua_rotate(L, -3, 2);            /* f, st, value */
    }
    status = lua_pcall(L, 1 + nvalues, nres, 0);
    return status == LUA_OK ? 0 : -1;
}

/* Call fn with the map result at top; emit records.  Returns ND_OK or a
 * message on err.  [-1, +0] */
static int emit(nd_runtime *rt, mapstate *st, FILE *out, FILE *err,
                const lnd_map_opts *o, uint64_t lineno, lnd_map_stats *s)
{
    lua_State *L = nd_runtime_lua(rt);
    const char *p;
    st->out.len = 0;
    if (protected(L, encode, st, 1, 0) != 0) {
        fprintf(err, "newsdesk map: %s:%llu: %s\n", o->input_name,
                (unsigned long long)lineno, lua_tostring(L, -1));
        lua_pop(L, 1);
        return ND_ESCRIPT;
    }
    for (p = st->out.ptr; p && p < st->out.ptr + st->out.len; p = strchr(p, '\n') + 1)
        s->records++;
    if (st->out.len && fwrite(st->out.ptr, 1, st->out.len, out) != st->out.len)
        return ND_EIO;
    return ND_OK;
}

/* Call the environment's function `name` with the value at top (if nargs),
 * leaving one result.  [-nargs, +1 or +0 on failure] */
static int call_global(nd_runtime *rt, const char *name, int nargs)
{
    lua_State *L = nd_runtime_lua(rt);
    nd_runtime_pushenv(rt);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    if (nargs)
        lua_insert(L, -2);
    return nd_runtime_pcall(rt, nargs, 1);
}

static int has_function(nd_runtime *rt, const char *name)
{
    lua_State *L = nd_runtime_lua(rt);
    int yes;
    nd_runtime_pushenv(rt);
    lua_getfield(L, -1, name);
    yes = lua_isfunction(L, -1);
    lua_pop(L, 2);
    return yes;
}

int lnd_map_run(nd_runtime *rt, FILE *in, FILE *out, FILE *err,
                const lnd_map_opts *o, lnd_map_stats *s)
{
    lua_State *L = nd_runtime_lua(rt);
    mapstate st = { NULL, 0, { 0, NULL }, ND_BUF_INIT };
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = ND_OK, top = lua_gettop(L);
    memset(s, 0, sizeof *s);
    if (!has_function(rt, "map"))
        return ND_ENOTFOUND;
    if (!isatty(fileno(out)))
        setvbuf(out, NULL, _IOFBF, 1 << 16);
    while (rc == ND_OK && (len = getline(&line, &cap, in)) >= 0) {
        size_t k = 0;
        s->lines++;
        if (s->lines == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
            k = 3;                                  /* a byte-order mark */
        while (k < (size_t)len && strchr(" \t\r\n", line[k]))
            k++;
        if (k == (size_t)len)
            continue;                               /* blank line */
        st.line = line + k;
        st.len = (size_t)len - k;
        if (protected(L, decode, &st, 0, 1) != 0) {
            if (st.err.what)
                fprintf(err, "newsdesk map: %s:%llu: malformed JSON at column %llu: %s; line skipped\n",
                        o->input_name, (unsigned long long)s->lines,
                        (unsigned long long)st.err.at + 1, st.err.what);
            else
                fprintf(err, "newsdesk map: %s:%llu: %s; line skipped\n", o->input_name,
                        (unsigned long long)s->lines, lua_tostring(L, -1));
            lua_settop(L, top);
            s->malformed++;
            continue;
        }
        s->articles++;
        rc = call_global(rt, "map", 1);
        if (rc == ND_OK)
            rc = emit(rt, &st, out, err, o, s->lines, s);
        else
            fprintf(err, "newsdesk map: %s:%llu: %s\n", o->input_name,
                    (unsigned long long)s->lines, nd_runtime_errmsg(rt));
        if (rc != ND_OK && rc != ND_EIO && o->keep_going) {
            s->failed++;
            rc = ND_OK;
        }
        lua_settop(L, top);
    }
    if (rc == ND_OK && has_function(rt, "finish")) {
        rc = call_global(rt, "finish", 0);
        if (rc == ND_OK)
            rc = emit(rt, &st, out, err, o, s->lines, s);
        else
            fprintf(err, "newsdesk map: finish: %s\n", nd_runtime_errmsg(rt));
    }
    lua_settop(L, top);
    if (fflush(out) != 0 && rc == ND_OK)
        rc = ND_EIO;
    if (rc == ND_EIO)
        fprintf(err, "newsdesk map: cannot write the output\n");
    if (s->failed)
        fprintf(err, "newsdesk map: map() failed on %llu of %llu articles\n",
                (unsigned long long)s->failed, (unsigned long long)s->articles);
    free(line);
    nd_buf_free(&st.out);
    return rc;
}
