# lib.sh — helpers for the shell tests: check, check_eq, check_contains,
# skip, done_testing.  Sourced from the repository root; $ND is the program.
n=0
nfail=0
BUILD=${BUILD:-build}
ND=${ND:-$BUILD/newsdesk}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

check() { # check "description" command...
    desc=$1; shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; nfail=$((nfail + 1)); fi
}
check_eq() { # check_eq got want description
    n=$((n + 1))
    if [ "$1" = "$2" ]; then echo "ok $n - $3"; else
        echo "not ok $n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; nfail=$((nfail + 1)); fi
}
check_contains() { # check_contains haystack needle description
    n=$((n + 1))
    case "$1" in
    *"$2"*) echo "ok $n - $3" ;;
    *) echo "not ok $n - $3"; echo "#   in:   '$(printf '%s' "$1" | head -c 600)'"; echo "#   want: '$2'"; nfail=$((nfail + 1)) ;;
    esac
}
skip() { n=$((n + 1)); echo "ok $n - # skip $1"; }
done_testing() { echo "# $n checks, $nfail failed"; [ "$nfail" = 0 ]; exit $?; }
