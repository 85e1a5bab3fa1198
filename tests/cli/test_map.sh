# newsdesk map: JSON Lines in, map(article) per line, JSON Lines out.
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac

cat >"$TMP/in.jsonl" <<'EOF'
{"id": 1, "title": "Ankara’da zirve başladı", "lang": "tr", "source": "Haber Ajansı", "meta": {"tags": ["dış politika", "zirve"], "score": 1.5, "none": null}}
{"id": 2, "title": "Talks open in Berlin", "lang": "en", "body": "Line one\nline \"two\"\ttab"}

{"id": 3, "title": "Переговоры в Москве", "lang": "ru", "emoji": "🗞️", "flag": true, "n": -7}
EOF

# ---- identity --------------------------------------------------------------------
echo 'function map(a) return a end' >"$TMP/id.lua"
out=$("$ND" map "$TMP/id.lua" <"$TMP/in.jsonl"); rc=$?
check_eq "$rc" 0 "identity map exits 0"
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "identity map writes one line per article (blank line skipped)"
check_eq "$(printf '%s\n' "$out" | sed -n 1p)" \
    '{"id":1,"lang":"tr","meta":{"score":1.5,"tags":["dış politika","zirve"]},"source":"Haber Ajansı","title":"Ankara’da zirve başladı"}' \
    "records are compact UTF-8 JSON with sorted keys; null fields are dropped"
check_eq "$(printf '%s\n' "$out" | sed -n 2p)" \
    '{"body":"Line one\nline \"two\"\ttab","id":2,"lang":"en","title":"Talks open in Berlin"}' \
    "escapes survive a round trip"
check_eq "$(printf '%s\n' "$out" | sed -n 3p)" \
    '{"emoji":"🗞️","flag":true,"id":3,"lang":"ru","n":-7,"title":"Переговоры в Москве"}' \
    "Cyrillic, emoji, booleans and negative integers survive a round trip"
again=$(printf '%s\n' "$out" | "$ND" map "$TMP/id.lua")
check_eq "$again" "$out" "the mapper's output is valid input: a second identity pass changes nothing"

# ---- drop, one, several ----------------------------------------------------------
cat >"$TMP/filter.lua" <<'EOF'
function map(a)
  if a.lang ~= "tr" and a.lang ~= "ru" then return nil end
  if a.lang == "ru" then return false end
  return { id = a.id, lang = a.lang }
end
EOF
check_eq "$("$ND" map "$TMP/filter.lua" <"$TMP/in.jsonl")" '{"id":1,"lang":"tr"}' \
    "nil and false drop an article; a table emits one record"

cat >"$TMP/words.lua" <<'EOF'
function map(a)
  local out = {}
  for w in a.title:gmatch("%S+") do out[#out + 1] = { id = a.id, word = w } end
  if a.id == 2 then return {} end
  return out
end
EOF
out=$("$ND" map "$TMP/words.lua" <"$TMP/in.jsonl")
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 6 "a list emits one record per item; an empty table emits nothing"
check_eq "$(printf '%s\n' "$out" | sed -n 2p)" '{"id":1,"word":"zirve"}' "list items come out in order"
check_eq "$(printf '%s\n' "$out" | sed -n 6p)" '{"id":3,"word":"Москве"}' "items of later articles follow"

cat >"$TMP/shapes.lua" <<'EOF'
function map(a)
  return { list = { 1, 2.5, "x" }, empty = {}, nested = { { k = "v" } }, [7] = "seven",
           big = 2^53, half = 0.5, inf = math.huge, bad = "\xff\xfe ok" }
end
EOF
check_eq "$(echo '{}' | "$ND" map "$TMP/shapes.lua")" \
    '{"7":"seven","bad":"�� ok","big":9007199254740992.0,"empty":{},"half":0.5,"inf":null,"list":[1,2.5,"x"],"nested":[{"k":"v"}]}' \
    "arrays, {} , integer keys, floats, infinity and invalid UTF-8 are written as documented"

# ---- finish() and print ------------------------------------------------------------
cat >"$TMP/count.lua" <<'EOF'
local n = 0
function map(a) n = n + 1; print("saw", a.id) end
function finish() return { articles = n } end
EOF
out=$("$ND" map "$TMP/count.lua" <"$TMP/in.jsonl" 2>"$TMP/err")
check_eq "$out" '{"articles":3}' "finish() runs at the end and its records are written"
check_contains "$(cat "$TMP/err")" "saw	3" "print() inside map writes to stderr, not into the records"

# ---- malformed input ------------------------------------------------------------------
printf '{"id":1}\n{"id": 2,\nnot json at all\n[1, 2]\n"str"\n{"id":6}\n' >"$TMP/bad.jsonl"
out=$("$ND" map "$TMP/id.lua" <"$TMP/bad.jsonl" 2>"$TMP/err"); rc=$?
err=$(cat "$TMP/err")
check_eq "$rc" 1 "malformed lines do not stop the mapper, but the run fails"
check_eq "$out" '{"id":1}
{"id":6}' "good lines around malformed ones are mapped"
check_contains "$err" "stdin:2: malformed JSON" "a truncated object is reported with its line number"
check_contains "$err" "stdin:3: malformed JSON" "a non-JSON line is reported with its line number"
check_contains "$err" "stdin:4: expected a JSON object, got an array" "an array line is reported"
check_contains "$err" "stdin:5: expected a JSON object, got a scalar" "a scalar line is reported"
check_contains "$err" "line skipped" "the report says the line was skipped"

printf '\357\273\277{"id":1}\r\n{"id":2}\r\n' >"$TMP/bom.jsonl"
check_eq "$("$ND" map -q "$TMP/id.lua" <"$TMP/bom.jsonl" 2>&1)" '{"id":1}
{"id":2}' "a byte-order mark and CRLF line ends are accepted"

cat >"$TMP/esc.jsonl" <<'EOF'
{"a": "\u00e7\u0130\ud83d\udcf0 \/\b\f", "n": [1e2, -0, 12345678901234567890, 0.25, -7], "z": [1, null, 3], "e": {}, "l": []}
EOF
check_eq "$("$ND" map -q "$TMP/id.lua" <"$TMP/esc.jsonl" 2>&1)" \
    '{"a":"çİ📰 /\u0008\u000c","e":{},"l":{},"n":[100.0,0,1.2345678901234567e+19,0.25,-7],"z":{"1":1,"3":3}}' \
    "\\u escapes with surrogate pairs, floats, big integers and nulls in arrays are read as documented"
printf '%s\n' '{"a": "\ud83d"}' '{"a": "\x"}' '{"a": 01}' '{"a": 1} x' "{\"a\": \"$(printf '\377')\"}" \
    '{"a": tru}' '{"a" 1}' '{"a": "ok"}' >"$TMP/bad2.jsonl"
out=$("$ND" map "$TMP/id.lua" <"$TMP/bad2.jsonl" 2>"$TMP/err")
err=$(cat "$TMP/err")
check_eq "$out" '{"a":"ok"}' "only the well-formed line gets through"
check_contains "$err" "stdin:1: malformed JSON at column 14: lone UTF-16 surrogate" "a lone surrogate is malformed"
check_contains "$err" "stdin:2: malformed JSON at column 9: invalid escape" "an unknown escape is malformed"
check_contains "$err" "stdin:3: malformed JSON at column 8: expected ',' or '}'" "a leading zero is malformed"
check_contains "$err" "stdin:4: malformed JSON at column 10: unexpected text after the value" "trailing text is malformed"
check_contains "$err" "stdin:5: malformed JSON at column 8: invalid UTF-8 in string" "invalid UTF-8 in the input is malformed"
check_contains "$err" "stdin:6: malformed JSON at column 7: unexpected character" "a misspelt literal is malformed"
check_contains "$err" "stdin:7: malformed JSON at column 6: expected ':'" "a missing colon is malformed"
deep=$(awk 'BEGIN { s = "{\"a\":"; for (i = 0; i < 100; i++) s = s "["; s = s "1"; for (i = 0; i < 100; i++) s = s "]"; print s "}" }')
err=$(echo "$deep" | "$ND" map "$TMP/id.lua" 2>&1)
check_contains "$err" "nested too deeply" "nesting beyond the limit is reported, not a crash"

# ---- script errors ------------------------------------------------------------------------
cat >"$TMP/boom.lua" <<'EOF'
function map(a)
  if a.id == 2 then error("no article two") end
  return a
end
EOF
out=$("$ND" map "$TMP/boom.lua" <"$TMP/in.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$rc" 1 "an error in map() stops the mapper with exit 1"
check_contains "$(cat "$TMP/err")" "stdin:2: article id 2: $TMP/boom.lua:2: no article two" \
    "the error names the input line, the article and the script line"
out=$("$ND" map --keep-going "$TMP/boom.lua" <"$TMP/in.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "--keep-going maps the other articles"
check_contains "$(cat "$TMP/err")" "read 4 lines (3 articles), wrote 2 records, skipped 0 malformed lines, 1 errors; failed" \
    "--keep-going reports how many failed"
check_eq "$rc" 1 "--keep-going still exits 1 when a call failed"

echo 'function map(a) if a.id == 2 then while true do end end return a end' >"$TMP/loop.lua"
out=$("$ND" map --time-limit 0.2 --keep-going "$TMP/loop.lua" <"$TMP/in.jsonl" 2>"$TMP/err"); rc=$?
check_eq "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "--time-limit applies to each map() call; the others go through"
check_contains "$(cat "$TMP/err")" "stdin:2: article id 2: $TMP/loop.lua:1: time limit of 0.2 s exceeded" \
    "a time limit hit in map() names the input line and the script line"

echo 'function map(a) return { f = print } end' >"$TMP/fn.lua"
err=$(echo '{}' | "$ND" map "$TMP/fn.lua" 2>&1); rc=$?
check_eq "$rc" 1 "a record holding a function is an error"
check_contains "$err" "cannot write a function as JSON" "the error says what cannot be written"
echo 'function map(a) return "text" end' >"$TMP/str.lua"
err=$(echo '{}' | "$ND" map "$TMP/str.lua" 2>&1)
check_contains "$err" "map must return nil, a table or a list of tables, not a string" "a wrong return type is explained"
echo 'x = 1' >"$TMP/nomap.lua"
err=$(echo '{}' | "$ND" map "$TMP/nomap.lua" 2>&1); rc=$?
check_eq "$rc" 1 "a script without map() exits 1"
check_contains "$err" "defines no global function map(article)" "a missing map() is explained"
err=$("$ND" map 2>&1); rc=$?
check_eq "$rc" 2 "map without a script is a usage error"

# ---- rules and filters inside map -------------------------------------------------------
cat >"$TMP/rules.lua" <<'EOF2'
return {
  { type = "COUNTRY", rule = "test countries", suffixes = "tr", entities = {
      { id = "north_korea", names = { "Kuzey Kore" } } } },
  { type = "CITY", rule = "test cities", suffixes = "tr", entities = {
      { id = "moscow", names = { "Moskova" } } } },
}
EOF2
cat >"$TMP/tagmap.lua" <<'EOF2'
local F = require "newsdesk.filters"
local rules = assert(newsdesk.rules.load(arg[1]))
local keep = F.lang("tr")
function map(a)
  if not keep(a) then return nil end
  local out = {}
  for m in rules:scan(a.title) do
    out[#out + 1] = { id = a.id, entity = m.id, text = m.text, suffix = m.suffix }
  end
  return out
end
EOF2
printf '%s\n' '{"id":1,"lang":"tr","title":"Kuzey Kore’nin heyeti Moskova’da"}' \
    '{"id":2,"lang":"en","title":"Kuzey Kore in English text"}' >"$TMP/tag.jsonl"
out=$("$ND" map -q "$TMP/tagmap.lua" "$TMP/rules.lua" <"$TMP/tag.jsonl" 2>&1)
check_eq "$out" '{"entity":"north_korea","id":1,"suffix":"nin","text":"Kuzey Kore’nin"}
{"entity":"moscow","id":1,"suffix":"da","text":"Moskova’da"}' \
    "newsdesk.rules and newsdesk.filters work inside map (Turkish suffixes split off)"

# ---- arguments and the store -----------------------------------------------------------------
cat >"$TMP/argmap.lua" <<'EOF'
local field = ...
function map(a) return { [field] = a[field] } end
EOF
check_eq "$(echo '{"lang":"de","id":9}' | "$ND" map "$TMP/argmap.lua" lang)" '{"lang":"de"}' \
    "the script gets its arguments"
mkdir "$TMP/cwd"
(cd "$TMP/cwd" && echo '{"id":1}' | "$ND" map "$TMP/id.lua" >/dev/null)
check "map opens no store" test ! -e "$TMP/cwd/newsdesk.db"

done_testing
