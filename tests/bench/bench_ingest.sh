#!/bin/sh
# bench_ingest.sh — `newsdesk ingest` end to end (read, decode, extract,
# language, dates, exact and near duplicates, store with the full-text index
# and its stems) beside stock SQLite FTS5 in the same run:
#   jsonl:  ARTICLES articles of tests/bench/corpus.h (about 2.7 KB of JSON
#           a line; 1 in 40 an exact and 1 in 40 a near duplicate; no lang
#           field, so ingest detects it) — and the same title/body pairs
#           loaded by `bench_ingest --stock` into FTS5 (unicode61
#           remove_diacritics 2, one prepared INSERT, one transaction);
#   csv:    the same records as CSV; tsv: the pairs file itself;
#   pages:  PAGES page dumps in the shape of scraped news pages, one per file;
#   rss:    peak resident memory of ingesting RSS_BYTES of JSON Lines
#           (default 100 MB here; `make bench-ingest-rss` runs 1 GB).
# Figures are CPU seconds (user + sys, steadier than the wall clock on a
# busy machine) from two runs each, alternating sides; articles per CPU
# second use the better run of each side.  Wall articles/s are printed too.
# usage: BUILD=build sh tests/bench/bench_ingest.sh
#        (ARTICLES=20000 PAGES=2000 RSS_BYTES=100000000; RSS_ONLY=1: the RSS line only)
set -u
BUILD=${BUILD:-build}
ND=${ND:-$BUILD/newsdesk}
GEN=${GEN:-$BUILD/bench/bench_ingest}
ARTICLES=${ARTICLES:-20000}
PAGES=${PAGES:-2000}
RSS_BYTES=${RSS_BYTES:-100000000}
RSS_ONLY=${RSS_ONLY:-0}
TMP=$(mktemp -d /tmp/nd-bench-ingest-XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# run NAME CMD...: run CMD, append "NAME user sys wall maxrss_kb" to $TMP/times
run() {
    name=$1; shift
    rm -f "$TMP/db" "$TMP/db-wal" "$TMP/db-shm"
    /usr/bin/time -f "$name %U %S %e %M" -a -o "$TMP/times" "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out"; exit 1; }
}
added() { awk '$1 == "added" { print $2; exit }' "$TMP/out"; }

[ -x /usr/bin/time ] || { echo "bench_ingest.sh: needs GNU time (/usr/bin/time)"; exit 1; }

if [ "$RSS_ONLY" != 1 ]; then
"$GEN" --write "$ARTICLES" 0 "$TMP/feed.jsonl" "$TMP/pairs.tsv" "$TMP/feed.csv" || exit 1
: >"$TMP/times"
NCPU=$(nproc 2>/dev/null || echo 2)
for round in 1 2; do
    run stock "$GEN" --stock "$TMP/pairs.tsv" "$TMP/db"; n_stock=$(added)
    run jsonl "$ND" --db "$TMP/db" ingest --threads 1 "$TMP/feed.jsonl"; n_jsonl=$(added)
    run threads "$ND" --db "$TMP/db" ingest --threads "$NCPU" "$TMP/feed.jsonl"
done
run csv "$ND" --db "$TMP/db" ingest "$TMP/feed.csv"; n_csv=$(added)
run tsv "$ND" --db "$TMP/db" ingest "$TMP/pairs.tsv"; n_tsv=$(added)
mb=$(du -sb "$TMP/feed.jsonl" | cut -f1)
awk -v ncpu="$NCPU" -v nj="$n_jsonl" -v ns="$n_stock" -v art="$ARTICLES" -v bytes="$mb" -v nc="$n_csv" -v nt="$n_tsv" '
    { cpu = $2 + $3; if (cpu <= 0) cpu = 0.001; wall = $4; if (wall <= 0) wall = 0.001
      runs[$1] = runs[$1] sprintf(" %.2f", cpu)
      if (!($1 in best) || cpu < best[$1]) best[$1] = cpu
      if (!($1 in bwall) || wall < bwall[$1]) bwall[$1] = wall
      rss[$1] = $5 / 1024 }
    END {
      printf "ingest %d JSON Lines articles (%.1f MB; %d stored, the rest exact duplicates) vs stock FTS5 on the same title/body pairs (%d rows):\n",
             art, bytes / 1e6, nj, ns
      printf "  CPU seconds, two runs: newsdesk (--threads 1)%s, stock%s; newsdesk --threads %d%s\n",
             runs["jsonl"], runs["stock"], ncpu, runs["threads"]
      printf "  articles per CPU second: newsdesk %.0f, stock %.0f, ratio %.2f (target >= 0.80)\n",
             art / best["jsonl"], art / best["stock"], best["stock"] / best["jsonl"]
      printf "  articles per wall second: newsdesk --threads %d %.0f (--threads 1 %.0f), stock %.0f, ratio %.2f (target >= 1.20)\n",
             ncpu, art / bwall["threads"], art / bwall["jsonl"], art / bwall["stock"], bwall["stock"] / bwall["threads"]
      printf "  peak RSS: newsdesk %.1f MB, stock %.1f MB\n", rss["jsonl"], rss["stock"]
      printf "csv    %d records: %.2f s CPU, %.0f articles/s (%d stored), peak RSS %.1f MB\n", art, best["csv"], art / best["csv"], nc, rss["csv"]
      printf "tsv    %d title/body pairs: %.2f s CPU, %.0f articles/s (%d stored), peak RSS %.1f MB\n", art, best["tsv"], art / best["tsv"], nt, rss["tsv"]
    }' "$TMP/times"
rm -f "$TMP/feed.jsonl" "$TMP/pairs.tsv" "$TMP/feed.csv"

cat >"$TMP/gen.lua" <<'LUA'
local dir, articles, pages = arg[1], tonumber(arg[2]), tonumber(arg[3])
local words = { "kuzey", "güney", "kore", "rusya", "ukrayna", "bakanı", "açıklamada", "savunma",
  "ekonomi", "seçim", "belediye", "hükümet", "meclis", "ticaret", "anlaşma", "ülke", "şehir",
  "liman", "fırtına", "enerji", "fiyatları", "piyasa", "İstanbul'da", "Ankara'nın", "zirve",
  "görüşme", "karar", "toplantı", "başkan", "vali", "okul", "hastane", "köprü", "tren" }
math.randomseed(42)
local function sentence(n)
  local t = {}
  for i = 1, n do t[i] = words[math.random(#words)] end
  return (table.concat(t, " "):gsub("^%l", string.upper)) .. "."
end
local f = assert(io.open(dir .. "/feed.jsonl", "w"))
for i = 1, articles do
  local paras = {}
  for k = 1, 6 do paras[k] = sentence(40) end
  f:write(string.format('{"title": "Haber %d: %s", "body": "%s", "date": "2024-11-%02dT10:%02d:00+03:00", "source": "Bench", "lang": "tr"}\n',
    i, sentence(6):sub(1, -2), table.concat(paras, "\\n\\n"), i % 28 + 1, i % 60))
end
f:close()
os.execute("mkdir -p " .. dir .. "/pages")
for i = 1, pages do
  local title = "Sayfa " .. i .. ": " .. sentence(6):sub(1, -2)
  local body = {}
  for k = 1, 6 do body[k] = sentence(40) end
  local p = assert(io.open(string.format("%s/pages/p%05d.txt", dir, i), "w"))
  p:write(title, "\n\n", sentence(25), "\n\n", string.format("%02d.11.2024, Pts - 10:%02d", i % 28 + 1, i % 60),
    "\n\n", title, "\nHaberi Paylaş\n\n", table.concat(body, "\n\n"),
    "\n\nAnadolu Ajansı\nBu haber toplam: ", i * 7, " kişi tarafından görüldü.\nSon Güncellenme:11:48:08\n")
  p:close()
end
LUA
"$ND" run "$TMP/gen.lua" "$TMP" 0 "$PAGES" || exit 1   # pages only: the feed comes from corpus.h

# ingest one input into a fresh store; print MB/s, articles/s, peak RSS
one() {
    name=$1 input=$2
    bytes=$(du -sb "$input" | cut -f1)
    : >"$TMP/times1"
    rm -f "$TMP/db"*
    /usr/bin/time -f "%U %S %M" -o "$TMP/times1" "$ND" --db "$TMP/db" ingest "$input" >"$TMP/out" 2>&1 || {
        cat "$TMP/out"; exit 1; }
    awk -v name="$name" -v bytes="$bytes" -v added="$(added)" '{
        cpu = $1 + $2; if (cpu <= 0) cpu = 0.001
        printf "%-6s %7.1f MB in %6.2f s CPU: %6.1f MB/s, %7.0f articles/s, peak RSS %5.1f MB\n",
            name, bytes / 1e6, cpu, bytes / 1e6 / cpu, added / cpu, $3 / 1024 }' "$TMP/times1"
}
one pages "$TMP/pages"
rm -rf "$TMP/pages"
fi

# peak RSS on a large input: generated, ingested, removed
"$GEN" --write 0 "$RSS_BYTES" "$TMP/big.jsonl" "" || exit 1
rm -f "$TMP/db"*
/usr/bin/time -f "%U %S %M" -o "$TMP/times1" "$ND" --db "$TMP/db" --quiet ingest "$TMP/big.jsonl" >"$TMP/out" 2>&1 || {
    cat "$TMP/out"; exit 1; }
awk -v bytes="$RSS_BYTES" -v added="$(added)" '{
    printf "rss    %.0f MB of JSON Lines (%s stored) in %.1f s CPU: peak RSS %.1f MB (target < 100 MB)\n",
        bytes / 1e6, added, $1 + $2, $3 / 1024 }' "$TMP/times1"
