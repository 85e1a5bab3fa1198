# newsdesk merge / db:merge: two shard stores merged give the store one
# ingest of all the articles gives (articles, near-duplicates, mentions,
# search), a second run adds nothing, and bad inputs are named.
. tests/cli/lib.sh

"$ND" scripts/scale/gen_corpus.lua 300 700 >"$TMP/all.jsonl"
head -n 170 "$TMP/all.jsonl" >"$TMP/a.jsonl"
tail -n 180 "$TMP/all.jsonl" >"$TMP/b.jsonl"      # lines 121-170 in both shards
for s in a b all; do
  "$ND" --db "$TMP/$s.db" ingest -q "$TMP/$s.jsonl" >/dev/null
  "$ND" --db "$TMP/$s.db" tag -q pack:world >/dev/null
done

# ---- merge equals one ingest ------------------------------------------------------------
out=$("$ND" merge -q "$TMP/out.db" "$TMP/a.db" "$TMP/b.db" 2>&1)
check_eq "$?" 0 "merge exits 0"
check_contains "$out" "duplicates         50" "the 50 articles in both shards are exact duplicates"
summary() {
  "$ND" --db "$1" -e '
    local n, dups, ids = db:count(), 0, {}
    for a in db:articles() do
      if a.duplicate_of then dups = dups + 1; ids[#ids + 1] = a.url .. ">" .. db:get(a.duplicate_of).url end
    end
    local by = {}
    for _, m in ipairs(db:mentions{}) do
      local a = db:get(m.article)
      by[#by + 1] = a.url .. " " .. m.field .. " " .. m.start .. " " .. m.id
    end
    table.sort(ids); table.sort(by)
    print(n, dups, #by, #db:search("Pyongyang", {limit = 1000}))
    print(table.concat(ids, " "))
    io.stderr:write(table.concat(by, "\n"), "\n")' 2>"$1.mentions"
}
check_eq "$(summary "$TMP/out.db")" "$(summary "$TMP/all.db")" \
  "merged store: same articles, near-duplicate links, mention count and search hits as one ingest"
check "every mention lands on the same article at the same offsets" cmp -s "$TMP/out.db.mentions" "$TMP/all.db.mentions"
check_eq "$("$ND" --db "$TMP/out.db" -e 'print(db:count(), #db:search("Pyongyang", {limit = 1000}) > 0)')" "300	true" \
  "300 distinct articles, the full-text index covers them"
n_near=$("$ND" --db "$TMP/out.db" -e 'print(db:count() - db:count{duplicates = false})')
check "near-duplicates across the two shards are linked (every 50th article is a copy)" test "$n_near" -ge 4

# ---- safe to re-run ------------------------------------------------------------------------
before=$(summary "$TMP/out.db")
again=$("$ND" merge -q "$TMP/out.db" "$TMP/a.db" "$TMP/b.db" 2>&1)
check_eq "$?" 0 "a second merge exits 0"
check_contains "$again" "added               0" "and adds no article"
check_contains "$again" "mentions            0" "and no mention"
check_eq "$(summary "$TMP/out.db")" "$before" "the store is unchanged by the second merge"

# ---- tag state: a ruleset tagged in one shard only is carried -------------------------------
"$ND" --db "$TMP/a2.db" ingest -q "$TMP/a.jsonl" >/dev/null
"$ND" --db "$TMP/b2.db" ingest -q "$TMP/b.jsonl" >/dev/null
"$ND" --db "$TMP/b2.db" tag -q pack:world >/dev/null
"$ND" merge -q "$TMP/m2.db" "$TMP/a2.db" "$TMP/b2.db" >/dev/null
got=$("$ND" --db "$TMP/m2.db" tag pack:world 2>&1 | grep '^articles\|^tagged\|^skipped' | tr -s ' ' | tr '\n' ' ')
check_contains "$got" "tagged 120" "tagging the merged store again tags only the 120 articles no shard had tagged"

# ---- an exact duplicate stored with other bytes keeps its own offsets --------------------------
printf '%s\n' '{"id":1,"title":"Ankara and Moscow","body":"Talks between Ankara and Moscow on Tuesday focused on regional security and trade."}' >"$TMP/c1.jsonl"
printf '%s\n' '{"id":1,"title":"ANKARA AND MOSCOW","body":"TALKS BETWEEN  ANKARA AND MOSCOW ON TUESDAY FOCUSED ON REGIONAL SECURITY AND TRADE."}' >"$TMP/c2.jsonl"
"$ND" --db "$TMP/c1.db" ingest -q "$TMP/c1.jsonl" >/dev/null
"$ND" --db "$TMP/c2.db" ingest -q "$TMP/c2.jsonl" >/dev/null
"$ND" --db "$TMP/c2.db" tag -q pack:world >/dev/null
out=$("$ND" merge -q "$TMP/c.db" "$TMP/c1.db" "$TMP/c2.db" 2>&1)
check_contains "$out" "untagged            1" "mentions of a copy written otherwise are not pinned on the kept text"
check_eq "$("$ND" --db "$TMP/c.db" -e 'print(db:count(), #db:mentions{})')" "1	0" "one article, no misplaced mention"

# ---- the progress bar ---------------------------------------------------------------------------
check "on a terminal merge draws a progress bar (records read of all, mentions)" \
  python3 tests/cli/ptydrive.py "$ND" merge "$TMP/p.db" "$TMP/a.db" <<'EOF'
expect articles \d+/340 .*articles/s
expect added +170
exit 0
EOF
check_eq "$("$ND" merge "$TMP/q.db" "$TMP/a.db" 2>&1 >/dev/null)" "" "no progress bar when standard error is not a terminal"

# ---- bad inputs ------------------------------------------------------------------------------
err=$("$ND" merge -q "$TMP/x.db" "$TMP/missing.db" 2>&1)
check_eq "$?" 1 "a missing input fails"
check_contains "$err" "$TMP/missing.db" "the message names the missing file"
printf 'not a store\n' >"$TMP/text.db"
err=$("$ND" merge -q "$TMP/x.db" "$TMP/a.db" "$TMP/text.db" 2>&1)
check_eq "$?" 1 "a file that is not a store fails"
check_contains "$err" "$TMP/text.db:" "the message names that file"
check_eq "$("$ND" --db "$TMP/x.db" -e 'print(db:count())')" "170" "the inputs before it stay merged"
err=$("$ND" merge -q "$TMP/a.db" "$TMP/a.db" 2>&1)
check_contains "$err" "cannot merge a store into itself" "merging a store into itself is refused"
err=$("$ND" merge -q "$TMP/x.db" 2>&1)
check_eq "$?" 1 "merge without an input fails"
check_contains "$err" "needs OUT.db and at least one IN.db" "and says what it needs"

# ---- db:merge from Lua, and in the sandbox ---------------------------------------------------
cat >"$TMP/merge.lua" <<'EOF'
local db = newsdesk.open()
local st = assert(db:merge(arg[1]))
local seen = 0
local st2 = assert(db:merge(arg[2], { progress = function(p) seen = math.max(seen, p.articles) end }))
print(st.added, st.tagged, st2.duplicates, seen > 0)
print(db:merge(arg[3]))
EOF
got=$("$ND" run "$TMP/merge.lua" "$TMP/a.db" "$TMP/b.db" "$TMP/nope.db" 2>&1)
check_contains "$got" "170	170	50	true" "db:merge returns the counts and calls progress"
check_contains "$got" "nil	$TMP/nope.db: " "db:merge of a missing file returns nil and a message naming it"
echo 'print(pcall(db.merge, db, arg[1]))' >"$TMP/sb.lua"
got=$("$ND" --sandbox --allow-read "$TMP" --db "$TMP/m3.db" run "$TMP/sb.lua" "$TMP/a.db" 2>&1)
check_contains "$got" "read-only here" "the sandbox refuses db:merge on its read-only store"
mkdir "$TMP/in"
cp "$TMP/sb.lua" "$TMP/in/"
got=$("$ND" --sandbox --writable --allow-read "$TMP/in" --db "$TMP/m3.db" run "$TMP/in/sb.lua" "$TMP/a.db" 2>&1)
check_contains "$got" "not readable in the sandbox" "a writable sandbox still reads only below --allow-read"
echo 'print(db:merge(arg[1]).added)' >"$TMP/in/sb2.lua"
got=$("$ND" --sandbox --writable --allow-read "$TMP" --db "$TMP/m3.db" run "$TMP/in/sb2.lua" "$TMP/a.db" 2>&1)
check_eq "$got" "170" "and merges a store below --allow-read"
echo 'print(pcall(function() for r in db:sql("ATTACH ? AS x", arg[1]) do end end))' >"$TMP/att.lua"
check_contains "$("$ND" --db "$TMP/a.db" run "$TMP/att.lua" "$TMP/b.db" 2>&1)" "false" \
  "db:sql still refuses ATTACH"

done_testing
