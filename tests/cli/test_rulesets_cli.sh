#!/bin/sh
# Several rule sets on one store through the program: `newsdesk tag A B`
# then `newsdesk tag A` re-tags nothing; reports count a span once, say
# which rule sets they read, select one with --rules-set, and name
# entities in one language with --label-lang.
. tests/cli/lib.sh
cat > "$TMP/a.lua" <<'LUA'
return { { type = "COUNTRY", id = "russia", names = { "Rusya", "Russland" } } }
LUA
cat > "$TMP/b.lua" <<'LUA'
return { { type = "PERSON", id = "vladimir_putin", names = { "Putin" } } }
LUA
cat > "$TMP/feed.jsonl" <<'JSON'
{"title": "Rusya açıklama yaptı", "text": "Putin, Rusya’nın tutumunu anlattı. Ayrıntılar: https://rusya.example.com/putin", "lang": "tr", "date": "2024-11-01"}
{"title": "Putin in Moskau", "text": "Putin sprach über Russland und die Lage in Russland.", "lang": "de", "date": "2024-11-02"}
{"title": "Rusya ve Ukrayna", "text": "Rusya ile Ukrayna arasında yeni görüşme.", "lang": "tr", "date": "2024-11-03"}
JSON
DB="$TMP/n.db"
"$ND" --quiet --db "$DB" ingest "$TMP/feed.jsonl" >/dev/null 2>&1
out=$("$ND" --quiet --db "$DB" tag "$TMP/a.lua" "$TMP/b.lua" 2>&1)
check_contains "$out" "tagged" "tag A B tags the articles: $out"
out=$("$ND" --quiet --db "$DB" tag "$TMP/a.lua" 2>&1)
tagged=$(printf '%s\n' "$out" | awk '$1 == "tagged" { print $2 }')
check_eq "$tagged" "0" "tag A after tag A B re-tags nothing"
"$ND" --quiet --db "$DB" tag pack:world >/dev/null 2>&1
out=$("$ND" --db "$DB" run scripts/reports/top_entities.lua --format csv 2>&1)
check_contains "$out" "Rusya,russia,COUNTRY,6,3" "two rule sets tagging the same spans count them once"
check_contains "$out" "Putin,vladimir_putin,PERSON,3,2" "... and a URL holds no mention"
out=$("$ND" --db "$DB" run scripts/reports/top_entities.lua 2>&1)
check_contains "$out" "rule sets " "the report says which rule sets it read"
key=$("$ND" --db "$DB" -e 'for r in db:sql("SELECT ruleset FROM mentions WHERE rule LIKE ? LIMIT 1", "%b.lua%") do print(r.ruleset:sub(1, 8)) end')
out=$("$ND" --db "$DB" run scripts/reports/top_entities.lua --rules-set "$key" --format csv 2>&1)
check_eq "$(printf '%s\n' "$out" | grep -c ukraine)" "0" "--rules-set $key reads only that rule set (no Ukraine: only the pack has it)"
check_contains "$out" "Rusya,russia,COUNTRY,6,3" "... with its own counts"
out=$("$ND" --db "$DB" run scripts/reports/top_entities.lua --label-lang en --format csv 2>&1)
check_contains "$out" "Russia,russia,COUNTRY,6,3" "--label-lang en names the country in English"
out=$("$ND" --db "$DB" run scripts/reports/top_entities.lua --rules-set ffffffff 2>&1)
check_contains "$out" "no stored mentions from a rule set" "an unknown --rules-set is explained"
done_testing
