/*
 * lnd.h — shared declarations of the Lua bindings.  Not installed.
 *
 * Conventions (see STYLE.md): misuse raises a Lua error through
 * luaL_check* and luaL_error; expected failures return nil, message, code where
 * code is a short string such as "io" or "syntax" (never a raw C integer).
 */
#ifndef ND_LND_H
#define ND_LND_H

#include <lua.h>
#include <lauxlib.h>

#include "nd_core.h"

/* Entry points of the C submodules; each leaves its module table on the
 * stack.  luaopen_newsdesk (lnewsdesk.c) requires them all. */
int luaopen_newsdesk(lua_State *L);
int luaopen_newsdesk_store(lua_State *L);
int luaopen_newsdesk_ingest(lua_State *L);
int luaopen_newsdesk_text(lua_State *L);
int luaopen_newsdesk_dates(lua_State *L);
int luaopen_newsdesk_lang(lua_State *L);
int luaopen_newsdesk_rules(lua_State *L);
int luaopen_newsdesk_json(lua_State *L);
ND_API int luaopen_newsdesk(lua_State *L);
ND_API int luaopen_newsdesk_store(lua_State *L);
ND_API int luaopen_newsdesk_ingest(lua_State *L);
ND_API int luaopen_newsdesk_text(lua_State *L);
ND_API int luaopen_newsdesk_dates(lua_State *L);
ND_API int luaopen_newsdesk_lang(lua_State *L);
ND_API int luaopen_newsdesk_rules(lua_State *L);

/* Push nil, msg, codename(code) and return 3: the "expected failure"
 * return of a Lua-facing function. */
int lnd_fail(lua_State *L, int code, const char *msg);

/* Short, stable name of a result code for Lua ("nomem", "io", ...). */
const char *lnd_codename(int code);

/* Raise a Lua error for a failed core call that the caller could not have
 * prevented (out of memory and the like): never returns. */
int lnd_raise(lua_State *L, int code, const char *msg);

/* Push the contents of b as a Lua string. */
void lnd_pushbuf(lua_State *L, const nd_buf *b);

/* t[k] = v for the table at the top of the stack. */
static inline void lnd_setint(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* Embedded Lua sources (generated into build/gen/embedded.c from scripts/).
 * name is the module name ("newsdesk.report"), chunkname "@scripts/...". */
typedef struct lnd_embedded {
    const char *name;
    const char *chunkname;
    const char *source;
    size_t len;
} lnd_embedded;

extern const lnd_embedded lnd_embedded_modules[];
extern const size_t lnd_embedded_count;

/* Find an embedded module by name, or NULL. */
const lnd_embedded *lnd_embedded_find(const char *name);

/* ---- discovery (ldiscover.c) ---- */
struct nd_discover;
/* Set field "discover" of the table on top (the rules module).  [-0, +0] */
void lnd_rules_discover_register(lua_State *L);
/* The compiled discoverer for opts {lang=, cues=} at index o (0: none) and
 * text s (its language when opts give none); cached, owned by the state.  [-0, +0] */
struct nd_discover *lnd_discoverer(lua_State *L, int o, const char *s, size_t len);
/* Append to the list at index `list` the names discovery finds in s (field
 * `field`) that overlap no mention already there; opt is the stack index of
 * the discover option (true or {lang=, cues=}).  [-0, +0] */
void lnd_discover_append(lua_State *L, int opt, const char *s, size_t len, const char *field, int list);

/* ---- store (lstore.c) ---- */
#include "nd_store.h"
#define LND_STORE_MT "newsdesk.store"
nd_store *lnd_checkstore(lua_State *L, int idx);          /* raises "attempt to use a closed store" */
/* As lnd_checkstore, and raises "db:METHOD: the store is read-only here
 * ..." for a store restricted with LND_STORE_READONLY. */
nd_store *lnd_checkstore_writable(lua_State *L, int idx, const char *method);
/* Restrict the open store at idx (flags replace the previous ones):
 * LND_STORE_READONLY refuses db:add/delete/tag/ingest and makes the
 * connection query_only; LND_STORE_HOST makes db:close() and __close
 * no-ops (the host closes its store; __gc still does). */
#define LND_STORE_READONLY 0x1u
#define LND_STORE_HOST 0x2u
void lnd_store_restrict(lua_State *L, int idx, unsigned flags);
/* Pin (delta 1) or unpin (delta -1) the open store at idx around C work
 * that calls back into Lua: while pinned, db:close() raises instead of
 * freeing the handle the C code still uses.  Returns the new pin count. */
int lnd_store_pin(lua_State *L, int idx, int delta);
/* Add methods to the store's method table (used by I for db:ingest and R for db:tag).  The store
 * module is opened first by luaopen_newsdesk, so later submodules can call this in their luaopen. */
void lnd_store_addmethods(lua_State *L, const luaL_Reg *methods);
/* Push article `id` as a newsdesk.article object (lazy fields), or nil if absent. */
void lnd_pusharticle(lua_State *L, int store_idx, int64_t id);

/* ---- JSON (ljson.c): the one encoder and decoder; rules in REFERENCE.md ---- */
/* Containers nested deeper than this are an error, both ways. */
#define LND_JSON_MAX_DEPTH 64
/* Encoding: NaN and infinities become null, invalid UTF-8 U+FFFD (instead
 * of errors). */
#define LND_JSON_REPAIR 0x1
/* Append the JSON text of the value at idx to out.  Raises "cannot write
 * ... as JSON at <root><path>" (root names the value, e.g. "record") for
 * what cannot be written and "not enough memory"; out then holds a partial
 * text, which the caller owns and frees.  [-0, +0, e] */
void lnd_json_write(lua_State *L, int idx, nd_buf *out, const char *root, int flags);
/* lnd_json_write without flags, protected: ND_OK, or ND_ESCRIPT / ND_ENOMEM
 * with the message in err and out as it was.  [-0, +0] */
int lnd_json_encode(lua_State *L, int idx, const char *root, nd_buf *out, nd_buf *err);
/* n >= 1 when the encoder writes the table at idx as an array of n (its
 * keys are 1..n, or it is marked with json.array), else 0.  [-0, +0, e] */
lua_Integer lnd_json_array_len(lua_State *L, int idx);
/* Where decoding failed: the 0-based byte offset and a static message. */
typedef struct lnd_json_error {
    size_t at;
    const char *what;
} lnd_json_error;
/* Decode len bytes of JSON and push the value (objects and arrays become
 * tables; null becomes the value at null_idx, or nil when null_idx is 0).
 * On malformed text fills *err (when given) and raises "json: <what> at
 * byte N", or "invalid JSON in <ctx> at byte N: <what>" when ctx is given.
 * [-0, +1, e] */
void lnd_json_read(lua_State *L, const char *s, size_t len, int null_idx, const char *ctx,
                   lnd_json_error *err);
/* lnd_json_read(L, s, len, 0, what, NULL): raises "invalid JSON in <what>
 * at byte N: ...".  [-0, +1, e] */
void lnd_json_push(lua_State *L, const char *s, size_t len, const char *what);

/* Before a binding opens a file for reading: 0 when path may be read (always, outside a sandboxed runtime), else -1 with "path: not readable in the sandbox ..." pushed.  [-0, +(0|1)] (sandbox.c) */
int lnd_sandbox_check_read(lua_State *L, const char *path);

/* ---- C memory under the embedding runtime's memory limit (runtime.c) ---- */
/* The account of the runtime owning L, for C memory held for its scripts
 * (rule sets), or NULL outside a runtime or without a memory limit. */
void *lnd_cmem_account(lua_State *L);
/* Charge (bytes > 0) or give back (bytes < 0) C memory on account ud: it
 * counts with the Lua heap against the memory limit.  A charge past the
 * limit is refused (nonzero return) and the running call then stops with
 * the memory limit's error, which pcall cannot swallow.  The signature of
 * nd_rules_account_fn. */
int lnd_cmem_charge(void *ud, ptrdiff_t bytes);
/* Bytes C work done now for the script may take under the memory limit
 * (SIZE_MAX outside a runtime or without a limit). */
size_t lnd_cmem_room(lua_State *L);
/* Raise the runtime's memory limit error for C work that would not fit.
 * [-0, +0, e] never returns */
int lnd_cmem_exceeded(lua_State *L);

/* ---- patterns (sandbox_pattern.c) ---- */
/* Search len bytes at s (not a Lua string: a stored article's body) for
 * the pattern at stack index arg, as string.find (find = 1: arguments
 * pattern, init, plain) or string.match (find = 0: pattern, init) would,
 * and push the same results; returns how many.  In a sandbox the search is
 * charged and capped as string.find is.  A malformed pattern raises a
 * shorter message than Lua's.  [-0, +n, e] */
int lnd_pattern_search(lua_State *L, int arg, const char *s, size_t len, int find);

#endif /* ND_LND_H */
