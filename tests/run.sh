#!/bin/sh
# run.sh — run every test and print one summary line "N passed, N failed".
#   BUILD=build sh tests/run.sh [PATTERN]
# C tests: $BUILD/tests/test_*; Lua tests: tests/lua/test_*.lua run by the
# newsdesk program; CLI tests: tests/cli/test_*.sh.  Every test prints
# "ok N - ..." / "not ok N - ..." lines; a test that exits non-zero without
# a failing check, or prints no check at all, counts as one failure.
# ND_VALGRIND=1 runs the C and Lua tests under valgrind's leak checker
# (a leak or memory error fails the test with status 99).
set -u
BUILD=${BUILD:-build}
export BUILD
ND="$BUILD/newsdesk"
export ND
LOGS="$BUILD/test-logs"

run_one() {
    f=$1
    name=$(echo "$f" | tr '/' '_')
    log="$LOGS/$name.log"
    vg=""
    if [ "${ND_VALGRIND:-}" = 1 ]; then
        vg="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
    fi
    case "$f" in
    *.lua) cmd="$vg $ND run $f" ;;
    *.sh) cmd="sh $f" ;;
    *) cmd="$vg $f" ;;
    esac
    timeout "${ND_TEST_TIMEOUT:-600}" $cmd >"$log" 2>&1
    echo "exit $?" >"$log.status"
}

if [ "${1:-}" = "--one" ]; then
    run_one "$2"
    exit 0
fi

pattern=${1:-}
mkdir -p "$LOGS"
rm -f "$LOGS"/*
list=$(
    ls "$BUILD"/tests/test_* 2>/dev/null | grep -v '\.d$'
    ls tests/lua/test_*.lua tests/cli/test_*.sh 2>/dev/null
)
if [ -n "$pattern" ]; then
    list=$(echo "$list" | grep -- "$pattern")
fi
jobs=$(nproc 2>/dev/null || echo 2)
echo "$list" | xargs -P "$jobs" -n 1 sh "$0" --one

passed=0
failed=0
for f in $list; do
    name=$(echo "$f" | tr '/' '_')
    log="$LOGS/$name.log"
    status=$(sed 's/exit //' "$log.status" 2>/dev/null || echo 1)
    p=$(grep -c '^ok ' "$log")
    q=$(grep -c '^not ok ' "$log")
    extra=""
    if [ "$status" != 0 ] && [ "$q" = 0 ]; then
        q=1
        extra=" (exited with status $status)"
    elif [ "$p" = 0 ] && [ "$q" = 0 ]; then
        q=1
        extra=" (ran no checks)"
    fi
    passed=$((passed + p))
    failed=$((failed + q))
    if [ "$q" = 0 ]; then
        echo "PASS $f ($p checks)"
    else
        echo "FAIL $f: $q failed$extra"
        grep -A4 '^not ok ' "$log" | head -40 | sed 's/^/    /'
        if [ -n "$extra" ]; then tail -15 "$log" | sed 's/^/    /'; fi
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
