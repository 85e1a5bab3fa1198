# newsdesk map --part K/N: the K-th of N parts of a file given as standard
# input, the lines GNU `split -n l/K/N` gives, mapped in place; the parts
# together map every line once and messages number lines in the whole file.
. tests/cli/lib.sh
echo 'function map(a) return a end' >"$TMP/id.lua"

# the parts are split's, whatever the line lengths and the number of parts
"$ND" -e 'math.randomseed(7)
for i = 1, 500 do print(string.format("{\"id\":%d,\"s\":\"%s\"}", i, string.rep("x", math.random(0, 300)))) end' \
  >"$TMP/in.jsonl"
printf '{"last":1}' >>"$TMP/in.jsonl"       # no line break at the end
"$ND" map -q "$TMP/id.lua" <"$TMP/in.jsonl" >"$TMP/all"
for parts in 1 2 3 7 40; do
  same=yes
  : >"$TMP/joined"
  k=1
  while [ $k -le $parts ]; do
    "$ND" map -q --part $k/$parts "$TMP/id.lua" <"$TMP/in.jsonl" >"$TMP/p" || same="exit $?"
    split -n l/$k/$parts "$TMP/in.jsonl" | "$ND" map -q "$TMP/id.lua" >"$TMP/s"
    cmp -s "$TMP/p" "$TMP/s" || same="part $k differs from split -n l/$k/$parts"
    cat "$TMP/p" >>"$TMP/joined"
    k=$((k + 1))
  done
  check_eq "$same" yes "--part K/$parts maps the lines split -n l/K/$parts gives"
  check "the $parts parts together map every line once, in order" cmp -s "$TMP/joined" "$TMP/all"
done
check_eq "$("$ND" map -q --part 2/2 "$TMP/id.lua" <"$TMP/in.jsonl" | head -n 1 | cut -c1-9)" \
  "$(split -n l/2/2 "$TMP/in.jsonl" | head -n 1 | cut -c1-9)" "part 2 starts at a whole line"

# messages name the line in the whole file
sed '321s/.*/{"i": broken/' "$TMP/in.jsonl" >"$TMP/bad.jsonl"
for parts in 2 5; do
  k=1 msgs=""
  while [ $k -le $parts ]; do
    "$ND" map -q --part $k/$parts "$TMP/id.lua" <"$TMP/bad.jsonl" >/dev/null 2>>"$TMP/err.$parts" || msgs="$msgs $k"
    k=$((k + 1))
  done
  check_eq "$(echo $msgs | wc -w | tr -d ' ')" 1 "one of $parts parts fails on the malformed line"
  check_contains "$(cat "$TMP/err.$parts")" "stdin:321: malformed JSON" "its message names line 321 of the whole file ($parts parts)"
done
echo 'function map(a) if a.id == 444 then error("no 444") end return a end' >"$TMP/bug.lua"
rc=0
"$ND" map -q --part 3/3 --line-offset 1000 "$TMP/bug.lua" <"$TMP/in.jsonl" >/dev/null 2>"$TMP/err" || rc=$?
check_eq "$rc" 1 "an error in map fails the part"
check_contains "$(cat "$TMP/err")" "stdin:1444: article id 444: " "--line-offset adds to the lines before the part" 
check_contains "$(cat "$TMP/err")" "no 444" "and the message says what failed"

# small and empty files; what --part refuses
printf '{"a":1}\n' >"$TMP/one.jsonl"
check_eq "$("$ND" map -q --part 1/20 "$TMP/id.lua" <"$TMP/one.jsonl")" '{"a":1}' "a file smaller than N bytes is all part 1"
check_eq "$("$ND" map -q --part 20/20 "$TMP/id.lua" <"$TMP/one.jsonl")" "" "and the other parts are empty"
: >"$TMP/empty"
check_eq "$("$ND" map -q --part 2/3 "$TMP/id.lua" <"$TMP/empty"; echo "rc=$?")" "rc=0" "an empty file gives empty parts"
rc=0
cat "$TMP/in.jsonl" | "$ND" map -q --part 1/2 "$TMP/id.lua" >"$TMP/out" 2>"$TMP/err" || rc=$?
check_eq "$rc" 1 "--part on a pipe fails"
check_contains "$(cat "$TMP/err")" "standard input is not a file" "and says why"
check_eq "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "and writes nothing"
for bad in 0/2 3/2 1/0 x/2 1/2x -1/2; do
  rc=0
  "$ND" map --part "$bad" "$TMP/id.lua" <"$TMP/in.jsonl" >/dev/null 2>"$TMP/err" || rc=$?
  check_eq "$rc" 2 "--part $bad is a usage error"
done
check_contains "$(cat "$TMP/err")" "--part wants K/N with 1 <= K <= N" "the usage error says what --part wants"
rc=0
"$ND" reduce --part 1/2 "$TMP/id.lua" <"$TMP/in.jsonl" >/dev/null 2>&1 || rc=$?
check_eq "$rc" 2 "reduce has no --part (a key's lines must stay together)"
done_testing
