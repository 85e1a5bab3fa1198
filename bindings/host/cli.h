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

/* Options and counters of the streaming mapper and reducer. */
typedef struct lnd_map_opts {
    const char *input_name;   /* name used in messages, e.g. "stdin" */
    int keep_going;           /* 1: report a failing map()/reduce() call and go on */
    int skip_malformed;       /* 1: malformed lines do not make the run fail */
    int keyed_input;          /* 1: lines are KEY<TAB>JSON (always so for reduce) */
    int reduce;               /* 1: call reduce(key, records) per run of equal keys */
    int quiet;                /* 1: no summary line when nothing went wrong */
    const char *key;          /* NULL, or the record field written as KEY<TAB> */
    uint64_t line_offset;     /* added to line numbers in messages */
} lnd_map_opts;

typedef struct lnd_map_stats {
    uint64_t lines;       /* input lines read (blank ones included) */
    uint64_t articles;    /* objects decoded (handed to map(), or to reduce() in groups) */
    uint64_t groups;      /* reduce() calls made or attempted */
    uint64_t records;     /* JSON records written */
    uint64_t malformed;   /* lines skipped as malformed */
    uint64_t failed;      /* map()/reduce() calls (or finish()) that raised */
} lnd_map_stats;

/* Read JSON Lines from in (KEY<TAB>JSON lines when o->keyed_input or
 * o->reduce), call the script environment's map(article [, key]) for each
 * object, or reduce(key, records) for each run of consecutive lines with
 * the same key, and write what it returns to out as JSON Lines (KEY<TAB>JSON
 * when o->key names a field or the function returns a key as its second
 * result).  A record is written whole or not at all.  Every problem is
 * reported on err with its line number (plus o->line_offset) and the
 * article's id or url, and one summary line ends the run.  The script must
 * already be loaded into rt.  Returns ND_OK; ND_ENOTFOUND (no map or reduce
 * function); ND_ESCRIPT or ND_ELIMIT (a call failed; with keep_going, once
 * all lines are read); ND_ESYNTAX (some line was malformed and not
 * skip_malformed); ND_EIO. */
int lnd_map_run(nd_runtime *rt, FILE *in, FILE *out, FILE *err,
                const lnd_map_opts *o, lnd_map_stats *st);

/* One part of a file for lnd_map_run: the stream of its bytes, and the
 * lines before it in the file (to add to line numbers). */
typedef struct lnd_map_part {
    FILE *in;                 /* the part's bytes; closed by lnd_map_part_close */
    uint64_t lines_before;    /* lines of the file before the part */
    void *map;                /* the file, mapped (NULL when empty) */
    size_t map_len;
} lnd_map_part;

/* Open part k (1 <= k <= n) of the regular file open on fd, the part GNU
 * `split -n l/k/n` writes: the file is cut into n-1 chunks of size/n bytes
 * and the rest, and each line belongs to the chunk holding its first byte
 * (a file smaller than n bytes is all part 1), so the n parts hold every
 * line once, whole.  Only the bytes before the part's end are read (the
 * file is mapped; counting lines_before reads the bytes before the part).
 * Sets *part (zeroed first); the caller closes it with lnd_map_part_close.
 * Returns ND_OK, ND_EINVAL (k out of range, or fd not a regular file) or
 * ND_EIO (errno says why). */
int lnd_map_part_open(int fd, uint64_t k, uint64_t n, lnd_map_part *part);

/* Close what lnd_map_part_open opened; safe on a zeroed or closed part. */
void lnd_map_part_close(lnd_map_part *part);

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
