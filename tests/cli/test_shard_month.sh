# scripts/scale/shard_month.lua: one store per month of publication (and
# undated.db), holding together what one ingest holds; safe to re-run;
# `newsdesk merge` joins the months again.
. tests/cli/lib.sh

# 240 generated articles spread over October-December 2024, every 7th without a date
"$ND" scripts/scale/gen_corpus.lua 240 600 | "$ND" -e '
for line in io.lines() do
  local a = newsdesk.json.decode(line)
  if a.id % 7 == 0 then a.published = nil
  elseif a.id % 3 == 0 then a.published = a.published:gsub("^2024%-11", "2024-10")
  elseif a.id % 3 == 2 then a.published = a.published:gsub("^2024%-11", "2024-12") end
  io.write(newsdesk.json.encode(a), "\n")
end' >"$TMP/in.jsonl"
"$ND" --db "$TMP/one.db" ingest -q "$TMP/in.jsonl" >/dev/null

out=$("$ND" scripts/scale/shard_month.lua "$TMP/shards" "$TMP/in.jsonl" 2>&1)
check_eq "$?" 0 "shard_month.lua exits 0"
check_eq "$(ls "$TMP/shards" | tr '\n' ' ')" "2024-10.db 2024-11.db 2024-12.db undated.db " \
  "one store per month, undated.db for articles without a date, no staging store left"
total=0
for s in "$TMP"/shards/*.db; do total=$((total + $("$ND" --db "$s" -e 'print(db:count())'))); done
check_eq "$total" "$("$ND" --db "$TMP/one.db" -e 'print(db:count())')" "the shards hold the articles one ingest stores"
check_contains "$out" "$TMP/shards/undated.db	$(grep -c -v '"published"' "$TMP/in.jsonl")" "undated.db holds the articles without a date"
echo 'for a in db:articles() do if (a.date or ""):sub(1, 7) ~= arg[1] then print(a.url, a.date) end end' >"$TMP/month.lua"
wrong=$(for s in "$TMP"/shards/2024-*.db; do "$ND" --db "$s" run "$TMP/month.lua" "$(basename "$s" .db)"; done)
check_eq "$wrong" "" "every article of YYYY-MM.db is dated in that month"
check_eq "$("$ND" --db "$TMP/shards/undated.db" -e 'local n = 0 for a in db:articles() do if a.date then n = n + 1 end end print(n)')" 0 \
  "undated.db holds no dated article"

again=$("$ND" scripts/scale/shard_month.lua "$TMP/shards" "$TMP/in.jsonl" 2>&1)
check_eq "$?" 0 "a second run exits 0"
check_eq "$again" "$out" "and adds nothing"

"$ND" merge -q "$TMP/all.db" "$TMP"/shards/*.db >/dev/null
check_eq "$("$ND" --db "$TMP/all.db" -e 'print(db:count())')" "$total" "merging the months gives back every article"
near_one=$("$ND" --db "$TMP/one.db" -e 'print(db:count() - db:count{duplicates = false})')
near_all=$("$ND" --db "$TMP/all.db" -e 'print(db:count() - db:count{duplicates = false})')
check_eq "$near_all" "$near_one" "and links the near-duplicates that fell into other months"

err=$("$ND" scripts/scale/shard_month.lua "$TMP/x" 2>&1)
check_eq "$?" 2 "no input path is a usage error"
err=$("$ND" scripts/scale/shard_month.lua "$TMP/x" "$TMP/missing.jsonl" 2>&1)
check "a missing input fails" test $? -ne 0
check_contains "$err" "missing.jsonl" "naming it"

done_testing
