#!/bin/sh
# What the shared objects export is their API and nothing else: the
# functions include/ declares (debian/libnewsdesk0.symbols lists them, made
# by debian/gen-symbols) for libnewsdesk.so, the luaopen_ entry points for
# the Lua module.  A function added to a header without regenerating the
# symbols file, or an internal function leaking out, fails here before it
# fails the package build.
. tests/cli/lib.sh
python3 debian/gen-symbols "$TMP/symbols"
check "debian/libnewsdesk0.symbols is what debian/gen-symbols makes of the headers (run it)" \
    cmp -s "$TMP/symbols" debian/libnewsdesk0.symbols
sed -n 's/^ \(.*\)@Base.*/\1/p' debian/libnewsdesk0.symbols | sort >"$TMP/api"
nm -D --defined-only "$BUILD/libnewsdesk.so" | awk '$2 == "T" { print $3 }' | sort >"$TMP/lib"
check_eq "$(comm -3 "$TMP/api" "$TMP/lib" | tr -d '\t' | tr '\n' ' ')" "" \
    "libnewsdesk.so exports exactly the functions the headers declare"
check_eq "$(nm -D --defined-only "$BUILD/libnewsdesk.so" | grep -c ' nd__\| lnd_')" 0 "no internal symbol is exported"
check_eq "$(nm -D --defined-only "$BUILD/newsdesk.so" | awk '$2 == "T" { print $3 }' | grep -vc '^luaopen_newsdesk')" 0 \
    "the Lua module exports only its luaopen_ entry points"
# The stock-Lua module is the core and the Lua modules only: the host
# (runtime, sandbox, REPL, mapper in bindings/host/) and libedit stay out.
if command -v ldd >/dev/null 2>&1; then
    check_eq "$(ldd "$BUILD/newsdesk.so" | grep -c libedit)" 0 "the Lua module does not link libedit"
fi
check_eq "$(nm "$BUILD/newsdesk.so" | grep -c ' [Tt] \(nd_runtime_\|nd_repl\|lnd_map_\|lnd_cli_\|lnd_sandbox_\)')" 0 \
    "the Lua module carries no runtime, REPL, mapper or sandbox code"
# Each folder sees only the headers it may use: the modules in bindings/
# reach core only through include/ and core/glue/, never its internal headers.
check_eq "$(grep -rln 'internal\.h' bindings/ | tr '\n' ' ')" "" \
    "no file under bindings/ includes a core internal header"
done_testing
