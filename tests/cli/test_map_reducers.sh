# The bundled reducers (scripts/reducers/) under `newsdesk map | sort |
# newsdesk reduce`, and near-duplicates found in a stream as the store finds
# them at ingest.
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac
R=scripts/reducers
TAB=$(printf '\t')
csort() { LC_ALL=C sort "$@"; }

# ---- sum ----------------------------------------------------------------------------------
cat >"$TMP/words.jsonl" <<'EOF2'
{"id":1,"lang":"tr","title":"Kuzey Kore Moskova Kuzey"}
{"id":2,"lang":"en","title":"Korea Moscow talks"}
{"id":3,"lang":"tr","title":"Moskova zirvesi Kore"}
EOF2
cat >"$TMP/wordmap.lua" <<'EOF2'
function map(a)
  local out = {}
  for w in a.title:gmatch("%S+") do out[#out + 1] = { lang = a.lang, word = w, k = a.lang .. "|" .. w } end
  return out
end
EOF2
"$ND" map -q --key k "$TMP/wordmap.lua" <"$TMP/words.jsonl" | csort >"$TMP/sorted"
out=$("$ND" reduce -q $R/sum.lua <"$TMP/sorted")
check_contains "$out" '{"count":2,"k":"tr|Kuzey","key":"tr|Kuzey","lang":"tr","word":"Kuzey"}' \
    "sum: bare records count 1 each; the fields the group agrees on are kept"
check_contains "$out" '{"count":2,"k":"tr|Moskova","key":"tr|Moskova","lang":"tr","word":"Moskova"}' "sum counts across articles"
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 7 "sum writes one record per key (4 Turkish words, 3 English)"
twice=$( { "$ND" reduce -q --key key $R/sum.lua <"$TMP/sorted"; "$ND" reduce -q --key key $R/sum.lua <"$TMP/sorted"; } | csort \
        | "$ND" reduce -q $R/sum.lua | grep 'tr|Kuzey')
check_contains "$twice" '"count":4' "partial sums sum again (sum works as a combiner)"
printf 'a\t{"n":2}\na\t{"n":3.5}\n' | "$ND" reduce -q $R/sum.lua n >"$TMP/o"
check_eq "$(cat "$TMP/o")" '{"key":"a","n":5.5}' "sum FIELD sums that field"
err=$(printf 'a\t{"n":"x"}\n' | "$ND" reduce $R/sum.lua n 2>&1 >/dev/null); rc=$?
check_eq "$rc" 1 "sum: a non-number fails the run"
check_contains "$err" "key \"a\": scripts/reducers/sum.lua" "the sum error names the key and the reducer"
check_contains "$err" "field \"n\" is a string, not a number" "the sum error says what is wrong"

# ---- top ----------------------------------------------------------------------------------
echo 'function map(a) return a end' >"$TMP/id.lua"
"$ND" reduce -q $R/sum.lua <"$TMP/sorted" | "$ND" map -q --key lang "$TMP/id.lua" | csort >"$TMP/bylang"
out=$("$ND" reduce -q $R/top.lua 2 <"$TMP/bylang")
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 4 "top N: at most N records per group"
check_eq "$(printf '%s\n' "$out" | grep '"group":"tr"' | sed -n 1p)" \
    '{"count":2,"group":"tr","k":"tr|Kore","key":"tr|Kore","lang":"tr","rank":1,"word":"Kore"}' \
    "top ranks by count, ties by the record's JSON text"
rev=$(csort -r "$TMP/bylang" | csort -s -t "$TAB" -k1,1 | "$ND" reduce -q $R/top.lua 2)
check_eq "$rev" "$out" "top does not depend on the order of records within a group"
err=$(printf 'a\t{"count":"many"}\n' | "$ND" reduce $R/top.lua 2>&1 >/dev/null); rc=$?
check_eq "$rc" 1 "top: a count that is not a number fails the run"

# ---- unique -------------------------------------------------------------------------------
printf 'x\t{"value":"b"}\nx\t{"value":"a"}\nx\t{"value":"b"}\nx\t{"value":3}\ny\t{"other":1}\n' >"$TMP/u"
out=$("$ND" reduce -q $R/unique.lua <"$TMP/u")
check_eq "$out" '{"key":"x","n":3,"value":[3,"a","b"]}
{"key":"y","n":0,"value":[]}' "unique: distinct values sorted, numbers first; a group without the field gives an empty list"
out2=$(printf '%s\n' "$out" | "$ND" map -q --key key "$TMP/id.lua" | "$ND" reduce -q $R/unique.lua)
check_eq "$out2" "$out" "unique's output reduces again to the same result"
check_eq "$(printf 'k\t{"id":2}\nk\t{"id":1}\n' | "$ND" reduce -q $R/unique.lua id)" '{"id":[1,2],"key":"k","n":2}' \
    "unique FIELD collects that field"

# ---- near-duplicates: the stream agrees with the store --------------------------------------
"$ND" --db "$TMP/s.db" ingest -q scripts/corpus/ >/dev/null 2>&1
cat >"$TMP/export.lua" <<'EOF2'
for a in db:articles() do
  print(newsdesk.json.encode{ id = a.id, title = a.title, body = a.body, published = a.date, lang = a.lang,
                              stored_dup = a.duplicate_of })
end
EOF2
"$ND" --db "$TMP/s.db" "$TMP/export.lua" >"$TMP/all.jsonl"
want=$("$ND" map -q "$TMP/id.lua" <"$TMP/all.jsonl" | grep '"stored_dup"' | sed 's/.*"id":\([0-9]*\).*"stored_dup":\([0-9]*\).*/{"duplicate_of":\2,"id":\1}/' | csort)
check "the corpus has republished copies the store linked" test "$(printf '%s\n' "$want" | grep -c duplicate_of)" -ge 2
echo 'function map(a) a.stored_dup = nil; return a end' >"$TMP/strip.lua"
"$ND" map -q "$TMP/strip.lua" <"$TMP/all.jsonl" >"$TMP/plain.jsonl"
got=$("$ND" map -q --key band $R/near_duplicates.lua <"$TMP/plain.jsonl" | csort \
      | "$ND" reduce -q $R/near_duplicates.lua | csort -u)
check_eq "$got" "$want" "map | sort | reduce finds the copies the store found, linked to the same originals"
split -l 9 "$TMP/plain.jsonl" "$TMP/part."
for p in "$TMP"/part.*; do "$ND" map -q --key band $R/near_duplicates.lua <"$p" >"$p.out"; done
got3=$(cat "$TMP"/part.*.out | csort | "$ND" reduce -q $R/near_duplicates.lua | csort -u)
check_eq "$got3" "$want" "split into shards mapped apart, the copies across shards are found"
printf '%s\n' "$got" >"$TMP/dups.jsonl"
kept=$("$ND" map -q "$TMP/id.lua" <"$TMP/plain.jsonl" | wc -l | tr -d ' ')
echo 'local F = require "newsdesk.filters"; local f = F.no_duplicates{ list = arg[1] }
function map(a) if f(a) then return { id = a.id } end end' >"$TMP/dropdups.lua"
left=$("$ND" map -q "$TMP/dropdups.lua" "$TMP/dups.jsonl" <"$TMP/plain.jsonl" | wc -l | tr -d ' ')
check_eq "$left" "$((kept - $(printf '%s\n' "$want" | wc -l)))" "F.no_duplicates{list=} drops the listed copies from the stream"
stored=$("$ND" --db "$TMP/s.db" -e 'local F = require "newsdesk.filters"; local n = 0
for _ in F.articles(db, F.no_duplicates()) do n = n + 1 end; print(n)')
check_eq "$left" "$stored" "the stream keeps as many articles as the store's originals"
echo 'local F = require "newsdesk.filters"; local f = F.no_duplicates()
function map(a) if f(a) then return { id = a.id } end end' >"$TMP/nolist.lua"
check_eq "$("$ND" map -q "$TMP/nolist.lua" <"$TMP/plain.jsonl" | wc -l | tr -d ' ')" "$kept" \
    "F.no_duplicates() without a list keeps plain articles: they carry no link (as documented)"
err=$("$ND" map "$TMP/dropdups.lua" "$TMP/missing.jsonl" </dev/null 2>&1); rc=$?
check_eq "$rc" 1 "a missing duplicate list fails"
check_contains "$err" "no_duplicates: cannot read the list" "and says so"

# ---- the bundled filter's claim -------------------------------------------------------------
nk=$(printf '%s\n' '{"id":"a","lang":"tr","date":"2024-11-19","title":"Kuzey Kore açıklaması","body":"Pyongyang yönetimi bugün yaptığı açıklamada Kuzey Kore ordusunun yeni tatbikatlara başlayacağını ve bölgedeki gerilimin arttığını duyurdu."}' \
                    '{"id":"b","lang":"tr","date":"2024-11-20","title":"Kuzey Kore açıklaması","body":"Pyongyang yönetimi bugün yaptığı açıklamada Kuzey Kore ordusunun yeni tatbikatlara başlayacağını ve bölgedeki gerilimin arttığını duyurdu. Haberi paylaş."}')
printf '%s\n' "$nk" >"$TMP/nk.jsonl"
"$ND" map -q --key band $R/near_duplicates.lua <"$TMP/nk.jsonl" | csort | "$ND" reduce -q $R/near_duplicates.lua | csort -u >"$TMP/nkdups.jsonl"
check_eq "$(cat "$TMP/nkdups.jsonl")" '{"duplicate_of":"a","id":"b"}' "the later republished copy is the duplicate"
check_eq "$("$ND" map -q scripts/filters/north_korea_tr.lua "$TMP/nkdups.jsonl" <"$TMP/nk.jsonl" | grep -o '"id":"[ab]"')" '"id":"a"' \
    "north_korea_tr.lua with the reducer's list drops the republished copy in the stream"
check_eq "$("$ND" map -q scripts/filters/north_korea_tr.lua <"$TMP/nk.jsonl" | wc -l | tr -d ' ')" 2 \
    "without the list it keeps both, as its header says"
check_contains "$(sed -n 1,20p scripts/filters/north_korea_tr.lua)" "without it every" "the header says what happens without the list"

done_testing
