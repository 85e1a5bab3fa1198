/*
 * runtime.h — the state of a runtime (struct nd_runtime) and its limits
 * (limits.c), shared by runtime.c, runtime_article.c and sandbox.c; the
 * articles of runtime_article.c.  Not installed.  The calls point one
 * way: runtime.c uses sandbox.c (sandbox.h), runtime_article.c and
 * limits.c; sandbox.c uses limits.c only.
 */
#ifndef ND_RUNTIME_INTERNAL_H
#define ND_RUNTIME_INTERNAL_H

#include <signal.h>
#include <stdatomic.h>

#include <luaconf.h>

#include "lnd.h"
#include "nd_runtime.h"

/* The allocator's block cache: blocks it reuses, and their size classes. */
#define LND_RT_CACHE_MAX 4096
#define LND_RT_CLASSES 49

/* Which limit stopped the running call. */
enum {
    LND_LIMIT_NONE = 0,
    LND_LIMIT_MEMORY,
    LND_LIMIT_BUDGET,
    LND_LIMIT_TIME,
    LND_LIMIT_OUTPUT,
    LND_LIMIT_INTERRUPT,
    LND_LIMIT_CPU
};

struct nd_runtime {
    lua_State *L;
    int sandbox;
    int code;                  /* ND_* set by a protected helper before it raises */

    /* memory, counted by the allocator for the whole life of the state */
    size_t mem_used, mem_limit, mem_hard;
    int mem_over;              /* an allocation went past mem_limit */

    /* freed blocks of up to LND_RT_CACHE_MAX bytes kept for reuse, one list
     * per size class (runtime.c, rt_alloc) */
    struct rt_block *cache[LND_RT_CLASSES];
    size_t cached;             /* bytes on those lists */

    /* per-call limits, reset by begin_call */
    int in_call;
    int hook_count;            /* instructions between two hook calls */
    uint64_t budget, count;
    double time_limit, deadline;
    double cpu_limit, cpu_deadline;  /* CPU seconds of the calling thread */
    size_t output_limit, output_used;
    int limit;                 /* LND_LIMIT_* hit in the running call */
    atomic_int interrupted;    /* set by nd_runtime_interrupt, from any thread */
    int hooked;                /* the count hook is on between calls too */
    lua_State *_Atomic running;/* unhooked: the coroutine running now, NULL =
                                * the main thread (for nd_runtime_interrupt) */
    nd_buf limit_msg;          /* "chunk:line: <limit> exceeded", kept for re-raising */
    char entry_src[LUA_IDSIZE];/* where the call entered Lua, for errors without a line */
    int entry_line;

    /* sandbox */
    char **read_dirs;          /* realpath()s, owned */
    size_t nread_dirs;
    nd_print_fn print;
    void *print_ud;
    int env_ref;               /* registry ref of the script environment */
    lnd_host host;             /* what the modules ask (sandbox.c fills it) */

    /* the article of the running call (runtime_article.c) */
    const nd_runtime_article *cur;
    const void *cur_table;     /* its Lua table, for identity checks */
    int article_mt_ref;

    /* usage (nd_runtime_usage) */
    size_t mem_peak;
    double call_wall0, call_cpu0;    /* clocks when the running call began */
    int measure_cpu;                 /* read the CPU clock per call */
    int64_t sql_mem0;                /* sqlite3_memory_used() then */
    struct nd_runtime_usage usage;

    nd_buf err;                /* last error message */
    nd_buf mtext;              /* strings of the mentions */
    nd_runtime_mention *mentions;
    size_t nmentions, mcap;
};

#define LND_RT_HOOK_COUNT 1000   /* instructions between hook calls */

/* ---- limits (limits.c) ---- */

/* Seconds of a monotonic clock; CPU seconds of the calling thread. */
double lnd_rt_wall_seconds(void);
double lnd_rt_cpu_seconds(void);

/* The count hook: accounts instructions, checks the deadline, the memory
 * flag and interrupts; once a limit is hit it raises on every instruction
 * until the call returns, so pcall cannot swallow it. */
void lnd_rt_hook(lua_State *L, lua_Debug *ar);

/* Which of the budget, the deadline and the CPU time is exceeded, if any
 * (LND_LIMIT_*).  Plain C. */
int lnd_rt_over_limit(const nd_runtime *rt);

/* Record limit `kind` and its message "src:line: <limit> of <value>
 * exceeded" in rt->limit_msg; src NULL means where the call entered Lua,
 * if known.  Plain C, no Lua call: safe inside SQLite's progress handler. */
void lnd_rt_record_limit(nd_runtime *rt, int kind, const char *src, int line);

/* The runtime owning L (the allocator's userdata). */
nd_runtime *lnd_rt_get(lua_State *L);

/* Record that `kind` was hit and raise its error, located at stack level
 * `level` (1 = the Lua function calling the running C function).  Once a
 * limit is hit, the count hook and the sandbox's pcall raise it again until
 * the call returns to the host.  Never returns. */
int lnd_rt_limit(lua_State *L, nd_runtime *rt, int kind, int level);

/* Charge `units` instructions of C work done for the script (a C function
 * whose cost grows with its input, charged before it starts: one unit per
 * LND_CHARGE_BYTES bytes it will touch) to the budget, and check the
 * deadline and CPU time; raises the limit hit, located at `level` as for
 * lnd_rt_limit.  Outside a call it does nothing.  [-0, +0, e] */
void lnd_rt_charge(lua_State *L, nd_runtime *rt, uint64_t units, int level);

/* Raise the recorded limit error again if a limit was hit (or the memory
 * limit was passed) during this call; otherwise return.  For wrappers that
 * caught an error (pcall, xpcall).  Location for a fresh memory error:
 * level as for lnd_rt_limit. */
void lnd_rt_recheck(lua_State *L, nd_runtime *rt, int level);

/* Articles (runtime_article.c).  init creates the shared metatable
 * [-0, +0]; push makes the call's article table and marks it current
 * until end of call [-0, +1]; fill creates every field of the table at idx
 * if it is the current article, so raw traversal sees them [-0, +0]. */
void lnd_rt_article_init(lua_State *L, nd_runtime *rt);
void lnd_rt_push_article(lua_State *L, nd_runtime *rt, const nd_runtime_article *a);
void lnd_rt_article_fill(lua_State *L, int idx);

#endif /* ND_RUNTIME_INTERNAL_H */
