/*
 * nd_runtime.h — embedding newsdesk: a Lua 5.4 runtime with the newsdesk
 * module loaded, an optional article store, and a sandbox with limits.
 *
 * A host creates a runtime, loads analyst scripts into it, and calls a named
 * Lua function once per article it holds in memory:
 *
 *     nd_runtime *rt;
 *     nd_runtime_opts o;
 *     int verdict;
 *     nd_runtime_opts_init(&o);              // sandboxed, default limits
 *     if (nd_runtime_new(&rt, &o) != ND_OK) { puts(nd_runtime_errmsg(rt)); ... }
 *     if (nd_runtime_load_file(rt, "filter.lua") != ND_OK) { ... }
 *     nd_runtime_article a = { .title = { t, strlen(t) }, .body = { b, blen } };
 *     if (nd_runtime_filter(rt, "keep", &a, &verdict) != ND_OK)
 *         fprintf(stderr, "%s\n", nd_runtime_errmsg(rt));   // verdict == ND_VERDICT_ERROR
 *     nd_runtime_free(rt);
 *
 * Errors.  Every function returns ND_OK or a negative ND_E* code.  On failure
 * the message is kept on the runtime (nd_runtime_errmsg) until the next call
 * on it: "chunk:line: message" followed by a Lua traceback for script errors.
 * No Lua error ever escapes into the host: everything runs under lua_pcall.
 * After a script error or a limit hit the runtime stays usable; globals the
 * script set before failing are kept.
 *
 * Codes used here:
 *   ND_ESCRIPT   the script raised an error (or returned a value of the
 *                wrong shape for nd_runtime_mentions / nd_runtime_call_json)
 *   ND_ESYNTAX   a chunk does not compile (message: "name:line: ...")
 *   ND_ELIMIT    a sandbox limit was hit; the message names the limit, its
 *                value and the script location, e.g.
 *                "filter.lua:12: instruction budget of 1000000 exceeded"
 *   ND_ENOTFOUND no global function of that name
 *   ND_EIO       a script file cannot be read
 *   ND_ENOMEM    the host ran out of memory (not the Lua memory limit)
 *   ND_EDB       the store named by store_path cannot be opened
 *   ND_EINVAL    invalid argument (NULL runtime, bad option, read_dirs entry
 *                that is not a directory)
 *
 * Threads.  A runtime is a single Lua state: use each runtime from one thread
 * at a time (one runtime per thread).  Any number of runtimes may exist and
 * run at once in one process, in different threads; the library keeps no
 * process-global mutable state (nd_set_allocator aside, which is called once
 * before anything else).  nd_runtime_interrupt is the one function that may
 * be called from another thread or a signal handler.
 *
 * Ownership.  Strings and arrays passed in are borrowed for the duration of
 * the call and copied where they must outlive it.  Pointers returned by the
 * runtime (messages, mentions) are owned by the runtime and stay valid until
 * the next call on it or nd_runtime_free, whichever comes first.
 */
#ifndef ND_RUNTIME_H
#define ND_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "nd_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_runtime nd_runtime;

/* Host callback receiving `print` output: n bytes at s (not NUL-terminated;
 * borrowed for the duration of the callback).  Each print call delivers its
 * whole line, tab-separated values and the final "\n" included.  It runs
 * inside a call on the runtime and must not call nd_runtime_* on it. */
typedef void (*nd_print_fn)(void *ud, const char *s, size_t n);

/* Options of nd_runtime_new.  Initialise with nd_runtime_opts_init, then
 * change fields.  Every pointer is borrowed during nd_runtime_new only: the
 * runtime copies what it keeps (store_path, read_dirs), except print_ud,
 * which is passed back to print as is. */
typedef struct nd_runtime_opts {
    /* Open an article store as the global `db`: a file path, ":memory:"
     * for an in-memory store, or NULL for none (default). */
    const char *store_path;
    /* 1 = sandboxed (default): only safe libraries, scripts in their own
     * _ENV, limits enforced, file reads only below read_dirs.  0 = the full
     * standard library as in lua5.4 (the newsdesk program without
     * --sandbox); limits still apply when set. */
    int sandbox;
    /* Bytes the Lua state may hold; 0 = no limit.  Default 256 MiB.
     * Also bounds SQLite work for the script (see "Limits" below).
     * Error: "memory limit of N MiB exceeded". */
    size_t memory_limit;
    /* Lua VM instructions (plus SQLite VM steps and charged C work done
     * for the script, see "Limits" below) per call; 0 = no limit
     * (default).  Counted in steps of up to 1000, so a script may run a
     * little past the budget before it is stopped.
     * Error: "instruction budget of N exceeded". */
    uint64_t instruction_budget;
    /* Wall-clock seconds per call; 0 = no limit.  Default 10.  A call
     * that ends past it returns ND_ELIMIT, never ND_OK.
     * Error: "time limit of S s exceeded". */
    double time_limit;
    /* Bytes of print output per call, and bytes of the JSON result of
     * nd_runtime_call_json; 0 = no limit.  Default 1 MiB.
     * Error: "output limit of N bytes exceeded". */
    size_t output_limit;
    /* NULL-terminated list of directories whose files (recursively) a
     * sandboxed script may read with io.open/io.lines and the newsdesk
     * functions that take a path.  Each is resolved with realpath() at
     * creation and must exist.  NULL = no file access (default). */
    const char *const *read_dirs;
    /* Receives print output; NULL = write to standard output. */
    nd_print_fn print;
    void *print_ud;
    /* Sandboxed runtimes only: 1 lets scripts write the store at
     * store_path (db:add, db:delete, db:tag, db:ingest).  0 (default): the
     * store is read-only for scripts; those methods raise "db:add: the
     * store is read-only here (the host grants writes with
     * store_writable)", and the connection is query_only.  Either way
     * db:close() from a script is a no-op: the runtime closes the store in
     * nd_runtime_free.  Without the sandbox the store is always
     * writable. */
    int store_writable;
    /* CPU seconds the calling thread may spend per call; 0 = no limit
     * (default).  Checked where the time limit is.
     * Error: "CPU time limit of S s exceeded". */
    double cpu_limit;
    /* Non-zero: the host calls nd_runtime_interrupt only from a signal
     * handler on the thread running the state (the newsdesk program's
     * Ctrl-C does).  A runtime with no sandbox and no limit then runs
     * without a count hook, so pure Lua runs at lua5.4's speed, and the
     * interrupt installs the hook itself, on the main thread and on the
     * coroutine running (lua.c's way).  0 (default): any thread may
     * interrupt, and the hook is always on. */
    int interrupt_from_signal;
    /* 1 (default): usage.cpu and cpu_total give the thread's CPU seconds
     * per call, read from the CPU clock at the call's start and end.  That
     * clock is a system call, not a vDSO read (about 1 us each here, 2.3 us
     * of a 2.8 us filter call): a host that calls once per record and never
     * reads usage.cpu sets 0, and usage.cpu stays 0.  A cpu_limit reads the
     * clock whatever this says. */
    int measure_cpu;
} nd_runtime_opts;

/* Fill o with the defaults documented above. */
ND_API void nd_runtime_opts_init(nd_runtime_opts *o);

/* Create a runtime: a fresh Lua state (generational collector, minor
 * collections after the heap grows by half) with the
 * newsdesk module loaded as the global `newsdesk` (and in package.loaded),
 * the Lua-side parts of newsdesk reachable through require with no path
 * set-up, and the global `db` when o->store_path is set.  o == NULL means
 * the defaults.
 * *rt is set even on failure (unless memory for the handle itself ran out,
 * then it is NULL) so nd_runtime_errmsg can tell why; free it with
 * nd_runtime_free in both cases.
 * Returns ND_OK, ND_ENOMEM, ND_EINVAL, ND_EDB, ND_ESCRIPT. */
ND_API int nd_runtime_new(nd_runtime **rt, const nd_runtime_opts *o);

/* Close the Lua state, close the store, free everything the runtime
 * owns.  NULL is harmless.  Pending __close handlers run under the per-call
 * limits.  Finalizers (__gc) run with hooks off, as Lua runs them; in a
 * sandbox no script function can become one (see "Environments"), so
 * nd_runtime_free returns within the time limit whatever the script did.
 * Without the sandbox a script's own looping __gc can hang it. */
ND_API void nd_runtime_free(nd_runtime *rt);

/* The last error message; "" after a successful call, never NULL (also for
 * rt == NULL: a static message).  Owned by the runtime. */
ND_API const char *nd_runtime_errmsg(const nd_runtime *rt);

/* Load and run a Lua source file (text only; a binary chunk is refused).
 * The chunk runs once, under the per-call limits, and typically defines the
 * functions the host calls later.  In a sandbox it runs in the runtime's
 * script environment (see "Environments" below).  The chunk's name in
 * messages is the path as given.  Returns ND_OK, ND_EIO, ND_ESYNTAX,
 * ND_ESCRIPT, ND_ELIMIT. */
ND_API int nd_runtime_load_file(nd_runtime *rt, const char *path);

/* As nd_runtime_load_file for len bytes of source at code (borrowed).
 * name is the chunk name used in messages ("filter.lua" gives
 * "filter.lua:3: ..."); NULL means "=string". */
ND_API int nd_runtime_load_string(nd_runtime *rt, const char *name, const char *code, size_t len);

/* ---- calling scripts with an article ------------------------------------
 *
 * The host's article, all strings borrowed for the duration of the call.
 * ptr == NULL means "absent" (the Lua field is nil).  In Lua the function
 * receives a fresh table with the fields id, title, body, date, source,
 * author, url, lang, meta_json and meta (meta_json decoded into a table).
 * Fields are copied into Lua on first read, so a filter pays only for the
 * fields it uses; pairs() lists them all.  The table is the script's to
 * keep, but a field first read after its call returned raises an error
 * (the host's strings are gone by then): read what you keep during the
 * call. */
typedef struct nd_runtime_article {
    int64_t id;                       /* 0 = none (field absent) */
    nd_str title, body, date, source, author, url, lang;
    nd_str meta_json;                 /* a JSON object as text, or absent */
} nd_runtime_article;

/* Filter verdicts.  An error is never a drop. */
enum { ND_VERDICT_ERROR = -1, ND_VERDICT_DROP = 0, ND_VERDICT_KEEP = 1 };

/* Call the global function fn(article) (no argument when a == NULL) and turn
 * its first result into a verdict: false or nil -> ND_VERDICT_DROP, any
 * other value -> ND_VERDICT_KEEP.  On any failure *verdict is
 * ND_VERDICT_ERROR and the code says why.  Returns ND_OK, ND_ENOTFOUND,
 * ND_ESCRIPT, ND_ELIMIT, ND_EINVAL. */
ND_API int nd_runtime_filter(nd_runtime *rt, const char *fn, const nd_runtime_article *a, int *verdict);

/* A mention found by rules.  Strings are owned by the runtime, valid until
 * the next call on it; each is NUL-terminated, ptr NULL when the script gave
 * no such field.  start/stop are 0-based, half-open byte offsets into the
 * article field named by `field` ("title" or "body"), converted from the
 * 1-based inclusive offsets of newsdesk.rules matches. */
typedef struct nd_runtime_mention {
    nd_str type;       /* "person", "org", "place", ... */
    nd_str id;         /* the entity id of the rule */
    nd_str text;       /* the matched text as it appears in the article */
    nd_str suffix;     /* Turkish suffix after an apostrophe, or absent */
    nd_str rule;       /* the rule that matched, or absent */
    nd_str field;      /* "title" or "body", or absent */
    size_t start, stop;
} nd_runtime_mention;

/* Call fn(article), which returns a list of match tables (as returned by
 * rules:scan: {type=, id=, text=, start=, stop=, suffix=, rule=, field=})
 * or nil for none.  *m and *n describe the result (*m NULL when *n is 0),
 * owned by the runtime until its next call.  A malformed entry (not a
 * table, start/stop missing or not integers, stop < start - 1) is an
 * ND_ESCRIPT error naming the entry.  Returns ND_OK, ND_ENOTFOUND,
 * ND_ESCRIPT, ND_ELIMIT, ND_ENOMEM, ND_EINVAL. */
ND_API int nd_runtime_mentions(nd_runtime *rt, const char *fn, const nd_runtime_article *a,
                        const nd_runtime_mention **m, size_t *n);

/* Call fn(article) and write its first result as compact JSON into the
 * caller's buffer (replacing its contents): nil -> null, booleans, numbers
 * (integers stay integers), UTF-8 strings, tables with keys 1..n -> arrays,
 * other tables -> objects with string keys (integer keys are written as
 * strings), an empty table -> {} (the rules of newsdesk.json in
 * REFERENCE.md: json.array/json.object force a shape, a table with __pairs
 * is read through it).  Functions, userdata, invalid UTF-8,
 * NaN/inf, cycles and nesting deeper than 64 are ND_ESCRIPT errors naming
 * the path ("result.items[3].name").  Returns ND_OK, ND_ENOTFOUND,
 * ND_ESCRIPT, ND_ELIMIT, ND_ENOMEM, ND_EINVAL. */
ND_API int nd_runtime_call_json(nd_runtime *rt, const char *fn, const nd_runtime_article *a, nd_buf *json);

/* ---- usage ----------------------------------------------------------------- */

/* What the runtime used, like lua_sandbox's usage counters.  "Last call"
 * is the last nd_runtime_load_* / _filter / _mentions / _call_json /
 * _pcall.  (A struct tag: nd_runtime_usage is also the function.) */
struct nd_runtime_usage {
    size_t memory;              /* bytes the Lua state holds now, with the
                                   rule sets its scripts built (C memory) */
    size_t memory_peak;         /* the most it held since nd_runtime_new */
    uint64_t instructions;      /* last call: Lua instructions (counted in steps
                                   of up to 1000), SQLite VM steps and charged
                                   C work */
    uint64_t instructions_total;
    size_t output;              /* last call: bytes of print output */
    size_t output_total;
    double wall, cpu;           /* last call: wall-clock and CPU seconds */
    double wall_total, cpu_total;
    uint64_t calls;             /* calls so far */
    uint64_t limits_hit;        /* calls stopped by a limit (ND_ELIMIT) */
    const char *last_limit;     /* the limit that stopped the last call:
                                   "memory", "instruction budget", "time",
                                   "CPU time", "output", "interrupt"; "" when
                                   none did.  Static text.  The runtime stays
                                   usable after a limit hit. */
};

/* Fill *u.  Returns ND_OK, or ND_EINVAL for a NULL argument. */
ND_API int nd_runtime_usage(const nd_runtime *rt, struct nd_runtime_usage *u);

/* ---- for the newsdesk program and advanced hosts ------------------------ */

/* The runtime's Lua state, owned by the runtime: do not lua_close it.  The
 * host may push, call and inspect values, but must leave the stack as it
 * found it before calling another nd_runtime_* function, and must run Lua
 * code through nd_runtime_pcall (or its own lua_pcall) so errors never
 * escape.  Limits are enforced only inside nd_runtime_* calls: code the
 * host runs with its own lua_pcall runs without them.  Valid until
 * nd_runtime_free. */
ND_API struct lua_State *nd_runtime_lua(nd_runtime *rt);

/* Push the script environment on the runtime's Lua stack: the table that
 * chunks loaded by nd_runtime_load_* get as _ENV and where nd_runtime_filter
 * & co. look functions up (the global table when sandbox = 0).  A host
 * loading its own chunks with luaL_loadbufferx gives them this _ENV with
 * lua_setupvalue(L, -2, 1).  [-0, +1] */
ND_API void nd_runtime_pushenv(nd_runtime *rt);

/* lua_pcall with the runtime's rules: the function and nargs arguments on
 * top of the stack are replaced by nresults results (LUA_MULTRET allowed)
 * on success, or by nothing on failure, with the message ("file:line:
 * message" and a traceback) in nd_runtime_errmsg.  The per-call limits are
 * reset and enforced for this call.  Returns ND_OK, ND_ESCRIPT, ND_ELIMIT,
 * ND_ENOMEM. */
ND_API int nd_runtime_pcall(nd_runtime *rt, int nargs, int nresults);

/* Ask the running call to stop as soon as possible with the error
 * "interrupted" (code ND_ELIMIT), wherever it runs: coroutines included.
 * Safe from any thread and from a signal handler, by default: the
 * runtime's count hook is always on (coroutines inherit it), sandboxed or
 * not, limits or not, and this only sets a C11 atomic flag the hook reads
 * every 1000 instructions (and SQLite's progress handler every 1000 VM
 * steps).  The always-on hook costs pure Lua loops of an unsandboxed
 * runtime without limits about 2x (nothing on C work); a host that
 * interrupts only from a signal handler on the running thread avoids it
 * with opts.interrupt_from_signal.  A no-op when nothing runs. */
ND_API void nd_runtime_interrupt(nd_runtime *rt);

/* For hosts that own their lua_State: open the newsdesk module (leaves its
 * table on the stack), usually as luaL_requiref(L, "newsdesk",
 * luaopen_newsdesk, 1).  The Lua-side modules are found by require with no
 * path set-up.  No sandbox and no limits: that is what nd_runtime adds.
 * Stock lua5.4 loads the same function from newsdesk.so (require).
 * [-0, +1] */
ND_API int luaopen_newsdesk(struct lua_State *L);

/*
 * Environments.  With sandbox = 0, scripts run in the ordinary global table
 * as under lua5.4.  With sandbox = 1 the global table holds only: the base
 * functions without dofile/loadfile (load accepts text only and gives the
 * chunk the script environment), string without dump, table, math, utf8,
 * coroutine, os.time/clock/date/difftime, io.open/io.lines/io.type for
 * reading files below read_dirs, io.write and io.stdout (a table with
 * write/flush) that go where print goes, require for the embedded newsdesk
 * modules only, print (counted against output_limit), newsdesk and db.  Scripts
 * loaded through nd_runtime_load_* share one script environment whose reads
 * fall back to those globals and whose writes stay in it; _G in a script is
 * that environment and its metatable cannot be changed.  nd_runtime_filter
 * & co. look fn up in it.
 *
 * Library tables (string, table, math, utf8, coroutine, os, io, newsdesk,
 * its modules, what require returns and require('_G')) are read-only
 * proxies: "string.format = f" raises "attempt to change the library table
 * 'string'", so no script changes them for others or for newsdesk's own
 * modules.  The store at store_path is read-only for scripts unless
 * store_writable is set, and db:close() from a script is a no-op.
 *
 * The sandbox also: hides the strings' metatable (getmetatable("") is
 * false); protects every metatable newsdesk made (getmetatable gives a
 * copy, setmetatable cannot replace it), and hands out copies of userdata
 * metatables and of C-made table metatables, so no script can add a __gc
 * that C code later sets on new objects; refuses setmetatable with a __gc
 * field (Lua runs finalizers with hooks off, so a looping finalizer could
 * not be stopped); allows only the
 * collectgarbage options "collect", "count", "step" and "isrunning"; checks
 * the paths given to newsdesk.rules.load, rules:add (gazetteer files
 * included) and db:ingest against read_dirs; lets newsdesk.open open only
 * in-memory stores and existing stores below read_dirs, read-only.
 *
 * Limits.  The instruction budget and the deadline are checked every 1000
 * Lua instructions and every 1000 SQLite VM steps of a store the runtime
 * opened.  Once a limit is hit it is raised again at every instruction, and
 * pcall, xpcall (whose handler is not run for it), coroutine.resume/close
 * and __close handlers cannot stop it.  The memory limit is checked the same
 * way; the allocator itself refuses to go past 1.25 times the limit plus
 * 1 MiB, and string.rep refuses results larger than the memory left.
 * table.insert/remove/move/concat refuse lengths over 2^26 (a __len
 * metamethod could otherwise make them loop in C for days).  A call into a
 * C function runs to its end before the hook can check a limit, so C work
 * that grows with its input is charged to the budget, and the deadline and
 * CPU time are checked, before it starts: one instruction per 16 bytes for
 * string.upper/lower/reverse/format/byte/pack/unpack/rep, table.concat and
 * the functions of newsdesk.text; 8 per byte for rules:scan/matches/
 * explain; one per two matching steps for string.find/match/gmatch/gsub
 * (a plain find: per 16 bytes), which first walk the
 * search with a step counter and refuse one that needs more than 5e7 steps
 * (a plain find, more than 4e9 bytes compared); and table.sort without a
 * comparison compares through a C function charged one per comparison.
 * Every call checks the budget, deadline and CPU time once more when it
 * returns: a call past a limit is ND_ELIMIT, never ND_OK.
 *
 * Memory of C work: each store the runtime opens gets SQLITE_LIMIT_LENGTH
 * and SQLITE_LIMIT_SQL_LENGTH of a quarter of memory_limit, and every 1000
 * SQLite VM steps the memory SQLite allocated since the call began is
 * added to the Lua heap and checked against the limit (sqlite3_memory_used
 * is process-wide: with several runtimes running at once, theirs counts
 * too).  rules:scan/matches/explain refuse, with the memory limit's
 * error, a text whose C work (estimated at 48 bytes per byte) would not fit
 * in the memory left.  Error messages kept on the runtime are cut at 8 KB,
 * their length noted.  Every rule set a script builds (newsdesk.rules.new/
 * load, rules:add, gazetteer files) is charged what it holds (compiled
 * tables, strings, patterns: nd_rules_set_account) with the Lua heap, and
 * before each add the most that add can grow it by: compiling past the
 * limit stops with the memory limit's error (not counted: the scratch for
 * folding the one name being added, a few times its length).  db:ingest
 * lowers its max_bytes to an eighth of the memory left (its C buffers hold
 * about 6.5 bytes per byte of the largest record in flight); a record
 * skipped for that is the memory limit's error.  usage.memory counts the
 * Lua heap and those rule sets.  Peak RSS is the limit (the allocator
 * refuses past 1.25 x limit + 1 MiB) plus the table a rule set is copying
 * while it grows, plus the process's fixed overhead: the code, SQLite's
 * page cache (2 MB per store by default) and the allocator's block cache
 * (at most a quarter of the heap plus 64 KB).
 */

#ifdef __cplusplus
}
#endif

#endif /* ND_RUNTIME_H */
