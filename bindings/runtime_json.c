/*
 * runtime_json.c — Lua values to JSON text and back, with jansson, for the
 * embedding runtime (results as JSON, the article's meta field).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"

#define JSON_MAX_DEPTH 64

/* ---- encoding ------------------------------------------------------------ */

typedef struct enc {
    lua_State *L;
    nd_buf path;     /* "result.items[3]" of the value being encoded */
    nd_buf *err;
    int rc;
} enc;

static json_t *fail(enc *e, const char *what)
{
    if (e->rc == ND_OK) {
        e->rc = ND_ESCRIPT;
        e->err->len = 0;
        if (nd_buf_append(e->err, "cannot convert ", 15) != ND_OK ||
            nd_buf_append(e->err, e->path.ptr, e->path.len) != ND_OK ||
            nd_buf_append(e->err, " to JSON: ", 10) != ND_OK ||
            nd_buf_append(e->err, what, strlen(what)) != ND_OK)
            e->rc = ND_ENOMEM;
    }
    return NULL;
}

static json_t *nomem(enc *e)
{
    e->rc = ND_ENOMEM;
    e->err->len = 0;
    nd_buf_append(e->err, "out of memory", 13);
    return NULL;
}

/* Append ".key" or "[i]" to the path; returns the length to restore. */
static size_t path_push(enc *e, const char *key, size_t klen, lua_Integer i)
{
    size_t old = e->path.len;
    char num[32];
    if (key) {
        nd_buf_append(&e->path, ".", 1);
        nd_buf_append(&e->path, key, klen);
    } else {
        int n = snprintf(num, sizeof num, "[%lld]", (long long)i);
        nd_buf_append(&e->path, num, (size_t)n);
    }
    return old;
}

static void path_pop(enc *e, size_t old)
{
    e->path.len = old;
    if (e->path.ptr)
        e->path.ptr[old] = '\0';
}

static json_t *encode(enc *e, int idx, int depth);

/* Count the keys of the table at idx; 1 when it is a sequence 1..n. */
static int is_array(lua_State *L, int idx, size_t *n)
{
    size_t count = 0;
    *n = lua_rawlen(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        count++;
        lua_pop(L, 1);
        if (count > *n) {
            lua_pop(L, 1);
            return 0;
        }
    }
    return *n > 0 && count == *n;
}

static json_t *encode_table(enc *e, int idx, int depth)
{
    lua_State *L = e->L;
    size_t n, i;
    json_t *j;
    if (depth >= JSON_MAX_DEPTH)
        return fail(e, "nested too deeply (a cycle?)");
    if (!lua_checkstack(L, 4))
        return nomem(e);
    lnd_rt_article_fill(L, idx);
    if (is_array(L, idx, &n)) {
        if (!(j = json_array()))
            return nomem(e);
        for (i = 1; i <= n; i++) {
            size_t old = path_push(e, NULL, 0, (lua_Integer)i);
            json_t *v;
            lua_rawgeti(L, idx, (lua_Integer)i);
            v = encode(e, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
            path_pop(e, old);
            if (!v || json_array_append_new(j, v) != 0) {
                json_decref(j);
                return v ? nomem(e) : NULL;
            }
        }
        return j;
    }
    if (!(j = json_object()))
        return nomem(e);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        char num[32];
        const char *k;
        size_t klen, old;
        json_t *v;
        if (lua_type(L, -2) == LUA_TSTRING) {
            k = lua_tolstring(L, -2, &klen);
        } else if (lua_isinteger(L, -2)) {
            klen = (size_t)snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -2));
            k = num;
        } else {
            lua_pop(L, 2);
            json_decref(j);
            return fail(e, "a table key that is not a string or an integer");
        }
        old = path_push(e, k, klen, 0);
        v = encode(e, lua_gettop(L), depth + 1);
        path_pop(e, old);
        lua_pop(L, 1);
        if (!v) {
            lua_pop(L, 1);
            json_decref(j);
            return NULL;
        }
        if (json_object_setn_new(j, k, klen, v) != 0) {
            lua_pop(L, 1);
            json_decref(j);
            return fail(e, "a key that is not valid UTF-8");
        }
    }
    return j;
}

static json_t *encode(enc *e, int idx, int depth)
{
    lua_State *L = e->L;
    json_t *j;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        j = json_null();
        break;
    case LUA_TBOOLEAN:
        j = json_boolean(lua_toboolean(L, idx));
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            j = json_integer((json_int_t)lua_tointeger(L, idx));
        } else {
            double d = (double)lua_tonumber(L, idx);
            if (!isfinite(d))
                return fail(e, "a number that is NaN or infinite");
            j = json_real(d);
        }
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        j = json_stringn(s, len);
        if (!j)
            return fail(e, "a string that is not valid UTF-8");
        break;
    }
    case LUA_TTABLE:
        return encode_table(e, idx, depth);
    default:
        return fail(e, lua_typename(L, lua_type(L, idx)));
    }
    return j ? j : nomem(e);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    return nd_buf_append(data, buffer, size) == ND_OK ? 0 : -1;
}

int lnd_json_encode(lua_State *L, int idx, const char *root, nd_buf *out, nd_buf *err)
{
    enc e = { L, ND_BUF_INIT, err, ND_OK };
    json_t *j;
    idx = lua_absindex(L, idx);
    nd_buf_append(&e.path, root, strlen(root));
    j = encode(&e, idx, 0);
    nd_buf_free(&e.path);
    if (!j)
        return e.rc != ND_OK ? e.rc : ND_ENOMEM;
    if (json_dump_callback(j, dump_cb, out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) != 0) {
        json_decref(j);
        err->len = 0;
        nd_buf_append(err, "out of memory", 13);
        return ND_ENOMEM;
    }
    json_decref(j);
    return ND_OK;
}

/* ---- decoding ------------------------------------------------------------ */

/* Push a jansson value.  [-0, +1, m] */
static void push_value(lua_State *L, json_t *j)
{
    luaL_checkstack(L, 3, "JSON nested too deeply");
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *v;
        lua_createtable(L, 0, (int)json_object_size(j));
        json_object_foreach(j, k, v) {
            push_value(L, v);
            lua_setfield(L, -2, k);
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *v;
        lua_createtable(L, (int)json_array_size(j), 0);
        json_array_foreach(j, i, v) {
            push_value(L, v);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING:
        lua_pushlstring(L, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER:
        lua_pushinteger(L, (lua_Integer)json_integer_value(j));
        break;
    case JSON_REAL:
        lua_pushnumber(L, (lua_Number)json_real_value(j));
        break;
    case JSON_TRUE:
        lua_pushboolean(L, 1);
        break;
    case JSON_FALSE:
        lua_pushboolean(L, 0);
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

/* The decoded tree lives in a userdata with __gc so that a memory error
 * while pushing it does not leak it. */
static int tree_gc(lua_State *L)
{
    json_t **p = lua_touserdata(L, 1);
    if (*p) {
        json_decref(*p);
        *p = NULL;
    }
    return 0;
}

void lnd_json_push(lua_State *L, const char *s, size_t len, const char *what)
{
    json_error_t jerr;
    json_t **p = lua_newuserdatauv(L, sizeof *p, 0);
    *p = NULL;
    if (luaL_newmetatable(L, "newsdesk.runtime.jsontree")) {
        lua_pushcfunction(L, tree_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    *p = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!*p)
        luaL_error(L, "invalid JSON in %s at line %d, column %d: %s", what, jerr.line, jerr.column, jerr.text);
    push_value(L, *p);
    json_decref(*p);
    *p = NULL;
    lua_remove(L, -2);
}
