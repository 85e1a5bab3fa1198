# newsdesk map's failure discipline: what an engine (Hadoop Streaming, GNU
# parallel, Slurm) sees — exit status, one message per problem naming the line
# in the whole input and the article, a summary line, and records that are
# written whole or not at all.
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac

echo 'function map(a) return a end' >"$TMP/id.lua"
printf '{"id":1}\n{"id": 2,\n{"id":3}\n' >"$TMP/bad.jsonl"

# ---- malformed lines ------------------------------------------------------------------
out=$("$ND" map "$TMP/id.lua" <"$TMP/bad.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "a malformed line makes the run exit 1"
check_eq "$out" '{"id":1}
{"id":3}' "the good lines are still mapped"
check_contains "$(cat "$TMP/err")" \
    "newsdesk map: read 3 lines (2 articles), wrote 2 records, skipped 1 malformed lines, 0 errors; failed: malformed input" \
    "the summary line counts lines read, records written, lines skipped and errors"
out=$("$ND" map --skip-malformed "$TMP/id.lua" <"$TMP/bad.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$rc" 0 "--skip-malformed: malformed lines do not fail the run"
check_contains "$(cat "$TMP/err")" "stdin:2: malformed JSON" "--skip-malformed still reports the line"
check_contains "$(cat "$TMP/err")" "skipped 1 malformed lines (--skip-malformed), 0 errors" \
    "--skip-malformed is named in the summary"
out=$("$ND" map --line-offset 1000 "$TMP/id.lua" <"$TMP/bad.jsonl" 2>&1 >/dev/null)
check_contains "$out" "stdin:1002: malformed JSON" "--line-offset gives the line number in the whole input"

# ---- a clean run -----------------------------------------------------------------------
err=$(printf '{"id":1}\n\n{"id":2}\n' | "$ND" map "$TMP/id.lua" 2>&1 >/dev/null); rc=$?
check_eq "$rc" 0 "a clean run exits 0"
check_eq "$err" "newsdesk map: read 3 lines (2 articles), wrote 2 records, skipped 0 malformed lines, 0 errors" \
    "a clean run prints only the summary on standard error"
err=$(printf '{"id":1}\n' | "$ND" map -q "$TMP/id.lua" 2>&1 >/dev/null)
check_eq "$err" "" "-q: a clean run prints nothing on standard error"
err=$(printf '{"id":1\n' | "$ND" map -q "$TMP/id.lua" 2>&1 >/dev/null)
check_contains "$err" "skipped 1 malformed lines" "-q still prints the summary of a failed run"

# ---- errors in map() ----------------------------------------------------------------------
cat >"$TMP/boom.lua" <<'EOF2'
function map(a)
  if a.fail then error("cannot map this one") end
  return a
end
EOF2
printf '%s\n' '{"id":"a1","x":1}' '{"url":"https://example.org/n/2","fail":true}' \
    '{"id":"a3","fail":true}' '{"fail":true}' '{"id":"a5"}' >"$TMP/f.jsonl"
out=$("$ND" map --line-offset 40 "$TMP/boom.lua" <"$TMP/f.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "an error in map() exits 1"
check_eq "$out" '{"id":"a1","x":1}' "the run stops at the first error; earlier records are complete"
check_contains "$(cat "$TMP/err")" "stdin:42: article url https://example.org/n/2: $TMP/boom.lua:2: cannot map this one" \
    "the error names the line in the whole input and the article's url"
check_contains "$(cat "$TMP/err")" "1 errors; stopped at the first error" "the summary says the run stopped"
out=$("$ND" map --keep-going "$TMP/boom.lua" <"$TMP/f.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "--keep-going still exits 1 when any call failed"
check_eq "$out" '{"id":"a1","x":1}
{"id":"a5"}' "--keep-going maps the other articles"
check_contains "$(cat "$TMP/err")" "stdin:3: article id a3: $TMP/boom.lua:2" "the error names the article's id"
check_contains "$(cat "$TMP/err")" "stdin:4: $TMP/boom.lua:2" "an article without id or url is named by its line only"
check_contains "$(cat "$TMP/err")" "read 5 lines (5 articles), wrote 2 records, skipped 0 malformed lines, 3 errors; failed" \
    "--keep-going: the summary counts the errors"

# ---- no partial record ----------------------------------------------------------------------
cat >"$TMP/half.lua" <<'EOF2'
function map(a)
  if a.id == 2 then return { { id = 2, part = 1 }, { id = 2, part = 2, f = print } } end
  return a
end
EOF2
out=$(printf '{"id":1}\n{"id":2}\n{"id":3}\n' | "$ND" map --keep-going "$TMP/half.lua" 2>"$TMP/err"); rc=$?
check_eq "$out" '{"id":1}
{"id":3}' "when one record of a result cannot be written, none of that result is"
check_contains "$(cat "$TMP/err")" "stdin:2: article id 2: cannot write a function as JSON" \
    "the encoding error names the line and the article"
check_eq "$rc" 1 "an encoding error fails the run"

# ---- io.write and io.stdout never reach the stream --------------------------------------------
cat >"$TMP/noisy.lua" <<'EOF2'
function map(a)
  io.write("io.write noise\n")
  io.stdout:write("io.stdout noise\n")
  io.output():write("io.output noise\n")
  print("print noise")
  os.execute("echo child noise")
  return a
end
EOF2
out=$(echo '{"id":1}' | "$ND" map "$TMP/noisy.lua" 2>"$TMP/err"); rc=$?
check_eq "$out" '{"id":1}' "io.write, io.stdout, io.output() and child processes do not write into the records"
err=$(cat "$TMP/err")
check_contains "$err" "io.write noise" "io.write goes to standard error"
check_contains "$err" "io.stdout noise" "io.stdout goes to standard error"
check_contains "$err" "child noise" "a child process's output goes to standard error"
cat >"$TMP/sbnoisy.lua" <<'EOF2'
function map(a) io.write("sandboxed noise\n"); io.stdout:write("more\n"); return a end
EOF2
out=$(echo '{"id":1}' | "$ND" --sandbox map "$TMP/sbnoisy.lua" 2>"$TMP/err")
check_eq "$out" '{"id":1}' "in the sandbox too, io.write stays out of the records"
check_contains "$(cat "$TMP/err")" "sandboxed noise" "the sandbox's io.write goes to standard error"

# ---- usage --------------------------------------------------------------------------------------
err=$(echo '{}' | "$ND" map --input csv "$TMP/id.lua" 2>&1); rc=$?
check_eq "$rc" 2 "an unknown --input is a usage error"
check_contains "$err" "--input wants 'json' or 'keyed', not 'csv'" "the usage error says what --input takes"
err=$(echo '{}' | "$ND" map --line-offset x "$TMP/id.lua" 2>&1); rc=$?
check_eq "$rc" 2 "a bad --line-offset is a usage error"

done_testing
