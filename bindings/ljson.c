/*
 * ljson.c — newsdesk.json: the one JSON encoder and decoder of newsdesk,
 * for Lua scripts (newsdesk.json.encode/decode) and for the C bindings
 * (the store's meta, the runtime's JSON results and article meta, the
 * mapper's records).  A direct writer into an nd_buf and a recursive-
 * descent reader that pushes Lua values straight from the text: no
 * intermediate tree, so nothing to leak when a Lua error unwinds.
 *
 * Lua to JSON, the rule for tables:
 *   - a table whose keys are exactly 1..n (n >= 1) is an array;
 *   - every other table, the empty table included, is an object: integer
 *     keys are written as decimal strings, keys of other types are an
 *     error, keys are sorted bytewise (output is reproducible);
 *   - json.array(t) and json.object(t) mark t to force the other shape: a
 *     marked array is written t[1..n] with n its largest integer key and
 *     holes as null ({} marked is "[]"); a marked object writes 1..n as
 *     "1".."n";
 *   - a table whose metatable has __pairs is read through __pairs (the
 *     runtime's article writes all its fields);
 *   - nil and json.null are null; integers stay integers, floats always
 *     carry a fraction or an exponent ("2.0").
 * Nesting deeper than LND_JSON_MAX_DEPTH, a table that contains itself,
 * NaN, infinities, invalid UTF-8 and values of other types are errors
 * naming the path ("... at result.items[3]"), except that LND_JSON_REPAIR
 * (the mapper, reports) writes NaN and infinities as null and replaces
 * each maximal invalid UTF-8 subsequence with U+FFFD.  U+2028 and U+2029
 * are escaped so the text can be embedded in JavaScript.
 *
 * JSON to Lua: RFC 8259 with strings checked as UTF-8; objects and arrays
 * become plain tables (so [] and {} both come back as {}), null becomes
 * nil (a hole in an array) unless the caller asks for json.null, integers
 * that fit a lua_Integer stay integers and other numbers are floats.
 * Errors name the 1-based byte of the text.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lnd.h"
#include "nd_text.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* Eight bytes at a time: whether a word holds a byte equal to c, or below
 * n (n <= 128).  Used only to skip words with nothing to do. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}
static inline uint64_t has_byte(uint64_t w, unsigned char c)
{
    uint64_t v = w ^ (ONES * c);
    return (v - ONES) & ~v & HIGHS;
}
static inline uint64_t has_below(uint64_t w, unsigned char n)
{
    return (w - ONES * n) & ~w & HIGHS;
}

/* How many of the n bytes at p come before the first that a string needs
 * to look at — '"', '\\', a control byte or `also` (the encoder's 0xE2,
 * which may start U+2028/9) — or a little fewer: 16 bytes at a time with
 * SSE2 (exact), else 8 at a time (the start of the word holding it).  The
 * caller walks the rest byte by byte. */
static inline size_t plain_prefix(const unsigned char *p, size_t n, unsigned char also)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  ctl = _mm_set1_epi8(0x1F), other = _mm_set1_epi8((char)also);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                                 _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl),
                                              _mm_cmpeq_epi8(v, other)));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w = load64(p + i);
        if (has_byte(w, '"') | has_byte(w, '\\') | has_below(w, 0x20) | has_byte(w, also))
            break;
    }
    return i;
}

/* Registry slot (by address) of { null, array metatable, object metatable }. */
static const char registry_key = 0;
enum { REG_NULL = 1, REG_ARRAY, REG_OBJECT };

static int null_tostring(lua_State *L)
{
    lua_pushliteral(L, "null");
    return 1;
}

/* A protected metatable named name.  [-0, +1] */
static void push_marker_mt(lua_State *L, const char *name)
{
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__metatable");
}

/* Push the registry table of this lua_State, creating it on first use.
 * [-0, +1, m] */
static void push_registry(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &registry_key) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_createtable(L, 3, 0);
    lua_newuserdatauv(L, 0, 0);                 /* json.null: no fields, no state */
    push_marker_mt(L, "newsdesk.json.null");
    lua_pushcfunction(L, null_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setmetatable(L, -2);
    lua_rawseti(L, -2, REG_NULL);
    push_marker_mt(L, "newsdesk.json.array");
    lua_rawseti(L, -2, REG_ARRAY);
    push_marker_mt(L, "newsdesk.json.object");
    lua_rawseti(L, -2, REG_OBJECT);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &registry_key);
}

/* ==== Lua -> JSON ======================================================== */

/* One level of the value being written, for error paths. */
typedef struct level {
    const void *t;        /* the table */
    const char *k;        /* the key being written (anchored), or NULL ... */
    size_t kn;
    lua_Integer i;        /* ... then this array index */
} level;

typedef struct enc {
    lua_State *L;
    nd_buf *b;
    int flags;
    int nomem;            /* an append failed */
    const char *root;     /* the name of the value in error paths */
    const void *null, *array_mt, *object_mt;
    int depth;            /* of the value being written; the root is 0 */
    level path[LND_JSON_MAX_DEPTH + 1];
} enc;

static void enc_init(enc *e, lua_State *L, nd_buf *out, const char *root, int flags)
{
    e->L = L;
    e->b = out;
    e->flags = flags;
    e->nomem = 0;
    e->root = root ? root : "value";
    e->depth = 0;
    luaL_checkstack(L, 6, "JSON");
    push_registry(L);
    lua_rawgeti(L, -1, REG_NULL);
    e->null = lua_touserdata(L, -1);
    lua_rawgeti(L, -2, REG_ARRAY);
    e->array_mt = lua_topointer(L, -1);
    lua_rawgeti(L, -3, REG_OBJECT);
    e->object_mt = lua_topointer(L, -1);
    lua_pop(L, 4);
}

/* Raise "<message> at <root><path>", the message made from fmt like
 * lua_pushfstring.  Never returns. */
static int enc_fail(enc *e, const char *fmt, ...)
{
    lua_State *L = e->L;
    luaL_Buffer pb;
    va_list ap;
    int i;
    luaL_checkstack(L, 4, NULL);
    luaL_where(L, 1);                   /* the script's line when called from Lua */
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    luaL_buffinit(L, &pb);
    luaL_addstring(&pb, " at ");
    luaL_addstring(&pb, e->root);
    for (i = 0; i < e->depth && i <= LND_JSON_MAX_DEPTH; i++) {
        const level *p = &e->path[i];
        if (e->depth > 12 && i >= 4 && i < e->depth - 4) {
            if (i == 4)
                luaL_addstring(&pb, "...");
            continue;
        }
        char num[32];
        size_t j, n = p->k && p->kn > 40 ? 40 : p->kn;
        int ident = p->k && n > 0 && !(p->k[0] >= '0' && p->k[0] <= '9');
        for (j = 0; ident && j < n; j++) {
            unsigned char c = (unsigned char)p->k[j];
            ident = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
        if (!p->k) {
            snprintf(num, sizeof num, "[%lld]", (long long)p->i);
            luaL_addstring(&pb, num);
        } else if (ident) {
            luaL_addchar(&pb, '.');
            luaL_addlstring(&pb, p->k, n);
        } else {
            luaL_addstring(&pb, "[\"");
            luaL_addlstring(&pb, p->k, n);
            luaL_addstring(&pb, n < p->kn ? "...\"]" : "\"]");
        }
    }
    luaL_pushresult(&pb);
    lua_concat(L, 3);
    return lua_error(L);
}

static int enc_nomem(enc *e)
{
    e->nomem = 1;
    lua_pushliteral(e->L, "not enough memory");
    return lua_error(e->L);
}

/* Append s[0..n) to the output; in place while the buffer has room (the
 * encoder appends a few bytes at a time), else by nd_buf_append. */
static void put(enc *e, const char *s, size_t n)
{
    nd_buf *b = e->b;
    if (b->cap - b->len > n) {                      /* room for the bytes and the NUL */
        memcpy(b->ptr + b->len, s, n);
        b->len += n;
        b->ptr[b->len] = '\0';
    } else if (nd_buf_append(b, s, n) != ND_OK) {
        enc_nomem(e);
    }
}

/* Append the JSON string literal of the valid UTF-8 s: " \ and control
 * characters escaped (\n \r \t, the others \u00XX), and U+2028/U+2029.
 * Returns ND_OK or ND_ENOMEM; never raises. */
static int write_string(nd_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = 0;
    int rc = nd_buf_reserve(b, n + 2);
    if (rc == ND_OK)
        b->ptr[b->len++] = '"';                     /* reserved; the NUL follows below */
    while (rc == ND_OK) {
        unsigned char c;
        char esc[6];
        size_t elen, skip = 1, lim;
        i += plain_prefix(p + i, n - i, 0xE2);      /* blocks with nothing to escape */
        lim = n - i > 8 ? i + 8 : n;                /* the word's bytes, then words again */
        while (i < lim && (c = p[i]) >= 0x20 && c != '"' && c != '\\' &&
               (c != 0xE2 || !(i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))))
            i++;
        if (i >= n)
            break;
        if (i == lim)
            continue;                               /* an 0xE2 that starts no U+2028/9 */
        c = p[i];
        esc[0] = '\\';
        if (c == '"' || c == '\\') { esc[1] = (char)c; elen = 2; }
        else if (c == '\n') { esc[1] = 'n'; elen = 2; }
        else if (c == '\t') { esc[1] = 't'; elen = 2; }
        else if (c == '\r') { esc[1] = 'r'; elen = 2; }
        else if (c < 0x20) {
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0'; esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
            elen = 6;
        } else {                                    /* U+2028, U+2029 */
            esc[1] = 'u'; esc[2] = '2'; esc[3] = '0'; esc[4] = '2'; esc[5] = p[i + 2] == 0xA8 ? '8' : '9';
            elen = 6;
            skip = 3;
        }
        rc = nd_buf_append(b, s + start, i - start);
        if (rc == ND_OK)
            rc = nd_buf_append(b, esc, elen);
        i += skip;
        start = i;
    }
    if (rc == ND_OK)
        rc = nd_buf_append(b, s + start, n - start);
    if (rc == ND_OK)
        rc = nd_buf_append(b, "\"", 1);
    return rc;
}

/* A string value or key (what: "a string", "a key").  [-0, +0, e] */
static void put_string(enc *e, const char *s, size_t n, const char *what)
{
    size_t bad;
    int rc;
    if (nd_utf8_check(s, n, &bad) == ND_OK) {
        rc = write_string(e->b, s, n);
    } else {
        nd_buf fixed = ND_BUF_INIT;
        if (!(e->flags & LND_JSON_REPAIR))
            enc_fail(e, "cannot write %s with invalid UTF-8 (byte %d) as JSON", what, (int)bad + 1);
        rc = nd_utf8_repair(&fixed, s, n, NULL);
        if (rc == ND_OK)
            rc = write_string(e->b, fixed.ptr, fixed.len);
        nd_buf_free(&fixed);
    }
    if (rc != ND_OK)
        enc_nomem(e);
}

static void put_number(enc *e, int idx)
{
    lua_State *L = e->L;
    char num[64];
    int len;
    if (lua_isinteger(L, idx)) {                    /* LUA_INTEGER_FMT's digits, without printf */
        lua_Integer v = lua_tointeger(L, idx);
        lua_Unsigned u = v < 0 ? 0u - (lua_Unsigned)v : (lua_Unsigned)v;
        char *d = num + sizeof num;
        do
            *--d = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (v < 0)
            *--d = '-';
        put(e, d, (size_t)(num + sizeof num - d));
        return;
    } else {
        double d = (double)lua_tonumber(L, idx);
        if (!isfinite(d)) {
            if (!(e->flags & LND_JSON_REPAIR))
                enc_fail(e, "cannot write %s as JSON", isnan(d) ? "NaN" : "an infinite number");
            put(e, "null", 4);
            return;
        }
        len = snprintf(num, sizeof num, "%.15g", d);
        if (strtod(num, NULL) != d)
            len = snprintf(num, sizeof num, "%.17g", d);
        if (!strpbrk(num, ".e"))                    /* keep it a float: 2.0, not 2 */
            len = snprintf(num, sizeof num, "%.1f", d);
    }
    put(e, num, (size_t)len);
}

/* n when the table at idx has exactly the keys 1..n (n >= 1), else 0. */
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

/* The length of the table marked as an array at idx: its largest integer
 * key.  Raises for other keys and for more holes than values (plus 1024),
 * so a marked {[2^40] = 1} cannot fill memory with nulls. */
static lua_Integer marked_len(enc *e, int idx)
{
    lua_State *L = e->L;
    lua_Integer n = 0, count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1)
            enc_fail(e, "cannot write a table marked as an array with a %s key as JSON",
                     lua_isinteger(L, -1) ? "non-positive" : luaL_typename(L, -1));
        if (lua_tointeger(L, -1) > n)
            n = lua_tointeger(L, -1);
        count++;
    }
    if (n - count > count + 1024)
        enc_fail(e, "cannot write an array of %I slots holding %I values as JSON (too sparse)",
                 (LUAI_UACINT)n, (LUAI_UACINT)count);
    return n;
}

static void put_value(enc *e, int idx);

typedef struct key {
    const char *s;
    size_t n;
    lua_Integer at;       /* the original key's slot in the anchor table */
} key;

static int keycmp(const void *a, const void *b)
{
    const key *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Sort keys[0..n) by keycmp: insertion sort for the few keys of most
 * objects, qsort beyond. */
static void sort_keys(key *keys, size_t n)
{
    size_t i, j;
    if (n > 16) {
        qsort(keys, n, sizeof *keys, keycmp);
        return;
    }
    for (i = 1; i < n; i++) {
        key k = keys[i];
        for (j = i; j > 0 && keycmp(&keys[j - 1], &k) > 0; j--)
            keys[j] = keys[j - 1];
        keys[j] = k;
    }
}

/* An object: keys are strings (integer keys as decimal strings), sorted
 * bytewise.  The keys (and the decimal strings) are anchored in a scratch
 * sequence on the stack while the object is written: slot 2i+2 holds key
 * i, 2i+1 its decimal string when it is an integer.  [-0, +0, e] */
static void put_object(enc *e, int idx)
{
    lua_State *L = e->L;
    level *lv = &e->path[e->depth];
    key *keys;
    size_t n = 0, i, total = 0;
    int anchor;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING && !lua_isinteger(L, -1))
            enc_fail(e, "cannot write a table with a %s key as JSON",
                     lua_type(L, -1) == LUA_TNUMBER ? "float" : luaL_typename(L, -1));
        total++;
    }
    lua_createtable(L, total < INT_MAX / 2 ? (int)(2 * total) : 0, 0);
    anchor = lua_gettop(L);
    keys = lua_newuserdatauv(L, (total ? total : 1) * sizeof *keys, 0);
    lua_pushnil(L);
    while (n < total && lua_next(L, idx)) {
        lua_pop(L, 1);
        keys[n].at = 2 * (lua_Integer)n + 2;
        lua_pushvalue(L, -1);
        lua_rawseti(L, anchor, keys[n].at);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, -1));
            keys[n].s = lua_tolstring(L, -1, &keys[n].n);
            lua_rawseti(L, anchor, keys[n].at - 1);
        } else {
            keys[n].s = lua_tolstring(L, -1, &keys[n].n);
        }
        n++;
    }
    if (n == total)
        lua_pop(L, 1);                              /* the last key: lua_next was not called again */
    sort_keys(keys, n);
    for (i = 1; i < n; i++)
        if (keycmp(&keys[i - 1], &keys[i]) == 0)
            enc_fail(e, "cannot write a table with both an integer key and the same number as a string key as JSON");
    put(e, "{", 1);
    for (i = 0; i < n; i++) {
        if (i)
            put(e, ",", 1);
        lv->k = keys[i].s;
        lv->kn = keys[i].n;
        put_string(e, keys[i].s, keys[i].n, "a key");
        put(e, ":", 1);
        lua_rawgeti(L, anchor, keys[i].at);
        lua_rawget(L, idx);
        e->depth++;
        put_value(e, lua_gettop(L));
        e->depth--;
        lua_pop(L, 1);
    }
    put(e, "}", 1);
    lua_pop(L, 2);
}

/* Raise the error for a table one level too deep: a cycle when a table
 * repeats on the path, else the depth limit. */
static int depth_fail(enc *e, int idx)
{
    int i, j;
    e->path[e->depth].t = lua_topointer(e->L, idx);
    for (j = 1; j <= e->depth; j++)
        for (i = 0; i < j; i++)
            if (e->path[i].t == e->path[j].t) {
                e->depth = j;               /* the path to the first repeat */
                return enc_fail(e, "cannot write a table that contains itself as JSON");
            }
    return enc_fail(e, "cannot write JSON nesting deeper than %d levels", LND_JSON_MAX_DEPTH);
}

/* Push a plain copy of what __pairs(t) lists for the table at idx.  [-0, +1, e] */
static void copy_pairs(lua_State *L, int idx)
{
    int copy;
    lua_newtable(L);
    copy = lua_gettop(L);
    luaL_getmetafield(L, idx, "__pairs");
    lua_pushvalue(L, idx);
    lua_call(L, 1, 3);                          /* copy, next, state, control */
    for (;;) {
        lua_pushvalue(L, -3);
        lua_pushvalue(L, -3);
        lua_pushvalue(L, -3);
        lua_call(L, 2, 2);                      /* ..., control, k, v */
        if (lua_isnil(L, -2)) {
            lua_pop(L, 2);
            break;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);                      /* ..., control, k, k, v */
        lua_rawset(L, copy);
        lua_replace(L, -2);                     /* the key is the next control */
    }
    lua_settop(L, copy);
}

enum { SHAPE_AUTO, SHAPE_ARRAY, SHAPE_OBJECT };

/* The shape the table at idx is marked with, or SHAPE_AUTO; a table with
 * __pairs is replaced by its copy (*idx then points at it; the caller pops
 * one value when *copied). */
static int table_shape(enc *e, int *idx, int *copied)
{
    lua_State *L = e->L;
    const void *mt;
    *copied = 0;
    if (!lua_getmetatable(L, *idx))
        return SHAPE_AUTO;
    mt = lua_topointer(L, -1);
    lua_pop(L, 1);
    if (mt == e->array_mt)
        return SHAPE_ARRAY;
    if (mt == e->object_mt)
        return SHAPE_OBJECT;
    if (luaL_getmetafield(L, *idx, "__pairs") != LUA_TNIL) {
        lua_pop(L, 1);
        copy_pairs(L, *idx);
        *idx = lua_gettop(L);
        *copied = 1;
    }
    return SHAPE_AUTO;
}

static void put_table(enc *e, int idx)
{
    lua_State *L = e->L;
    lua_Integer n, i;
    int shape, copied;
    if (e->depth >= LND_JSON_MAX_DEPTH)
        depth_fail(e, idx);
    luaL_checkstack(L, 12, "JSON nested too deeply");    /* a __pairs copy and an object's scratch */
    e->path[e->depth].t = lua_topointer(L, idx);
    e->path[e->depth].k = NULL;
    shape = table_shape(e, &idx, &copied);
    n = shape == SHAPE_OBJECT ? 0 : shape == SHAPE_ARRAY ? marked_len(e, idx) : sequence_len(L, idx);
    if (shape == SHAPE_ARRAY || n > 0) {
        put(e, "[", 1);
        for (i = 1; i <= n; i++) {
            if (i > 1)
                put(e, ",", 1);
            e->path[e->depth].i = i;
            lua_rawgeti(L, idx, i);
            e->depth++;
            put_value(e, lua_gettop(L));
            e->depth--;
            lua_pop(L, 1);
        }
        put(e, "]", 1);
    } else {
        put_object(e, idx);
    }
    if (copied)
        lua_pop(L, 1);
}

static void put_value(enc *e, int idx)
{
    lua_State *L = e->L;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        put(e, "null", 4);
        break;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, idx))
            put(e, "true", 4);
        else
            put(e, "false", 5);
        break;
    case LUA_TNUMBER:
        put_number(e, idx);
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        put_string(e, s, n, "a string");
        break;
    }
    case LUA_TTABLE:
        put_table(e, idx);
        break;
    case LUA_TUSERDATA:
        if (lua_touserdata(L, idx) == e->null) {
            put(e, "null", 4);
            break;
        }
        if (luaL_getmetafield(L, idx, "__name") == LUA_TSTRING)
            enc_fail(e, "cannot write a %s as JSON", lua_tostring(L, -1));
        /* FALLTHROUGH */
    default:
        enc_fail(e, "cannot write a %s as JSON", luaL_typename(L, idx));
    }
}

void lnd_json_write(lua_State *L, int idx, nd_buf *out, const char *root, int flags)
{
    enc e;
    enc_init(&e, L, out, root, flags);
    put_value(&e, lua_absindex(L, idx));
}

/* The protected body of lnd_json_encode.  [-2, +0] (enc, value) */
static int encode_body(lua_State *L)
{
    enc *e = lua_touserdata(L, 1);
    put_value(e, 2);
    return 0;
}

int lnd_json_encode(lua_State *L, int idx, const char *root, nd_buf *out, nd_buf *err)
{
    enc e;
    size_t start = out->len;
    int status;
    idx = lua_absindex(L, idx);
    err->len = 0;
    if (!lua_checkstack(L, 8)) {
        nd_buf_append(err, "not enough memory", 17);
        return ND_ENOMEM;
    }
    enc_init(&e, L, out, root, 0);
    lua_pushcfunction(L, encode_body);
    lua_pushlightuserdata(L, &e);
    lua_pushvalue(L, idx);
    status = lua_pcall(L, 2, 0, 0);
    if (status == LUA_OK)
        return ND_OK;
    out->len = start;
    if (out->ptr)
        out->ptr[start] = '\0';
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char *m = lua_tolstring(L, -1, &n);
        if (nd_buf_append(err, m, n) != ND_OK)
            e.nomem = 1;
    }
    lua_pop(L, 1);
    return e.nomem || status == LUA_ERRMEM ? ND_ENOMEM : ND_ESCRIPT;
}

lua_Integer lnd_json_array_len(lua_State *L, int idx)
{
    enc e;
    int copied = 0, shape;
    lua_Integer n;
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx))
        return 0;
    enc_init(&e, L, NULL, NULL, 0);
    shape = table_shape(&e, &idx, &copied);
    n = shape == SHAPE_OBJECT ? 0 : shape == SHAPE_ARRAY ? marked_len(&e, idx) : sequence_len(L, idx);
    if (copied)
        lua_pop(L, 1);
    return n;
}

/* ==== JSON -> Lua ======================================================== */

typedef struct reader {
    lua_State *L;
    const unsigned char *s, *p, *end;
    const unsigned char *bad_utf8; /* the first invalid UTF-8 byte, or end */
    int null_idx;          /* stack index of the value for null, or 0 for nil */
    const char *ctx;       /* "the article's meta", or NULL */
    lnd_json_error *err;
} reader;

/* Record the error at r->p and raise it.  Never returns. */
static int bad(reader *r, const char *what)
{
    size_t at = (size_t)(r->p - r->s);
    if (r->err) {
        r->err->at = at;
        r->err->what = what;
    }
    if (r->ctx)
        return luaL_error(r->L, "invalid JSON in %s at byte %I: %s", r->ctx, (LUAI_UACINT)at + 1, what);
    return luaL_error(r->L, "json: %s at byte %I", what, (LUAI_UACINT)at + 1);
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

static unsigned long hex4(reader *r)
{
    unsigned long v = 0;
    int i;
    if (r->end - r->p < 4)
        bad(r, "\\u needs four hex digits");
    for (i = 0; i < 4; i++) {
        int c = r->p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return (unsigned long)bad(r, "\\u needs four hex digits");
        v = (v << 4) | (unsigned long)d;
    }
    r->p += 4;
    return v;
}

/* The code point of a \u escape (r->p after the 'u'), surrogate pairs
 * joined, added to b as UTF-8. */
static void read_unicode(reader *r, luaL_Buffer *b)
{
    unsigned long c = hex4(r), lo;
    char u[4];
    size_t n;
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
            bad(r, "lone UTF-16 surrogate in \\u escape");
        r->p += 2;
        lo = hex4(r);
        if (lo < 0xDC00 || lo > 0xDFFF)
            bad(r, "lone UTF-16 surrogate in \\u escape");
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
        bad(r, "lone UTF-16 surrogate in \\u escape");
    }
    if (c < 0x80) { u[0] = (char)c; n = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    luaL_addlstring(b, u, n);
}

/* The raw bytes [run, r->p) of a string must be valid UTF-8: the whole
 * text was checked once, so only the first invalid byte matters (outside
 * strings it is a syntax error anyway). */
static void check_run(reader *r, const unsigned char *run)
{
    if (r->bad_utf8 >= run && r->bad_utf8 < r->p) {
        r->p = r->bad_utf8;
        bad(r, "invalid UTF-8 in string");
    }
}

/* Scan plain bytes from r->p to the next '"', '\\' or control byte. */
static void scan_plain(reader *r)
{
    const unsigned char *p = r->p;
    p += plain_prefix(p, (size_t)(r->end - p), '"');
    while (p < r->end && *p >= 0x20 && *p != '"' && *p != '\\')
        p++;
    r->p = p;
    if (p >= r->end)
        bad(r, "unterminated string");
    if (*p < 0x20)
        bad(r, "control character in string");
}

/* The string starting after the opening quote.  [-0, +1] */
static void read_string(reader *r)
{
    static const char simple[] = "\"\\/bfnrt", meaning[] = "\"\\/\b\f\n\r\t";
    const unsigned char *run = r->p;
    luaL_Buffer b;
    scan_plain(r);
    check_run(r, run);
    if (*r->p == '"') {                             /* no escapes: the common case */
        lua_pushlstring(r->L, (const char *)run, (size_t)(r->p - run));
        r->p++;
        return;
    }
    luaL_buffinit(r->L, &b);
    for (;;) {
        const char *k = NULL;
        luaL_addlstring(&b, (const char *)run, (size_t)(r->p - run));
        if (*r->p == '"')
            break;
        r->p++;                                     /* the backslash */
        if (r->p < r->end && *r->p == 'u') {
            r->p++;
            read_unicode(r, &b);
        } else {
            if (r->p < r->end && *r->p)
                k = strchr(simple, *r->p);
            if (!k)
                bad(r, "invalid escape in string");
            luaL_addchar(&b, meaning[k - simple]);
            r->p++;
        }
        run = r->p;
        scan_plain(r);
        check_run(r, run);
    }
    luaL_pushresult(&b);
    r->p++;                                         /* the closing quote */
}

/* A number: integers stay integers when they fit.  [-0, +1] */
static void read_number(reader *r)
{
    const unsigned char *start = r->p;
    char num[64];
    size_t n;
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
    /* lua_stringtonumber keeps integers that fit and turns the rest into
     * floats; it wants a terminated string: a copy, on the Lua stack when long */
    if ((size_t)(r->p - start) < sizeof num) {
        memcpy(num, start, (size_t)(r->p - start));
        num[r->p - start] = '\0';
        n = lua_stringtonumber(r->L, num);
    } else {
        lua_pushlstring(r->L, (const char *)start, (size_t)(r->p - start));
        n = lua_stringtonumber(r->L, lua_tostring(r->L, -1));
        lua_remove(r->L, n ? -2 : -1);
    }
    if (n == 0)
        bad(r, "invalid number");
    if (!integer && lua_isinteger(r->L, -1)) {
        lua_Number d = (lua_Number)lua_tointeger(r->L, -1);
        lua_pop(r->L, 1);
        lua_pushnumber(r->L, d);
    }
}

static int literal(reader *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return 0;
    r->p += n;
    return 1;
}

/* Push the value at r->p.  depth: containers around it.  [-0, +1] */
static void read_value(reader *r, int depth)
{
    lua_State *L = r->L;
    unsigned char c;
    skip_space(r);
    if (r->p >= r->end)
        bad(r, "unexpected end of text");
    c = *r->p;
    if (c == '{' || c == '[') {
        if (depth >= LND_JSON_MAX_DEPTH)
            bad(r, "nested too deeply (deeper than " STR(LND_JSON_MAX_DEPTH) " levels)");
        luaL_checkstack(L, 4, "JSON nested too deeply");
        r->p++;
    }
    switch (c) {
    case '{':
        lua_createtable(L, 0, 8);
        if (accept(r, '}'))
            return;
        for (;;) {
            if (!accept(r, '"'))
                bad(r, "key expected");
            read_string(r);
            if (!accept(r, ':'))
                bad(r, "expected ':'");
            read_value(r, depth + 1);
            lua_rawset(L, -3);                      /* a nil value sets nothing */
            if (accept(r, '}'))
                return;
            if (!accept(r, ','))
                bad(r, "expected ',' or '}'");
        }
    case '[': {
        lua_Integer i = 0;
        lua_createtable(L, 4, 0);
        if (accept(r, ']'))
            return;
        for (;;) {
            read_value(r, depth + 1);
            lua_rawseti(L, -2, ++i);                /* nil leaves a hole */
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
        else if (literal(r, "null", 4)) {
            if (r->null_idx)
                lua_pushvalue(L, r->null_idx);
            else
                lua_pushnil(L);
        }
        else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) read_number(r);
        else bad(r, "unexpected character");
    }
}

void lnd_json_read(lua_State *L, const char *s, size_t len, int null_idx, const char *ctx,
                   lnd_json_error *err)
{
    reader r;
    luaL_checkstack(L, 4, "JSON");                  /* a string value and its buffer */
    r.L = L;
    r.s = r.p = (const unsigned char *)s;
    r.end = r.s + len;
    r.null_idx = null_idx ? lua_absindex(L, null_idx) : 0;
    r.bad_utf8 = r.end;
    {
        size_t at;
        if (nd_utf8_check(s, len, &at) != ND_OK)
            r.bad_utf8 = r.s + at;
    }
    r.ctx = ctx;
    r.err = err;
    if (err) {
        err->at = 0;
        err->what = NULL;
    }
    read_value(&r, 0);
    skip_space(&r);
    if (r.p < r.end)
        bad(&r, "unexpected text after the value");
}

void lnd_json_push(lua_State *L, const char *s, size_t len, const char *what)
{
    lnd_json_read(L, s, len, 0, what, NULL);
}

/* ==== the module ========================================================= */

/* Option `name` of the table at idx (or absent) as a boolean. */
static int opt_flag(lua_State *L, int idx, const char *name)
{
    int on;
    if (lua_isnoneornil(L, idx))
        return 0;
    lua_getfield(L, idx, name);
    on = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return on;
}

#define BUF_MT "newsdesk.json.buffer"

static int buf_gc(lua_State *L)
{
    nd_buf_free(luaL_checkudata(L, 1, BUF_MT));
    return 0;
}

/* json.encode(v [, {repair = true}]) -> text.  Raises for what cannot be
 * written.  The text is built in a userdata whose __gc frees it, so an
 * error leaks nothing.  [-(1|2), +1, e] */
static int json_encode(lua_State *L)
{
    nd_buf *b;
    int flags;
    luaL_checkany(L, 1);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TTABLE);
    flags = opt_flag(L, 2, "repair") ? LND_JSON_REPAIR : 0;
    lua_settop(L, 1);
    b = lnd_newbox(L, sizeof *b, BUF_MT, buf_gc);
    lnd_json_write(L, 1, b, "value", flags);
    lnd_pushbuf(L, b);
    nd_buf_free(b);
    return 1;
}

/* The protected body of json.decode.  [-3, +1] (error box, text, null) */
static int decode_body(lua_State *L)
{
    size_t len;
    const char *s = lua_tolstring(L, 2, &len);
    lnd_json_read(L, s, len, lua_isnil(L, 3) ? 0 : 3, NULL, lua_touserdata(L, 1));
    return 1;
}

/* json.decode(text [, {null = v}]) -> value | nil, "json: what at byte N",
 * "syntax".  null becomes opts.null (json.null is the usual choice), else
 * nil.  [-(1|2), +(1|3), e] */
static int json_decode(lua_State *L)
{
    lnd_json_error err = { 0, NULL };
    luaL_checkstring(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "null");
    } else {
        lua_pushnil(L);
    }
    lua_pushcfunction(L, decode_body);
    lua_pushlightuserdata(L, &err);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -4);
    if (lua_pcall(L, 3, 1, 0) == LUA_OK)
        return 1;
    if (!err.what)
        return lua_error(L);               /* memory, limits: not a syntax error */
    luaL_pushfail(L);
    lua_insert(L, -2);
    lua_pushliteral(L, "syntax");
    return 3;
}

/* Mark the table at 1 (a new one when absent) with the marker REG_*.
 * [-(0|1), +1] */
static int mark(lua_State *L, int which, const char *fname)
{
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    push_registry(L);
    lua_rawgeti(L, -1, which);
    if (lua_getmetatable(L, 1)) {
        if (!lua_rawequal(L, -1, -2))
            return luaL_error(L, "bad argument #1 to '%s' (the table already has a metatable)", fname);
        lua_pop(L, 1);
    }
    lua_setmetatable(L, 1);
    lua_settop(L, 1);
    return 1;
}

/* json.array([t]) -> t, written as a JSON array.  [-(0|1), +1] */
static int json_array(lua_State *L)
{
    return mark(L, REG_ARRAY, "array");
}

/* json.object([t]) -> t, written as a JSON object.  [-(0|1), +1] */
static int json_object(lua_State *L)
{
    return mark(L, REG_OBJECT, "object");
}

static const luaL_Reg json_funcs[] = {
    { "encode", json_encode },
    { "decode", json_decode },
    { "array", json_array },
    { "object", json_object },
    { NULL, NULL }
};

int luaopen_newsdesk_json(lua_State *L)
{
    luaL_newlib(L, json_funcs);
    push_registry(L);
    lua_rawgeti(L, -1, REG_NULL);
    lua_setfield(L, -3, "null");
    lua_pop(L, 1);
    lnd_setint(L, "max_depth", LND_JSON_MAX_DEPTH);
    return 1;
}
