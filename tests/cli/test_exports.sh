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
done_testing
