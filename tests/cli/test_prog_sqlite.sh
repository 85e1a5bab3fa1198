#!/bin/sh
# The program and the C modules that scripts load with require share one
# SQLite.  The default build links SQLite into the program and exports its
# API, so a module linked with libsqlite3.so (here the stock-Lua module,
# build/newsdesk.so) binds to the program's copy: two copies in one process
# would each drop the other's POSIX locks on the same database.
. tests/cli/lib.sh
if ldd "$ND" 2>/dev/null | grep -q libsqlite3; then
    skip "the program links libsqlite3.so (PROG_LINK=shared or a sanitizer build): one copy already"
else
    check_eq "$(nm -D --defined-only "$ND" | awk '$3 == "sqlite3_open_v2" || $3 == "sqlite3_prepare_v2" { print $3 }' | sort | tr '\n' ' ')" \
        "sqlite3_open_v2 sqlite3_prepare_v2 " "the program exports the SQLite it links"
fi
# The module loads into the program (its SQLite and Lua symbols resolve) and
# opens a store beside the program's own newsdesk on the same file.
out=$("$ND" -e "
local open = assert(package.loadlib('$BUILD/newsdesk.so', 'luaopen_newsdesk_store'))().open
local a = assert(open('$TMP/s.db'))
local nd = require 'newsdesk'
local b = assert(nd.open('$TMP/s.db'))
print(a ~= nil and b ~= nil and 'both open')
a:close() b:close()" 2>&1)
check_eq "$out" "both open" "a C module loaded by require opens a store beside the program's newsdesk"
done_testing
