/*
 * lpattern.c — a matcher for Lua patterns: the sandbox's cost gate,
 * and the search of text that is not a Lua string (a:find, a:match).
 *
 * string.find/match/gmatch/gsub run their matcher in C, where the count
 * hook never fires: a backtracking pattern on a long text ("(.-)(.-)(.-)x"
 * on a megabyte) would hold the host for hours.  Before the real function
 * runs, this file walks the same search with a step counter — a small
 * backtracking matcher of its own for Lua's pattern syntax — and refuses a
 * call that would take more than MAX_STEPS steps.  The gate only measures:
 * results always come from the real string library.  Malformed patterns
 * pass the gate and get Lua's own error from the real function.
 *
 * The same matcher gives results where no Lua string exists: a stored
 * article's a:find and a:match search its body where SQLite keeps it
 * (lnd_pattern_search), with the results of string.find / string.match.
 */
#define _GNU_SOURCE                      /* memmem */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "lnd.h"

#define MAX_STEPS 50000000LL     /* about a third of a second of matching */
#define MAX_PLAIN 4000000000LL   /* bytes compared by a plain find (memcmp) */
#define MAXCAPS 32
#define MAXDEPTH 200

enum { GATE_OK, GATE_MALFORMED, GATE_COSTLY };

typedef struct gate {
    const char *src_init, *src_end, *p_end;
    long long steps;             /* left */
    int status;                  /* GATE_* once something went wrong */
    int depth, level;
    struct { const char *init; ptrdiff_t len; } cap[MAXCAPS];
} gate;

#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)

static int spend(gate *g, long long n)
{
    g->steps -= n;
    if (g->steps < 0 && g->status == GATE_OK)
        g->status = GATE_COSTLY;
    return g->status == GATE_OK;
}

static void malformed(gate *g)
{
    if (g->status == GATE_OK)
        g->status = GATE_MALFORMED;
}

/* End of the single-character class at p, or NULL (malformed). */
static const char *class_end(gate *g, const char *p)
{
    if (*p == '%') {
        if (p + 1 >= g->p_end) {
            malformed(g);
            return NULL;
        }
        return p + 2;
    }
    if (*p == '[') {
        p++;
        if (p < g->p_end && *p == '^')
            p++;
        do {                          /* the first ']' belongs to the set */
            if (p >= g->p_end) {
                malformed(g);
                return NULL;
            }
            if (*p++ == '%') {
                if (p >= g->p_end) {
                    malformed(g);
                    return NULL;
                }
                p++;
            }
        } while (p >= g->p_end || *p != ']');
        return p + 1;
    }
    return p + 1;
}

static int class_match(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    case 'z': r = c == 0; break;     /* Debian's Lua keeps 5.1's %z */
    default: return cl == c;
    }
    if (isupper(cl))
        r = !r;
    return r != 0;
}

/* c in the set [p, ec] where *p == '[' and *ec == ']'. */
static int set_match(int c, const char *p, const char *ec)
{
    int yes = 1;
    p++;
    if (*p == '^') {
        yes = 0;
        p++;
    }
    while (p < ec) {
        if (*p == '%') {
            p++;
            if (class_match(c, (unsigned char)*p))
                return yes;
            p++;
        } else if (p[1] == '-' && p + 2 < ec) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return yes;
            p += 3;
        } else {
            if ((unsigned char)*p == c)
                return yes;
            p++;
        }
    }
    return !yes;
}

static int single(gate *g, const char *s, const char *p, const char *ep)
{
    int c;
    if (s >= g->src_end)
        return 0;
    c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case '%': return class_match(c, (unsigned char)p[1]);
    case '[': return set_match(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *match(gate *g, const char *s, const char *p);

static const char *max_expand(gate *g, const char *s, const char *p, const char *ep)
{
    ptrdiff_t i = 0;
    while (single(g, s + i, p, ep)) {
        if (!spend(g, 1))
            return NULL;
        i++;
    }
    for (; i >= 0; i--) {
        const char *r = match(g, s + i, ep + 1);
        if (r || g->status != GATE_OK)
            return r;
    }
    return NULL;
}

static const char *min_expand(gate *g, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *r = match(g, s, ep + 1);
        if (r || g->status != GATE_OK)
            return r;
        if (!single(g, s, p, ep) || !spend(g, 1))
            return NULL;
        s++;
    }
}

static const char *capture(gate *g, const char *s, const char *p, ptrdiff_t what)
{
    const char *r;
    if (g->level >= MAXCAPS) {
        malformed(g);
        return NULL;
    }
    g->cap[g->level].init = s;
    g->cap[g->level].len = what;
    g->level++;
    r = match(g, s, p);
    if (!r)
        g->level--;
    return r;
}

static const char *close_capture(gate *g, const char *s, const char *p)
{
    int l;
    const char *r;
    for (l = g->level - 1; l >= 0; l--)
        if (g->cap[l].len == CAP_UNFINISHED)
            break;
    if (l < 0) {
        malformed(g);
        return NULL;
    }
    g->cap[l].len = s - g->cap[l].init;
    r = match(g, s, p);
    if (!r)
        g->cap[l].len = CAP_UNFINISHED;
    return r;
}

/* The end of a match of p at s, or NULL; counts every step. */
static const char *match(gate *g, const char *s, const char *p)
{
    const char *r = NULL, *ep;
    if (!spend(g, 1))
        return NULL;
    if (++g->depth > MAXDEPTH) {
        malformed(g);                 /* Lua raises "pattern too complex" */
        g->depth--;
        return NULL;
    }
    while (p < g->p_end) {
        if (*p == '(') {
            r = p + 1 < g->p_end && p[1] == ')' ? capture(g, s, p + 2, CAP_POSITION)
                                                : capture(g, s, p + 1, CAP_UNFINISHED);
            goto done;
        }
        if (*p == ')') {
            r = close_capture(g, s, p + 1);
            goto done;
        }
        if (*p == '$' && p + 1 == g->p_end) {
            r = s == g->src_end ? s : NULL;
            goto done;
        }
        if (*p == '%' && p + 1 < g->p_end && p[1] == 'b') {
            int open, close, cont = 1;
            if (p + 3 >= g->p_end) {
                malformed(g);
                goto fail;
            }
            open = (unsigned char)p[2];
            close = (unsigned char)p[3];
            if (s >= g->src_end || (unsigned char)*s != open)
                goto fail;
            while (++s < g->src_end) {
                if (!spend(g, 1))
                    goto fail;
                if ((unsigned char)*s == close) {
                    if (--cont == 0)
                        break;
                } else if ((unsigned char)*s == open) {
                    cont++;
                }
            }
            if (s >= g->src_end)
                goto fail;
            s++;
            p += 4;
            continue;
        }
        if (*p == '%' && p + 1 < g->p_end && p[1] == 'f') {
            int prev, cur;
            p += 2;
            if (p >= g->p_end || *p != '[') {
                malformed(g);
                goto fail;
            }
            if (!(ep = class_end(g, p)))
                goto fail;
            prev = s == g->src_init ? 0 : (unsigned char)s[-1];
            cur = s < g->src_end ? (unsigned char)*s : 0;
            if (set_match(prev, p, ep - 1) || !set_match(cur, p, ep - 1))
                goto fail;
            p = ep;
            continue;
        }
        if (*p == '%' && p + 1 < g->p_end && isdigit((unsigned char)p[1])) {
            int l = p[1] - '1';
            size_t len;
            if (l < 0 || l >= g->level || g->cap[l].len == CAP_UNFINISHED) {
                malformed(g);
                goto fail;
            }
            if (g->cap[l].len == CAP_POSITION)
                goto fail;               /* as in Lua: its length reads as huge */
            len = (size_t)g->cap[l].len;
            if ((size_t)(g->src_end - s) < len || memcmp(g->cap[l].init, s, len) != 0 || !spend(g, (long long)len))
                goto fail;
            s += len;
            p += 2;
            continue;
        }
        if (!(ep = class_end(g, p)))
            goto fail;
        if (!single(g, s, p, ep)) {
            if (ep < g->p_end && (*ep == '*' || *ep == '?' || *ep == '-')) {
                p = ep + 1;
                continue;
            }
            goto fail;
        }
        if (ep < g->p_end && *ep == '?') {
            r = match(g, s + 1, ep + 1);
            if (r || g->status != GATE_OK)
                goto done;
            p = ep + 1;
            continue;
        }
        if (ep < g->p_end && *ep == '+') {
            r = max_expand(g, s + 1, p, ep);
            goto done;
        }
        if (ep < g->p_end && *ep == '*') {
            r = max_expand(g, s, p, ep);
            goto done;
        }
        if (ep < g->p_end && *ep == '-') {
            r = min_expand(g, s, p, ep);
            goto done;
        }
        s++;
        p = ep;
    }
    r = s;
    goto done;
fail:
    r = NULL;
done:
    g->depth--;
    return r;
}

static int has_specials(const char *p, size_t l)
{
    size_t i;
    for (i = 0; i < l; i++)
        if (p[i] != '\0' && strchr("^$*+?.([%-", p[i]))
            return 1;
    return 0;
}

/* Start position as string.find reads its init argument (1-based,
 * negative from the end); returns len + 1 past the end. */
static size_t start_of(lua_State *L, int arg, size_t len)
{
    int isnum;
    lua_Integer i = lua_tointegerx(L, arg, &isnum);  /* a scan's 1: one call, not three */
    if (!isnum)
        i = luaL_optinteger(L, arg, 1);               /* absent or nil: 1; else its error */
    if (i > 0)
        return (size_t)i - 1 > len ? len + 1 : (size_t)i - 1;
    if (i == 0 || (lua_Unsigned)-i > len)
        return 0;
    return len - (size_t)-i;
}

enum { FN_FIND, FN_MATCH, FN_GMATCH, FN_GSUB };

/* Walk the search string.find/match/gmatch/gsub would do; GATE_*. */
static int walk(gate *g, int fn, const char *s, size_t ls, const char *p, size_t lp, size_t init, lua_Integer max_n)
{
    const char *src, *last = NULL;
    int anchor = lp > 0 && *p == '^' && fn != FN_GMATCH;
    lua_Integer n = 0;
    g->src_init = s;
    g->src_end = s + ls;
    g->p_end = p + lp;
    g->steps = MAX_STEPS;
    g->status = GATE_OK;
    if (anchor)
        p++;
    if (init > ls || (fn == FN_GSUB && max_n <= 0))
        return GATE_OK;
    for (src = s + init; src <= g->src_end;) {
        const char *e;
        g->level = 0;
        g->depth = 0;
        e = match(g, src, p);
        if (g->status != GATE_OK)
            return g->status;
        if (fn == FN_FIND || fn == FN_MATCH) {
            if (e || anchor)
                return GATE_OK;
            src++;
            continue;
        }
        if (e && e != last) {
            src = last = e;
            if (fn == FN_GSUB && ++n >= max_n)
                break;
        } else {
            src++;
        }
        if (anchor)
            break;
    }
    return GATE_OK;
}

/* The wrapper: upvalue 1 the real function, upvalue 2 which one.
 * [-n, +m] */
static int sb_pattern(lua_State *L)
{
    int fn = (int)lua_tointeger(L, lua_upvalueindex(2));
    size_t ls, lp, init = 0;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    lua_Integer max_n = LUA_MAXINTEGER;
    int plain = 0, st;
    gate g;
    if (fn == FN_GSUB)
        max_n = luaL_optinteger(L, 4, LUA_MAXINTEGER);
    else
        init = start_of(L, 3, ls);
    if (fn == FN_FIND && (lua_toboolean(L, 4) || !has_specials(p, lp)))
        plain = 1;
    if (plain) {
        /* memchr + memcmp: at most (positions) * lp bytes compared */
        if (init <= ls && lp > 0 && lp <= ls - init &&
            (double)(ls - init - lp + 1) * (double)lp > (double)MAX_PLAIN &&
            memchr(s + init, p[0], ls - init))
            return luaL_error(L, "string.find: searching %I bytes for %I bytes is more than the sandbox allows",
                              (lua_Integer)(ls - init), (lua_Integer)lp);
    } else {
        st = walk(&g, fn, s, ls, p, lp, init, max_n);
        if (st == GATE_COSTLY) {
            static const char *const names[] = { "find", "match", "gmatch", "gsub" };
            return luaL_error(L, "string.%s: the pattern needs more than %I matching steps on this "
                              "%I-byte text, more than the sandbox allows", names[fn],
                              (lua_Integer)MAX_STEPS, (lua_Integer)ls);
        }
    }
    /* the steps the gate walked (one instruction per two: a step costs
     * about what the real matcher spends), or the bytes a plain find
     * reads, are charged to the budget before the real search */
    lnd_charge(L, 1 + (plain ? (uint64_t)ls / LND_CHARGE_BYTES : (uint64_t)(MAX_STEPS - g.steps) / 2), 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

void lnd_pattern_gate(lua_State *L, int idx)
{
    static const char *const names[] = { "find", "match", "gmatch", "gsub" };
    int i;
    idx = lua_absindex(L, idx);
    for (i = 0; i < 4; i++) {
        lua_getfield(L, idx, names[i]);
        lua_pushinteger(L, i);
        lua_pushcclosure(L, sb_pattern, 2);
        lua_setfield(L, idx, names[i]);
    }
}

/* ---- searching text that is not a Lua string -------------------------------- */

/* Push capture i of the match [b, e) as string.match does: the whole match
 * when there are no captures, a position capture as an integer.  [-0, +1, e] */
static void push_capture(lua_State *L, const gate *g, int i, const char *b, const char *e)
{
    if (i >= g->level) {
        if (i != 0)
            luaL_error(L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(L, b, (size_t)(e - b));
    } else if (g->cap[i].len == CAP_UNFINISHED) {
        luaL_error(L, "unfinished capture");
    } else if (g->cap[i].len == CAP_POSITION) {
        lua_pushinteger(L, (lua_Integer)(g->cap[i].init - g->src_init) + 1);
    } else {
        lua_pushlstring(L, g->cap[i].init, (size_t)g->cap[i].len);
    }
}

/* The first of p[0..lp) in s[0..ls), 0 < lp <= ls, or NULL: memchr to
 * the pattern's first byte and memcmp, which skips text at memchr's speed
 * when that byte is rare (a name's capital), as string.find does; after
 * FALSE_STARTS candidates that were not a match, memmem (linear time)
 * searches the rest, so a common first byte costs no more than memmem. */
#define FALSE_STARTS 16
static const char *find_plain(const char *s, size_t ls, const char *p, size_t lp)
{
    const char *at = s, *last = s + (ls - lp);       /* the last place a match may start */
    int misses;
    for (misses = 0; misses < FALSE_STARTS; misses++) {
        const char *hit = memchr(at, (unsigned char)p[0], (size_t)(last - at) + 1);
        if (!hit)
            return NULL;
        if (memcmp(hit + 1, p + 1, lp - 1) == 0)
            return hit;
        if (hit == last)
            return NULL;
        at = hit + 1;
    }
    return memmem(at, (size_t)(s + ls - at), p, lp);
}

int lnd_pattern_search(lua_State *L, const lnd_host *rt, int arg, const char *p, size_t lp,
                       const char *s, size_t ls, int find)
{
    size_t init;
    const char *src, *e = NULL;
    int anchor, n, i, gc;
    gate g;
    init = start_of(L, arg + 1, ls);
    if (rt && !rt->charge)
        rt = NULL;                                   /* NULL: no host charges the work */
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, arg + 2) || !has_specials(p, lp))) {
        const char *hit = lp == 0 ? s + init : lp <= ls - init ? find_plain(s + init, ls - init, p, lp) : NULL;
        if (rt)
            rt->charge(L, rt->ud, 1 + (uint64_t)(ls - init) / LND_CHARGE_BYTES, 1);
        if (!hit) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
        lua_pushinteger(L, (lua_Integer)(hit - s) + (lua_Integer)lp);
        return 2;
    }
    anchor = lp > 0 && *p == '^';
    g.src_init = s;
    g.src_end = s + ls;
    g.p_end = p + lp;
    g.steps = rt ? MAX_STEPS : LLONG_MAX;
    g.status = GATE_OK;
    for (src = s + init; src <= g.src_end; src++) {
        g.level = 0;
        g.depth = 0;
        e = match(&g, src, p + anchor);
        if (e || anchor || g.status != GATE_OK)
            break;
    }
    if (g.status == GATE_MALFORMED)
        return luaL_error(L, "malformed pattern '%s' (as string.%s would say it more exactly)", p,
                          find ? "find" : "match");
    if (g.status == GATE_COSTLY)
        return luaL_error(L, "a:%s: the pattern needs more than %I matching steps on this %I-byte text, "
                          "more than the sandbox allows", find ? "find" : "match", (lua_Integer)MAX_STEPS,
                          (lua_Integer)ls);
    if (rt)
        rt->charge(L, rt->ud, 1 + (uint64_t)(MAX_STEPS - g.steps) / 2, 1);
    if (!e) {
        luaL_pushfail(L);
        return 1;
    }
    n = find ? 2 : 0;
    luaL_checkstack(L, n + g.level + 1, "too many captures");
    if (find) {
        lua_pushinteger(L, (lua_Integer)(src - s) + 1);
        lua_pushinteger(L, (lua_Integer)(e - s));
    }
    /* s may be SQLite's copy of a row: no collection (whose finalizers
     * could move the row) while the captures are copied out of it */
    gc = lua_gc(L, LUA_GCISRUNNING);
    if (gc)
        lua_gc(L, LUA_GCSTOP);
    for (i = 0; i < (find ? g.level : g.level ? g.level : 1); i++, n++)
        push_capture(L, &g, i, src, e);
    if (gc)
        lua_gc(L, LUA_GCRESTART);
    return n;
}
