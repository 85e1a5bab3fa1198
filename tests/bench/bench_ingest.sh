#!/bin/sh
# bench_ingest.sh — `newsdesk ingest` end to end (read, extract, store with
# full-text index and duplicate detection) on generated input:
#   jsonl:  ARTICLES JSON Lines articles of about 2 KB in one file
#   pages:  PAGES page dumps in the shape of scraped news pages, one per file
# Prints MB/s and articles/s (CPU time, steadier than the wall clock on a busy
# machine) and the peak resident memory of the ingest.
# usage: BUILD=build sh tests/bench/bench_ingest.sh   (ARTICLES=20000 PAGES=2000)
set -u
BUILD=${BUILD:-build}
ND=${ND:-$BUILD/newsdesk}
ARTICLES=${ARTICLES:-20000}
PAGES=${PAGES:-2000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

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
"$ND" run "$TMP/gen.lua" "$TMP" "$ARTICLES" "$PAGES" || exit 1

# ingest one input into a fresh store; print MB/s, articles/s, peak RSS
one() {
    name=$1 input=$2
    rm -f "$TMP/db"*
    bytes=$(du -sb "$input" | cut -f1)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%U %S %M" -o "$TMP/time" "$ND" --db "$TMP/db" ingest "$input" >"$TMP/out" 2>&1 || {
            cat "$TMP/out"; exit 1; }
    else    # no GNU time: wall clock, no memory figure
        t0=$(date +%s%N)
        "$ND" --db "$TMP/db" ingest "$input" >"$TMP/out" 2>&1 || { cat "$TMP/out"; exit 1; }
        echo "$(( ($(date +%s%N) - t0) / 1000000 ))" | awk '{ print $1 / 1000, 0, 0 }' >"$TMP/time"
    fi
    added=$(awk '$1 == "added" { print $2 }' "$TMP/out")
    awk -v name="$name" -v bytes="$bytes" -v added="$added" '{
        cpu = $1 + $2; if (cpu <= 0) cpu = 0.001
        printf "%-6s %7.1f MB in %6.2f s CPU: %6.1f MB/s, %7.0f articles/s, peak RSS %5.1f MB\n",
            name, bytes / 1e6, cpu, bytes / 1e6 / cpu, added / cpu, $3 / 1024 }' "$TMP/time"
}
one jsonl "$TMP/feed.jsonl"
one pages "$TMP/pages"
