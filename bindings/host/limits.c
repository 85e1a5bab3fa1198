/*
 * limits.c — the limits of a runtime's calls: the count hook, charging C
 * work, recording a limit and raising it again until the call returns.
 * runtime.c and sandbox.c both use it; it uses neither.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "runtime.h"

#define MiB (1024.0 * 1024.0)

double lnd_rt_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds used by the calling thread. */
double lnd_rt_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

nd_runtime *lnd_rt_get(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Record limit `kind` and its message "src:line: <limit> of <value>
 * exceeded" in rt->limit_msg; src NULL means where the call entered Lua,
 * if known.  Plain C, no Lua call: safe inside SQLite's progress handler. */
void lnd_rt_record_limit(nd_runtime *rt, int kind, const char *src, int line)
{
    char text[96], num[24];
    switch (kind) {
    case LND_LIMIT_MEMORY:
        snprintf(text, sizeof text, "memory limit of %g MiB exceeded", (double)rt->mem_limit / MiB);
        break;
    case LND_LIMIT_BUDGET:
        snprintf(text, sizeof text, "instruction budget of %llu exceeded", (unsigned long long)rt->budget);
        break;
    case LND_LIMIT_TIME:
        snprintf(text, sizeof text, "time limit of %g s exceeded", rt->time_limit);
        break;
    case LND_LIMIT_OUTPUT:
        snprintf(text, sizeof text, "output limit of %zu bytes exceeded", rt->output_limit);
        break;
    case LND_LIMIT_CPU:
        snprintf(text, sizeof text, "CPU time limit of %g s exceeded", rt->cpu_limit);
        break;
    default:
        snprintf(text, sizeof text, "interrupted");
        break;
    }
    if ((!src || line <= 0) && rt->entry_line > 0) {
        src = rt->entry_src;
        line = rt->entry_line;
    }
    rt->limit = kind;
    rt->limit_msg.len = 0;
    if (src && line > 0) {
        snprintf(num, sizeof num, ":%d: ", line);
        nd_buf_append(&rt->limit_msg, src, strlen(src));
        nd_buf_append(&rt->limit_msg, num, strlen(num));
    }
    nd_buf_append(&rt->limit_msg, text, strlen(text));
}

/* Raise the recorded limit error, and keep the hook firing at every
 * instruction of this thread so a caught limit error is raised again right
 * away.  [-0, +1, e] */
static int reraise(lua_State *L, nd_runtime *rt)
{
    lua_sethook(L, lnd_rt_hook, LUA_MASKCOUNT, 1);
    if (!rt->limit_msg.len)
        lnd_rt_record_limit(rt, rt->limit, NULL, 0);
    lua_pushlstring(L, rt->limit_msg.ptr ? rt->limit_msg.ptr : "limit exceeded", rt->limit_msg.len);
    return lua_error(L);
}

/* Record limit `kind` at the location in ar (NULL: none) and raise it. */
static int raise_limit_at(lua_State *L, nd_runtime *rt, int kind, lua_Debug *ar)
{
    lnd_rt_record_limit(rt, kind, ar ? ar->short_src : NULL, ar ? ar->currentline : 0);
    return reraise(L, rt);
}

int lnd_rt_limit(lua_State *L, nd_runtime *rt, int kind, int level)
{
    lua_Debug ar;
    if (rt->limit)
        return reraise(L, rt);
    /* the first Lua function from `level` up: pcall(string.rep, ...) is
     * located at the line calling pcall */
    for (; lua_getstack(L, level, &ar); level++)
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
            return raise_limit_at(L, rt, kind, &ar);
    return raise_limit_at(L, rt, kind, NULL);
}

void lnd_rt_recheck(lua_State *L, nd_runtime *rt, int level)
{
    if (!rt->in_call)
        return;
    if (rt->limit && !rt->limit_msg.len) {     /* recorded in plain C, not located yet */
        int kind = rt->limit;
        rt->limit = LND_LIMIT_NONE;
        lnd_rt_limit(L, rt, kind, level);
    }
    if (rt->limit)
        reraise(L, rt);
    if (rt->mem_over || atomic_load(&rt->interrupted))
        lnd_rt_limit(L, rt, rt->mem_over ? LND_LIMIT_MEMORY : LND_LIMIT_INTERRUPT, level);
}

/* Which of the budget, the deadline and the CPU time is exceeded, if any:
 * the one check of the hook, the SQLite progress handler, charged C work
 * and the end of every call.  Plain C. */
int lnd_rt_over_limit(const nd_runtime *rt)
{
    if (rt->budget && rt->count > rt->budget)
        return LND_LIMIT_BUDGET;
    if (rt->time_limit > 0 && lnd_rt_wall_seconds() > rt->deadline)
        return LND_LIMIT_TIME;
    if (rt->cpu_limit > 0 && lnd_rt_cpu_seconds() > rt->cpu_deadline)
        return LND_LIMIT_CPU;
    return LND_LIMIT_NONE;
}

void lnd_rt_charge(lua_State *L, nd_runtime *rt, uint64_t units, int level)
{
    uint64_t before = rt->count;
    int kind = LND_LIMIT_NONE;
    if (!rt->in_call)
        return;
    rt->count += units;
    if (rt->limit)
        reraise(L, rt);
    /* the clocks (CPU time is a system call) once per LND_RT_HOOK_COUNT units, as
     * the hook reads them: table.sort charges every comparison */
    if (rt->budget && rt->count > rt->budget)
        kind = LND_LIMIT_BUDGET;
    else if (units >= LND_RT_HOOK_COUNT || before / LND_RT_HOOK_COUNT != rt->count / LND_RT_HOOK_COUNT)
        kind = lnd_rt_over_limit(rt);
    if (kind != LND_LIMIT_NONE)
        lnd_rt_limit(L, rt, kind, level);
}

/* The count hook: accounts instructions, checks the deadline, the memory
 * flag and interrupts; once a limit is hit it raises on every instruction
 * until the call returns, so pcall cannot swallow it. */
void lnd_rt_hook(lua_State *L, lua_Debug *ar)
{
    nd_runtime *rt = lnd_rt_get(L);
    int kind = LND_LIMIT_NONE;
    if (atomic_exchange(&rt->interrupted, 0)) {
        kind = LND_LIMIT_INTERRUPT;
    } else if (!rt->in_call) {
        return;
    } else if (rt->limit) {
        reraise(L, rt);
    } else {
        rt->count += (uint64_t)rt->hook_count;
        kind = rt->mem_over ? LND_LIMIT_MEMORY : lnd_rt_over_limit(rt);
    }
    if (kind != LND_LIMIT_NONE) {
        lua_getinfo(L, "Sl", ar);
        raise_limit_at(L, rt, kind, ar);
    }
}

