/*
 * lrules.h — what the three files of the Lua module "newsdesk.rules" share.
 * Not installed.
 *   lrules.c       the rule set userdata and building it: rules:add,
 *                  newsdesk.rules.load (rule files, packs, gazetteers)
 *   lrules_scan.c  rules:scan, matches, explain, tally
 *   lrules_tag.c   db:tag (a store method)
 *
 * A rule set is userdata "newsdesk.rules" whose user value is a table
 *   { attrs = {[entry+1] = attribute table}, accept = {[rule+1] = function},
 *     parts = {path or pack, ...} (rules.load of a list of them) }.
 */
#ifndef ND_LRULES_H
#define ND_LRULES_H

#include "lnd.h"
#include "nd_rules.h"

#define RULES_MT "newsdesk.rules"

typedef struct lrules {
    nd_rules *r;
    nd_scan *sc;
    int callbacks;           /* some rule has an accept function */
} lrules;

/* [-0, +0] the rule set at idx; raises when it was closed. */
lrules *lnd_checkrules(lua_State *L, int idx);

/* [-0, +1] push user value field `name` of the rule set at idx. */
void lnd_rules_getuv(lua_State *L, int idx, const char *name);

/* newsdesk.rules.load(path | {paths and rules...}) -> rules | nil, message, code */
int lnd_rules_load(lua_State *L);

/* Scan text s for one field and append the results to the list at `out`
 * (matches, or every candidate with status/why when explain); rs is the
 * rule set's stack index, art the article's (or 0).  Accept functions run
 * here.  An empty list at out is replaced by one made at the size of the
 * results: callers hold the list by its stack index only.  [-0, +0] */
void lnd_rules_scan_text(lua_State *L, lrules *u, int rs, const char *s, size_t len, const char *field,
                         int art, int out, int explain);

/* The scanning methods (lrules_scan.c) and db:tag (lrules_tag.c). */
extern const luaL_Reg lnd_rules_scan_methods[];
extern const luaL_Reg lnd_rules_store_methods[];

#endif /* ND_LRULES_H */
