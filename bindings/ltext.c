/*
 * ltext.c — the Lua module "newsdesk.text": validity, normalization, case,
 * fold (with an offset map), tokens, characters and near-duplicate
 * signatures.  Spans are 1-based
 * inclusive byte offsets into the string the caller passed, like
 * string.find.  Every function accepts any byte string.
 */
#include <stdio.h>
#include <string.h>

#include "lnd.h"
#include "nd_text.h"

#define OFFMAP_MT "newsdesk.text.offmap"

/* Raise for a failed core call (out of memory): never returns. */
static int fail_raise(lua_State *L, nd_buf *b, int rc)
{
    nd_buf_free(b);
    return lnd_raise(L, rc, NULL);
}

/* text.valid(s) → true | false, offset of the first bad byte.  [-0, +1|2] */
static int t_valid(lua_State *L)
{
    size_t len, bad;
    const char *s = luaL_checklstring(L, 1, &len);
    if (nd_utf8_check(s, len, &bad) == ND_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_pushinteger(L, (lua_Integer)bad + 1);
    return 2;
}

/* text.repair(s) → valid string, number of replacements.  [-0, +2] */
static int t_repair(lua_State *L)
{
    size_t len, n;
    const char *s = luaL_checklstring(L, 1, &len);
    nd_buf b = ND_BUF_INIT;
    int rc = nd_utf8_repair(&b, s, len, &n);
    if (rc != ND_OK)
        return fail_raise(L, &b, rc);
    if (n == 0)
        lua_pushvalue(L, 1);
    else
        lnd_pushbuf(L, &b);
    nd_buf_free(&b);
    lua_pushinteger(L, (lua_Integer)n);
    return 2;
}

static const char *const form_names[] = { "NFC", "NFD", "NFKC", "NFKD", NULL };
static const int form_values[] = { ND_NFC, ND_NFD, ND_NFKC, ND_NFKD };

/* text.normalize(s [, form = "NFC"]) → normalized string (s itself when it
 * is already normalized).  [-0, +1] */
static int t_normalize(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int form = form_values[luaL_checkoption(L, 2, "NFC", form_names)];
    nd_buf b = ND_BUF_INIT;
    int rc;
    if (form == ND_NFC && nd_text_is_normalized(s, len, form)) {
        lua_pushvalue(L, 1);   /* the quick check: no copy */
        return 1;
    }
    if ((rc = nd_text_normalize(&b, s, len, form)) != ND_OK)
        return fail_raise(L, &b, rc);
    if (b.len == len && memcmp(b.ptr, s, len) == 0)
        lua_pushvalue(L, 1);
    else
        lnd_pushbuf(L, &b);
    nd_buf_free(&b);
    return 1;
}

/* text.is_normalized(s [, form = "NFC"]) → boolean.  [-0, +1] */
static int t_is_normalized(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int form = form_values[luaL_checkoption(L, 2, "NFC", form_names)];
    lua_pushboolean(L, nd_text_is_normalized(s, len, form));
    return 1;
}

/* text.lower(s [, lang]) / text.upper(s [, lang]).  [-0, +1] */
static int casemap(lua_State *L, int upper)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *lang = luaL_optstring(L, 2, NULL);
    nd_buf b = ND_BUF_INIT;
    int rc = upper ? nd_text_upper(&b, s, len, lang) : nd_text_lower(&b, s, len, lang);
    if (rc != ND_OK)
        return fail_raise(L, &b, rc);
    lnd_pushbuf(L, &b);
    nd_buf_free(&b);
    return 1;
}

static int t_lower(lua_State *L) { return casemap(L, 0); }
static int t_upper(lua_State *L) { return casemap(L, 1); }

/* ---- fold and its offset map --------------------------------------------- */

typedef struct lmap {
    nd_offmap *map;
    lua_Integer outlen;
} lmap;

/* The one close function of an offset map (close, __gc, __close).  [-0, +0] */
static int map_close(lua_State *L)
{
    lmap *m = luaL_checkudata(L, 1, OFFMAP_MT);
    nd_offmap_free(m->map);
    m->map = NULL;
    return 0;
}

/* map:original(i [, j = i]) → first, last byte (1-based inclusive) of the
 * original text that folded bytes i..j came from.  j = i - 1 is an empty
 * range (returns p, p - 1).  [-0, +2] */
static int map_original(lua_State *L)
{
    lmap *m = luaL_checkudata(L, 1, OFFMAP_MT);
    lua_Integer i = luaL_checkinteger(L, 2);
    lua_Integer j = luaL_optinteger(L, 3, i);
    size_t oi, oj;
    if (!m->map)
        return luaL_error(L, "attempt to use a closed offset map");
    luaL_argcheck(L, i >= 1 && i <= m->outlen + 1, 2, "position outside the folded text");
    luaL_argcheck(L, j >= i - 1 && j <= m->outlen, 3, "position outside the folded text");
    nd_offmap_original(m->map, (size_t)(i - 1), (size_t)j, &oi, &oj);
    lua_pushinteger(L, (lua_Integer)oi + 1);
    lua_pushinteger(L, (lua_Integer)oj);
    return 2;
}

/* text.fold(s [, opts]) → folded [, map when opts.offsets].  opts: marks
 * (keep diacritics), lang ("tr"/"az": exact Turkish lower case), offsets.
 * [-0, +1|2] */
static int t_fold(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    unsigned flags = 0;
    int offsets = 0, rc;
    lmap *m = NULL;
    nd_buf b = ND_BUF_INIT;
    if (!lua_isnoneornil(L, 2)) {
        const char *lang;
        luaL_checktype(L, 2, LUA_TTABLE);
        if (lua_getfield(L, 2, "marks") != LUA_TNIL && lua_toboolean(L, -1))
            flags |= ND_FOLD_MARKS;
        if (lua_getfield(L, 2, "offsets") != LUA_TNIL && lua_toboolean(L, -1))
            offsets = 1;
        if (lua_getfield(L, 2, "lang") != LUA_TNIL) {
            if (!(lang = lua_tostring(L, -1)))
                return luaL_argerror(L, 2, "field 'lang' must be a string");
            if (nd_text_turkic(lang))
                flags |= ND_FOLD_TURKISH;
        }
        lua_pop(L, 3);
    }
    if (offsets) {
        m = lua_newuserdatauv(L, sizeof *m, 0);
        m->map = NULL;
        m->outlen = 0;
        luaL_setmetatable(L, OFFMAP_MT);
        if (!(m->map = nd_offmap_new()))
            return lnd_raise(L, ND_ENOMEM, NULL);
    }
    if ((rc = nd_text_fold(&b, s, len, flags, m ? m->map : NULL)) != ND_OK)
        return fail_raise(L, &b, rc);
    lnd_pushbuf(L, &b);
    nd_buf_free(&b);
    if (!m)
        return 1;
    m->outlen = (lua_Integer)lua_rawlen(L, -1);
    lua_insert(L, -2);
    return 2;
}

/* ---- tokens -------------------------------------------------------------- */

static const char *const kind_names[] = { "?", "word", "number", "url", "email" };

/* Iterator step: upvalues s, position (0-based).  Returns token, start,
 * stop, info or nothing at the end.  [-0, +4|0] */
static int tokens_step(lua_State *L)
{
    size_t len, a, b;
    const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
    nd_tokenizer tz;
    nd_token tok;
    unsigned k;
    nd_tokenizer_init(&tz, s, len);
    tz.pos = (size_t)lua_tointeger(L, lua_upvalueindex(2));
    if (!nd_tokenizer_next(&tz, &tok))
        return 0;
    lua_pushinteger(L, (lua_Integer)tz.pos);
    lua_replace(L, lua_upvalueindex(2));
    lua_pushlstring(L, s + tok.start, tok.stop - tok.start);
    lua_pushinteger(L, (lua_Integer)tok.start + 1);
    lua_pushinteger(L, (lua_Integer)tok.stop);
    lua_createtable(L, 0, 7);
    lua_pushstring(L, kind_names[tok.kind]);
    lua_setfield(L, -2, "kind");
    lua_createtable(L, (int)tok.nparts, 0);
    for (k = 0; k < tok.nparts; k++) {
        nd_token_part(s, &tok, k, &a, &b);
        lua_pushlstring(L, s + a, b - a);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "parts");
    lua_pushlstring(L, s + tok.start, tok.stem_stop - tok.start);
    lua_setfield(L, -2, "stem");
    lnd_setint(L, "stem_stop", (lua_Integer)tok.stem_stop);
    if (tok.suffix_start < tok.stop) {
        lua_pushlstring(L, s + tok.suffix_start, tok.stop - tok.suffix_start);
        lua_setfield(L, -2, "suffix");
        lnd_setint(L, "suffix_start", (lua_Integer)tok.suffix_start + 1);
    }
    return 4;
}

/* An iterator over the string argument: step with upvalues s and a byte
 * position starting at 0.  [-0, +1] */
static int push_iterator(lua_State *L, lua_CFunction step)
{
    luaL_checkstring(L, 1);
    lua_settop(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, step, 2);
    return 1;
}

/* text.tokens(s) → iterator of token, start, stop, info.  [-0, +1] */
static int t_tokens(lua_State *L)
{
    return push_iterator(L, tokens_step);
}

/* ---- characters ---------------------------------------------------------- */

/* Push count(s) for the string argument.  [-0, +1] */
static int push_count(lua_State *L, size_t (*count)(const char *, size_t))
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_pushinteger(L, (lua_Integer)count(s, len));
    return 1;
}

/* text.len(s) → number of code points (invalid sequences count 1).  [-0, +1] */
static int t_len(lua_State *L)
{
    return push_count(L, nd_text_len);
}

/* text.width(s) → terminal columns.  [-0, +1] */
static int t_width(lua_State *L)
{
    return push_count(L, nd_text_width);
}

/* Iterator step: upvalues s, position.  Returns cluster, start, stop.  [-0, +3|0] */
static int graphemes_step(lua_State *L)
{
    size_t len, pos, end;
    const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
    pos = (size_t)lua_tointeger(L, lua_upvalueindex(2));
    if (pos >= len)
        return 0;
    end = nd_grapheme_next(s, len, pos);
    lua_pushinteger(L, (lua_Integer)end);
    lua_replace(L, lua_upvalueindex(2));
    lua_pushlstring(L, s + pos, end - pos);
    lua_pushinteger(L, (lua_Integer)pos + 1);
    lua_pushinteger(L, (lua_Integer)end);
    return 3;
}

/* text.graphemes(s) → iterator of cluster, start, stop.  [-0, +1] */
static int t_graphemes(lua_State *L)
{
    return push_iterator(L, graphemes_step);
}

/* text.sub(s, i [, j = -1]) → code points i..j, indices as string.sub.  [-0, +1] */
static int t_sub(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_Integer n = (lua_Integer)nd_text_len(s, len);
    lua_Integer i = luaL_checkinteger(L, 2);
    lua_Integer j = luaL_optinteger(L, 3, -1);
    size_t a, b;
    if (i < 0)
        i = i < -n ? 1 : n + i + 1;
    else if (i == 0)
        i = 1;
    if (j < 0)
        j = j < -n ? 0 : n + j + 1;
    else if (j > n)
        j = n;
    if (i > j) {
        lua_pushliteral(L, "");
        return 1;
    }
    a = nd_text_offset(s, len, (size_t)(i - 1));
    b = a + nd_text_offset(s + a, len - a, (size_t)(j - i + 1));
    lua_pushlstring(L, s + a, b - a);
    return 1;
}

/* ---- near-duplicate signatures --------------------------------------------- */

#define SIGNER_MT "newsdesk.signer"
#define SIG_HEX (ND_SIGNATURE_BINS * 8)

/* The one close function of the signer (its __gc).  [-0, +0] */
static int signer_gc(lua_State *L)
{
    nd_signer **s = luaL_checkudata(L, 1, SIGNER_MT);
    nd_signer_free(*s);
    *s = NULL;
    return 0;
}

/* The state's signer, upvalue 1 of signature(), created on first use.  */
static nd_signer *signer(lua_State *L)
{
    nd_signer **s = lua_touserdata(L, lua_upvalueindex(1));
    int rc;
    if (!*s && (rc = nd_signer_new(s)) != ND_OK)
        lnd_raise(L, rc, NULL);
    return *s;
}

/* Parse the signature string at idx (SIG_HEX lowercase hex digits) into
 * sig->bin; raises a bad argument error otherwise.  [-0, +0] */
static void check_signature(lua_State *L, int idx, nd_signature *sig)
{
    size_t len, i;
    const char *h = luaL_checklstring(L, idx, &len);
    memset(sig, 0, sizeof *sig);
    luaL_argcheck(L, len == SIG_HEX, idx, "not a signature from newsdesk.text.signature");
    for (i = 0; i < len; i++) {
        int c = h[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        luaL_argcheck(L, d >= 0, idx, "not a signature from newsdesk.text.signature");
        sig->bin[i / 8] = sig->bin[i / 8] << 4 | (uint32_t)d;
    }
    sig->shingles = ND_SIGNATURE_MIN_SHINGLES;
}

/* text.signature(s) → sig, bands: the near-duplicate signature of s as
 * the store computes it (hex string of SIG_HEX digits) and the list of its
 * ND_SIGNATURE_BANDS band keys ("b1:0123abcd" ...), stable across runs and
 * machines, for use as reduce keys.  nil, message, "range" when s has
 * fewer word 3-shingles than a store needs to judge.  [-0, +2|3] */
static int t_signature(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    nd_signature sig;
    char hex[SIG_HEX + 1], key[16];
    unsigned j;
    int rc = nd_signer_sign(signer(L), s, len, &sig);
    if (rc != ND_OK)
        return lnd_raise(L, rc, NULL);
    if (sig.shingles < ND_SIGNATURE_MIN_SHINGLES) {
        lua_pushfstring(L, "text too short for a signature (%d word 3-shingles, %d needed)",
                        (int)sig.shingles, ND_SIGNATURE_MIN_SHINGLES);
        return lnd_fail(L, ND_ERANGE, lua_tostring(L, -1));
    }
    for (j = 0; j < ND_SIGNATURE_BINS; j++)
        snprintf(hex + 8 * j, 9, "%08x", (unsigned)sig.bin[j]);
    lua_pushlstring(L, hex, SIG_HEX);
    lua_createtable(L, ND_SIGNATURE_BANDS, 0);
    for (j = 0; j < ND_SIGNATURE_BANDS; j++) {
        snprintf(key, sizeof key, "b%u:%08x", j + 1, (unsigned)sig.band[j]);
        lua_pushstring(L, key);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    return 2;
}

/* text.similarity(sig_a, sig_b) → the estimated Jaccard similarity 0..1 of
 * the two texts' word 3-shingles; near-duplicates (as in the store) from
 * text.NEAR on.  [-0, +1] */
static int t_similarity(lua_State *L)
{
    nd_signature a, b;
    check_signature(L, 1, &a);
    check_signature(L, 2, &b);
    lua_pushnumber(L, nd_signature_similarity(&a, &b));
    return 1;
}

static const luaL_Reg text_funcs[] = {
    { "valid", t_valid },
    { "repair", t_repair },
    { "normalize", t_normalize },
    { "is_normalized", t_is_normalized },
    { "lower", t_lower },
    { "upper", t_upper },
    { "fold", t_fold },
    { "tokens", t_tokens },
    { "len", t_len },
    { "width", t_width },
    { "graphemes", t_graphemes },
    { "sub", t_sub },
    { "similarity", t_similarity },
    { NULL, NULL }
};

/* Every function above (and signature) walks its text: charged one unit
 * per LND_CHARGE_BYTES bytes of its string arguments. */
static const lnd_cost text_cost = { 0, 0 };

static const luaL_Reg map_methods[] = {
    { "original", map_original },
    { "close", map_close },
    { NULL, NULL }
};

int luaopen_newsdesk_text(lua_State *L)
{
    if (lnd_newmetatable_fin(L, OFFMAP_MT, map_close)) {
        luaL_newlib(L, map_methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    luaL_newlib(L, text_funcs);
    *(nd_signer **)lua_newuserdatauv(L, sizeof(nd_signer *), 0) = NULL;
    if (luaL_newmetatable(L, SIGNER_MT)) {
        lua_pushcfunction(L, signer_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, t_signature, 1);
    lua_setfield(L, -2, "signature");
    lua_pushnumber(L, ND_SIGNATURE_NEAR);
    lua_setfield(L, -2, "NEAR");
    lnd_declare_cost(L, -1, NULL, &text_cost);
    return 1;
}
