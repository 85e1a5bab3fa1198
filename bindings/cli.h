/*
 * cli.h — pieces shared by the newsdesk program (main.c), the prompt
 * (repl.c) and the streaming mapper (map.c).  Not installed.
 */
#ifndef ND_CLI_H
#define ND_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <lua.h>

#include "nd_runtime.h"

/* Compile len bytes of Lua at code as chunk `name` ("=stdin", "@x.lua")
 * with the script environment of rt (nd_runtime_pushenv) as its _ENV.  On success pushes the
 * function and returns LUA_OK; otherwise pushes the message and returns the
 * luaL_load* status.  [-0, +1] */
int lnd_cli_load(nd_runtime *rt, const char *code, size_t len, const char *name);

/* As lnd_cli_load for a file (NULL = standard input); the chunk is named
 * after the path as given, messages read "path:line: ...".  [-0, +1] */
int lnd_cli_loadfile(nd_runtime *rt, const char *path);

/* nd_runtime_pcall with Ctrl-C wired to nd_runtime_interrupt for its
 * duration (the previous SIGINT handler is restored after).  [-(n+1), +r] */
int lnd_cli_pcall(nd_runtime *rt, int nargs, int nresults);

/* Options and counters of the streaming mapper. */
typedef struct lnd_map_opts {
    const char *input_name;   /* name used in messages, e.g. "stdin" */
    int keep_going;           /* 1: report a failing map() call and go on */
} lnd_map_opts;

typedef struct lnd_map_stats {
    uint64_t lines;       /* input lines read (blank ones included) */
    uint64_t articles;    /* lines handed to map() */
    uint64_t records;     /* JSON records written */
    uint64_t malformed;   /* lines skipped as malformed */
    uint64_t failed;      /* map() calls that raised (with keep_going) */
} lnd_map_stats;

/* Read JSON Lines from in, call the script environment's map(article) for
 * each object and write what it returns to out as JSON Lines.  The script
 * must already be loaded into rt.  Malformed lines are reported on err and
 * skipped.  Returns ND_OK, ND_ENOTFOUND (no map function), ND_ESCRIPT or
 * ND_ELIMIT (a map() call failed; message printed on err), ND_EIO. */
int lnd_map_run(nd_runtime *rt, FILE *in, FILE *out, FILE *err,
                const lnd_map_opts *o, lnd_map_stats *st);

/* clock() -> seconds of a monotonic clock, as a float.  [-0, +1] */
int lnd_cli_clock(lua_State *L);

/* Columns of the terminal f is, or 0 when it is not a terminal. */
int lnd_cli_columns(FILE *f);

/* Push a progress-bar function for db:ingest / db:tag progress callbacks:
 * called with {files=, articles=, bytes=, total_bytes=} (ingest) or
 * {articles=, total=, mentions=} (tag) it redraws one line on f at most ten
 * times a second (files, articles, MB/s or articles/s, time left), and
 * called with no argument it clears the line.  When f is not a terminal the
 * function does nothing.  [-0, +1] */
void lnd_cli_pushprogress(lua_State *L, FILE *f);

#endif /* ND_CLI_H */
