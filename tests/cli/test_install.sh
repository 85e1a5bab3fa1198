# make install into a temporary PREFIX and into a DESTDIR: every part lands
# where its users look for it, and works from there.
. tests/cli/lib.sh
MAKE=${MAKE:-make}
P="$TMP/prefix"
# -o all: use what the test run already built, never rebuild it here
$MAKE -s -o all BUILD="$BUILD" PREFIX="$P" install >"$TMP/install.log" 2>&1
check_eq "$?" 0 "make install PREFIX=... succeeds"
for f in include/newsdesk/newsdesk.h include/newsdesk/nd_runtime.h include/newsdesk/nd_core.h \
         lib/libnewsdesk.a lib/libnewsdesk.so lib/pkgconfig/newsdesk.pc \
         lib/lua/5.4/newsdesk.so bin/newsdesk; do
    check "installs $f" test -e "$P/$f"
done
so=$(ls "$P"/lib/libnewsdesk.so.*.*.* 2>/dev/null | head -1)
check "installs the versioned shared library" test -f "$so"
check_eq "$(readlink "$P/lib/libnewsdesk.so")" "$(basename "$(readlink "$P/lib/libnewsdesk.so")")" \
    "libnewsdesk.so is a relative symlink"
soname=$(readelf -d "$so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\].*/\1/p')
check "the soname link exists ($soname)" test -L "$P/lib/$soname"
if [ -f bindings/newsdesk.1 ]; then
    check "installs the man page" test -f "$P/share/man/man1/newsdesk.1"
else
    skip "no man page in this tree"
fi
pc=$(cat "$P/lib/pkgconfig/newsdesk.pc")
check_contains "$pc" "prefix=$P" "newsdesk.pc names the prefix"
check_contains "$pc" "includedir=$P/include/newsdesk" "newsdesk.pc names the header directory"
check_eq "$("$P/bin/newsdesk" --version)" "$("$BUILD/newsdesk" --version)" "the installed program runs"

if [ "${ND_SANITIZE:-}" = 1 ]; then
    skip "a sanitizer-built library cannot be loaded by stock lua5.4"
    skip "the host is built against the installed library without sanitizer flags"
else
    got=$(lua5.4 -e "package.cpath='$P/lib/lua/5.4/?.so'" -e 'print(require("newsdesk").version)' 2>&1)
    check_eq "$got" "$("$BUILD/newsdesk" --version | sed 's/^newsdesk //')" \
        "stock lua5.4 loads the installed module"
    cc $(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --cflags newsdesk) -o "$TMP/host" tests/host/host.c \
        $(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --libs newsdesk) -Wl,-rpath,"$P/lib" 2>"$TMP/cc.log"
    out=$("$TMP/host" tests/host/filter.lua tests/host/hostile.lua 2>&1)
    check_contains "$out" "host: survived" "a host built against the installed pkg-config file runs"
fi

$MAKE -s -o all BUILD="$BUILD" PREFIX=/usr/local DESTDIR="$TMP/stage" install >"$TMP/stage.log" 2>&1
check_eq "$?" 0 "make install DESTDIR=... PREFIX=/usr/local succeeds"
check "DESTDIR stages the library" test -f "$TMP/stage/usr/local/lib/libnewsdesk.a"
check "DESTDIR stages the Lua module where lua5.4 looks" test -f "$TMP/stage/usr/local/lib/lua/5.4/newsdesk.so"
check_contains "$(cat "$TMP/stage/usr/local/lib/pkgconfig/newsdesk.pc")" "prefix=/usr/local" \
    "the staged newsdesk.pc names the final prefix, not DESTDIR"

$MAKE -s -o all BUILD="$BUILD" PREFIX="$P" uninstall >"$TMP/uninstall.log" 2>&1
check "make uninstall removes the library" test ! -e "$P/lib/libnewsdesk.so"
check "make uninstall removes the headers" test ! -e "$P/include/newsdesk"
done_testing
