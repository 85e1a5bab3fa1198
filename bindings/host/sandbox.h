/*
 * sandbox.h — the safe environment of a runtime (sandbox.c).  Not
 * installed.  sandbox.c uses the runtime's limits (runtime.h, limits.c)
 * and nothing else of the runtime.
 */
#ifndef ND_SANDBOX_H
#define ND_SANDBOX_H

#include "runtime.h"

/* Sandbox (sandbox.c).  lnd_sandbox_open opens the safe libraries into an
 * empty state; lnd_sandbox_seal, after the newsdesk module and the store
 * are loaded, charges the functions the modules declared costly (lnd_cost),
 * hides package and
 * protects the string metatable.  Both run under lua_pcall.  [-0, +0] */
void lnd_sandbox_open(lua_State *L, nd_runtime *rt);
void lnd_sandbox_seal(lua_State *L, nd_runtime *rt);

/* Protect the metatable at idx: its __metatable field becomes a copy of
 * it (method tables copied too), so getmetatable gives the copy and
 * setmetatable refuses to replace it.  A metatable that C code sets on new
 * objects must be protected: a __gc a script added to it would run as a
 * finalizer, with hooks off.  [-0, +0] */
void lnd_sandbox_protect_mt(lua_State *L, int idx);


/* The registry field holding the runtime of a sandbox (light userdata). */
#define LND_SANDBOX_KEY "newsdesk.sandbox"

/* print that counts against the output limit and goes to the host's
 * callback.  [-n, +0] */
int lnd_sandbox_print(lua_State *L);

#endif /* ND_SANDBOX_H */
