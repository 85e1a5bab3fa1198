#!/bin/sh
# The packages as a user gets them (make test-package, after make package):
#  - the four Debian packages from $BUILD/deb installed in this machine with
#    apt-get, their smoke test (debian/tests/smoke) run, then purged: every
#    file they installed is gone again (dpkg -L before, the file system after);
#  - the rock: `luarocks make --local` in a fresh HOME, then lua5.4 loads the
#    module through `luarocks path`, and `luarocks remove` takes it away.
# Needs root (apt-get).  Ends with "N passed, N failed".
set -u
BUILD=${BUILD:-build}
DEB=$BUILD/deb
PKGS="libnewsdesk0 libnewsdesk-dev lua-newsdesk newsdesk"
VERSION=$(sed -n 's/^#define ND_VERSION_STRING "\(.*\)"/\1/p' include/nd_core.h)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0; failed=0
ok()     { passed=$((passed + 1)); echo "ok $((passed + failed)) - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok $((passed + failed)) - $1"; }
check()  { name=$1; shift; if "$@" >"$TMP/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/#   /' "$TMP/out" | tail -15; fi; }

debs=""
for p in $PKGS; do
    f=$(ls "$DEB/${p}_${VERSION}_"*.deb 2>/dev/null | head -n 1)
    if [ -n "$f" ]; then ok "package $p was built: $(basename "$f") ($(du -k "$f" | cut -f1) KiB)"; debs="$debs ./$f"
    else not_ok "package $p was built (no $DEB/${p}_${VERSION}_*.deb)"; fi
done

# installed from nothing: purge whatever an earlier run left
apt-get purge -y $PKGS >/dev/null 2>&1
check "the four packages install with apt-get" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $debs
for p in $PKGS; do dpkg -L "$p"; done 2>/dev/null | sort -u >"$TMP/files"
check "dpkg lists the installed files ($(wc -l <"$TMP/files") paths)" test -s "$TMP/files"
check "the shared library exports only the public API (symbols file checked at build)" \
    sh -c "nm -D --defined-only /usr/lib/*/libnewsdesk.so.0 | grep ' T ' | grep -v ' T nd_[a-z0-9]\| T luaopen_newsdesk\$'; test \$? = 1"
if sh debian/tests/smoke >"$TMP/smoke" 2>&1; then ok "the smoke test passes: $(tail -n 1 "$TMP/smoke" | sed 's/^# //')"
else not_ok "the smoke test passes"; sed 's/^/#   /' "$TMP/smoke" | tail -30; fi

check "the four packages purge" env DEBIAN_FRONTEND=noninteractive apt-get purge -y $PKGS
left=""
while read -r f; do
    [ "$f" = "/." ] && continue
    if [ -e "$f" ] && [ ! -d "$f" ]; then left="$left $f"; fi
    if [ -d "$f" ] && ! dpkg -S "$f" >/dev/null 2>&1; then left="$left $f/"; fi
done <"$TMP/files"
check "nothing they installed is left behind${left:+:$left}" test -z "$left"

# the rock
H=$TMP/home
mkdir -p "$H"
check "luarocks make --local builds and installs the rock" env HOME="$H" luarocks --lua-version 5.4 make --local newsdesk-scm-1.rockspec
check "lua5.4 finds the rock's module through luarocks path" env HOME="$H" sh -c \
    'eval "$(luarocks --lua-version 5.4 path --local)"; cd / && lua5.4 -e "local nd = require \"newsdesk\" assert(nd.version == \"'"$VERSION"'\") print(nd.version)"'
check "luarocks lint finds nothing in the rockspecs" sh -c \
    "luarocks --lua-version 5.4 lint newsdesk-scm-1.rockspec && luarocks --lua-version 5.4 lint $BUILD/newsdesk-$VERSION-1.rockspec"
check "luarocks remove takes the rock away" env HOME="$H" luarocks --lua-version 5.4 remove --local newsdesk
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
