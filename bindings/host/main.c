/*
 * main.c — the newsdesk program: runs analyst scripts, the prompt, the
 * streaming mapper and the ingest/search/tag commands, each inside an
 * nd_runtime (sandboxed with --sandbox).  `newsdesk --help` lists it all.
 *
 * Exit status: 0 success, 1 script error (or a command that failed),
 * 2 usage error.
 */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>

#include "cli.h"
#include "nd_repl.h"
#include "nd_runtime.h"

/* Limits of --sandbox when not given (README, --help, man page). */
#define SANDBOX_MEMORY_MIB 256.0
#define SANDBOX_TIME_LIMIT 10.0
#define SANDBOX_BUDGET 1e9

#define EXIT_SCRIPT 1
#define EXIT_USAGE 2
#define MAX_READ_DIRS 16

static const char progname[] = "newsdesk";

/* ---- help texts ---------------------------------------------------------------- */

static const char help_main[] =
    "usage: newsdesk [OPTIONS] COMMAND [ARGS...]\n"
    "       newsdesk [OPTIONS] SCRIPT.lua [ARGS...]\n"
    "       newsdesk [OPTIONS] -e CODE [SCRIPT [ARGS...]]\n"
    "\n"
    "Commands:\n"
    "  run SCRIPT [ARGS...]   run a Lua script (\"-\" reads it from standard input)\n"
    "  repl                   the interactive prompt (the default on a terminal)\n"
    "  ingest PATH...         add articles from files or directories to the store\n"
    "  search QUERY...        full-text search of the store\n"
    "  tag RULES...           tag the store's articles with rule files or packs\n"
    "  merge OUT.db IN.db...  add the articles, tags and mentions of stores to OUT.db\n"
    "  map SCRIPT [ARGS...]   JSON Lines in, map(article) per line, JSON Lines out\n"
    "  reduce SCRIPT [ARGS...] KEY<TAB>JSON lines in, reduce(key, records) per key\n"
    "  help [COMMAND]         this text, or the options of one command\n"
    "  version                print the version\n"
    "\n"
    "Options (before the command, or after ingest/search/tag/map/reduce):\n"
    "  --db PATH              the store scripts see as the global `db`\n"
    "                         (default $NEWSDESK_DB, else ./newsdesk.db; opened on\n"
    "                         first use, so a script that never touches db creates\n"
    "                         no file)\n"
    "  -e CODE                run CODE first (may be repeated)\n"
    "  --sandbox              run scripts in the sandbox: safe libraries only, no\n"
    "                         file access outside --allow-read directories, the\n"
    "                         store read-only, and limits (each call in map):\n"
    "                         256 MiB, 10 s, 1000000000 instructions unless\n"
    "                         --memory-limit, --time-limit, --budget (0 = none)\n"
    "  --allow-read DIR       let sandboxed scripts read files below DIR (repeatable)\n"
    "  --writable             let sandboxed scripts write the store (db:add, db:delete,\n"
    "                         db:tag, db:ingest); the ingest and tag commands imply it\n"
    "  --memory-limit MIB     stop a script that holds more than MIB MiB\n"
    "  --time-limit SECONDS   stop a script (each call in map/reduce) running longer\n"
    "  --cpu-limit SECONDS    stop a script (each call) that uses more CPU time; no\n"
    "                         default, with or without --sandbox\n"
    "  --budget N             stop a script after N Lua instructions (SQLite steps\n"
    "                         count too); 0 = no limit, for each of the three\n"
    "  -q, --quiet            no progress bar, no banner\n"
    "  -h, --help             this text\n"
    "  -v, --version          print the version\n"
    "  --                     end of options\n"
    "\n"
    "With no command: the prompt when standard input is a terminal, otherwise\n"
    "standard input is run as a script.  Scripts get `newsdesk` (the module),\n"
    "`db` and `arg` (arg[0] the script, arg[1..] its arguments, as in lua5.4).\n"
    "\n"
    "Exit status: 0 success, 1 script error or failed command, 2 usage error.\n"
    "See `newsdesk help COMMAND` and man newsdesk(1).\n";

struct cli;
struct command;
typedef int command_fn(struct cli *c, const struct command *cmd);
static command_fn cmd_run, cmd_repl, cmd_lua, cmd_map, cmd_help, cmd_version;

/* Where an option may stand: before the command (AT_TOP) and after the
 * commands whose bit it has (each command's `at` below). */
enum {
    AT_TOP = 1 << 0, AT_RUN = 1 << 1, AT_REPL = 1 << 2, AT_INGEST = 1 << 3, AT_SEARCH = 1 << 4,
    AT_TAG = 1 << 5, AT_MAP = 1 << 6, AT_REDUCE = 1 << 7, AT_MERGE = 1 << 8,
    AT_STREAM = AT_MAP | AT_REDUCE,
    AT_ANY = AT_TOP | AT_RUN | AT_REPL | AT_INGEST | AT_SEARCH | AT_TAG | AT_STREAM | AT_MERGE
};

/* A command's option rules (bits). */
enum {
    CMD_OPTIONS = 1 << 0,         /* options may follow the command word */
    CMD_INTERLEAVED = 1 << 1,     /* ... and stand among its operands too */
    CMD_NO_OPERANDS = 1 << 2,     /* takes no operands */
    CMD_RUNTIME = 1 << 3,         /* runs in a runtime made before the handler */
    CMD_WRITES = 1 << 4,          /* writes the store: implies --writable */
    CMD_STREAM = 1 << 5           /* map/reduce: stdout carries records, no store */
};

/* The commands: a new one is one row here plus its handler. */
typedef struct command {
    const char *name;
    command_fn *handler;
    unsigned at;                  /* the AT_* bit its options are declared for */
    unsigned rules;               /* CMD_* */
    const char *needs;            /* what it lacks when no operand is given, or NULL */
    const char *usage;            /* `newsdesk help NAME` */
} command;

static const command commands[] = {
    { "run", cmd_run, AT_RUN, CMD_OPTIONS | CMD_RUNTIME, "a script",
      "usage: newsdesk [OPTIONS] run SCRIPT [ARGS...]\n"
      "       newsdesk [OPTIONS] SCRIPT.lua [ARGS...]\n"
      "\n"
      "Run the Lua 5.4 script SCRIPT (\"-\" = standard input) with the newsdesk\n"
      "module loaded as the global `newsdesk` and the store as the global `db`\n"
      "(opened on first use; see --db).  ARGS are in arg[1..] and in `...`.\n"
      "An error prints \"script.lua:LINE: message\" and a traceback; exit 1.\n"
      "Ctrl-C stops the script with \"interrupted\".\n" },
    { "repl", cmd_repl, AT_REPL, CMD_OPTIONS | CMD_NO_OPERANDS | CMD_RUNTIME, NULL,
      "usage: newsdesk [OPTIONS] repl\n"
      "\n"
      "The interactive prompt.  Expressions print their values (tables nested\n"
      "to a depth, articles as one line, lists of articles or rows as aligned\n"
      "tables); input continues over lines while a statement is incomplete;\n"
      "Tab completes globals, module functions, fields and methods;\n"
      "help(x) shows the documentation of a newsdesk function; Ctrl-C stops\n"
      "the running statement; Ctrl-D leaves.  History is kept in\n"
      "$NEWSDESK_HISTORY, else ~/.newsdesk_history.\n" },
    { "ingest", cmd_lua, AT_INGEST, CMD_OPTIONS | CMD_INTERLEAVED | CMD_RUNTIME | CMD_WRITES,
      "at least one path",
      "usage: newsdesk [OPTIONS] ingest [--encoding ENC] [--lang L] [--ref-date DATE] [--strict] [--threads N] PATH...\n"
      "\n"
      "Add the articles in the files, directories and glob patterns PATH...\n"
      "(\"-\" = standard input) to the store (--db), calling db:ingest: page\n"
      "dumps, HTML, CSV, TSV and JSON Lines.  On a terminal a progress bar shows\n"
      "files, articles, MB/s and the time left (not with --quiet).  Prints what\n"
      "was added, duplicates, repairs and rejections, then the errors, each\n"
      "with its file and line.  Exit 1 when any file had an error.\n"
      "  --encoding ENC  the input encoding (default: detected per file)\n"
      "  --lang L        language hint for pages that do not say (tr, en, ...)\n"
      "  --ref-date DATE the year for dates that give none (\"BERLIN, 4. November\n"
      "                  (Reuters) -\"): the one nearest DATE (2016-11-20)\n"
      "  --strict        reject invalid UTF-8 instead of repairing it\n"
      "  --threads N     threads for JSON Lines, CSV and TSV records: N - 1\n"
      "                  prepare records while one writes the store (default:\n"
      "                  the processors online, at most 8; 1: one thread)\n" },
    { "search", cmd_lua, AT_SEARCH, CMD_OPTIONS | CMD_INTERLEAVED | CMD_RUNTIME, "a query",
      "usage: newsdesk [OPTIONS] search [--limit N] [--json] [--lang L] [--exact] [--derive D] QUERY...\n"
      "\n"
      "Full-text search of the store (--db) with db:search; the words of\n"
      "QUERY... are joined by spaces.  Each word finds its inflected forms\n"
      "(suriye: Suriyeyle, Suriye'de; россия: России); =word or =\"a phrase\"\n"
      "finds the words as written.  Prints one aligned line per article:\n"
      "id, date, source, title.\n"
      "  -n, --limit N   at most N results (default 20)\n"
      "  --json          one JSON object per result instead\n"
      "  --lang L        only articles in L, the query's words read as L\n"
      "  --exact         every word as written, no other forms\n"
      "  --derive D      Turkish derived words: origin (default: suriye finds\n"
      "                  Suriyeli), none, or all (also -ca and -laş)\n"
      "Exit 1 when the store cannot be opened or the query is malformed.\n" },
    { "tag", cmd_lua, AT_TAG, CMD_OPTIONS | CMD_INTERLEAVED | CMD_RUNTIME | CMD_WRITES,
      "at least one rule file or pack",
      "usage: newsdesk [OPTIONS] tag [--query Q] [--force] [--discover] RULES...\n"
      "\n"
      "Tag the store's articles (--db) with db:tag.  Each RULES is a rule file\n"
      "(.lua, .tsv, .csv) or pack:NAME for a bundled rule pack; all of them\n"
      "make one rule set.  Articles already tagged with the same rules are\n"
      "skipped.  On a terminal a progress bar shows articles, mentions and the\n"
      "time left (not with --quiet).  Prints how many articles were tagged and\n"
      "the mentions found.\n"
      "  --query Q       only the articles matching the search query Q\n"
      "  --force         tag again articles already tagged with these rules\n"
      "  --discover      also store names no rule lists (newsdesk.rules.discover),\n"
      "                  as mentions of rule \"discover\" under their own rule set\n" },
    { "merge", cmd_lua, AT_MERGE, CMD_OPTIONS | CMD_INTERLEAVED | CMD_RUNTIME | CMD_WRITES,
      "OUT.db and at least one IN.db",
      "usage: newsdesk [OPTIONS] merge OUT.db IN.db...\n"
      "\n"
      "Add every article of the stores IN.db... to the store OUT.db (created\n"
      "if missing) with db:merge: exact duplicates are stored once, near-\n"
      "duplicates are linked to the first copy (across the inputs too), the\n"
      "full-text index covers them, and each input's tagging records and\n"
      "mentions follow their articles.  Safe to run again: what is already in\n"
      "OUT.db is not added twice.  On a terminal a progress bar shows the\n"
      "records read (not with --quiet).  Prints what was added per input.\n"
      "Exit 1 when an input is missing or not a newsdesk store (the message\n"
      "names it); the inputs merged before it stay merged.\n" },
    { "map", cmd_map, AT_MAP, CMD_OPTIONS | CMD_RUNTIME | CMD_STREAM, "a script",
      "usage: newsdesk [OPTIONS] map [--keep-going] [--skip-malformed] [--key FIELD]\n"
      "                          [--input json|keyed] [--line-offset N] [--part K/N]\n"
      "                          SCRIPT [ARGS...]\n"
      "\n"
      "Streaming mapper, no store: reads one JSON object per line from standard\n"
      "input and calls the script's global map(article) with it as a table.\n"
      "map returns nil or false (drop), a table (one record) or a list of\n"
      "tables (several records; an empty table emits nothing), and may return\n"
      "a key as a second result.  Records are written to standard output as\n"
      "compact UTF-8 JSON, one per line, keys sorted; a record with a key is\n"
      "written KEY<TAB>JSON (the Hadoop Streaming contract).  A record is\n"
      "written whole or not at all.  A global finish() is called at the end\n"
      "and may return records too.  print(), io.write and io.stdout write to\n"
      "standard error, never into the records.  newsdesk.rules and the\n"
      "filters work inside map.\n"
      "\n"
      "Every problem is reported on standard error with the line number in\n"
      "the whole input and the article's id or url; a summary line (lines\n"
      "read, records written, malformed lines skipped, errors) ends the run.\n"
      "Exit 1 when a map() call failed (it stops the run unless --keep-going)\n"
      "or a line was malformed (unless --skip-malformed).\n"
      "  --keep-going      report a failing map() call and go on (still exit 1)\n"
      "  --skip-malformed  skip malformed lines without failing the run\n"
      "  --key FIELD       write each record as FIELD's value, TAB, JSON\n"
      "  --input keyed     input lines are KEY<TAB>JSON; map(article, key)\n"
      "  --line-offset N   add N to line numbers in messages (for engines that\n"
      "                    split the input: the number of lines before this part)\n"
      "  --part K/N        map only part K of N of the file on standard input\n"
      "                    (the lines `split -n l/K/N` gives: N parts of about\n"
      "                    equal bytes, cut at line starts), read in place;\n"
      "                    messages number lines in the whole file\n"
      "  -q, --quiet       no summary line when nothing went wrong\n" },
    { "reduce", cmd_map, AT_REDUCE, CMD_OPTIONS | CMD_RUNTIME | CMD_STREAM, "a script",
      "usage: newsdesk [OPTIONS] reduce [--keep-going] [--skip-malformed] [--key FIELD]\n"
      "                          [--line-offset N] SCRIPT [ARGS...]\n"
      "\n"
      "Streaming reducer, no store: reads KEY<TAB>JSON lines from standard\n"
      "input, sorted (or at least grouped) by key as `sort` and Hadoop\n"
      "Streaming deliver them, and calls the script's global\n"
      "reduce(key, records) once per run of consecutive lines with the same\n"
      "key, records being the list of decoded objects (one key's records are\n"
      "held in memory together).  What reduce returns is\n"
      "written as map's results are: nil (nothing), a table (one record), a\n"
      "list (several); KEY<TAB>JSON when --key FIELD is given or reduce returns\n"
      "a key as its second result.  finish(), messages, the summary line, the\n"
      "exit status and the options are those of map.\n"
      "Bundled reducers: scripts/reducers/ (sum, top, unique, near_duplicates).\n" },
    { "help", cmd_help, 0, 0, NULL, "usage: newsdesk help [COMMAND]\n" },
    { "version", cmd_version, 0, 0, NULL, "usage: newsdesk version\n\nPrint \"newsdesk X.Y.Z\".\n" },
    { NULL, NULL, 0, 0, NULL, NULL }
};

static const command *find_command(const char *name)
{
    const command *cmd;
    for (cmd = commands; cmd->name; cmd++)
        if (strcmp(cmd->name, name) == 0)
            return cmd;
    return NULL;
}

/* ---- options ------------------------------------------------------------------ */

typedef struct cli {
    int argc;
    char **argv;
    int i;                        /* next argument to look at */
    const char *db_path;
    int db_explicit;              /* --db or $NEWSDESK_DB given */
    int sandbox, writable, quiet, keep_going, json, force, discover;
    double limit;                 /* search --limit */
    const char *query;            /* tag --query */
    const char *encoding, *lang;  /* ingest --encoding, --lang */
    const char *ref_date;         /* ingest --ref-date */
    int strict;                   /* ingest --strict */
    int skip_malformed, keyed_input; /* map/reduce --skip-malformed, --input keyed */
    const char *key;              /* map/reduce --key */
    double line_offset;           /* map/reduce --line-offset */
    uint64_t part_k, part_n;      /* map --part K/N; part_n 0: all of standard input */
    double threads;               /* ingest --threads; 0: the processors online */
    int exact;                    /* search --exact */
    const char *derive;           /* search --derive */
    double memory_mib, time_limit, budget, cpu_limit;
    const char *read_dirs[MAX_READ_DIRS + 1];
    int nread_dirs;
    int ecode[64];                /* argv indexes of -e chunks */
    int necode;
    nd_runtime *rt;
} cli;

static int usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nsee '%s --help'\n", progname);
    return EXIT_USAGE;
}

static int number_arg(const char *opt, const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v < 0)
        return usage_error("option '%s' wants a non-negative number", opt);
    *out = v;
    return 0;
}

/* What an option's value is: a flag sets an int to 1; a string or a
 * non-negative number is stored as given; OPT_SET calls the option's own
 * setter. */
enum { OPT_FLAG, OPT_STRING, OPT_NUMBER, OPT_SET };

typedef struct option {
    const char *name;             /* "--limit" */
    const char *alias;            /* "-n", or NULL */
    int kind;                     /* OPT_* */
    size_t at;                    /* offsetof(cli, field) it sets (not OPT_SET) */
    unsigned scope;               /* AT_* where it may stand */
    const char *lua;              /* its field in newsdesk.cli's options table, or NULL */
    int (*set)(cli *c, const char *opt, const char *val);   /* OPT_SET: 0 or EXIT_USAGE */
} option;

static int set_allow_read(cli *c, const char *opt, const char *val)
{
    if (c->nread_dirs == MAX_READ_DIRS)
        return usage_error("too many %s options", opt);
    c->read_dirs[c->nread_dirs++] = val;
    return 0;
}

static int set_ecode(cli *c, const char *opt, const char *val)
{
    (void)val;
    if (c->necode == (int)(sizeof c->ecode / sizeof c->ecode[0]))
        return usage_error("too many %s options", opt);
    c->ecode[c->necode++] = c->i + 1;
    return 0;
}

static int set_db(cli *c, const char *opt, const char *val)
{
    (void)opt;
    c->db_path = val;
    c->db_explicit = 1;
    return 0;
}

static int set_input(cli *c, const char *opt, const char *val)
{
    (void)opt;
    if (strcmp(val, "keyed") != 0 && strcmp(val, "json") != 0)
        return usage_error("--input wants 'json' or 'keyed', not '%s'", val);
    c->keyed_input = val[0] == 'k';
    return 0;
}

/* --part K/N: 1 <= K <= N, both whole numbers. */
static int set_part(cli *c, const char *opt, const char *val)
{
    unsigned long long k, n;
    int used = 0;
    (void)opt;
    if (sscanf(val, "%llu/%llu%n", &k, &n, &used) != 2 || val[used] != '\0' || !isdigit((unsigned char)val[0])
        || k < 1 || k > n)
        return usage_error("--part wants K/N with 1 <= K <= N (part K of N), not '%s'", val);
    c->part_k = k;
    c->part_n = n;
    return 0;
}

static int set_threads(cli *c, const char *opt, const char *val)
{
    if (number_arg(opt, val, &c->threads))
        return EXIT_USAGE;
    if (c->threads < 1 || c->threads > 64)
        return usage_error("option '%s' wants a number of threads from 1 to 64", opt);
    return 0;
}

#define AT(f) offsetof(cli, f)
static const option options[] = {
    { "--db", NULL, OPT_SET, 0, AT_ANY, NULL, set_db },
    { "--allow-read", NULL, OPT_SET, 0, AT_ANY, NULL, set_allow_read },
    { "--memory-limit", NULL, OPT_NUMBER, AT(memory_mib), AT_ANY, NULL, NULL },
    { "--time-limit", NULL, OPT_NUMBER, AT(time_limit), AT_ANY, NULL, NULL },
    { "--cpu-limit", NULL, OPT_NUMBER, AT(cpu_limit), AT_ANY, NULL, NULL },
    { "--budget", NULL, OPT_NUMBER, AT(budget), AT_ANY, NULL, NULL },
    { "--sandbox", NULL, OPT_FLAG, AT(sandbox), AT_ANY, NULL, NULL },
    { "--writable", NULL, OPT_FLAG, AT(writable), AT_ANY, NULL, NULL },
    { "--quiet", "-q", OPT_FLAG, AT(quiet), AT_ANY, "quiet", NULL },
    { "-e", NULL, OPT_SET, 0, AT_TOP, NULL, set_ecode },
    { "--limit", "-n", OPT_NUMBER, AT(limit), AT_SEARCH, "limit", NULL },
    { "--json", NULL, OPT_FLAG, AT(json), AT_SEARCH, "json", NULL },
    { "--exact", NULL, OPT_FLAG, AT(exact), AT_SEARCH, "exact", NULL },
    { "--derive", NULL, OPT_STRING, AT(derive), AT_SEARCH, "derive", NULL },
    { "--lang", NULL, OPT_STRING, AT(lang), AT_INGEST | AT_SEARCH, "lang", NULL },
    { "--encoding", NULL, OPT_STRING, AT(encoding), AT_INGEST, "encoding", NULL },
    { "--ref-date", NULL, OPT_STRING, AT(ref_date), AT_INGEST, "ref_date", NULL },
    { "--strict", NULL, OPT_FLAG, AT(strict), AT_INGEST, "strict", NULL },
    { "--threads", NULL, OPT_SET, 0, AT_INGEST, NULL, set_threads },
    { "--query", NULL, OPT_STRING, AT(query), AT_TAG, "query", NULL },
    { "--force", NULL, OPT_FLAG, AT(force), AT_TAG, "force", NULL },
    { "--discover", NULL, OPT_FLAG, AT(discover), AT_TAG, "discover", NULL },
    { "--keep-going", NULL, OPT_FLAG, AT(keep_going), AT_STREAM, NULL, NULL },
    { "--skip-malformed", NULL, OPT_FLAG, AT(skip_malformed), AT_STREAM, NULL, NULL },
    { "--key", NULL, OPT_STRING, AT(key), AT_STREAM, NULL, NULL },
    { "--input", NULL, OPT_SET, 0, AT_STREAM, NULL, set_input },
    { "--line-offset", NULL, OPT_NUMBER, AT(line_offset), AT_STREAM, NULL, NULL },
    { "--part", NULL, OPT_SET, 0, AT_MAP, NULL, set_part },
    { NULL, NULL, 0, 0, 0, NULL, NULL }
};
#undef AT

/* Consume the option at c->i if it is one that may stand at `where` (an
 * AT_* bit).  Returns 1 consumed, 0 not an option we know there (c->i
 * unchanged), or OPT_ERROR on a usage error (already reported). */
#define OPT_ERROR 102
static int take_option(cli *c, unsigned where)
{
    const char *a = c->argv[c->i];
    const char *val = c->i + 1 < c->argc ? c->argv[c->i + 1] : NULL;
    const option *o;
    int inline_val = 0;
    for (o = options; o->name; o++) {
        size_t n = strlen(o->name);
        if (!(o->scope & where))
            continue;
        if (strcmp(a, o->name) == 0 || (o->alias && strcmp(a, o->alias) == 0))
            break;
        if (o->set == set_db && strncmp(a, o->name, n) == 0 && a[n] == '=') {   /* --db=PATH */
            val = a + n + 1;
            inline_val = 1;
            break;
        }
    }
    if (!o->name)
        return 0;
    if (o->kind == OPT_FLAG) {
        *(int *)(void *)((char *)c + o->at) = 1;
        c->i += 1;
        return 1;
    }
    if (!val)
        return usage_error("option '%s' needs an argument", a), OPT_ERROR;
    if (o->kind == OPT_STRING)
        *(const char **)(void *)((char *)c + o->at) = val;
    else if (o->kind == OPT_NUMBER && number_arg(a, val, (double *)(void *)((char *)c + o->at)))
        return OPT_ERROR;
    else if (o->kind == OPT_SET && o->set(c, a, val) != 0)
        return OPT_ERROR;
    c->i += inline_val ? 1 : 2;
    return 1;
}

/* The options newsdesk.cli's commands read, as fields of the table on top
 * of L.  [-0, +0] */
static void set_lua_options(lua_State *L, const cli *c)
{
    const option *o;
    for (o = options; o->name; o++) {
        const char *p = (const char *)c + o->at;
        if (!o->lua)
            continue;
        if (o->kind == OPT_FLAG)
            lua_pushboolean(L, *(const int *)(const void *)p);
        else if (o->kind == OPT_STRING)
            lua_pushstring(L, *(const char *const *)(const void *)p);
        else
            lua_pushinteger(L, (lua_Integer)*(const double *)(const void *)p);
        lua_setfield(L, -2, o->lua);
    }
}

/* Options after a command word, up to the first operand or "--".  Returns 0
 * or EXIT_USAGE. */
static int command_options(cli *c, unsigned where, const char *help)
{
    while (c->i < c->argc && c->argv[c->i][0] == '-' && c->argv[c->i][1]) {
        int got;
        if (strcmp(c->argv[c->i], "--") == 0) {
            c->i++;
            break;
        }
        if (strcmp(c->argv[c->i], "-h") == 0 || strcmp(c->argv[c->i], "--help") == 0) {
            fputs(help, stdout);
            exit(0);
        }
        got = take_option(c, where);
        if (got == OPT_ERROR)
            return EXIT_USAGE;
        if (got == 0)
            return usage_error("unknown option '%s'", c->argv[c->i]);
    }
    return 0;
}

/* Commands whose options may also stand among their operands, as in
 * "newsdesk ingest corpus/ --quiet": the operands are moved, in order, to
 * c->argv[c->i...] and c->argc shrinks to their end; "--" ends the options.
 * (run and map do not: what follows the script is the script's.)  Returns
 * 0 or EXIT_USAGE. */
static int interleaved_options(cli *c, unsigned where)
{
    int start = c->i, n = 0, j = c->i, only_operands = 0;
    while (j < c->argc) {
        const char *a = c->argv[j];
        if (!only_operands && strcmp(a, "--") == 0) {
            only_operands = 1;
            j++;
        } else if (!only_operands && a[0] == '-' && a[1]) {
            int got;
            c->i = j;
            got = take_option(c, where);
            if (got == OPT_ERROR)
                return EXIT_USAGE;
            if (got == 0)
                return usage_error("unknown option '%s'", a);
            j = c->i;
        } else {
            c->argv[start + n++] = c->argv[j++];  /* start + n <= j: nothing unread is overwritten */
        }
    }
    c->argc = start + n;
    c->i = start;
    return 0;
}

/* ---- the runtime ------------------------------------------------------------ */

static void print_to_stderr(void *ud, const char *s, size_t n)
{
    (void)ud;
    fwrite(s, 1, n, stderr);
}

/* __index of the global table: opens the store the first time `db` is read
 * and caches it as a plain global.  Upvalue 1: the path.  [-0, +1] */
static int lazy_db(lua_State *L)
{
    const char *path = lua_tostring(L, lua_upvalueindex(1));
    if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "db") != 0)
        return 0;
    lua_getglobal(L, "newsdesk");
    if (lua_type(L, -1) != LUA_TTABLE || lua_getfield(L, -1, "open") != LUA_TFUNCTION)
        return luaL_error(L, "cannot open store '%s': this newsdesk has no store module", path);
    lua_pushstring(L, path);
    lua_call(L, 1, 2);
    if (lua_isnil(L, -2))
        return luaL_error(L, "cannot open store '%s': %s", path, lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, 1, "db");
    return 1;
}

static int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* A limit option's value: given (>= 0), else the sandbox's default, else
 * 0 (none). */
static double limit_or(double given, double sandbox_default, int sandbox)
{
    return given >= 0 ? given : sandbox ? sandbox_default : 0;
}

/* Create c->rt.  Returns 0 or EXIT_SCRIPT (message printed). */
static int start_runtime(cli *c, int for_map)
{
    nd_runtime_opts o;
    lua_State *L;
    nd_runtime_opts_init(&o);
    o.sandbox = c->sandbox;
    /* a limit not given (< 0): the sandbox's default, else none */
    o.memory_limit = (size_t)(limit_or(c->memory_mib, SANDBOX_MEMORY_MIB, c->sandbox) * 1024 * 1024);
    o.time_limit = limit_or(c->time_limit, SANDBOX_TIME_LIMIT, c->sandbox);
    o.instruction_budget = (uint64_t)limit_or(c->budget, SANDBOX_BUDGET, c->sandbox);
    o.cpu_limit = c->cpu_limit > 0 ? c->cpu_limit : 0;
    o.output_limit = 0;
    o.store_writable = c->writable;
    o.interrupt_from_signal = 1;        /* Ctrl-C's handler is the only caller */
    o.measure_cpu = 0;                  /* the program never reads usage.cpu */
    c->read_dirs[c->nread_dirs] = NULL;
    o.read_dirs = c->nread_dirs ? c->read_dirs : NULL;
    if (for_map) {
        o.print = print_to_stderr;         /* stdout carries the records */
    } else if (c->sandbox && (c->db_explicit || file_exists(c->db_path))) {
        o.store_path = c->db_path;         /* a sandbox cannot open it lazily */
    }
    if (nd_runtime_new(&c->rt, &o) != ND_OK) {
        fprintf(stderr, "%s: %s\n", progname, nd_runtime_errmsg(c->rt));
        return EXIT_SCRIPT;
    }
    L = nd_runtime_lua(c->rt);
    if (!for_map && !c->sandbox) {
        lua_pushglobaltable(L);
        if (!lua_getmetatable(L, -1)) {
            lua_newtable(L);
            lua_pushstring(L, c->db_path);
            lua_pushcclosure(L, lazy_db, 1);
            lua_setfield(L, -2, "__index");
            lua_setmetatable(L, -2);
        } else {
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Print the runtime's message for a failed call; EXIT_SCRIPT. */
static int script_failed(cli *c)
{
    fprintf(stderr, "%s\n", nd_runtime_errmsg(c->rt));
    return EXIT_SCRIPT;
}

/* Set `arg` in the script environment: arg[0] = argv[script], arg[1..] the
 * arguments after it, negative indexes what came before, as lua5.4 does.
 * script == 0: no script.  */
static void set_arg(cli *c, int script)
{
    lua_State *L = nd_runtime_lua(c->rt);
    int i;
    nd_runtime_pushenv(c->rt);
    lua_createtable(L, c->argc - script, script + 1);
    for (i = 0; i < c->argc; i++) {
        lua_pushstring(L, c->argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setfield(L, -2, "arg");
    lua_pop(L, 1);
}

/* Load the chunk (file or -e code), run it with the arguments after
 * argv[script].  Returns 0 or EXIT_SCRIPT. */
static int run_chunk(cli *c, int loaded, int script)
{
    lua_State *L = nd_runtime_lua(c->rt);
    int i, n = 0;
    if (loaded != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        return EXIT_SCRIPT;
    }
    if (script > 0) {
        /* the chunk's ... holds every argument: room for them (and for
         * the call's message handler) first, as lua.c makes it */
        if (!lua_checkstack(L, c->argc - script + 3)) {
            fprintf(stderr, "newsdesk: too many arguments to the script (%d)\n", c->argc - script - 1);
            lua_pop(L, 1);
            return EXIT_SCRIPT;
        }
        for (i = script + 1; i < c->argc; i++, n++)
            lua_pushstring(L, c->argv[i]);
    }
    if (lnd_cli_pcall(c->rt, n, 0) != ND_OK)
        return script_failed(c);
    return 0;
}

static int run_ecode(cli *c)
{
    int k;
    for (k = 0; k < c->necode; k++) {
        const char *code = c->argv[c->ecode[k]];
        int rc = run_chunk(c, lnd_cli_load(c->rt, code, strlen(code), "=(command line)"), 0);
        if (rc)
            return rc;
    }
    return 0;
}

/* Run argv[script] ("-" = standard input). */
static int run_script(cli *c, int script)
{
    const char *path = c->argv[script];
    int rc;
    set_arg(c, script);
    rc = run_ecode(c);
    if (rc)
        return rc;
    return run_chunk(c, lnd_cli_loadfile(c->rt, strcmp(path, "-") == 0 ? NULL : path), script);
}

/* ---- commands ------------------------------------------------------------------ */

static int cmd_run(cli *c, const command *cmd)
{
    (void)cmd;
    return run_script(c, c->i);
}

static int cmd_help(cli *c, const command *cmd)
{
    const command *about;
    (void)cmd;
    if (c->i >= c->argc) {
        fputs(help_main, stdout);
        return 0;
    }
    about = find_command(c->argv[c->i]);
    if (!about)
        return usage_error("no command '%s'", c->argv[c->i]);
    fputs(about->usage, stdout);
    return 0;
}

static int cmd_version(cli *c, const command *cmd)
{
    (void)c;
    (void)cmd;
    printf("%s %s\n", progname, nd_version());
    return 0;
}

/* The prompt (cmd is NULL when no command was given).  */
static int cmd_repl(cli *c, const command *cmd)
{
    nd_repl_opts o;
    const char *hist = getenv("NEWSDESK_HISTORY");
    const char *home = getenv("HOME");
    char *path = NULL;
    int rc;
    (void)cmd;
    nd_repl_opts_init(&o);
    if (hist && *hist) {
        o.history_path = hist;
    } else if (home && *home) {
        size_t n = strlen(home) + sizeof "/.newsdesk_history";
        path = malloc(n);
        if (path) {
            snprintf(path, n, "%s/.newsdesk_history", home);
            o.history_path = path;
        }
    }
    if (c->quiet)
        o.banner = NULL;
    set_arg(c, 0);
    rc = run_ecode(c);
    if (rc == 0 && nd_repl_run(c->rt, &o) != ND_OK) {
        fprintf(stderr, "%s: cannot start the line editor\n", progname);
        rc = EXIT_SCRIPT;
    }
    free(path);
    return rc;
}

/* ingest/search/tag: newsdesk.cli[cmd]{...} returns the exit status. */
static int cmd_lua(cli *c, const command *cmd)
{
    lua_State *L = nd_runtime_lua(c->rt);
    int i, k = 1;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "newsdesk.cli");
    if (lnd_cli_pcall(c->rt, 1, 1) != ND_OK)
        return script_failed(c);
    lua_getfield(L, -1, cmd->name);
    lua_remove(L, -2);
    lua_newtable(L);
    set_lua_options(L, c);
    lua_pushstring(L, c->db_path);
    lua_setfield(L, -2, "db_path");
    lua_pushinteger(L, lnd_cli_columns(stdout) ? lnd_cli_columns(stdout) : 200);
    lua_setfield(L, -2, "width");
    {   /* ingest: the processors online unless --threads says */
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        lua_pushinteger(L, c->threads >= 1 ? (lua_Integer)c->threads : ncpu < 1 ? 1 : ncpu > 8 ? 8 : ncpu);
        lua_setfield(L, -2, "threads");
    }
    lua_pushcfunction(L, lnd_cli_clock);
    lua_setfield(L, -2, "clock");
    if (!c->quiet) {
        lnd_cli_pushprogress(L, stderr);
        lua_setfield(L, -2, "progress");
    }
    lua_newtable(L);
    for (i = c->i; i < c->argc; i++) {
        lua_pushstring(L, c->argv[i]);
        lua_rawseti(L, -2, k++);
    }
    lua_setfield(L, -2, "args");
    if (lnd_cli_pcall(c->rt, 1, 1) != ND_OK)
        return script_failed(c);
    i = (int)luaL_optinteger(L, -1, 0);
    lua_pop(L, 1);
    return i;
}

/* map and reduce.  Standard output carries the records only: it is moved
 * to a private descriptor and descriptor 1 becomes standard error, so
 * io.write, io.stdout and child processes of the script cannot write into
 * the stream.  */
static int cmd_map(cli *c, const command *cmd)
{
    lnd_map_opts mo;
    lnd_map_stats st;
    lnd_map_part part;
    FILE *out;
    int rc, fd, reduce = cmd->at == AT_REDUCE;
    memset(&mo, 0, sizeof mo);
    mo.input_name = "stdin";
    mo.keep_going = c->keep_going;
    mo.skip_malformed = c->skip_malformed;
    mo.keyed_input = c->keyed_input;
    mo.reduce = reduce;
    mo.quiet = c->quiet;
    mo.key = c->key;
    mo.line_offset = (uint64_t)c->line_offset;
    memset(&part, 0, sizeof part);
    if (c->part_n) {
        rc = lnd_map_part_open(STDIN_FILENO, c->part_k, c->part_n, &part);
        if (rc != ND_OK) {
            fprintf(stderr, "%s map: --part: %s\n", progname, rc == ND_EINVAL
                    ? "standard input is not a file (a pipe cannot be cut into parts: redirect a file)"
                    : strerror(errno));
            return EXIT_SCRIPT;
        }
        mo.line_offset += part.lines_before;
    }
    fflush(stdout);
    fd = dup(STDOUT_FILENO);
    out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fprintf(stderr, "%s: cannot set up standard output\n", progname);
        if (out)
            fclose(out);
        lnd_map_part_close(&part);
        return EXIT_SCRIPT;
    }
    rc = run_script(c, c->i);
    if (rc == 0)
        rc = lnd_map_run(c->rt, part.in ? part.in : stdin, out, stderr, &mo, &st);
    lnd_map_part_close(&part);
    if (fclose(out) != 0 && rc == ND_OK) {
        fprintf(stderr, "%s %s: cannot write the output\n", progname, reduce ? "reduce" : "map");
        rc = ND_EIO;
    }
    if (rc == ND_ENOTFOUND) {
        fprintf(stderr, "%s: %s defines no global function %s\n", progname, c->argv[c->i],
                reduce ? "reduce(key, records)" : "map(article)");
        return EXIT_SCRIPT;
    }
    return rc == ND_OK ? 0 : EXIT_SCRIPT;
}

static int looks_like_script(const char *w)
{
    size_t n = strlen(w);
    return strcmp(w, "-") == 0 || strchr(w, '/') != NULL ||
           (n > 4 && strcmp(w + n - 4, ".lua") == 0) || file_exists(w);
}

static int dispatch(cli *c)
{
    const command *cmd;
    int rc;
    /* global options */
    while (c->i < c->argc && c->argv[c->i][0] == '-' && c->argv[c->i][1]) {
        const char *a = c->argv[c->i];
        int got;
        if (strcmp(a, "--") == 0) {
            c->i++;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(help_main, stdout);
            return 0;
        }
        if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
            printf("%s %s\n", progname, nd_version());
            return 0;
        }
        got = take_option(c, AT_TOP);
        if (got == OPT_ERROR)
            return EXIT_USAGE;
        if (got == 0)
            return usage_error("unknown option '%s'", a);
    }
    if (c->i >= c->argc) {
        if (start_runtime(c, 0))
            return EXIT_SCRIPT;
        if (c->necode > 0) {
            set_arg(c, 0);
            return run_ecode(c);
        }
        if (isatty(fileno(stdin)))
            return cmd_repl(c, NULL);
        set_arg(c, 0);
        return run_chunk(c, lnd_cli_loadfile(c->rt, NULL), 0);
    }
    cmd = find_command(c->argv[c->i]);
    if (!cmd) {
        if (!looks_like_script(c->argv[c->i]))
            return usage_error("unknown command '%s'", c->argv[c->i]);
        if (start_runtime(c, 0))
            return EXIT_SCRIPT;
        return run_script(c, c->i);
    }
    c->i++;
    if (cmd->rules & CMD_OPTIONS) {
        rc = command_options(c, cmd->at, cmd->usage);
        if (rc == 0 && (cmd->rules & CMD_INTERLEAVED) && strcmp(c->argv[c->i - 1], "--") != 0)
            rc = interleaved_options(c, cmd->at);
        if (rc)
            return rc;
    }
    if ((cmd->rules & CMD_NO_OPERANDS) && c->i < c->argc)
        return usage_error("%s takes no arguments (got '%s')", cmd->name, c->argv[c->i]);
    if (cmd->needs && c->i >= c->argc) {
        fprintf(stderr, "%s %s: needs %s\n", progname, cmd->name, cmd->needs);
        fputs(cmd->usage, stderr);
        return EXIT_USAGE;
    }
    if (cmd->rules & CMD_WRITES)
        c->writable = 1;                   /* the command is the user's own write */
    if ((cmd->rules & CMD_RUNTIME) && start_runtime(c, (cmd->rules & CMD_STREAM) != 0))
        return EXIT_SCRIPT;
    return cmd->handler(c, cmd);
}

int main(int argc, char **argv)
{
    cli c;
    const char *env = getenv("NEWSDESK_DB");
    int rc;
    memset(&c, 0, sizeof c);
    c.argc = argc;
    c.argv = argv;
    c.i = 1;
    c.limit = 20;
    c.memory_mib = c.time_limit = c.budget = -1;   /* not given */
    c.db_path = "newsdesk.db";
    if (env && *env) {
        c.db_path = env;
        c.db_explicit = 1;
    }
    setlocale(LC_CTYPE, "");
    rc = dispatch(&c);
    nd_runtime_free(c.rt);
    fflush(stdout);
    return rc;
}
