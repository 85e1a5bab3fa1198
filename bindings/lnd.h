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
#include "nd_dates.h"

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

/* Read a ref option at idx (an ISO string such as "2024-11-20" or a table
 * with year, month, day) into *ref; raises "bad option 'ref' to 'FNAME'
 * (...)" on anything else.  [-0, +0] */
void lnd_check_date_ref(lua_State *L, int idx, const char *fname, nd_date *ref);

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

/* luaL_newmetatable(L, mt), and when it is new, __gc and __close set to
 * fin (which must accept an object already finalized).  Returns 1 when the
 * metatable was made now (the caller may add more to it).  [-0, +1, m]
 * (lnewsdesk.c) */
int lnd_newmetatable_fin(lua_State *L, const char *mt, lua_CFunction fin);

/* A new zeroed userdata of `size` bytes with that metatable: a box for the
 * C objects of one call, freed even when a Lua error unwinds.
 * [-0, +1, m] (lnewsdesk.c) */
void *lnd_newbox(lua_State *L, size_t size, const char *mt, lua_CFunction fin);

/* __pairs of an object whose fields are the NULL-terminated static list
 * names: the loop gives each listed field that is not nil, then, when the
 * object at idx is a table, its other keys as next gives them.  A userdata's
 * fields are read through __index (lazy fields load as the loop reaches
 * them); a table's are read raw, so its owner creates them first.  Pushes
 * the iterator, the object and nil; returns 3.  [-0, +3] (lnewsdesk.c) */
int lnd_pairs(lua_State *L, int idx, const char *const *names);

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
/* Fill q from the query table at idx (or leave it empty for nil): source,
 * lang, since, until, match, match_lang, exact, derive, ids, duplicates,
 * limit, offset, order.  `extra` (NULL-terminated, or NULL) lists further
 * keys the caller reads itself; any other key raises "unknown query field".
 * May leave one value (the ids array q points into) on the stack. */
void lnd_checkquery(lua_State *L, int idx, nd_query *q, const char *const *extra);
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

/* ---- the host (lnewsdesk.c) ----
 * The one way the modules reach the program that loaded them.  A host
 * (bindings/host/: the runtime's sandbox) that restricts what scripts may
 * do fills in an lnd_host and registers it with lnd_host_set; under stock
 * lua5.4 no host is registered and every hook below is absent, so the
 * modules never call into bindings/host/ and build without it. */
typedef struct lnd_host {
    /* A module is about to read the file at path: push the path to use
     * (resolved) and return 0, or push "path: not readable ..." and return
     * -1.  NULL: every path may be read as given.  [-0, +1] */
    int (*read_path)(lua_State *L, void *ud, const char *path);
    /* Non-zero: stores opened from a file are opened read-only. */
    int readonly_stores;
    /* C memory held or used for the scripts (rule sets, ingest buffers)
     * counts against the host's memory limit.  mem_charge has the shape of
     * nd_rules_account_fn (ud as below): charge bytes > 0 or give back
     * bytes < 0; nonzero refuses the charge, and the module's failing call
     * then ends in the host's limit error (limit_check).  mem_room: the
     * bytes C work may still take.  All NULL: no limit. */
    int (*mem_charge)(void *ud, ptrdiff_t bytes);
    size_t (*mem_room)(void *ud);
    /* A module's call is failing: if one of the host's limits stopped it,
     * raise that limit's error instead (never returns then); else return.
     * mem_exceeded raises the memory limit's error.  [-0, +0, e] */
    void (*limit_check)(lua_State *L, void *ud);
    int (*mem_exceeded)(lua_State *L, void *ud);
    /* Charge C work done for the script to its instruction budget (units
     * of about one VM instruction; LND_CHARGE_BYTES bytes of text a unit),
     * raising the limit's error located `level` Lua frames up when a limit
     * is exceeded.  Set: the module also caps such work as the sandbox's
     * string functions are capped.  NULL: no charge, no cap. */
    void (*charge)(lua_State *L, void *ud, uint64_t units, int level);
    void *ud;                 /* passed to the hooks */
} lnd_host;

/* Register h for L (NULL removes it).  h is not copied: it must live as
 * long as L may call a module.  [-0, +0] */
void lnd_host_set(lua_State *L, const lnd_host *h);
/* The registered host, or NULL (stock Lua).  [-0, +0] */
const lnd_host *lnd_host_get(lua_State *L);

/* Before a binding opens a file for reading: 0 when path may be read
 * (always, when no host restricts reads), else -1 with the host's message
 * pushed.  [-0, +(0|1)] */
int lnd_check_read(lua_State *L, const char *path);

/* A binding whose argument `arg` names files declares it by calling this
 * first: the value is a path string ("pack:NAME" passes), or a table whose
 * list items and `gazetteer` field are checked in turn (nested to depth 8).
 * Raises the host's message for a path it refuses; a top-level string is
 * replaced by the path the host resolved it to.  Without a host: nothing.
 * [-0, +0, e] */
void lnd_path_arg(lua_State *L, int arg);

/* ---- C memory under the host's memory limit (through lnd_host) ---- */
/* The account for C memory held for the scripts (rule sets): pass
 * lnd_cmem_charge and this to nd_rules_set_account.  NULL when no host
 * limits memory. */
void *lnd_cmem_account(lua_State *L);
/* Charge (bytes > 0) or give back (bytes < 0) C memory on an account from
 * lnd_cmem_account; nonzero refuses.  The signature of nd_rules_account_fn. */
int lnd_cmem_charge(void *account, ptrdiff_t bytes);
/* Bytes C work done now for the script may take (SIZE_MAX: no limit). */
size_t lnd_cmem_room(lua_State *L);
/* Raise the host's memory limit error (a plain error without a host).
 * [-0, +0, e] never returns */
int lnd_cmem_exceeded(lua_State *L);
/* Before raising a module's own error: raise the host's limit error when
 * a limit is what stopped the work.  [-0, +0, e] */
void lnd_limit_check(lua_State *L);

#define LND_CHARGE_BYTES 16     /* bytes of text a unit of charged C work */

/* Charge units of C work through the host's charge hook (nothing without
 * one).  [-0, +0, e] */
void lnd_charge(lua_State *L, uint64_t units, int level);

/* ---- declared costs (lnewsdesk.c) ----
 * A binding whose C work grows with the bytes of its string arguments says
 * so beside its luaL_Reg table, with lnd_declare_cost in its luaopen_; a
 * host that charges work (the sandbox) reads the declarations and charges
 * each such call, before it runs, with what it declared.  Without a host the
 * declarations are never read. */
typedef struct lnd_cost {
    unsigned units_per_byte;  /* instructions charged per byte of the string
                               * arguments; 0: one per LND_CHARGE_BYTES bytes */
    unsigned mem_per_byte;    /* C memory (outside the Lua heap) a call may
                               * take per such byte, at worst; 0: none */
} lnd_cost;

/* The registry list of declarations: items {table, name, units_per_byte,
 * mem_per_byte}, one a function. */
#define LND_COSTS_KEY "newsdesk.costs"

/* Declare cost for the functions of the table at idx named in fields
 * (NULL: every function it holds now).  [-0, +0] */
void lnd_declare_cost(lua_State *L, int idx, const luaL_Reg *fields, const lnd_cost *cost);

/* ---- patterns (lpattern.c) ---- */
/* Search len bytes at s (not a Lua string: a stored article's body) for
 * the pattern p (lp bytes, the string the caller checked at stack index
 * arg), as string.find (find = 1: arguments pattern, init, plain) or
 * string.match (find = 0: pattern, init) would, and push the same results;
 * returns how many.  host is lnd_host_get(L),
 * which the caller may have kept (a scan calls this once per article):
 * with a host that charges (a sandbox), the search is charged and capped
 * as string.find is.  A malformed pattern raises a shorter message than
 * Lua's.  [-0, +n, e] */
int lnd_pattern_search(lua_State *L, const lnd_host *host, int arg, const char *p, size_t lp,
                       const char *s, size_t len, int find);
/* Wrap string.find/match/gmatch/gsub of the table at idx with the cost
 * gate (the sandbox's string library).  [-0, +0] */
void lnd_pattern_gate(lua_State *L, int idx);

#endif /* ND_LND_H */
