# Keyed I/O for engines: newsdesk map --key / a returned key writes
# KEY<TAB>JSON, --input keyed reads it, and newsdesk reduce calls
# reduce(key, records) once per run of equal keys (the Hadoop Streaming and
# `sort | reduce` contract).
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac
TAB=$(printf '\t')

cat >"$TMP/in.jsonl" <<'EOF2'
{"id": 1, "lang": "tr", "title": "Ankara’da zirve"}
{"id": 2, "lang": "en", "title": "Talks in Berlin"}
{"id": 3, "lang": "tr", "title": "Fidan Moskova’da"}
EOF2
echo 'function map(a) return a end' >"$TMP/id.lua"

# ---- map --key and a returned key ------------------------------------------------------
out=$("$ND" map -q --key lang "$TMP/id.lua" <"$TMP/in.jsonl")
check_eq "$(printf '%s\n' "$out" | sed -n 1p)" "tr$TAB{\"id\":1,\"lang\":\"tr\",\"title\":\"Ankara’da zirve\"}" \
    "--key FIELD writes the field's value, a TAB and the JSON record"
check_eq "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "tr en tr " "every record gets its key"
out=$("$ND" map -q --key id "$TMP/id.lua" <"$TMP/in.jsonl" | cut -f1 | tr '\n' ' ')
check_eq "$out" "1 2 3 " "a number is a key too"
cat >"$TMP/retkey.lua" <<'EOF2'
function map(a)
  local words = {}
  for w in a.title:gmatch("%S+") do words[#words + 1] = { word = w, id = a.id } end
  return words, a.lang
end
EOF2
out=$("$ND" map -q "$TMP/retkey.lua" <"$TMP/in.jsonl")
check_eq "$(printf '%s\n' "$out" | sed -n 3p)" "en$TAB{\"id\":2,\"word\":\"Talks\"}" \
    "a key returned as map's second result keys every record of the result"
err=$(printf '{"id":1}\n{"lang":"tr"}\n' | "$ND" map --keep-going --key lang "$TMP/id.lua" 2>&1 >"$TMP/out"); rc=$?
check_eq "$rc" 1 "a record without the --key field fails the run"
check_contains "$err" "stdin:1: article id 1: a record has no key field 'lang'" "the message names the line, the article and the field"
check_eq "$(cat "$TMP/out")" "tr$TAB{\"lang\":\"tr\"}" "the record without a key is not written"
err=$(printf '%s\n' '{"k":"a\tb"}' | "$ND" map --key k "$TMP/id.lua" 2>&1 >/dev/null)
check_contains "$err" "holds a TAB or a line break" "a key with a TAB is refused: it would shift the value"

# ---- --input keyed -------------------------------------------------------------------------
cat >"$TMP/keyarg.lua" <<'EOF2'
function map(a, key) return { key = key, id = a.id } end
EOF2
out=$("$ND" map -q --key lang "$TMP/id.lua" <"$TMP/in.jsonl" | "$ND" map -q --input keyed "$TMP/keyarg.lua")
check_eq "$out" '{"id":1,"key":"tr"}
{"id":2,"key":"en"}
{"id":3,"key":"tr"}' "--input keyed reads the JSON after the first TAB and passes the key as map's second argument"
out=$("$ND" map -q --key lang "$TMP/id.lua" <"$TMP/in.jsonl" | "$ND" map -q --input keyed "$TMP/id.lua")
check_eq "$out" "$("$ND" map -q "$TMP/id.lua" <"$TMP/in.jsonl")" "keyed output mapped again equals the unkeyed output"
err=$(printf 'k\t{"id":1}\n{"id":2}\n' | "$ND" map --input keyed "$TMP/id.lua" 2>&1 >/dev/null); rc=$?
check_eq "$rc" 1 "an unkeyed line in keyed input fails the run"
check_contains "$err" "stdin:2: expected KEY<TAB>JSON, found no TAB; line skipped" "the unkeyed line is named"
err=$(printf 'k\t{"id":1,}\n' | "$ND" map --input keyed "$TMP/id.lua" 2>&1 >/dev/null)
check_contains "$err" "stdin:1: malformed JSON at column 11" "columns of malformed JSON count from the start of the line, key included"
err=$(printf 'k\t{"id":1}\n' | "$ND" map "$TMP/id.lua" 2>&1 >/dev/null); rc=$?
check_eq "$rc" 1 "keyed input without --input keyed is malformed, and the run fails"

# ---- reduce ----------------------------------------------------------------------------------
cat >"$TMP/count.lua" <<'EOF2'
function reduce(key, records)
  local ids = {}
  for i, r in ipairs(records) do ids[i] = r.id end
  return { lang = key, n = #records, ids = ids }
end
EOF2
out=$("$ND" map -q --key lang "$TMP/id.lua" <"$TMP/in.jsonl" | LC_ALL=C sort -t "$TAB" -k1,1 -s | "$ND" reduce "$TMP/count.lua" 2>"$TMP/err"); rc=$?
check_eq "$rc" 0 "map | sort | reduce exits 0"
check_eq "$out" '{"ids":[2],"lang":"en","n":1}
{"ids":[1,3],"lang":"tr","n":2}' "reduce gets each key once with the list of its decoded records, in input order"
check_eq "$(cat "$TMP/err")" "newsdesk reduce: read 3 lines (3 records in 2 groups), wrote 2 records, skipped 0 malformed lines, 0 errors" \
    "reduce prints its summary"
out=$(printf 'a\t{"v":1}\nb\t{"v":2}\na\t{"v":3}\n' | "$ND" reduce -q "$TMP/count.lua")
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "reduce groups consecutive lines only: unsorted input gives a key twice"
cat >"$TMP/keyedout.lua" <<'EOF2'
function reduce(key, records)
  local out = {}
  for _, r in ipairs(records) do out[#out + 1] = { k = key .. "!", v = r.v } end
  return out
end
EOF2
out=$(printf 'a\t{"v":1}\na\t{"v":2}\n' | "$ND" reduce -q --key k "$TMP/keyedout.lua")
check_eq "$out" "a!$TAB{\"k\":\"a!\",\"v\":1}
a!$TAB{\"k\":\"a!\",\"v\":2}" "reduce returning a list writes several records; --key keys them"
echo 'function reduce(k, rs) return { n = #rs }, k end' >"$TMP/rk.lua"
check_eq "$(printf 'x y\t{}\nx y\t{}\n' | "$ND" reduce -q "$TMP/rk.lua")" "x y$TAB{\"n\":2}" \
    "a key returned by reduce keys its records; keys may hold spaces"
check_eq "$(printf '\t{"v":1}\n\t{"v":2}\n' | "$ND" reduce -q "$TMP/rk.lua")" "$TAB{\"n\":2}" "an empty key is a key"

cat >"$TMP/rboom.lua" <<'EOF2'
function reduce(key, records)
  if key == "b" then error("bad group") end
  return { key = key, n = #records }
end
EOF2
printf 'a\t{"id":1}\nb\t{"id":2}\nb\t{"id":3}\nc\t{"id":4}\n' >"$TMP/k.txt"
out=$("$ND" reduce --line-offset 10 "$TMP/rboom.lua" <"$TMP/k.txt" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "an error in reduce() exits 1"
check_eq "$out" '{"key":"a","n":1}' "reduce stops at the first failing group"
check_contains "$(cat "$TMP/err")" "stdin:12-13: key \"b\": $TMP/rboom.lua:2: bad group" \
    "the error names the group's lines in the whole input and its key"
out=$("$ND" reduce --keep-going "$TMP/rboom.lua" <"$TMP/k.txt" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "reduce --keep-going still exits 1"
check_eq "$out" '{"key":"a","n":1}
{"key":"c","n":1}' "reduce --keep-going reduces the other groups"
check_contains "$(cat "$TMP/err")" "(4 records in 3 groups), wrote 2 records, skipped 0 malformed lines, 1 errors; failed" \
    "the reduce summary counts groups and errors"
out=$(printf 'a\t{"id":1}\na\t{"id":\nb\t{"id":3}\n' | "$ND" reduce "$TMP/count.lua" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "a malformed line fails reduce"
check_contains "$(cat "$TMP/err")" "stdin:2: malformed JSON" "the malformed line is named"
check_eq "$out" '{"ids":[1],"lang":"a","n":1}
{"ids":[3],"lang":"b","n":1}' "the malformed line is left out of its group"
printf 'a\t{"id":1}\na\t{"id":\n' | "$ND" reduce --skip-malformed "$TMP/count.lua" >/dev/null 2>&1
check_eq "$?" 0 "reduce --skip-malformed exits 0"
cat >"$TMP/fin.lua" <<'EOF2'
local total = 0
function reduce(key, records) total = total + #records end
function finish() return { total = total } end
EOF2
check_eq "$(printf 'a\t{}\nb\t{}\nb\t{}\n' | "$ND" reduce -q "$TMP/fin.lua")" '{"total":3}' "finish() runs after the last group"
err=$(echo 'a	{}' | "$ND" reduce "$TMP/id.lua" 2>&1); rc=$?
check_eq "$rc" 1 "a script without reduce() exits 1"
check_contains "$err" "defines no global function reduce(key, records)" "a missing reduce() is explained"
err=$("$ND" reduce 2>&1); rc=$?
check_eq "$rc" 2 "reduce without a script is a usage error"
check_contains "$("$ND" help reduce)" "reduce(key, records)" "newsdesk help reduce explains the command"

done_testing
