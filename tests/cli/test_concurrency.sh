#!/bin/sh
# Readers beside writers on one store file, through the program as analysts
# run it: a writer script adds articles in many small transactions and
# `newsdesk ingest` writes a feed while scripts walk db:articles loops,
# run db:search and db:count, `newsdesk search` runs from the shell, and a
# second writer adds articles one transaction at a time.  No reader may
# fail ("database is locked" or otherwise); the second writer waits for the
# lock (busy timeout) instead of failing.
. tests/cli/lib.sh
DB=$TMP/store.db
DONE=$TMP/done

cat >"$TMP/writer.lua" <<'LUA'
local db = assert(newsdesk.open(arg[1]))
local n, per = tonumber(arg[2]), tonumber(arg[3])
local words = { "Ankara", "kar", "yağış", "meclis", "bütçe", "liman", "seçim", "haber", "İzmir", "deprem" }
for b = 0, n // per - 1 do
  db:transaction(function()
    for i = 1, per do
      local k = b * per + i
      local w = {}
      for j = 1, 12 do w[j] = words[(k * 7 + j * 13 + j * j) % #words + 1] .. (k * 31 + j) end
      assert(db:add{ title = arg[4] .. " " .. k, body = table.concat(w, " ") .. ".", source = "Ajans " .. k % 5 })
    end
  end)
end
db:close()
LUA
cat >"$TMP/reader.lua" <<'LUA'
local db = assert(newsdesk.open(arg[1], arg[3] == "ro" and { readonly = true } or nil))
local done, reads, fails, last = arg[2], 0, 0, nil
local function stopped() local f = io.open(done) if f then f:close() return true end end
repeat
  local ok, err = pcall(function()
    local n = 0
    for a in db:articles() do n = n + 1; local _ = a.title end
    local c = db:count()
    local hits = db:search("haber OR ankara", { limit = 10, snippet = true })
    for a in db:articles{ match = "kar*", limit = 5 } do local _ = a.body end
    return n, c, #hits
  end)
  reads = reads + 1
  if not ok then fails = fails + 1; last = err end
until stopped()
print(string.format("reads %d fails %d %s", reads, fails, last and ("last: " .. tostring(last)) or ""))
LUA

awk 'BEGIN { for (i = 0; i < 3000; i++)
  printf "{\"title\":\"Akış %05d\",\"body\":\"Ankara haber %d: kelime%d sözcük%d yazı%d.\"}\n", i, i, i*7, i*13, i*17 }' >"$TMP/feed.jsonl"
$ND run "$TMP/writer.lua" "$DB" 20 20 Başlangıç >/dev/null 2>&1
check "a store to start from" test -s "$DB"

$ND run "$TMP/reader.lua" "$DB" "$DONE" rw >"$TMP/r1.out" 2>&1 &
r1=$!
$ND run "$TMP/reader.lua" "$DB" "$DONE" ro >"$TMP/r2.out" 2>&1 &
r2=$!
$ND run "$TMP/writer.lua" "$DB" 1200 15 Haber >"$TMP/w1.out" 2>&1 &
w1=$!
$ND run "$TMP/writer.lua" "$DB" 120 1 Ek >"$TMP/w2.out" 2>&1 &
w2=$!
$ND --db "$DB" --quiet ingest "$TMP/feed.jsonl" >"$TMP/w3.out" 2>&1 &
w3=$!
searches=0; sfail=0
while kill -0 $w1 2>/dev/null || kill -0 $w2 2>/dev/null || kill -0 $w3 2>/dev/null; do
    if ! $ND --db "$DB" search ankara --limit 3 >"$TMP/s.out" 2>&1; then
        sfail=$((sfail + 1)); cp "$TMP/s.out" "$TMP/s.fail"
    fi
    searches=$((searches + 1))
done
wait $w1; s1=$?
wait $w2; s2=$?
wait $w3; s3=$?
: >"$DONE"
wait $r1
wait $r2
check_eq "$s1" 0 "the writer finished ($(head -c 300 "$TMP/w1.out"))"
check_eq "$s2" 0 "the second writer waited for the lock each time ($(head -c 300 "$TMP/w2.out"))"
check_eq "$s3" 0 "newsdesk ingest, a third writer, finished ($(tr -s " \n" " " <"$TMP/w3.out" | head -c 200))"
check_contains "$(cat "$TMP/r1.out")" "fails 0 " "a read-write reader never failed while both wrote"
check_contains "$(cat "$TMP/r2.out")" "fails 0 " "a read-only reader never failed while both wrote"
check "the readers really ran: $(cat "$TMP/r1.out") / $(cat "$TMP/r2.out")" grep -q "reads [1-9]" "$TMP/r1.out"
check_eq "$sfail" 0 "newsdesk search ran $searches times beside the writers without failing $(cat "$TMP/s.fail" 2>/dev/null | head -c 200)"
check_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" 4340 "every article of the three writers is stored"
check_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "integrity_check"
done_testing
