/*
 * map.c — the streaming mapper of `newsdesk map`: JSON Lines in, the
 * script's map(article) per line, JSON Lines out.
 *
 * Each line is read straight into a Lua table, given to map(), and what
 * map() returns is written as compact JSON with sorted keys
 * by the small writer below (Lua tables have no key order; sorting makes
 * output reproducible).  Lua work that may raise (building tables, writing
 * records) runs under lua_pcall in helper C functions; the map() call goes
 * through nd_runtime_pcall so the runtime's limits apply to it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "cli.h"

#define MAX_DEPTH 64

/* State shared by the protected helpers; owned by lnd_map_run. */
typedef struct mapstate {
    const char *line;     /* the input line being decoded */
    size_t len;
    nd_buf scratch;       /* strings with escapes, decoded */
    nd_buf out;           /* records of the current line */
} mapstate;

static size_t utf8_seq(const unsigned char *s, size_t n);

/* ---- JSON -> Lua --------------------------------------------------------------
 *
 * A small recursive-descent reader that pushes Lua values straight from the
 * line's text (RFC 8259 grammar, strings checked as UTF-8), about twice
 * as fast as building a jansson tree first.  Errors raise
 * "column C: what" with the 1-based byte column. */

typedef struct reader {
    lua_State *L;
    mapstate *st;
    const unsigned char *s, *p, *end;
} reader;

static int bad(reader *r, const char *what)
{
    return luaL_error(r->L, "column %d: %s", (int)(r->p - r->s) + 1, what);
}

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

/* Skip spaces; consume c if it comes next.  1 if it did. */
static int accept(reader *r, unsigned char c)
{
    skip_space(r);
    if (r->p < r->end && *r->p == c) {
        r->p++;
        return 1;
    }
    return 0;
}

static int hex4(reader *r, unsigned long *v)
{
    int i;
    *v = 0;
    if (r->end - r->p < 4)
        return bad(r, "\\u needs four hex digits");
    for (i = 0; i < 4; i++) {
        int c = r->p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return bad(r, "\\u needs four hex digits");
        *v = (*v << 4) | (unsigned long)d;
    }
    r->p += 4;
    return 0;
}

static void put_utf8(reader *r, unsigned long c)
{
    char u[4];
    size_t n;
    if (c < 0x80) { u[0] = (char)c; n = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    if (nd_buf_append(&r->st->scratch, u, n) != ND_OK)
        luaL_error(r->L, "not enough memory");
}

/* The string starting after the opening quote.  [-0, +1] */
static void read_string(reader *r)
{
    static const char simple[] = "\"\\/bfnrt", meaning[] = "\"\\/\b\f\n\r\t";
    nd_buf *b = &r->st->scratch;
    const unsigned char *run = r->p;
    int escaped = 0;
    b->len = 0;
    for (;;) {
        size_t n;
        while (r->p < r->end && *r->p >= 0x20 && *r->p < 0x80 && *r->p != '"' && *r->p != '\\')
            r->p++;                                 /* plain ASCII */
        if (r->p >= r->end)
            bad(r, "unterminated string");
        if (*r->p == '"')
            break;
        if (*r->p == '\\') {
            const char *k = NULL;
            if (nd_buf_append(b, run, (size_t)(r->p - run)) != ND_OK)
                luaL_error(r->L, "not enough memory");
            escaped = 1;
            r->p++;
            if (r->p < r->end && *r->p == 'u') {
                unsigned long c, lo;
                r->p++;
                hex4(r, &c);
                if (c >= 0xD800 && c <= 0xDBFF) {
                    if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                        bad(r, "lone UTF-16 surrogate in \\u escape");
                    r->p += 2;
                    hex4(r, &lo);
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        bad(r, "lone UTF-16 surrogate in \\u escape");
                    c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                } else if (c >= 0xDC00 && c <= 0xDFFF) {
                    bad(r, "lone UTF-16 surrogate in \\u escape");
                }
                put_utf8(r, c);
                run = r->p;
                continue;
            }
            if (r->p < r->end && *r->p)
                k = strchr(simple, *r->p);
            if (!k)
                bad(r, "invalid escape in string");
            else if (nd_buf_append(b, &meaning[k - simple], 1) != ND_OK)
                luaL_error(r->L, "not enough memory");
            run = ++r->p;
            continue;
        }
        if (*r->p < 0x20)
            bad(r, "control character in string");
        n = utf8_seq(r->p, (size_t)(r->end - r->p));
        if (n == 0)
            bad(r, "invalid UTF-8 in string");
        r->p += n;
    }
    if (!escaped) {
        lua_pushlstring(r->L, (const char *)run, (size_t)(r->p - run));
    } else {
        if (nd_buf_append(b, run, (size_t)(r->p - run)) != ND_OK)
            luaL_error(r->L, "not enough memory");
        lua_pushlstring(r->L, b->len ? b->ptr : "", b->len);
    }
    r->p++;                                         /* the closing quote */
}

/* A number: integers stay integers when they fit.  [-0, +1] */
static void read_number(reader *r)
{
    const unsigned char *start = r->p;
    char num[64];
    int integer = 1;
    if (r->p < r->end && *r->p == '-') r->p++;
    if (r->p < r->end && *r->p == '0') r->p++;
    else if (r->p < r->end && *r->p >= '1' && *r->p <= '9')
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    else bad(r, "invalid number");
    if (r->p < r->end && *r->p == '.') {
        integer = 0;
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') bad(r, "invalid number");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        integer = 0;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-')) r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') bad(r, "invalid number");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    }
    if ((size_t)(r->p - start) >= sizeof num)
        bad(r, "number too long");
    memcpy(num, start, (size_t)(r->p - start));
    num[r->p - start] = '\0';
    /* lua_stringtonumber keeps integers that fit and turns the rest into floats */
    if (lua_stringtonumber(r->L, num) == 0)
        bad(r, "invalid number");
    if (!integer && lua_isinteger(r->L, -1))
        lua_pushnumber(r->L, (lua_Number)lua_tointeger(r->L, -1)), lua_remove(r->L, -2);
}

static int literal(reader *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return 0;
    r->p += n;
    return 1;
}

/* Push the value at r->p; nil for null.  [-0, +1] */
static void read_value(reader *r, int depth)
{
    lua_State *L = r->L;
    skip_space(r);
    if (r->p >= r->end)
        bad(r, "unexpected end of line");
    if (depth > MAX_DEPTH)
        bad(r, "nested too deeply");
    luaL_checkstack(L, 4, "JSON nested too deeply");
    switch (*r->p) {
    case '{':
        r->p++;
        lua_createtable(L, 0, 8);
        if (accept(r, '}'))
            return;
        for (;;) {
            if (!accept(r, '"'))
                bad(r, "expected a string key");
            read_string(r);
            if (!accept(r, ':'))
                bad(r, "expected ':'");
            read_value(r, depth + 1);
            lua_rawset(L, -3);                      /* a null value sets nothing */
            if (accept(r, '}'))
                return;
            if (!accept(r, ','))
                bad(r, "expected ',' or '}'");
        }
    case '[': {
        lua_Integer i = 0;
        r->p++;
        lua_createtable(L, 4, 0);
        if (accept(r, ']'))
            return;
        for (;;) {
            read_value(r, depth + 1);
            lua_rawseti(L, -2, ++i);                /* null leaves a hole */
            if (accept(r, ']'))
                return;
            if (!accept(r, ','))
                bad(r, "expected ',' or ']'");
        }
    }
    case '"':
        r->p++;
        read_string(r);
        return;
    default:
        if (literal(r, "true", 4)) lua_pushboolean(L, 1);
        else if (literal(r, "false", 5)) lua_pushboolean(L, 0);
        else if (literal(r, "null", 4)) lua_pushnil(L);
        else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) read_number(r);
        else bad(r, "unexpected character");
    }
}

/* Push the article table of the line st->line; raises "column C: ..." for
 * malformed text and "expected a JSON object, got ..." for other values.
 * [-1, +1] (the light userdata) */
static int decode(lua_State *L)
{
    mapstate *st = lua_touserdata(L, 1);
    reader r;
    r.L = L;
    r.st = st;
    r.s = r.p = (const unsigned char *)st->line;
    r.end = r.s + st->len;
    skip_space(&r);
    read_value(&r, 0);
    skip_space(&r);
    if (r.p < r.end)
        bad(&r, "unexpected text after the value");
    if (lua_type(L, -1) != LUA_TTABLE || *st->line != '{')
        return luaL_error(L, "expected a JSON object, got %s",
                          *st->line == '[' ? "an array" : "a scalar");
    return 1;
}

/* ---- Lua -> JSON ------------------------------------------------------------- */

static void put(lua_State *L, nd_buf *b, const char *s, size_t n)
{
    if (nd_buf_append(b, s, n) != ND_OK)
        luaL_error(L, "not enough memory");
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t len, i;
    unsigned long c;
    if (s[0] < 0x80) return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { len = 2; c = s[0] & 0x1F; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { len = 3; c = s[0] & 0x0F; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { len = 4; c = s[0] & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
        return 0;
    return len;
}

/* A JSON string; invalid UTF-8 bytes become U+FFFD. */
static void put_string(lua_State *L, nd_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    put(L, b, "\"", 1);
    while (i < n) {
        unsigned char c = p[i];
        size_t len;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;                                    /* plain ASCII */
            run++;
            continue;
        }
        len = c >= 0x20 && c != '"' && c != '\\' ? utf8_seq(p + i, n - i) : 0;
        if (len) {
            i += len;
            run += len;
            continue;
        }
        put(L, b, s + i - run, run);
        run = 0;
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            put(L, b, esc, 2);
        } else if (c == '\n') {
            put(L, b, "\\n", 2);
        } else if (c == '\t') {
            put(L, b, "\\t", 2);
        } else if (c == '\r') {
            put(L, b, "\\r", 2);
        } else if (c < 0x20) {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            put(L, b, esc, 6);
        } else {
            put(L, b, "\xEF\xBF\xBD", 3);
        }
        i++;
    }
    put(L, b, s + i - run, run);
    put(L, b, "\"", 1);
}

static void put_value(lua_State *L, nd_buf *b, int idx, int depth);

/* Is the table at idx a sequence 1..n with nothing else (n > 0)? */
static lua_Integer sequence_len(lua_State *L, int idx)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
    if (n == 0)
        return 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > n ||
            ++count > n) {
            lua_pop(L, 1);
            return 0;
        }
    }
    return count == n ? n : 0;
}

typedef struct key {
    const char *s;
    size_t n;
} key;

static int keycmp(const void *a, const void *b)
{
    const key *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* An object: keys are strings (integer keys are written as decimal
 * strings), sorted bytewise.  The key strings are anchored in a scratch
 * table at the top of the stack while the object is written. */
static void put_object(lua_State *L, nd_buf *b, int idx, int depth)
{
    key *keys;
    size_t n = 0, i, cap = 0;
    int names;
    lua_newtable(L);              /* names: key string -> original key */
    names = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
        } else if (lua_isinteger(L, -1)) {
            lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, -1));
        } else {
            luaL_error(L, "cannot write a table with a %s key as JSON", luaL_typename(L, -1));
        }
        lua_pushvalue(L, -2);
        lua_rawset(L, names);
        cap++;
    }
    keys = lua_newuserdatauv(L, (cap ? cap : 1) * sizeof *keys, 0);
    lua_pushnil(L);
    while (lua_next(L, names)) {
        lua_pop(L, 1);
        keys[n].s = lua_tolstring(L, -1, &keys[n].n);
        n++;
    }
    qsort(keys, n, sizeof *keys, keycmp);
    put(L, b, "{", 1);
    for (i = 0; i < n; i++) {
        if (i)
            put(L, b, ",", 1);
        put_string(L, b, keys[i].s, keys[i].n);
        put(L, b, ":", 1);
        lua_pushlstring(L, keys[i].s, keys[i].n);
        lua_rawget(L, names);
        lua_rawget(L, idx);
        put_value(L, b, lua_gettop(L), depth + 1);
        lua_pop(L, 1);
    }
    put(L, b, "}", 1);
    lua_pop(L, 2);
}

static void put_value(lua_State *L, nd_buf *b, int idx, int depth)
{
    char num[64];
    int len;
    luaL_checkstack(L, 6, "record nested too deeply");
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        put(L, b, "null", 4);
        break;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, idx)) put(L, b, "true", 4);
        else put(L, b, "false", 5);
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            len = snprintf(num, sizeof num, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
        } else {
            double d = lua_tonumber(L, idx);
            if (!isfinite(d)) {
                put(L, b, "null", 4);
                break;
            }
            len = snprintf(num, sizeof num, "%.15g", d);
            if (strtod(num, NULL) != d)
                len = snprintf(num, sizeof num, "%.17g", d);
            if (!strpbrk(num, ".en"))             /* keep it a float: 2.0, not 2 */
                len = snprintf(num, sizeof num, "%.1f", d);
        }
        put(L, b, num, (size_t)len);
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        put_string(L, b, s, n);
        break;
    }
    case LUA_TTABLE: {
        lua_Integer n, i;
        if (depth >= MAX_DEPTH)
            luaL_error(L, "record nested deeper than %d levels (a cycle?)", MAX_DEPTH);
        n = sequence_len(L, idx);
        if (n == 0) {
            put_object(L, b, idx, depth);
            break;
        }
        put(L, b, "[", 1);
        for (i = 1; i <= n; i++) {
            if (i > 1)
                put(L, b, ",", 1);
            lua_rawgeti(L, idx, i);
            put_value(L, b, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
        }
        put(L, b, "]", 1);
        break;
    }
    default:
        luaL_error(L, "cannot write a %s as JSON", luaL_typename(L, idx));
    }
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
    n = sequence_len(L, 2);
    lua_rawgeti(L, 2, 1);
    if (n == 0 || lua_type(L, -1) != LUA_TTABLE) {
        put_value(L, &st->out, 2, 0);
        put(L, &st->out, "\n", 1);
        return 0;
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) != LUA_TTABLE)
            return luaL_error(L, "item %I of the list map returned is a %s, not a table",
                              (LUAI_UACINT)i, luaL_typename(L, -1));
        put_value(L, &st->out, lua_gettop(L), 0);
        put(L, &st->out, "\n", 1);
        lua_pop(L, 1);
    }
    return 0;
}

/* ---- tojson for Lua -------------------------------------------------------- */

#define JSONBUF_MT "newsdesk.cli.jsonbuf"

static int jsonbuf_gc(lua_State *L)
{
    nd_buf_free(luaL_checkudata(L, 1, JSONBUF_MT));
    return 0;
}

int lnd_cli_tojson(lua_State *L)
{
    nd_buf *b;
    luaL_checkany(L, 1);
    lua_settop(L, 1);
    b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    if (luaL_newmetatable(L, JSONBUF_MT)) {
        lua_pushcfunction(L, jsonbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    put_value(L, b, 1, 0);
    lua_pushlstring(L, b->len ? b->ptr : "", b->len);
    nd_buf_free(b);
    return 1;
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
    mapstate st = { NULL, 0, ND_BUF_INIT, ND_BUF_INIT };
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
            const char *msg = lua_tostring(L, -1);
            fprintf(err, "newsdesk map: %s:%llu: %s%s; line skipped\n", o->input_name,
                    (unsigned long long)s->lines,
                    strncmp(msg, "column ", 7) == 0 ? "malformed JSON at " : "", msg);
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
    nd_buf_free(&st.scratch);
    return rc;
}
