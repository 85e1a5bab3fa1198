/*
 * repl.c — the interactive prompt (include/nd_repl.h), after lua.c's
 * doREPL: read a line with libedit, try it as an expression ("return "
 * prepended), otherwise as a statement that may continue over more lines
 * while the compiler reports an unexpected <eof>; run it through
 * lnd_cli_pcall so Ctrl-C interrupts it; print results with the Lua-side
 * helper module "newsdesk.repl" (pretty printer, Tab completion, help).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>
#include <lauxlib.h>

#include "cli.h"
#include "lnd.h"
#include "nd_repl.h"

#define HELPER_MODULE "newsdesk.repl"

typedef struct repl {
    nd_runtime *rt;
    lua_State *L;
    const nd_repl_opts *o;
    EditLine *el;
    History *hist;
    const char *prompt;      /* the prompt shown now */
    int helper;              /* registry ref of "newsdesk.repl", LUA_NOREF if absent */
} repl;

void nd_repl_opts_init(nd_repl_opts *o)
{
    memset(o, 0, sizeof *o);
    o->prompt = "> ";
    o->prompt2 = ">> ";
    o->banner = "newsdesk " ND_VERSION_STRING " (" LUA_RELEASE ")"
                " -- help() for help, Ctrl-D to leave";
}

/* ---- line editor ------------------------------------------------------------- */

static char *prompt_fn(EditLine *el)
{
    repl *r;
    el_get(el, EL_CLIENTDATA, &r);
    return (char *)r->prompt;
}

/* Tab: ask newsdesk.repl.complete(env, text before the cursor) for the text
 * to insert, or else a listing of the candidates to show. */
static unsigned char complete_fn(EditLine *el, int ch)
{
    repl *r;
    const LineInfo *li = el_line(el);
    lua_State *L;
    int top;
    unsigned char rc = CC_ERROR;
    (void)ch;
    el_get(el, EL_CLIENTDATA, &r);
    L = r->L;
    top = lua_gettop(L);
    if (r->helper == LUA_NOREF)
        return rc;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->helper);
    lua_getfield(L, -1, "complete");
    nd_runtime_pushenv(r->rt);
    lua_pushlstring(L, li->buffer, (size_t)(li->cursor - li->buffer));
    if (nd_runtime_pcall(r->rt, 2, 2) == ND_OK) {
        const char *insert = lua_tostring(L, -2);
        const char *list = lua_tostring(L, -1);
        if (insert && *insert) {
            if (el_insertstr(el, insert) == 0)
                rc = CC_REFRESH;
        } else if (list && *list) {
            fprintf(r->o->out, "\n%s", list);
            rc = CC_REDISPLAY;
        }
    }
    lua_settop(L, top);
    return rc;
}

/* While the prompt runs, a SIGINT outside a call only has to interrupt
 * read(2) in el_gets. */
static void on_sigint_reading(int sig)
{
    (void)sig;
}

/* Read one line with prompt p and push it without its newline.
 * Returns 1 (a line), 0 (end of input) or -1 (Ctrl-C).  [-0, +(1|0)] */
static int readline(repl *r, const char *p)
{
    const char *line;
    int n = 0, saved;
    r->prompt = p;
    errno = 0;
    line = el_gets(r->el, &n);
    saved = errno;
    if (line == NULL || n <= 0) {
        if (n < 0 && saved == EINTR) {
            el_reset(r->el);
            return -1;
        }
        return 0;
    }
    if (n > 0 && line[n - 1] == '\n')
        n--;
    lua_pushlstring(r->L, line, (size_t)n);
    return 1;
}

static void remember(repl *r, const char *chunk)
{
    HistEvent ev;
    if (!r->hist || !*chunk)
        return;
    history(r->hist, &ev, H_ENTER, chunk);
    if (r->o->history_path)
        history(r->hist, &ev, H_SAVE, r->o->history_path);
}

/* ---- reading and running chunks ----------------------------------------------- */

static int incomplete(lua_State *L, int status)
{
    static const char mark[] = "<eof>";
    size_t len;
    const char *msg;
    if (status != LUA_ERRSYNTAX)
        return 0;
    msg = lua_tolstring(L, -1, &len);
    return len >= sizeof mark - 1 && strcmp(msg + len - (sizeof mark - 1), mark) == 0;
}

/* The line on top as an expression: compile "return LINE".  [-0, +(1|0)] */
static int try_expression(repl *r)
{
    lua_State *L = r->L;
    const char *line = lua_tostring(L, -1);
    const char *code = lua_pushfstring(L, "return %s;", line[0] == '=' ? line + 1 : line);
    int status = lnd_cli_load(r->rt, code, strlen(code), "=stdin");
    lua_remove(L, -2);                       /* the "return" text */
    if (status != LUA_OK)
        lua_pop(L, 1);
    return status;
}

/* Read a chunk and compile it.  Returns LUA_OK with the function on top
 * (over the source text), a load status with the message on top (over the
 * source text), END_OF_INPUT at Ctrl-D or INTERRUPTED at Ctrl-C (nothing
 * left on the stack by this call's lines then matters: the caller resets
 * the top). */
#define END_OF_INPUT 100
#define INTERRUPTED (-1)
static int loadchunk(repl *r)
{
    lua_State *L = r->L;
    int status, got = readline(r, r->o->prompt);
    if (got == 0)
        return END_OF_INPUT;
    if (got < 0)
        return INTERRUPTED;
    if (try_expression(r) == LUA_OK) {
        remember(r, lua_tostring(L, -2));
        return LUA_OK;
    }
    for (;;) {
        size_t len;
        const char *code = lua_tolstring(L, -1, &len);
        status = lnd_cli_load(r->rt, code, len, "=stdin");
        if (!incomplete(L, status))
            break;
        lua_pop(L, 1);
        got = readline(r, r->o->prompt2);
        if (got <= 0)
            return got == 0 ? END_OF_INPUT : INTERRUPTED;
        lua_pushliteral(L, "\n");
        lua_insert(L, -2);
        lua_concat(L, 3);
    }
    remember(r, lua_tostring(L, -2));
    return status;
}

/* Print the values above base with newsdesk.repl.show (or print). */
static void show(repl *r, int base)
{
    lua_State *L = r->L;
    int n = lua_gettop(L) - base;
    if (n <= 0)
        return;
    if (r->helper != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->helper);
        lua_getfield(L, -1, "show");
        lua_remove(L, -2);
    } else {
        lua_getglobal(L, "print");
    }
    lua_insert(L, base + 1);
    if (lnd_cli_pcall(r->rt, n, 0) != ND_OK)
        fprintf(r->o->err, "%s\n", nd_runtime_errmsg(r->rt));
}

/* The registry's named metatables, {name = mt}, for help().  [-0, +1] */
static int registry_metatables(lua_State *L)
{
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE &&
            strncmp(lua_tostring(L, -2), "newsdesk.", 9) == 0) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        } else {
            lua_pop(L, 1);
        }
    }
    return 1;
}

/* Tell the helper module the embedded module names.  [-0, +0] */
static void describe_library(lua_State *L, int helper)
{
    size_t i;
    lua_createtable(L, (int)lnd_embedded_count, 0);
    for (i = 0; i < lnd_embedded_count; i++) {
        lua_pushstring(L, lnd_embedded_modules[i].name);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, helper, "modules");
    lua_pushcfunction(L, registry_metatables);
    lua_setfield(L, helper, "metatables");
}

/* Load newsdesk.repl and set the global help when the script environment
 * has none. */
static void load_helper(repl *r)
{
    lua_State *L = r->L;
    r->helper = LUA_NOREF;
    lua_getglobal(L, "require");
    lua_pushliteral(L, HELPER_MODULE);
    if (nd_runtime_pcall(r->rt, 1, 1) != ND_OK)
        return;
    /* the module itself: a sandbox's require gives a read-only proxy */
    lua_pop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, HELPER_MODULE);
    lua_remove(L, -2);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    describe_library(L, lua_gettop(L));
    if (lnd_cli_columns(r->o->out) > 0) {
        lnd_setint(L, "width", lnd_cli_columns(r->o->out));
    }
    lua_getfield(L, -1, "help");
    nd_runtime_pushenv(r->rt);
    if (lua_getfield(L, -1, "help") == LUA_TNIL) {
        lua_pushvalue(L, -3);
        lua_setfield(L, -3, "help");
    }
    lua_pop(L, 2);
    lua_pop(L, 1);
    r->helper = luaL_ref(L, LUA_REGISTRYINDEX);
}

static int start_editor(repl *r)
{
    HistEvent ev;
    const nd_repl_opts *o = r->o;
    r->el = el_init("newsdesk", o->in, o->out, o->err);
    r->hist = history_init();
    if (!r->el || !r->hist)
        return ND_ENOMEM;
    history(r->hist, &ev, H_SETSIZE, 1000);
    history(r->hist, &ev, H_SETUNIQUE, 1);
    if (o->history_path)
        history(r->hist, &ev, H_LOAD, o->history_path);
    el_set(r->el, EL_CLIENTDATA, r);
    el_set(r->el, EL_EDITOR, "emacs");
    el_set(r->el, EL_PROMPT, prompt_fn);
    el_set(r->el, EL_HIST, history, r->hist);
    /* the wide form stores these static strings; the narrow one leaks copies */
    el_wset(r->el, EL_ADDFN, L"nd-complete", L"complete a name", complete_fn);
    el_set(r->el, EL_BIND, "^I", "nd-complete", NULL);
    el_source(r->el, NULL);
    return ND_OK;
}

int nd_repl_run(nd_runtime *rt, const nd_repl_opts *opts)
{
    nd_repl_opts defaults;
    repl r;
    struct sigaction sa, old;
    int rc, base;
    if (!rt)
        return ND_EINVAL;
    nd_repl_opts_init(&defaults);
    if (opts) {
        defaults = *opts;
        if (!defaults.prompt) defaults.prompt = "> ";
        if (!defaults.prompt2) defaults.prompt2 = ">> ";
    }
    if (!defaults.in) defaults.in = stdin;
    if (!defaults.out) defaults.out = stdout;
    if (!defaults.err) defaults.err = stderr;
    memset(&r, 0, sizeof r);
    r.rt = rt;
    r.L = nd_runtime_lua(rt);
    r.o = &defaults;
    rc = start_editor(&r);
    if (rc != ND_OK)
        goto done;
    load_helper(&r);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint_reading;    /* no SA_RESTART: read(2) returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    if (defaults.banner && isatty(fileno(defaults.in)))
        fprintf(defaults.out, "%s\n", defaults.banner);
    base = lua_gettop(r.L);
    for (;;) {
        int status = loadchunk(&r);
        if (status == END_OF_INPUT)
            break;
        if (status == INTERRUPTED) {
            fputc('\n', defaults.out);
        } else if (status != LUA_OK) {
            fprintf(defaults.err, "%s\n", lua_tostring(r.L, -1));
        } else {
            lua_remove(r.L, -2);             /* the source text */
            if (lnd_cli_pcall(rt, 0, LUA_MULTRET) == ND_OK)
                show(&r, base);
            else
                fprintf(defaults.err, "%s\n", nd_runtime_errmsg(rt));
        }
        fflush(defaults.out);
        lua_settop(r.L, base);
    }
    fputc('\n', defaults.out);
    sigaction(SIGINT, &old, NULL);
    if (r.helper != LUA_NOREF)
        luaL_unref(r.L, LUA_REGISTRYINDEX, r.helper);
done:
    if (r.el)
        el_end(r.el);
    if (r.hist)
        history_end(r.hist);
    return rc;
}
