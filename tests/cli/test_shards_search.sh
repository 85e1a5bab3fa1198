# newsdesk.shards: searching several stores without merging them gives the
# hits of the merged store (the same articles), lists an article held
# twice once, and stays inside the sandbox.
. tests/cli/lib.sh

"$ND" scripts/scale/gen_corpus.lua 300 700 >"$TMP/all.jsonl"
head -n 160 "$TMP/all.jsonl" >"$TMP/a.jsonl"
tail -n 160 "$TMP/all.jsonl" >"$TMP/b.jsonl"          # lines 141-160 in both
"$ND" --db "$TMP/a.db" ingest -q "$TMP/a.jsonl" >/dev/null
"$ND" --db "$TMP/b.db" ingest -q "$TMP/b.jsonl" >/dev/null
"$ND" merge -q "$TMP/m.db" "$TMP/a.db" "$TMP/b.db" >/dev/null

cat >"$TMP/search.lua" <<'LUA'
local shards = assert(newsdesk.shards.open{ arg[1], arg[2] })
local q = arg[3]
local hits = assert(shards:search(q, { limit = 1000, snippet = false }))
local urls, stores = {}, {}
for _, h in ipairs(hits) do urls[#urls + 1] = h.article.url; stores[h.store] = true end
table.sort(urls)
print(#hits, shards:count(), table.concat(urls, " "))
local n = 0
for a, store in shards:articles{ lang = "tr" } do n = n + 1; assert(store == arg[1] or store == arg[2]) end
print(n, shards:count{ lang = "tr" })
local top = assert(shards:search(q, { limit = 3 }))
print(#top, top[1].score <= top[2].score and top[2].score <= top[3].score, top[1].snippet:find("%[") ~= nil)
shards:close()
shards:close()
print(pcall(shards.count, shards))
LUA
cat >"$TMP/merged.lua" <<'LUA'
local hits = assert(db:search(arg[1], { limit = 1000, snippet = false }))
local urls = {}
for _, h in ipairs(hits) do urls[#urls + 1] = h.article.url end
table.sort(urls)
print(#hits, db:count(), table.concat(urls, " "))
LUA
out=$("$ND" run "$TMP/search.lua" "$TMP/a.db" "$TMP/b.db" "Pyongyang" 2>&1)
merged=$("$ND" --db "$TMP/m.db" run "$TMP/merged.lua" "Pyongyang" 2>&1)
hits_line=$(printf '%s\n' "$out" | sed -n 1p)
check_eq "${hits_line%%	*}" "${merged%%	*}" "as many hits over the shards as in the merged store (an article in both shards once)"
check_eq "$(printf '%s' "$hits_line" | cut -f3)" "$(printf '%s' "$merged" | cut -f3)" "the same articles"
check_eq "$(printf '%s' "$hits_line" | cut -f2)" "320" "count adds the stores up (the 20 shared articles twice)"
check_eq "$(printf '%s\n' "$out" | sed -n 2p | cut -f1)" "$(printf '%s\n' "$out" | sed -n 2p | cut -f2)" \
  "articles(q) walks every store's selection"
check_eq "$(printf '%s\n' "$out" | sed -n 3p)" "3	true	true" "limit, best score first, snippets as db:search"
check_contains "$(printf '%s\n' "$out" | sed -n 4p)" "closed shards" "a closed set raises"

out=$("$ND" -e 'print(newsdesk.shards.open{ "'"$TMP"'/a.db", "'"$TMP"'/nope.db" })' 2>&1)
check_contains "$out" "nil	$TMP/nope.db: " "a missing store fails the open, naming it"

# the sandbox: read-only stores below --allow-read only
mkdir "$TMP/in" "$TMP/out"
cp "$TMP/a.db" "$TMP/in/"
cp "$TMP/b.db" "$TMP/out/"
echo 'local s, msg = newsdesk.shards.open{ arg[1], arg[2] } print(s and s:count() or msg)' >"$TMP/in/sb.lua"
out=$("$ND" --sandbox --allow-read "$TMP/in" run "$TMP/in/sb.lua" "$TMP/in/a.db" "$TMP/out/b.db" 2>&1)
check_contains "$out" "not readable in the sandbox" "the sandbox keeps shards.open below --allow-read"
echo 'local s = assert(newsdesk.shards.open{ arg[1] }) print(s:count(), pcall(function() for r in s.dbs[1]:sql("DELETE FROM articles") do end end))' >"$TMP/in/sb2.lua"
out=$("$ND" --sandbox --allow-read "$TMP/in" run "$TMP/in/sb2.lua" "$TMP/in/a.db" 2>&1)
check_contains "$out" "160	false" "and the stores it opens are read-only"

done_testing
