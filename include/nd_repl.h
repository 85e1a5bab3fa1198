/*
 * nd_repl.h — the interactive newsdesk prompt, for the newsdesk program and
 * for host applications that want to offer it on their own terminal.
 *
 *     nd_runtime *rt;
 *     nd_repl_opts o;
 *     nd_runtime_new(&rt, NULL);
 *     nd_repl_opts_init(&o);
 *     o.history_path = "/home/me/.myapp_history";
 *     nd_repl_run(rt, &o);                  // returns at Ctrl-D / end of input
 *     nd_runtime_free(rt);
 *
 * The prompt reads Lua with line editing (libedit), keeps a history file,
 * continues multi-line input while the chunk is incomplete, prints the values
 * of expressions through require "newsdesk.pretty", completes globals,
 * module functions, table fields and methods with Tab, offers help(x) for
 * newsdesk functions, and stops a running statement on Ctrl-C (SIGINT)
 * through nd_runtime_interrupt.
 *
 * Threads and signals.  nd_repl_run owns the terminal and the SIGINT handler
 * while it runs (the previous handler is restored before it returns), so
 * only one prompt may run per process at a time.
 */
#ifndef ND_REPL_H
#define ND_REPL_H

#include <stdio.h>

#include "nd_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of nd_repl_run.  Initialise with nd_repl_opts_init.  Every string
 * is borrowed for the duration of nd_repl_run. */
typedef struct nd_repl_opts {
    /* History file read at start and rewritten after every entry; NULL (the
     * default) keeps history in memory only. */
    const char *history_path;
    /* Prompts for the first and continuation lines; defaults "> ", ">> ". */
    const char *prompt, *prompt2;
    /* Banner printed once at start; NULL prints none.  Default: newsdesk's
     * name, version and a hint about help() and Ctrl-D. */
    const char *banner;
    /* Streams; defaults stdin, stdout, stderr.  Line editing needs in to be
     * a terminal; otherwise lines are read plainly and no prompt shows. */
    FILE *in, *out, *err;
} nd_repl_opts;

/* Fill o with the defaults above. */
ND_API void nd_repl_opts_init(nd_repl_opts *o);

/* Run the prompt on rt until end of input (Ctrl-D on an empty line).
 * Errors of the statements typed are printed and do not end the prompt.
 * o == NULL means the defaults.  Returns ND_OK, ND_EINVAL (rt NULL) or
 * ND_ENOMEM (the line editor could not start). */
ND_API int nd_repl_run(nd_runtime *rt, const nd_repl_opts *o);

#ifdef __cplusplus
}
#endif

#endif /* ND_REPL_H */
