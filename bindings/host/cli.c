/*
 * cli.c — helpers of the newsdesk program and prompt: loading chunks into a
 * runtime's script environment, calls that Ctrl-C can interrupt, and the
 * progress bar of the ingest and tag commands.
 */
#include <signal.h>
#include <sys/ioctl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "cli.h"

/* ---- script environment -------------------------------------------------- */

/* Give the function on top its _ENV (first upvalue of a main chunk).  A
 * failed load leaves its message as it is.  [-1, +1] */
static int setenv_or_fail(nd_runtime *rt, int status)
{
    lua_State *L = nd_runtime_lua(rt);
    if (status != LUA_OK)
        return status;
    nd_runtime_pushenv(rt);
    if (lua_setupvalue(L, -2, 1) == NULL)
        lua_pop(L, 1);
    return LUA_OK;
}

int lnd_cli_load(nd_runtime *rt, const char *code, size_t len, const char *name)
{
    lua_State *L = nd_runtime_lua(rt);
    return setenv_or_fail(rt, luaL_loadbufferx(L, code, len, name, "t"));
}

int lnd_cli_loadfile(nd_runtime *rt, const char *path)
{
    lua_State *L = nd_runtime_lua(rt);
    return setenv_or_fail(rt, luaL_loadfilex(L, path, "t"));
}

/* ---- interruptible calls --------------------------------------------------- */

/* The runtime a Ctrl-C stops.  A signal handler has no other way to find
 * it; set only while lnd_cli_pcall runs. */
static nd_runtime *volatile sigint_rt;

static void on_sigint(int sig)
{
    (void)sig;
    if (sigint_rt)
        nd_runtime_interrupt(sigint_rt);
}

int lnd_cli_pcall(nd_runtime *rt, int nargs, int nresults)
{
    struct sigaction sa, old;
    int rc;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND;     /* a second Ctrl-C ends the program, as in lua5.4 */
    sigemptyset(&sa.sa_mask);
    sigint_rt = rt;
    sigaction(SIGINT, &sa, &old);
    rc = nd_runtime_pcall(rt, nargs, nresults);
    sigaction(SIGINT, &old, NULL);
    sigint_rt = NULL;
    return rc;
}

/* ---- terminal ------------------------------------------------------------------ */

int lnd_cli_columns(FILE *f)
{
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

/* ---- progress bar ---------------------------------------------------------- */

#define PROGRESS_MT "newsdesk.cli.progress"

typedef struct progress {
    FILE *f;
    int tty;
    int drawn;            /* a line is on screen */
    double start, last;   /* monotonic seconds */
} progress;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static lua_Number numfield(lua_State *L, int t, const char *k)
{
    lua_Number v;
    lua_getfield(L, t, k);
    v = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 0;
    lua_pop(L, 1);
    return v;
}

int lnd_cli_clock(lua_State *L)
{
    lua_pushnumber(L, now());
    return 1;
}

/* "  m:ss left" for `left` units at `rate` units a second, or "". */
static void eta(char *out, size_t n, double left, double rate)
{
    long sec;
    out[0] = '\0';
    if (left <= 0 || rate <= 0)
        return;
    sec = (long)(left / rate + 0.5);
    snprintf(out, n, "  %ld:%02ld left", sec / 60, sec % 60);
}

/* progress(t) draws; progress() clears.  t holds what db:ingest reports
 * ({files=, articles=, bytes=, total_bytes=}) or db:tag ({articles=,
 * total=, mentions=}); absent fields are left out.  [-(0|1), +0] */
static int progress_call(lua_State *L)
{
    progress *p = luaL_checkudata(L, lua_upvalueindex(1), PROGRESS_MT);
    double t = now(), elapsed, bytes, articles, total;
    char files[48] = "", of[32] = "", mentions[48] = "", rate[48], left[32];
    if (!p->tty)
        return 0;
    if (lua_isnoneornil(L, 1)) {
        if (p->drawn)
            fputs("\r\033[K", p->f);
        p->drawn = 0;
        fflush(p->f);
        return 0;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    if (p->drawn && t - p->last < 0.1)
        return 0;
    p->last = t;
    elapsed = t - p->start > 1e-6 ? t - p->start : 1e-6;
    bytes = numfield(L, 1, "bytes");
    articles = numfield(L, 1, "articles");
    total = numfield(L, 1, "total");
    if (numfield(L, 1, "files") > 0)
        snprintf(files, sizeof files, "files %.0f  ", numfield(L, 1, "files"));
    if (total > 0)
        snprintf(of, sizeof of, "/%.0f", total);
    if (numfield(L, 1, "mentions") > 0)
        snprintf(mentions, sizeof mentions, "  mentions %.0f", numfield(L, 1, "mentions"));
    if (bytes > 0) {
        snprintf(rate, sizeof rate, "  %.1f MB/s", bytes / elapsed / 1e6);
        eta(left, sizeof left, numfield(L, 1, "total_bytes") - bytes, bytes / elapsed);
    } else {
        snprintf(rate, sizeof rate, "  %.0f articles/s", articles / elapsed);
        eta(left, sizeof left, total - articles, articles / elapsed);
    }
    fprintf(p->f, "\r\033[K  %sarticles %.0f%s%s%s%s", files, articles, of, mentions, rate, left);
    fflush(p->f);
    p->drawn = 1;
    return 0;
}

void lnd_cli_pushprogress(lua_State *L, FILE *f)
{
    progress *p = lua_newuserdatauv(L, sizeof *p, 0);
    p->f = f;
    p->tty = isatty(fileno(f));
    p->drawn = 0;
    p->start = p->last = now();
    luaL_newmetatable(L, PROGRESS_MT);
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, progress_call, 1);
}
