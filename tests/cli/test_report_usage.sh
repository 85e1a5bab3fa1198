#!/bin/sh
# A report given a bad option says so in one line naming the script and
# exits with status 2, as command-line programs do; a script error still
# prints its traceback and exits 1.
. tests/cli/lib.sh
DB=$TMP/store.db
$ND -e "local db = newsdesk.open('$DB') db:add{ title = 'Başlık', body = 'Kuzey Kore' } db:close()" >/dev/null 2>&1
for case in "--since 2024-13-45|option --since: no such day \"2024-13-45\"" \
            "--bogus|unknown option --bogus (--help lists the options)" \
            "--limit many|option --limit: number expected, got \"many\"" \
            "--since|option --since needs a value"; do
    opts=${case%%|*}
    want=${case#*|}
    # shellcheck disable=SC2086
    $ND --db "$DB" run scripts/reports/top_entities.lua $opts >"$TMP/out" 2>"$TMP/err"
    rc=$?
    check_eq "$rc" 2 "top_entities.lua $opts exits 2"
    check_eq "$(cat "$TMP/err")" "scripts/reports/top_entities.lua: $want" "... with one line naming the script and the option"
done
$ND --db "$DB" run scripts/reports/sources.lua --until 2024-02-30 >/dev/null 2>"$TMP/err"
check_eq "$?" 2 "every report takes the same way out (sources.lua)"
printf 'local t = nil\nprint(t.x)\n' >"$TMP/broken.lua"
$ND run "$TMP/broken.lua" >/dev/null 2>"$TMP/err"
check_eq "$?" 1 "a script error still exits 1"
check_contains "$(cat "$TMP/err")" "stack traceback" "... with its traceback"
# --db naming a file that is not a store: the report fails and names it,
# never reporting quietly on ./newsdesk.db instead (analysis.lua once
# caught the error of opening it and fell back).
mkdir -p "$TMP/cwd"
cp "$DB" "$TMP/cwd/newsdesk.db"
echo "not a database" >"$TMP/cwd/bad.db"
ROOT=$(pwd)
case "$ND" in /*) NDABS=$ND ;; *) NDABS=$ROOT/$ND ;; esac
(cd "$TMP/cwd" && "$NDABS" --db bad.db run "$ROOT/scripts/reports/sources.lua") >"$TMP/out" 2>"$TMP/err"
check_eq "$?" 1 "--db bad.db run sources.lua fails (exit 1)"
check_contains "$(cat "$TMP/err")" "cannot open store 'bad.db'" "... saying it cannot open bad.db"
check_eq "$(cat "$TMP/out")" "" "... and reports nothing on ./newsdesk.db"
done_testing
