/*
 * fuzz_json.c — libFuzzer target for newsdesk.json (bindings/ljson.c), the
 * one JSON encoder and decoder.  Invariants:
 *  - decoding never crashes, and it accepts exactly the texts jansson (an
 *    independent implementation, JSON_DECODE_ANY | JSON_ALLOW_NUL) accepts,
 *    except where the documented rules differ: nesting deeper than 64 is
 *    refused here; integers beyond 64 bits, reals beyond a double and NUL
 *    in keys are read here; a NUL byte outside a string is an error here
 *    (jansson passes over some);
 *  - a decoding error names a byte inside the text or just after it;
 *  - a decoded value (null read as json.null) encodes (repair mode) to
 *    text that jansson accepts, that decodes again, and that encodes to the
 *    same text (the encoding is canonical);
 *  - the Lua stack is left as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <lauxlib.h>

#include "lnd.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct job {
    const char *s;
    size_t len;
    lnd_json_error err;
    nd_buf a, b;
} job;

/* decode, encode, decode, encode.  [-2, +0] (the job, json.null) */
static int round_trip(lua_State *L)
{
    job *j = lua_touserdata(L, 1);
    lnd_json_read(L, j->s, j->len, 2, NULL, &j->err);
    lnd_json_write(L, -1, &j->a, "value", LND_JSON_REPAIR);
    lnd_json_read(L, j->a.ptr, j->a.len, 2, NULL, NULL);
    lnd_json_write(L, -1, &j->b, "value", LND_JSON_REPAIR);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lua_State *L;
    job j;
    json_error_t jerr;
    json_t *ref;
    int status, top;

    if (!L) {
        L = luaL_newstate();
        luaL_requiref(L, "newsdesk.json", luaopen_newsdesk_json, 0);
        lua_getfield(L, -1, "null");
        lua_remove(L, -2);                      /* json.null stays at 1 */
    }
    top = lua_gettop(L);
    memset(&j, 0, sizeof j);
    j.s = (const char *)data;
    j.len = size;
    lua_pushcfunction(L, round_trip);
    lua_pushlightuserdata(L, &j);
    lua_pushvalue(L, 1);
    status = lua_pcall(L, 2, 0, 0);
    CHECK(status == LUA_OK || status == LUA_ERRRUN);
    if (status != LUA_OK) {
        lua_pop(L, 1);
        CHECK(j.err.what != NULL);              /* only the first decode may fail */
        CHECK(j.err.at <= size);
    }
    CHECK(lua_gettop(L) == top);

    ref = json_loadb(j.s, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (status == LUA_OK) {
        json_t *back;
        CHECK(j.a.len == j.b.len && memcmp(j.a.ptr, j.b.ptr, j.a.len) == 0);
        CHECK(ref || strstr(jerr.text, "overflow") || strstr(jerr.text, "too big") ||
              strstr(jerr.text, "NUL byte in object key"));
        back = json_loadb(j.a.ptr, j.a.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        CHECK(back || strstr(jerr.text, "NUL byte in object key"));
        json_decref(back);
    } else {
        /* jansson passes over some NUL bytes outside strings; RFC 8259 does not */
        CHECK(!ref || strstr(j.err.what, "nested too deeply") || (j.err.at < size && data[j.err.at] == '\0'));
    }
    json_decref(ref);
    nd_buf_free(&j.a);
    nd_buf_free(&j.b);
    lua_settop(L, top);
    lua_gc(L, LUA_GCSTEP, 0);
    return 0;
}
