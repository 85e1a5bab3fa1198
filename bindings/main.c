/*
 * main.c — the newsdesk program: runs analyst scripts with the newsdesk
 * module preloaded as the global `newsdesk`.
 *
 *   newsdesk run SCRIPT [ARGS...]   newsdesk SCRIPT.lua [ARGS...]
 *   newsdesk -e CODE                newsdesk --version
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

#include "lnd.h"

static const char *progname = "newsdesk";

/* Message handler for lua_pcall: adds a traceback.  [-1, +1] */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Call the function below `narg` arguments on the stack; report errors. */
static int docall(lua_State *L, int narg)
{
    int base = lua_gettop(L) - narg;
    int status;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    status = lua_pcall(L, narg, 0, base);
    lua_remove(L, base);
    if (status != LUA_OK) {
        fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    return status;
}

/* Global `arg` as in lua5.4: arg[0] the script, arg[1..] its arguments. */
static void setargs(lua_State *L, char **argv, int argc, int script)
{
    int i;
    lua_createtable(L, argc - script - 1, script + 1);
    for (i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}

static int runscript(lua_State *L, const char *path, char **argv, int argc, int script)
{
    int i, n = argc - script - 1;
    setargs(L, argv, argc, script);
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
        return 1;
    }
    for (i = 0; i < n; i++)
        lua_pushstring(L, argv[script + 1 + i]);
    return docall(L, n) == LUA_OK ? 0 : 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s run SCRIPT [ARGS...]\n"
            "       %s SCRIPT.lua [ARGS...]\n"
            "       %s -e CODE\n"
            "       %s --version\n",
            progname, progname, progname, progname);
}

static int pmain(lua_State *L)
{
    int argc = (int)lua_tointeger(L, 1);
    char **argv = lua_touserdata(L, 2);
    int rc = 2;
    luaL_openlibs(L);
    luaL_requiref(L, "newsdesk", luaopen_newsdesk, 1);
    lua_pop(L, 1);
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("newsdesk %s\n", nd_version());
        rc = 0;
    } else if (argc >= 3 && strcmp(argv[1], "-e") == 0) {
        setargs(L, argv, argc, 0);
        if (luaL_loadbufferx(L, argv[2], strlen(argv[2]), "=(command line)", "t") != LUA_OK) {
            fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
            rc = 1;
        } else {
            rc = docall(L, 0) == LUA_OK ? 0 : 1;
        }
    } else if (argc >= 3 && strcmp(argv[1], "run") == 0) {
        rc = runscript(L, argv[2], argv, argc, 2);
    } else if (argc >= 2 && strlen(argv[1]) > 4 &&
               strcmp(argv[1] + strlen(argv[1]) - 4, ".lua") == 0) {
        rc = runscript(L, argv[1], argv, argc, 1);
    } else {
        usage(stderr);
    }
    lua_pushinteger(L, rc);
    return 1;
}

int main(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    int rc = 1;
    if (!L) {
        fprintf(stderr, "%s: cannot create Lua state: not enough memory\n", progname);
        return 1;
    }
    lua_pushcfunction(L, pmain);
    lua_pushinteger(L, argc);
    lua_pushlightuserdata(L, argv);
    if (lua_pcall(L, 2, 1, 0) == LUA_OK)
        rc = (int)lua_tointeger(L, -1);
    else
        fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
    lua_close(L);
    return rc;
}
