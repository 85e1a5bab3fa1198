/*
 * runtime.c — the embedding runtime: a Lua state with newsdesk loaded, an
 * allocator that enforces the memory limit, a count hook that enforces the
 * instruction budget and the deadline, and the calls a host makes with an
 * in-memory article.  Every Lua operation that can fail runs under
 * lua_pcall; results are converted inside the protected call too, so a
 * script's metamethods can never raise into the host.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lualib.h>

#include "nd_base.h"   /* nd__realloc & co.: blocks nd_free releases; nd__errmsg */
#include "runtime.h"
#include "sandbox.h"

#define RT_GEN_MINOR 50                  /* % the heap grows between minor collections */

/* ---- small helpers ----------------------------------------------------- */

/* Keep len bytes of msg as the error message; past RT_ERRMSG_MAX bytes it
 * is cut (at a UTF-8 character boundary) and its length noted. */
#define RT_ERRMSG_MAX 8192
static void set_err(nd_runtime *rt, const char *msg, size_t len)
{
    char note[64];
    size_t keep = len;
    rt->err.len = 0;
    if (len > RT_ERRMSG_MAX) {
        keep = RT_ERRMSG_MAX;
        while (keep > 0 && ((unsigned char)msg[keep] & 0xC0) == 0x80)
            keep--;
        snprintf(note, sizeof note, "... (message of %zu bytes, truncated)", len);
    }
    if (nd_buf_append(&rt->err, msg, keep) != ND_OK ||
        (keep < len && nd_buf_append(&rt->err, note, strlen(note)) != ND_OK))
        rt->err.len = 0;
}

static void set_errz(nd_runtime *rt, const char *msg)
{
    set_err(rt, msg, strlen(msg));
}

/* ---- memory ------------------------------------------------------------ */

/* The block cache.  A script walking a store makes an article object and
 * a body string of a few KB per row, and nearly all die young; glibc
 * serves blocks over 1 KB from its general bins, where allocating and
 * freeing one costs more than the rest of the row's Lua work.  So blocks of
 * up to LND_RT_CACHE_MAX bytes are allocated at the size of their class,
 * and a freed one goes on its class's list for the next allocation of that
 * class.  Classes are multiples of 16 bytes up to 256, then eight a power
 * of two (at most 12.5% unused), so bodies of similar lengths share a few.
 * The lists hold at most a quarter of what the state uses (and
 * RT_CACHE_FLOOR), so they never keep much memory that Lua does not.
 * Invariant: a block Lua sees as n <= LND_RT_CACHE_MAX bytes is at least
 * the size of n's class, of nd__realloc'd memory.
 *
 * Under AddressSanitizer a block on a list is poisoned past its link, so a
 * use after Lua freed it is still caught, and so is a block too small for
 * its class. */
#define RT_CACHE_FLOOR (64 * 1024)
#if defined(__SANITIZE_ADDRESS__)
#define RT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#endif
#ifdef RT_ASAN
#include <sanitizer/asan_interface.h>
#define RT_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define RT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define RT_POISON(p, n) ((void)(p), (void)(n))
#define RT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif
#if defined(__GNUC__)
#define RT_NOINLINE __attribute__((noinline))  /* keeps rt_alloc's short ways short */
#else
#define RT_NOINLINE
#endif

typedef struct rt_block { struct rt_block *next; } rt_block;

/* The class of 0 < n <= LND_RT_CACHE_MAX bytes (1 to LND_RT_CLASSES - 1),
 * and its block size in *size. */
static unsigned rt_class(size_t n, size_t *size)
{
    /* log2 of the power of two just below n, by (n - 1) / 256 */
    static const unsigned char log2_below[16] = { 8, 8, 9, 9, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11 };
    unsigned b;
    size_t step;
    if (n <= 256) {
        *size = (n + 15) & ~(size_t)15;
        return (unsigned)(*size / 16);
    }
    b = log2_below[(n - 1) >> 8];       /* 2^b < n <= 2^(b+1) */
    step = (size_t)1 << (b - 3);
    *size = (n + step - 1) & ~(step - 1);
    return 16 + (b - 8) * 8 + (unsigned)(*size / step - 8);
}

/* A block of n <= LND_RT_CACHE_MAX bytes, from the cache if it has one. */
static void *rt_take(nd_runtime *rt, size_t n)
{
    size_t size;
    rt_block **list = &rt->cache[rt_class(n, &size)], *b = *list;
    if (!b)
        return nd__realloc(NULL, size);
    RT_UNPOISON(b, size);
    *list = b->next;
    rt->cached -= size;
    return b;
}

/* Give back block p that Lua saw as n <= LND_RT_CACHE_MAX bytes. */
static void rt_give(nd_runtime *rt, void *p, size_t n)
{
    size_t size;
    rt_block **list = &rt->cache[rt_class(n, &size)], *b = p;
    if (rt->cached + size > RT_CACHE_FLOOR + rt->mem_used / 4) {
        nd_free(p);
        return;
    }
    b->next = *list;
    *list = b;
    rt->cached += size;
    /* not the link: LeakSanitizer ignores pointers in poisoned memory, and
     * a script ending in os.exit leaves the lists to it */
    RT_POISON((char *)b + sizeof *b, size - sizeof *b);
}

static void rt_cache_free(nd_runtime *rt)
{
    size_t i;
    for (i = 0; i < LND_RT_CLASSES; i++) {
        rt_block *b = rt->cache[i], *next;
        for (; b; b = next) {
            next = b->next;
            nd_free(b);
        }
        rt->cache[i] = NULL;
    }
    rt->cached = 0;
}

/* Resize block p of old bytes (0: none) to n > 0 bytes. */
static void *rt_resize(nd_runtime *rt, void *p, size_t old, size_t n)
{
    size_t size, old_size;
    void *q;
    if (n > LND_RT_CACHE_MAX)
        return nd__realloc(p, n);  /* from nothing, a cached size or a large one */
    if (!p)
        return rt_take(rt, n);
    if (old > LND_RT_CACHE_MAX) {
        rt_class(n, &size);
        return nd__realloc(p, size);
    }
    if (rt_class(n, &size) == rt_class(old, &old_size))
        return p;
    q = rt_take(rt, n);
    if (!q)
        return n < old ? p : NULL; /* a smaller fit in a larger block */
    memcpy(q, p, n < old ? n : old);
    rt_give(rt, p, old);
    return q;
}

/* The general case of rt_alloc below: any resize, and past the limit. */
RT_NOINLINE static void *rt_alloc_any(nd_runtime *rt, void *ptr, size_t old, size_t nsize)
{
    void *p;
    if (rt->mem_limit && nsize > old) {
        size_t grow = nsize - old;
        if (rt->mem_used + grow > rt->mem_limit) {
            rt->mem_over = 1;
            if (grow > rt->mem_hard || rt->mem_used + grow > rt->mem_hard)
                return NULL;
        }
    }
    p = rt_resize(rt, ptr, old, nsize);
    if (!p)
        return NULL;
    rt->mem_used = rt->mem_used - old + nsize;
    if (rt->mem_used > rt->mem_peak)
        rt->mem_peak = rt->mem_used;
    return p;
}

/* lua_Alloc counting every byte the state holds.  Past mem_limit it still
 * succeeds (flagging mem_over, which the hook turns into a located error)
 * up to mem_hard; beyond that it fails and Lua raises a memory error.
 * Freeing, and a new block the cache has, take the short ways. */
static void *rt_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    nd_runtime *rt = ud;
    if (nsize == 0) {
        if (ptr) {
            rt->mem_used -= osize;
            if (osize <= LND_RT_CACHE_MAX)
                rt_give(rt, ptr, osize);
            else
                nd_free(ptr);
        }
        return NULL;
    }
    if (!ptr && nsize <= LND_RT_CACHE_MAX && (!rt->mem_limit || rt->mem_used + nsize <= rt->mem_limit)) {
        void *p = rt_take(rt, nsize);
        if (p && (rt->mem_used += nsize) > rt->mem_peak)
            rt->mem_peak = rt->mem_used;
        return p;
    }
    return rt_alloc_any(rt, ptr, ptr ? osize : 0, nsize);
}

/* ---- limits ------------------------------------------------------------ */

/* Remember where the host's call enters Lua (function at idx), for limit
 * errors that carry no line of their own (a memory error raised by Lua
 * itself).  [-0, +0] */
static void set_entry(lua_State *L, nd_runtime *rt, int idx)
{
    lua_Debug ar;
    rt->entry_line = 0;
    lua_pushvalue(L, idx);
    if (lua_getinfo(L, ">S", &ar) && ar.linedefined >= 0) {
        memcpy(rt->entry_src, ar.short_src, sizeof rt->entry_src);
        rt->entry_line = ar.linedefined > 0 ? ar.linedefined : 1;
    }
}

static int64_t sql_memory(void);

/* The count hook on the main thread: always, unless the host interrupts
 * from a signal handler only and no sandbox or limit needs counting. */
static void set_hook(nd_runtime *rt)
{
    if (rt->hooked)
        lua_sethook(rt->L, lnd_rt_hook, LUA_MASKCOUNT, rt->hook_count);
    else
        lua_sethook(rt->L, NULL, 0, 0);
}

/* Reset the per-call state before running Lua code for the host. */
static void begin_call(nd_runtime *rt)
{
    rt->err.len = 0;
    rt->code = ND_OK;
    rt->count = 0;
    rt->limit = LND_LIMIT_NONE;
    rt->limit_msg.len = 0;
    rt->mem_over = 0;
    rt->output_used = 0;
    atomic_store(&rt->interrupted, 0);
    rt->entry_line = 0;
    rt->in_call = 1;
    rt->call_wall0 = lnd_rt_wall_seconds();
    rt->call_cpu0 = rt->measure_cpu ? lnd_rt_cpu_seconds() : 0;
    rt->sql_mem0 = sql_memory();
    if (rt->time_limit > 0)
        rt->deadline = rt->call_wall0 + rt->time_limit;
    if (rt->cpu_limit > 0)
        rt->cpu_deadline = rt->call_cpu0 + rt->cpu_limit;
    set_hook(rt);
}

/* After a call: give memory back if the memory limit was hit (finalizers
 * run under fresh limits), stop enforcing limits. */
static void end_call(nd_runtime *rt)
{
    static const char *const limit_names[] = {
        "", "memory", "instruction budget", "time", "output", "interrupt", "CPU time"
    };
    struct nd_runtime_usage *u = &rt->usage;
    int kind = rt->limit ? rt->limit : rt->mem_over ? LND_LIMIT_MEMORY : LND_LIMIT_NONE;
    u->instructions = rt->count;
    u->instructions_total += rt->count;
    u->output = rt->output_used;
    u->output_total += rt->output_used;
    u->wall = lnd_rt_wall_seconds() - rt->call_wall0;
    u->cpu = rt->measure_cpu ? lnd_rt_cpu_seconds() - rt->call_cpu0 : 0;
    u->wall_total += u->wall;
    u->cpu_total += u->cpu;
    u->calls++;
    u->limits_hit += kind != LND_LIMIT_NONE;
    u->last_limit = limit_names[kind];
    rt->cur = NULL;
    rt->cur_table = NULL;
    if (rt->mem_over || rt->limit == LND_LIMIT_MEMORY) {
        nd_buf keep = rt->err;
        rt->err = (nd_buf)ND_BUF_INIT;
        begin_call(rt);
        lua_gc(rt->L, LUA_GCCOLLECT);
        nd_buf_free(&rt->err);
        rt->err = keep;
    }
    rt->in_call = 0;
    rt->mem_over = 0;
    rt->limit = LND_LIMIT_NONE;
    set_hook(rt);
}

/* By default the count hook is on in every thread of the state from
 * nd_runtime_new to nd_runtime_free (coroutines inherit it), so
 * interrupting only sets an atomic flag the hook reads: safe from any
 * thread, and no lua_sethook from outside the thread running the state.
 * Unhooked (opts.interrupt_from_signal, no limits), this runs in a signal
 * handler on the running thread and installs the hook as lua.c does, on
 * the main thread and on the coroutine running now. */
void nd_runtime_interrupt(nd_runtime *rt)
{
    lua_State *co;
    if (!rt)
        return;
    atomic_store(&rt->interrupted, 1);
    if (!rt->hooked) {
        lua_sethook(rt->L, lnd_rt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
        if ((co = atomic_load(&rt->running)) != NULL)
            lua_sethook(co, lnd_rt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
    }
}

/* ---- which coroutine runs (unhooked) ---------------------------------------
 *
 * Without a count hook nd_runtime_interrupt must install one on the thread
 * that runs, which for code in a coroutine is not the main thread.  So
 * coroutine.resume and coroutine.wrap keep rt->running up to date. */

/* Call the wrapped function (upvalue 1) with all the arguments while the
 * thread `co` counts as running, and return its results; an error is
 * raised again once rt->running is restored.  [-n, +m] */
static int call_as_running(lua_State *L, lua_State *co)
{
    nd_runtime *rt = lnd_rt_get(L);
    lua_State *prev = atomic_load(&rt->running);
    int status;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    if (co)
        atomic_store(&rt->running, co);
    status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    atomic_store(&rt->running, prev);
    if (status != LUA_OK)
        return lua_error(L);
    return lua_gettop(L);
}

/* coroutine.resume(co, ...).  [-n, +m] */
static int tracked_resume(lua_State *L)
{
    return call_as_running(L, lua_tothread(L, 1));
}

/* The function coroutine.wrap returned (upvalue 1; its coroutine is
 * upvalue 2).  [-n, +m] */
static int tracked_wrapped(lua_State *L)
{
    return call_as_running(L, lua_tothread(L, lua_upvalueindex(2)));
}

/* coroutine.wrap(f): the function it returns keeps rt->running.  [-1, +1] */
static int tracked_wrap(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    if (lua_tocfunction(L, -1) && lua_getupvalue(L, -1, 1)) {   /* lcorolib's auxwrap: its thread */
        if (lua_type(L, -1) == LUA_TTHREAD) {
            lua_pushcclosure(L, tracked_wrapped, 2);
            return 1;
        }
        lua_pop(L, 1);
    }
    return 1;
}

/* Replace coroutine.resume and coroutine.wrap by the tracking ones.
 * [-0, +0] */
static void track_coroutines(lua_State *L)
{
    static const luaL_Reg fns[] = { { "resume", tracked_resume }, { "wrap", tracked_wrap }, { NULL, NULL } };
    const luaL_Reg *f;
    if (lua_getglobal(L, LUA_COLIBNAME) == LUA_TTABLE)
        for (f = fns; f->name; f++) {
            lua_getfield(L, -1, f->name);
            lua_pushcclosure(L, f->func, 1);
            lua_setfield(L, -2, f->name);
        }
    lua_pop(L, 1);
}

/* ---- protected calls ---------------------------------------------------- */

/* Message handler: "chunk:line: message" plus a traceback.  [-1, +1] */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Turn the status of a lua_pcall (error value on top, popped) into a code
 * and the runtime's message. */
static int finish_error(nd_runtime *rt, int status)
{
    lua_State *L = rt->L;
    size_t len = 0;
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    int code;
    if (rt->mem_over && !rt->limit)
        rt->limit = LND_LIMIT_MEMORY;
    if (rt->limit) {
        code = ND_ELIMIT;
        if (msg && rt->limit_msg.len && len >= rt->limit_msg.len &&
            memcmp(msg, rt->limit_msg.ptr, rt->limit_msg.len) == 0) {
            set_err(rt, msg, len);
        } else {
            if (!rt->limit_msg.len)
                lnd_rt_record_limit(rt, rt->limit, NULL, 0);
            set_err(rt, rt->limit_msg.ptr, rt->limit_msg.len);
        }
    } else if (status == LUA_ERRMEM) {
        code = ND_ENOMEM;
        set_errz(rt, "not enough memory");
    } else {
        code = rt->code != ND_OK ? rt->code : ND_ESCRIPT;
        if (msg)
            set_err(rt, msg, len);
        else
            set_errz(rt, "(error object is not a string)");
    }
    lua_pop(L, 1);
    return code;
}

/* Run the function below nargs arguments with a traceback handler, inside
 * begin_call/end_call.  [-(nargs+1), +nres or 0] */
static int rt_pcall(nd_runtime *rt, int nargs, int nres)
{
    lua_State *L = rt->L;
    int base = lua_gettop(L) - nargs;
    int status, code = ND_OK;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    status = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    if (status == LUA_OK && !rt->limit && (rt->limit = lnd_rt_over_limit(rt)) != LND_LIMIT_NONE)
        lnd_rt_record_limit(rt, rt->limit, NULL, 0);      /* a C call ran past a limit: never ND_OK */
    if (status != LUA_OK)
        code = finish_error(rt, status);
    else if (rt->limit || rt->mem_over) {
        /* a limit was hit in a finalizer, swallowed at the very end, or
         * passed inside C code */
        lua_settop(L, base - 1);
        lua_pushnil(L);
        code = finish_error(rt, LUA_ERRRUN);
    }
    return code;
}

int nd_runtime_pcall(nd_runtime *rt, int nargs, int nresults)
{
    int rc;
    if (!rt)
        return ND_EINVAL;
    begin_call(rt);
    rc = rt_pcall(rt, nargs, nresults);
    end_call(rt);
    return rc;
}

/* ---- C memory held for scripts --------------------------------------------- */

/* Registry field holding the runtime (light userdata) for the bindings. */
#define RT_KEY "newsdesk.runtime"

/* C bytes count in mem_used with the Lua heap, so the allocator's limit
 * check, the hook and nd_runtime_usage see them.  Every charge is also C
 * work: CMEM_UNITS instructions (a rule set's add costs a few microseconds)
 * plus one per LND_CHARGE_BYTES bytes, and the budget, deadline and CPU
 * time are checked as the hook does, so compiling a huge gazetteer in C
 * stops at the time limit too.  Plain C: the limit is recorded, and raised
 * when control is back in Lua (lnd_rt_recheck). */
#define CMEM_UNITS 20
static int rt_mem_charge(void *ud, ptrdiff_t bytes)
{
    nd_runtime *rt = ud;
    if (bytes >= 0 && rt->in_call) {
        uint64_t before = rt->count;
        int kind = LND_LIMIT_NONE;
        rt->count += CMEM_UNITS + (uint64_t)bytes / LND_CHARGE_BYTES;
        if (rt->limit)
            return 1;
        if ((rt->budget && rt->count > rt->budget) || before / LND_RT_HOOK_COUNT != rt->count / LND_RT_HOOK_COUNT)
            kind = lnd_rt_over_limit(rt);
        if (kind != LND_LIMIT_NONE) {
            rt->limit = kind;            /* located by lnd_rt_recheck */
            rt->limit_msg.len = 0;
            return 1;
        }
    }
    if (bytes < 0) {
        size_t back = (size_t)-bytes;
        rt->mem_used -= back < rt->mem_used ? back : rt->mem_used;
        return 0;
    }
    if (rt->mem_limit && (size_t)bytes > rt->mem_limit - (rt->mem_used < rt->mem_limit ? rt->mem_used : rt->mem_limit)) {
        rt->mem_over = 1;                /* the hook and pcall raise the limit error */
        return 1;
    }
    rt->mem_used += (size_t)bytes;
    if (rt->mem_used > rt->mem_peak)
        rt->mem_peak = rt->mem_used;
    return 0;
}

static size_t rt_mem_room(void *ud)
{
    nd_runtime *rt = ud;
    if (!rt->mem_limit)
        return SIZE_MAX;
    return rt->mem_used < rt->mem_limit ? rt->mem_limit - rt->mem_used : 0;
}

static void rt_limit_check(lua_State *L, void *ud)
{
    lnd_rt_recheck(L, ud, 1);
}

static int rt_mem_exceeded(lua_State *L, void *ud)
{
    nd_runtime *rt = ud;
    rt->mem_over = 1;
    return lnd_rt_limit(L, rt, LND_LIMIT_MEMORY, 1);
}

/* ---- creation ------------------------------------------------------------ */

void nd_runtime_opts_init(nd_runtime_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sandbox = 1;
    o->memory_limit = (size_t)256 << 20;
    o->time_limit = 10.0;
    o->output_limit = (size_t)1 << 20;
    o->measure_cpu = 1;
}

/* ---- SQLite work counts too ------------------------------------------------- */

#ifdef LND_STORE_MT
#include "nd_store_sql.h"                /* nd_store_sqlite */

#define PROGRESS_STEPS 1000              /* SQLite VM steps between two checks */

/* SQLite progress handler of every store the runtime opens: VM steps count
 * against the instruction budget, and the deadline and interrupts stop a
 * runaway query (the statement fails with SQLITE_INTERRUPT; the limit error
 * is raised when control is back in Lua).  Plain C: no Lua call that could
 * raise through SQLite. */
static int progress(void *ud)
{
    nd_runtime *rt = ud;
    lua_Debug ar;
    int kind = LND_LIMIT_NONE, level;
    if (atomic_load(&rt->interrupted)) {
        kind = LND_LIMIT_INTERRUPT;
    } else if (!rt->in_call) {
        return 0;
    } else if (rt->limit) {
        return 1;
    } else {
        rt->count += PROGRESS_STEPS;
        kind = lnd_rt_over_limit(rt);
        /* what SQLite allocated since the call began (process-wide: in a
         * host running several runtimes at once, theirs counts too) */
        if (kind == LND_LIMIT_NONE && rt->mem_limit) {
            int64_t grown = sql_memory() - rt->sql_mem0;
            if (grown > 0 && (uint64_t)grown + rt->mem_used > rt->mem_limit)
                kind = LND_LIMIT_MEMORY;
        }
    }
    if (kind == LND_LIMIT_NONE)
        return 0;
    for (level = 0; lua_getstack(rt->L, level, &ar); level++)
        if (lua_getinfo(rt->L, "Sl", &ar) && ar.currentline > 0)
            break;
    lnd_rt_record_limit(rt, kind, ar.currentline > 0 ? ar.short_src : NULL, ar.currentline);
    atomic_store(&rt->interrupted, 0);
    return 1;
}

/* Bytes SQLite holds in this process. */
static int64_t sql_memory(void)
{
    return (int64_t)sqlite3_memory_used();
}

/* newsdesk.open wrapper: the store it returns gets the progress handler.
 * [-n, +m] */
static int open_with_progress(lua_State *L)
{
    nd_runtime *rt = lnd_rt_get(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    if (luaL_testudata(L, 1, LND_STORE_MT)) {
        sqlite3 *con = nd_store_sqlite(lnd_checkstore(L, 1));
        sqlite3_progress_handler(con, PROGRESS_STEPS, progress, rt);
        if (rt->mem_limit) {
            /* no string, blob or SQL text larger than a quarter of the
             * memory limit: randomblob(1e9) or group_concat over a store
             * fail with "string or blob too big" */
            int cap = rt->mem_limit / 4 > INT_MAX ? INT_MAX : (int)(rt->mem_limit / 4);
            sqlite3_limit(con, SQLITE_LIMIT_LENGTH, cap);
            sqlite3_limit(con, SQLITE_LIMIT_SQL_LENGTH, cap);
        }
    }
    return lua_gettop(L);
}

/* Every store opened in this runtime counts its SQLite work:
 * newsdesk.open and newsdesk.store.open become one wrapper.  [-0, +0] */
static void count_sqlite_work(lua_State *L)
{
    lua_getglobal(L, "newsdesk");
    if (lua_getfield(L, -1, "store") == LUA_TTABLE && lua_getfield(L, -1, "open") == LUA_TFUNCTION) {
        lua_pushcclosure(L, open_with_progress, 1);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "open");
        lua_setfield(L, -3, "open");
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}
#else
static void count_sqlite_work(lua_State *L)
{
    (void)L;                             /* no store module in this build */
}

static int64_t sql_memory(void)
{
    return 0;
}
#endif

/* Open the store as global `db` through the Lua-level newsdesk.open.  In
 * a sandbox scripts cannot close it, and write it only when `writable`.
 * [-0, +0, e] */
static void open_store(lua_State *L, nd_runtime *rt, const char *path, int writable)
{
    lua_getglobal(L, "newsdesk");
    if (lua_getfield(L, -1, "open") != LUA_TFUNCTION) {
        rt->code = ND_EDB;
        luaL_error(L, "cannot open store '%s': the store module is not available", path);
    }
    if (strcmp(path, ":memory:") == 0)
        lua_pushnil(L);
    else
        lua_pushstring(L, path);
    lua_call(L, 1, 2);
    if (lua_isnil(L, -2)) {
        rt->code = ND_EDB;
        luaL_error(L, "cannot open store '%s': %s", path, luaL_optstring(L, -1, "unknown error"));
    }
    if (rt->sandbox)
        lnd_store_restrict(L, -2, LND_STORE_HOST | (writable ? 0 : LND_STORE_READONLY));
    lua_pop(L, 1);
    lua_setglobal(L, "db");
    lua_pop(L, 1);
}

/* Build the state: libraries, newsdesk, db, environment, print, hook.
 * Runs under lua_pcall.  [-2, +0] */
static int init_state(lua_State *L)
{
    nd_runtime *rt = lua_touserdata(L, 1);
    const nd_runtime_opts *o = lua_touserdata(L, 2);
    lua_pushlightuserdata(L, rt);
    lua_setfield(L, LUA_REGISTRYINDEX, RT_KEY);      /* before any rule set is made */
    if (rt->mem_limit) {                             /* C work for scripts counts too */
        rt->host.mem_charge = rt_mem_charge;
        rt->host.mem_room = rt_mem_room;
        rt->host.mem_exceeded = rt_mem_exceeded;
    }
    rt->host.limit_check = rt_limit_check;
    rt->host.ud = rt;
    lnd_host_set(L, &rt->host);
    if (rt->sandbox)
        lnd_sandbox_open(L, rt);
    else
        luaL_openlibs(L);
    if (!rt->hooked)
        track_coroutines(L);
    luaL_requiref(L, "newsdesk", luaopen_newsdesk, 1);
    lua_pop(L, 1);
    count_sqlite_work(L);
    if (o->store_path)
        open_store(L, rt, o->store_path, o->store_writable);
    if (rt->sandbox || rt->print || rt->output_limit) {
        lua_pushcfunction(L, lnd_sandbox_print);
        lua_setglobal(L, "print");
    }
    lnd_rt_article_init(L, rt);
    /* the script environment */
    if (rt->sandbox) {
        lnd_sandbox_seal(L, rt);
        lua_newtable(L);                             /* env */
        lua_pushvalue(L, -1);
        lua_setfield(L, -2, "_G");
        lua_createtable(L, 0, 2);                    /* its metatable */
        lua_pushglobaltable(L);
        lua_setfield(L, -2, "__index");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, -2);
    } else {
        lua_pushglobaltable(L);
    }
    rt->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static int copy_read_dirs(nd_runtime *rt, const char *const *dirs)
{
    size_t n = 0, i;
    if (!dirs)
        return ND_OK;
    while (dirs[n])
        n++;
    rt->read_dirs = nd__calloc(n ? n : 1, sizeof *rt->read_dirs);
    if (!rt->read_dirs)
        return ND_ENOMEM;
    for (i = 0; i < n; i++) {
        char *real = realpath(dirs[i], NULL);
        struct stat st;
        if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
            free(real);
            set_errz(rt, "read_dirs: not a directory: ");
            nd_buf_append(&rt->err, dirs[i], strlen(dirs[i]));
            return ND_EINVAL;
        }
        rt->read_dirs[rt->nread_dirs] = nd__strndup(real, strlen(real));
        free(real);
        if (!rt->read_dirs[rt->nread_dirs])
            return ND_ENOMEM;
        rt->nread_dirs++;
    }
    return ND_OK;
}

int nd_runtime_new(nd_runtime **out, const nd_runtime_opts *o)
{
    nd_runtime_opts defaults;
    nd_runtime *rt;
    lua_State *L;
    int rc = ND_OK, status;
    *out = NULL;
    if (!o) {
        nd_runtime_opts_init(&defaults);
        o = &defaults;
    }
    rt = nd__calloc(1, sizeof *rt);
    if (!rt)
        return ND_ENOMEM;
    *out = rt;
    rt->env_ref = LUA_NOREF;
    rt->article_mt_ref = LUA_NOREF;
    rt->sandbox = o->sandbox;
    rt->mem_limit = o->memory_limit;
    rt->mem_hard = o->memory_limit + o->memory_limit / 4 + ((size_t)1 << 20);
    rt->budget = o->instruction_budget;
    rt->time_limit = o->time_limit;
    rt->cpu_limit = o->cpu_limit;
    rt->output_limit = o->output_limit;
    rt->print = o->print;
    rt->print_ud = o->print_ud;
    rt->hook_count = LND_RT_HOOK_COUNT;
    if (rt->budget && rt->budget < LND_RT_HOOK_COUNT)
        rt->hook_count = (int)rt->budget;
    /* the count hook is on, limits or not, so nd_runtime_interrupt needs
     * only set a flag, from any thread (a hook installed from another
     * thread would race with the running VM); a host that interrupts from
     * a signal handler only may run unlimited Lua without it */
    rt->measure_cpu = o->measure_cpu || o->cpu_limit > 0;
    rt->hooked = !o->interrupt_from_signal || o->sandbox || o->memory_limit || o->instruction_budget ||
                 o->time_limit > 0 || o->cpu_limit > 0;
    if (o->time_limit < 0 || isnan(o->time_limit) || o->cpu_limit < 0 || isnan(o->cpu_limit)) {
        set_errz(rt, o->time_limit < 0 || isnan(o->time_limit) ? "time_limit must be 0 or positive"
                                                               : "cpu_limit must be 0 or positive");
        return ND_EINVAL;
    }
    rc = copy_read_dirs(rt, o->read_dirs);
    if (rc != ND_OK) {
        if (rc == ND_ENOMEM)
            set_errz(rt, "out of memory");
        return rc;
    }
    L = lua_newstate(rt_alloc, rt);
    if (!L) {
        set_errz(rt, "cannot create a Lua state: not enough memory");
        return ND_ENOMEM;
    }
    rt->L = L;
    /* Scripts walk stores making an article object and a body string per
     * row that die young: the generational collector frees them without
     * re-marking the whole heap, which makes a body scan about 15% faster.
     * A minor collection has a fixed cost; on the small heap of a script
     * that only scans, the default (one after the heap grows 20%) runs one
     * every few rows.  At 50% a body scan runs about 3% faster, and young
     * garbage stays under half the heap (the incremental default lets the
     * heap double). */
    lua_gc(L, LUA_GCGEN, RT_GEN_MINOR, 0);
    lua_pushcfunction(L, init_state);
    lua_pushlightuserdata(L, rt);
    lua_pushlightuserdata(L, (void *)o);
    status = lua_pcall(L, 2, 0, 0);
    if (status != LUA_OK) {
        rc = rt->code != ND_OK ? rt->code : status == LUA_ERRMEM ? ND_ENOMEM : ND_ESCRIPT;
        set_errz(rt, lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                   : "cannot create the runtime");
        if (status == LUA_ERRMEM && rt->mem_limit)
            set_errz(rt, "memory limit too small to create the runtime");
        lua_pop(L, 1);
        return rc;
    }
    set_hook(rt);
    rt->err.len = 0;
    return ND_OK;
}

void nd_runtime_free(nd_runtime *rt)
{
    size_t i;
    if (!rt)
        return;
    if (rt->L) {
        /* finalizers run under the per-call limits, so a hostile __gc
         * cannot hang the host */
        begin_call(rt);
        lua_close(rt->L);
    }
    rt_cache_free(rt);
    for (i = 0; i < rt->nread_dirs; i++)
        nd_free(rt->read_dirs[i]);
    nd_free(rt->read_dirs);
    nd_buf_free(&rt->err);
    nd_buf_free(&rt->limit_msg);
    nd_buf_free(&rt->mtext);
    nd_free(rt->mentions);
    nd_free(rt);
}

int nd_runtime_usage(const nd_runtime *rt, struct nd_runtime_usage *u)
{
    if (!rt || !u)
        return ND_EINVAL;
    *u = rt->usage;
    if (!u->last_limit)
        u->last_limit = "";
    u->memory = rt->mem_used;
    u->memory_peak = rt->mem_peak;
    return ND_OK;
}

const char *nd_runtime_errmsg(const nd_runtime *rt)
{
    return nd__errmsg(rt ? &rt->err : NULL);
}

lua_State *nd_runtime_lua(nd_runtime *rt)
{
    return rt ? rt->L : NULL;
}

void nd_runtime_pushenv(nd_runtime *rt)
{
    lua_rawgeti(rt->L, LUA_REGISTRYINDEX, rt->env_ref);
}

/* ---- loading ------------------------------------------------------------- */

/* Compile a chunk (text only), give it the script environment, run it. */
static int load_chunk(nd_runtime *rt, const char *name, const char *code, size_t len)
{
    lua_State *L = rt->L;
    int status, rc;
    begin_call(rt);
    status = luaL_loadbufferx(L, code, len, name, "t");
    if (status != LUA_OK) {
        if (status == LUA_ERRSYNTAX)
            rt->code = ND_ESYNTAX;
        rc = finish_error(rt, status);
    } else {
        lua_rawgeti(L, LUA_REGISTRYINDEX, rt->env_ref);
        if (!lua_setupvalue(L, -2, 1))
            lua_pop(L, 1);
        set_entry(L, rt, -1);
        rc = rt_pcall(rt, 0, 0);
    }
    end_call(rt);
    return rc;
}

int nd_runtime_load_string(nd_runtime *rt, const char *name, const char *code, size_t len)
{
    nd_buf chunk = ND_BUF_INIT;
    int rc;
    if (!rt || (!code && len))
        return ND_EINVAL;
    rt->err.len = 0;
    if (!name) {
        name = "=string";
    } else if (name[0] != '=' && name[0] != '@') {
        /* "filter.lua" names the chunk as a file: messages read "filter.lua:3:" */
        if (nd_buf_append(&chunk, "@", 1) != ND_OK || nd_buf_append(&chunk, name, strlen(name)) != ND_OK) {
            nd_buf_free(&chunk);
            set_errz(rt, "out of memory");
            return ND_ENOMEM;
        }
        name = chunk.ptr;
    }
    rc = load_chunk(rt, name, code ? code : "", len);
    nd_buf_free(&chunk);
    return rc;
}

int nd_runtime_load_file(nd_runtime *rt, const char *path)
{
    nd_buf src = ND_BUF_INIT;
    char tmp[8192];
    size_t n;
    FILE *f;
    int rc = ND_OK;
    if (!rt || !path)
        return ND_EINVAL;
    rt->err.len = 0;
    f = fopen(path, "rb");
    if (!f) {
        set_errz(rt, "cannot open ");
        nd_buf_append(&rt->err, path, strlen(path));
        return ND_EIO;
    }
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if ((rc = nd_buf_append(&src, tmp, n)) != ND_OK)
            break;
    }
    if (rc == ND_OK && ferror(f)) {
        rc = ND_EIO;
        set_errz(rt, "cannot read ");
        nd_buf_append(&rt->err, path, strlen(path));
    } else if (rc != ND_OK) {
        set_errz(rt, "out of memory");
    }
    fclose(f);
    if (rc == ND_OK) {
        /* skip a #! line as lua5.4 does, keeping line numbers */
        size_t skip = 0;
        if (src.len && src.ptr[0] == '#')
            while (skip < src.len && src.ptr[skip] != '\n')
                skip++;
        rc = nd_runtime_load_string(rt, path, src.len ? src.ptr + skip : "", src.len - skip);
    }
    nd_buf_free(&src);
    return rc;
}

/* ---- calls with an article ------------------------------------------------ */

enum { CALL_FILTER, CALL_MENTIONS, CALL_JSON };

typedef struct call_ctx {
    const char *fn;
    const nd_runtime_article *a;
    int kind;
    int verdict;
    nd_buf *json;
} call_ctx;

/* Field k of the match table at idx as an optional string, copied into
 * rt->mtext; the offset is kept in ptr until fix-up.  [-0, +0, e] */
static nd_str take_str(lua_State *L, nd_runtime *rt, int idx, const char *k, lua_Integer i)
{
    nd_str s = { NULL, 0 };
    size_t len;
    const char *p;
    int t = lua_getfield(L, idx, k);
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            luaL_error(L, "mention %I: field '%s' is a %s, expected a string", i, k, luaL_typename(L, -1));
        p = lua_tolstring(L, -1, &len);
        s.ptr = (const char *)(uintptr_t)(rt->mtext.len + 1);   /* offset + 1, 0 stays NULL */
        s.len = len;
        if (nd_buf_append(&rt->mtext, p, len) != ND_OK || nd_buf_append(&rt->mtext, "", 1) != ND_OK) {
            rt->code = ND_ENOMEM;
            luaL_error(L, "out of memory");
        }
    }
    lua_pop(L, 1);
    return s;
}

static lua_Integer take_int(lua_State *L, int idx, const char *k, lua_Integer i)
{
    int isnum;
    lua_Integer v;
    lua_getfield(L, idx, k);
    v = lua_tointegerx(L, -1, &isnum);
    if (!isnum)
        luaL_error(L, "mention %I: field '%s' is %s, expected an integer", i, k,
                   lua_isnil(L, -1) ? "missing" : luaL_typename(L, -1));
    lua_pop(L, 1);
    return v;
}

/* Convert the list of match tables at idx into rt->mentions.  [-0, +0, e] */
static void take_mentions(lua_State *L, nd_runtime *rt, int idx)
{
    lua_Integer n, i;
    size_t k;
    if (lua_isnil(L, idx))
        return;
    if (!lua_istable(L, idx))
        luaL_error(L, "mentions: the function returned a %s, expected a list of matches",
                   luaL_typename(L, idx));
    n = luaL_len(L, idx);
    if (n <= 0)
        return;
    if ((size_t)n > rt->mcap) {
        nd_runtime_mention *m = nd__realloc(rt->mentions, (size_t)n * sizeof *m);
        if (!m) {
            rt->code = ND_ENOMEM;
            luaL_error(L, "out of memory");
        }
        rt->mentions = m;
        rt->mcap = (size_t)n;
    }
    for (i = 1; i <= n; i++) {
        nd_runtime_mention *m = &rt->mentions[i - 1];
        lua_Integer start, stop;
        lua_geti(L, idx, i);
        if (!lua_istable(L, -1))
            luaL_error(L, "mention %I is a %s, expected a table", i, luaL_typename(L, -1));
        start = take_int(L, -1, "start", i);
        stop = take_int(L, -1, "stop", i);
        if (start < 1 || stop < start - 1)
            luaL_error(L, "mention %I: bad range start=%I stop=%I", i, start, stop);
        m->start = (size_t)(start - 1);
        m->stop = (size_t)stop;
        m->type = take_str(L, rt, -1, "type", i);
        m->id = take_str(L, rt, -1, "id", i);
        m->text = take_str(L, rt, -1, "text", i);
        m->suffix = take_str(L, rt, -1, "suffix", i);
        m->rule = take_str(L, rt, -1, "rule", i);
        m->field = take_str(L, rt, -1, "field", i);
        lua_pop(L, 1);
        rt->nmentions = (size_t)i;
    }
    /* offsets -> pointers, now that mtext no longer moves */
    for (k = 0; k < rt->nmentions; k++) {
        nd_str *f[6];
        size_t j;
        nd_runtime_mention *m = &rt->mentions[k];
        f[0] = &m->type; f[1] = &m->id; f[2] = &m->text;
        f[3] = &m->suffix; f[4] = &m->rule; f[5] = &m->field;
        for (j = 0; j < 6; j++)
            if (f[j]->ptr)
                f[j]->ptr = rt->mtext.ptr + ((uintptr_t)f[j]->ptr - 1);
    }
}

/* The protected body of every call: look fn up, call it with the article,
 * convert the result.  [-1, +0] (the call_ctx as light userdata) */
static int call_body(lua_State *L)
{
    call_ctx *c = lua_touserdata(L, 1);
    nd_runtime *rt = lnd_rt_get(L);
    int t;
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->env_ref);
    lua_pushstring(L, c->fn);
    t = lua_rawget(L, -2);
    if (t == LUA_TNIL && rt->sandbox) {
        lua_pop(L, 1);
        lua_pushglobaltable(L);
        lua_pushstring(L, c->fn);
        t = lua_rawget(L, -2);
    }
    if (t != LUA_TFUNCTION) {
        rt->code = ND_ENOTFOUND;
        return luaL_error(L, "no function '%s' in the script (found %s)", c->fn, lua_typename(L, t));
    }
    set_entry(L, rt, -1);
    if (c->a)
        lnd_rt_push_article(L, rt, c->a);
    lua_call(L, c->a ? 1 : 0, 1);
    switch (c->kind) {
    case CALL_FILTER:
        c->verdict = lua_toboolean(L, -1) ? ND_VERDICT_KEEP : ND_VERDICT_DROP;
        break;
    case CALL_MENTIONS:
        take_mentions(L, rt, lua_gettop(L));
        break;
    default: {
        nd_buf msg = ND_BUF_INIT;
        int rc;
        c->json->len = 0;
        rc = lnd_json_encode(L, -1, "result", c->json, &msg);
        if (rc == ND_OK && rt->output_limit && c->json->len > rt->output_limit) {
            nd_buf_free(&msg);
            c->json->len = 0;
            return lnd_rt_limit(L, rt, LND_LIMIT_OUTPUT, 1);   /* the JSON is output too */
        }
        if (rc != ND_OK) {
            rt->code = rc;
            lua_pushlstring(L, msg.ptr ? msg.ptr : "out of memory", msg.len ? msg.len : 13);
            nd_buf_free(&msg);
            return lua_error(L);
        }
        break;
    }
    }
    return 0;
}

static int run_call(nd_runtime *rt, call_ctx *c)
{
    int rc;
    if (!rt || !c->fn)
        return ND_EINVAL;
    rt->nmentions = 0;
    rt->mtext.len = 0;
    begin_call(rt);
    lua_pushcfunction(rt->L, call_body);
    lua_pushlightuserdata(rt->L, c);
    rc = rt_pcall(rt, 1, 0);
    end_call(rt);
    return rc;
}

int nd_runtime_filter(nd_runtime *rt, const char *fn, const nd_runtime_article *a, int *verdict)
{
    call_ctx c = { fn, a, CALL_FILTER, ND_VERDICT_ERROR, NULL };
    int rc = run_call(rt, &c);
    *verdict = rc == ND_OK ? c.verdict : ND_VERDICT_ERROR;
    return rc;
}

int nd_runtime_mentions(nd_runtime *rt, const char *fn, const nd_runtime_article *a,
                        const nd_runtime_mention **m, size_t *n)
{
    call_ctx c = { fn, a, CALL_MENTIONS, 0, NULL };
    int rc = run_call(rt, &c);
    if (rc != ND_OK && rt)
        rt->nmentions = 0;
    *m = rt && rt->nmentions ? rt->mentions : NULL;
    *n = rt ? rt->nmentions : 0;
    return rc;
}

int nd_runtime_call_json(nd_runtime *rt, const char *fn, const nd_runtime_article *a, nd_buf *json)
{
    call_ctx c = { fn, a, CALL_JSON, 0, json };
    int rc;
    if (!json)
        return ND_EINVAL;
    json->len = 0;
    rc = run_call(rt, &c);
    if (rc != ND_OK)
        json->len = 0;
    if (json->ptr)
        json->ptr[json->len] = '\0';
    return rc;
}
