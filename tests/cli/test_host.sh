# The example host (tests/host/host.c), built through pkg-config against
# build/newsdesk.pc: filters, mentions and JSON from in-memory articles, and
# a hostile script that it survives.
. tests/cli/lib.sh
HOST="$BUILD/host/host"

check "build/newsdesk.pc answers pkg-config" \
    env PKG_CONFIG_PATH="$BUILD" pkg-config --exists newsdesk
got=$(PKG_CONFIG_PATH="$BUILD" pkg-config --libs newsdesk)
check_contains "$got" "-lnewsdesk" "pkg-config --libs names the library"
got=$(PKG_CONFIG_PATH="$BUILD" pkg-config --cflags newsdesk)
check_contains "$got" "/include" "pkg-config --cflags points at the headers"

# only the documented API is exported (-fvisibility=hidden + ND_API)
got=$(nm -D --defined-only "$BUILD/libnewsdesk.so" | grep -c ' nd__\| lnd_')
check_eq "$got" 0 "libnewsdesk.so exports no internal nd__* or lnd_* symbol"
got=$(nm -D --defined-only "$BUILD/libnewsdesk.so" | grep -c ' T nd_runtime_new$')
check_eq "$got" 1 "libnewsdesk.so exports the public API"
got=$(nm -D --defined-only "$BUILD/newsdesk.so" | grep -c ' T luaopen_newsdesk')
check "the Lua module exports its luaopen_* functions" test "$got" -ge 1

out=$("$HOST" tests/host/filter.lua tests/host/hostile.lua 2>&1)
status=$?
check_eq "$status" 0 "the host runs and exits 0"
check_contains "$out" "article 1 (tr): keep" "a Turkish budget article is kept"
check_contains "$out" "article 3 (en): drop" "a football article is dropped"
check_contains "$out" "article 4 (ru): keep" "a Russian budget article is kept (folded match)"
check_contains "$out" "mention ORG tbmm in title [0, 7) 'TBMM'de'" "a mention with byte offsets into the title"
check_contains "$out" "mention COUNTRY russia in body [17, 29) 'России'" "Cyrillic mention offsets are bytes"
check_contains "$out" '"section":"ekonomi"' "the JSON summary carries the decoded meta"
check_contains "$out" "script says: summary of https://example.org/tr/1" "print reaches the host's callback"
for f in spin hog bomb shell peek swallow flood crash deep binary; do
    line=$(printf '%s\n' "$out" | grep "^hostile $f:")
    check_contains "$line" "(error, not a drop)" "hostile $f: an error, never a drop"
done
check_contains "$out" "hostile spin: limit exceeded (error, not a drop): tests/host/hostile.lua:3: instruction budget of 20000000 exceeded" \
    "an endless loop is stopped by the budget, with file:line"
check_contains "$out" "hostile hog: limit exceeded (error, not a drop): tests/host/hostile.lua:4: memory limit of 32 MiB exceeded" \
    "unbounded allocation is stopped by the memory limit"
check_contains "$out" "hostile swallow: limit exceeded" "pcall cannot swallow the budget"
check_contains "$out" "hostile shell: script error (error, not a drop): tests/host/hostile.lua:6: attempt to call a nil value (field 'execute')" \
    "os.execute does not exist"
check_contains "$out" "hostile flood: limit exceeded (error, not a drop): tests/host/hostile.lua:9: output limit of 4096 bytes exceeded" \
    "print flood hits the output limit"
check_contains "$out" "row 3 2024-11-10 Football: late winner in Istanbul" \
    "the host reads store rows through nd_cursor, oldest first"
check_contains "$out" "read 4 rows from the store" "every row is read"
got=$(PKG_CONFIG_PATH="$BUILD" pkg-config --libs newsdesk)
case "$got" in *sqlite*) check_eq "sqlite on the link line" "" "the host links without -lsqlite3" ;; *) check_eq 1 1 "the host links without -lsqlite3 ($got)" ;; esac
check_contains "$out" "host: survived" "the host survives every hostile function"

printf 'function keep(a)\n  return a.title:find(\n' >"$TMP/bad.lua"
out=$("$HOST" "$TMP/bad.lua" tests/host/hostile.lua 2>&1)
status=$?
check_eq "$status" 1 "a filter with a syntax error: exit 1"
check_contains "$out" "bad.lua:3:" "the message names the file and line"
done_testing
