# The program with a store: --db, $NEWSDESK_DB, lazy opening, ingest, search, tag,
# the progress bar, and articles at the prompt.
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac
DRIVE="python3 tests/cli/ptydrive.py"
unset NEWSDESK_DB
HOME=$TMP
NEWSDESK_HISTORY=$TMP/history
TERM=xterm
LANG=C.UTF-8
export HOME NEWSDESK_HISTORY TERM LANG

if ! "$ND" -e 'assert(newsdesk.open)' 2>/dev/null; then
    skip "this build has no store module (newsdesk.open)"
    done_testing
fi

# ---- lazy opening, --db, $NEWSDESK_DB ---------------------------------------------
mkdir "$TMP/cwd"
(cd "$TMP/cwd" && "$ND" -e 'print(db:count())' >"$TMP/out" 2>&1)
check_eq "$(cat "$TMP/out")" "0" "a script that uses db gets an empty store"
check "... created as ./newsdesk.db" test -e "$TMP/cwd/newsdesk.db"
"$ND" --db "$TMP/a.db" -e 'db:add{title = "Başlık", body = "Metin gövdesi", lang = "tr"}'
check_eq "$("$ND" --db "$TMP/a.db" -e 'print(db:count())')" "1" "--db PATH names the store"
check_eq "$(NEWSDESK_DB="$TMP/a.db" "$ND" -e 'print(db:count())')" "1" "\$NEWSDESK_DB names the store"
check_eq "$(NEWSDESK_DB="$TMP/none.db" "$ND" --db "$TMP/a.db" -e 'print(db:count())')" "1" \
    "--db wins over \$NEWSDESK_DB"
check_eq "$("$ND" --db="$TMP/a.db" -e 'print(db:count())')" "1" "--db=PATH works too"
check_eq "$("$ND" --sandbox --db "$TMP/a.db" -e 'print(db:count())')" "1" "the sandbox opens the store given"
err=$("$ND" --db "$TMP/no/such/dir/x.db" -e 'print(db)' 2>&1); rc=$?
check_eq "$rc" 1 "a store that cannot be opened is a script error"
check_contains "$err" "cannot open store '$TMP/no/such/dir/x.db'" "the store path is named"

# ---- ingest ---------------------------------------------------------------------------
mkdir "$TMP/feed"
cat >"$TMP/feed/a.jsonl" <<'EOF'
{"title": "Ankara’da dışişleri zirvesi başladı", "body": "Bakanlar Ankara’da bir araya gelerek bölgedeki son gelişmeleri görüştü.", "date": "2024-11-04T10:00:00+03:00", "source": "Örnek Ajans", "lang": "tr"}
{"title": "İSTANBUL’da liman genişletiliyor", "body": "İstanbul limanında yeni rıhtım inşaatı başladı; çalışmaların iki yıl sürmesi bekleniyor.", "date": "2024-11-05", "source": "Örnek Ajans", "lang": "tr"}
{"title": "Ministers meet in Brussels", "body": "Foreign ministers met in Brussels on Tuesday to discuss trade and energy.", "date": "2024-11-06", "source": "Example Wire", "lang": "en"}
{"title": "Ankara’da dışişleri zirvesi başladı", "body": "Bakanlar Ankara’da bir araya gelerek bölgedeki son gelişmeleri görüştü.", "date": "2024-11-04T10:00:00+03:00", "source": "Örnek Ajans", "lang": "tr"}
EOF
cat >"$TMP/feed/b.jsonl" <<'EOF'
{"title": "Gespräche in Berlin fortgesetzt", "body": "Die Delegationen setzten ihre Gespräche in Berlin am Mittwoch fort.", "date": "2024-11-07", "source": "Beispiel Zeitung", "lang": "de"}
EOF
if ! "$ND" -e 'local d = newsdesk.open(); assert(d.ingest)' 2>/dev/null; then
    skip "this build has no db:ingest"
else
    out=$("$ND" --db "$TMP/n.db" ingest "$TMP/feed" 2>"$TMP/err"); rc=$?
    check_eq "$rc" 0 "ingest of a directory exits 0"
    check_contains "$out" "added" "ingest prints what was added"
    check_eq "$(echo "$out" | awk '$1 == "added" { print $2 }')" "4" "ingest counts four new articles"
    check_eq "$(echo "$out" | awk '$1 == "duplicates" { print $2 }')" "1" "ingest counts the duplicate"
    check_eq "$(cat "$TMP/err")" "" "no progress bar when stderr is not a terminal"
    check_eq "$("$ND" --db "$TMP/n.db" -e 'print(db:count())')" "4" "the articles are in the store"
    out=$("$ND" --db "$TMP/n.db" ingest "$TMP/missing.jsonl" 2>&1); rc=$?
    check_eq "$rc" 1 "ingest of a missing file exits 1"
    check_contains "$out" "$TMP/missing.jsonl" "the missing file is named"
    printf '%s\n' '{"title": "Geçerli satır", "body": "Bu satırda yeterince uzun bir gövde metni var.", "lang": "tr"}' \
        '{"title": kırık' >"$TMP/mal.jsonl"
    out=$("$ND" --db "$TMP/m.db" ingest "$TMP/mal.jsonl" 2>"$TMP/err"); rc=$?
    check_eq "$rc" 1 "ingest with a malformed line exits 1"
    check_eq "$(echo "$out" | awk '$1 == "added" { print $2 }')" "1" "the good line is still added"
    check_contains "$(cat "$TMP/err")" "$TMP/mal.jsonl:2: " "the error names file and line"
    err=$("$ND" --db "$TMP/q.db" ingest --quiet "$TMP/feed" 2>&1 >/dev/null); rc=$?
    check_eq "$rc" 0 "ingest --quiet (after the command) works"
    check_eq "$err" "" "ingest --quiet prints nothing on stderr"
    err=$("$ND" --db "$TMP/q2.db" ingest "$TMP/feed" --quiet 2>&1 >/dev/null); rc=$?
    check_eq "$rc" 0 "ingest PATH --quiet: options may follow the paths"
    check_eq "$("$ND" --db "$TMP/q2.db" -e 'print(db:count())')" "4" "... and every path is still ingested"
    "$ND" --db "$TMP/r.db" ingest --quiet --ref-date 2019-06-01 tests/data/pages/dateline_ru_ria_noyear.txt; rc=$?
    check_eq "$rc" 0 "ingest --ref-date DATE works"
    check_eq "$("$ND" --db "$TMP/r.db" -e 'for a in db:articles() do print(a.date, a.source) end')" \
        "$(printf '2019-03-12\tРИА Новости')" "--ref-date gives a dateline's '12 марта' its year"
    out=$("$ND" --db "$TMP/r2.db" ingest --quiet --ref-date someday tests/data/pages/dateline_ru_ria_noyear.txt 2>&1); rc=$?
    check "a --ref-date that is no date fails" test "$rc" -ne 0
    check_contains "$out" "no date in 'someday'" "... and says why"
    out=$("$ND" --db "$TMP/q3.db" ingest "$TMP/feed" --bogus 2>&1); rc=$?
    check_eq "$rc" 2 "an unknown option after the paths is a usage error"
    check "... which ingests nothing" test ! -e "$TMP/q3.db"
    mkdir -p "$TMP/dash" && cp "$TMP/feed/b.jsonl" "$TMP/dash/--quiet"
    (cd "$TMP/dash" && "$ND" --db "$TMP/q4.db" ingest -- --quiet >/dev/null 2>&1); rc=$?
    check_eq "$rc" 0 "after --, a path that looks like an option is a path"

    check "on a terminal ingest draws a progress bar (files, articles, MB/s)" \
        $DRIVE "$ND" --db "$TMP/p.db" ingest "$TMP/feed" <<'EOF'
expect files \d+ +articles \d+ +\d+\.\d MB/s
expect added +4
exit 0
EOF
fi

# ---- search -------------------------------------------------------------------------------
if [ ! -e "$TMP/n.db" ]; then
    # no db:ingest in this build: add the same articles through db:add
    cat >"$TMP/load.lua" <<'EOF'
for _, path in ipairs(arg) do
  for l in io.lines(path) do
    local t = {}
    for k, v in l:gmatch('"(%w+)": "(.-)"') do t[k] = v end
    db:add(t)
  end
end
EOF
    "$ND" --db "$TMP/n.db" run "$TMP/load.lua" "$TMP/feed/a.jsonl" "$TMP/feed/b.jsonl"
fi
out=$("$ND" --db "$TMP/n.db" search ankara 2>&1); rc=$?
check_eq "$rc" 0 "search exits 0"
check_contains "$out" "Ankara’da dışişleri zirvesi başladı" "search finds the Turkish article"
check_contains "$out" "title" "search prints a header"
check_contains "$("$ND" --db "$TMP/n.db" search istanbul)" "İSTANBUL’da liman" \
    "search folds the Turkish dotted capital İ"
check_contains "$("$ND" --db "$TMP/n.db" search BRUSSELS)" "Ministers meet in Brussels" "search ignores case"
json=$("$ND" --db "$TMP/n.db" search --json ankara)
check_contains "$json" '"title":"Ankara’da dışişleri zirvesi başladı"' "search --json writes the title"
check_eq "$(echo "$json" | grep -c '^{.*}$')" "$(echo "$json" | wc -l | tr -d ' ')" "search --json writes one object per line"
hits=$("$ND" --db "$TMP/n.db" search --limit 1 --json ankara OR brussels | wc -l | tr -d ' ')
check_eq "$hits" 1 "search --limit caps the results"
hits=$("$ND" --db "$TMP/n.db" search ankara OR brussels --json --limit 1 | wc -l | tr -d ' ')
check_eq "$hits" 1 "search options may follow the query words"
out=$("$ND" --db "$TMP/n.db" search zzzzqqq 2>&1); rc=$?
check_eq "$rc" 0 "a search without hits exits 0"
check_contains "$out" "no articles match zzzzqqq" "a search without hits says so"
out=$("$ND" --db "$TMP/absent.db" search ankara 2>&1); rc=$?
check_eq "$rc" 1 "search of a missing store exits 1"
check_contains "$out" "no store at $TMP/absent.db" "search names the missing store"
check "search does not create the missing store" test ! -e "$TMP/absent.db"
out=$("$ND" --db "$TMP/n.db" search '"unbalanced' 2>&1); rc=$?
check_eq "$rc" 1 "a malformed query exits 1"
check_contains "$out" "newsdesk search:" "a malformed query is reported by the search command"
check_contains "$out" "bad search query '\"unbalanced': unclosed quote at byte 0" \
    "with the message db:search gives: the query and what is wrong"
out=$("$ND" --db "$TMP/n.db" search 'c++' 2>&1); rc=$?
check_eq "$rc" 1 "c++ is a malformed query"
check_eq "$(echo "$out" | grep -c "bad search query")" 1 "reported once"
check_contains "$out" "found '+' at byte 2" "naming what is wrong"
cat >"$TMP/forms.lua" <<'EOF'
db:add { title = "Heyet Rusyaya gitti", body = "Görüşmeler sürüyor.", lang = "tr" }
db:add { title = "Galatasaraylı futbolcular", body = "Antrenman yapıldı.", lang = "tr" }
EOF
"$ND" --db "$TMP/forms.db" run "$TMP/forms.lua"
check_contains "$("$ND" --db "$TMP/forms.db" search rusya)" "Heyet Rusyaya gitti" "search finds an inflected form"
out=$("$ND" --db "$TMP/forms.db" search --exact rusya 2>&1)
check_contains "$out" "no articles match rusya" "search --exact does not"
check_contains "$("$ND" --db "$TMP/forms.db" search --lang tr galatasaray)" "Galatasaraylı futbolcular" \
    "search --lang tr: -lı derivations by default"
out=$("$ND" --db "$TMP/forms.db" search --derive none galatasaray 2>&1)
check_contains "$out" "no articles match galatasaray" "search --derive none leaves them out"
out=$("$ND" --db "$TMP/forms.db" search --derive most galatasaray 2>&1); rc=$?
check_eq "$rc" 1 "an unknown --derive fails"
check_contains "$out" "bad --derive 'most'" "and says why"

# ---- tag --------------------------------------------------------------------------------------
cat >"$TMP/rules.lua" <<'EOF'
return {
  { type = "CITY", rule = "test cities", suffixes = "tr", entities = {
      { id = "ankara", names = { "Ankara" } },
      { id = "istanbul", names = { "İstanbul" } },
      { id = "brussels", names = { "Brussels" } } } },
}
EOF
if ! "$ND" -e 'local d = newsdesk.open(); assert(d.tag)' 2>/dev/null; then
    skip "this build has no db:tag"
else
    out=$("$ND" --db "$TMP/n.db" tag "$TMP/rules.lua" 2>&1); rc=$?
    check_eq "$rc" 0 "tag exits 0"
    check_contains "$out" "mentions" "tag prints the mentions found"
    check_eq "$("$ND" --db "$TMP/n.db" -e 'local n = 0 for _ in ipairs(db:mentions{}) do n = n + 1 end print(n > 0)')" \
        "true" "tag stored mentions"
    out=$("$ND" --db "$TMP/n.db" tag "$TMP/rules.lua" 2>&1)
    check_eq "$(echo "$out" | awk '$1 == "skipped" { print $2 }')" "$("$ND" --db "$TMP/n.db" -e 'print(db:count())')" \
        "tagging again with the same rules skips every article"
    out=$("$ND" --db "$TMP/n.db" tag --force "$TMP/rules.lua" 2>&1)
    check_eq "$(echo "$out" | awk '$1 == "skipped" { print $2 }')" "0" "tag --force tags already tagged articles again"
    cp "$TMP/rules.lua" "$TMP/rules2.lua"
    out=$("$ND" --db "$TMP/n.db" tag --query brussels "$TMP/rules.lua" "$TMP/rules2.lua" 2>&1); rc=$?
    check_eq "$rc" 0 "tag with several rule files and --query exits 0"
    check_eq "$(echo "$out" | awk '$1 == "articles" { print $2 }')" "1" "tag --query only tags the matching articles"
    check "on a terminal tag draws a progress bar" $DRIVE "$ND" --db "$TMP/n.db" tag "$TMP/rules2.lua" <<'EOF'
expect articles \d+/\d+ .*articles/s
expect mentions +\d+
exit 0
EOF
    out=$("$ND" --db "$TMP/n.db" tag --discover "$TMP/rules.lua" 2>&1); rc=$?
    check_eq "$rc" 0 "tag --discover exits 0"
    check_eq "$(echo "$out" | awk '$1 == "skipped" { print $2 }')" "0" "tag --discover is a rule set of its own"
    check_eq "$("$ND" --db "$TMP/n.db" -e 'local n = 0 for _, m in ipairs(db:mentions{}) do if m.rule == "discover" then n = n + 1 end end print(n > 0)')" \
        "true" "tag --discover stores mentions of rule discover"
    out=$("$ND" --db "$TMP/n.db" tag "$TMP/nosuch.lua" 2>&1); rc=$?
    check_eq "$rc" 1 "tag with a missing rule file exits 1"
    check_contains "$out" "nosuch.lua" "the missing rule file is named"
fi

# ---- articles at the prompt --------------------------------------------------------------------
check "the prompt prints an article as one line and search hits as a table" \
    $DRIVE "$ND" --db "$TMP/n.db" repl <<'EOF'
expect > $
send db:get(1)\r
expect <article #1 .*“.*”.*>
expect > $
send db:search("ankara")\r
expect id +date +lang +source +title +score +snippet\n-+
expect Ankara
expect > $
send \x04
exit 0
EOF

done_testing
