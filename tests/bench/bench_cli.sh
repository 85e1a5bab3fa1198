#!/bin/sh
# bench_cli.sh — figures of the newsdesk program beside lua5.4:
#   start-up:  `newsdesk -e ''` against `lua5.4 -e ''` (RUNS runs each)
#   map:       `newsdesk map` with an identity map(), articles per second, beside
#              lua5.4 with lua-cjson decoding and encoding the same lines (target:
#              >= 1.5x its rate) and lua5.4 copying them (reading and writing alone);
#              three rounds, the sides alternating, the best round of each counts
# usage: BUILD=build sh tests/bench/bench_cli.sh    (RUNS=200 ARTICLES=20000 by default)
set -u
BUILD=${BUILD:-build}
ND=${ND:-$BUILD/newsdesk}
RUNS=${RUNS:-200}
ARTICLES=${ARTICLES:-20000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s%N; }
# CPU time (user + system, ms) of all children so far, into $CPU; on a busy
# machine it is steadier than the wall clock.  `times` must run in this
# shell, not in a $(...) subshell.
cpu_ms() {
    times >"$TMP/times"
    CPU=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
        printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$TMP/times")
}

# "wall-ms cpu-ms" for RUNS runs of the command given.
runs_ms() {
    t0=$(now)
    cpu_ms; c0=$CPU
    i=0
    while [ $i -lt "$RUNS" ]; do
        "$@" >/dev/null 2>&1
        i=$((i + 1))
    done
    cpu_ms
    echo "$((($(now) - t0) / 1000000)) $((CPU - c0))" >"$TMP/runs"
}

echo "start-up, $RUNS runs each (NEWSDESK_DB unset, no store opened):"
unset NEWSDESK_DB
runs_ms lua5.4 -e ''; lua_ms=$(cat "$TMP/runs")
runs_ms "$ND" -e ''; nd_ms=$(cat "$TMP/runs")
runs_ms "$ND" --sandbox -e ''; nds_ms=$(cat "$TMP/runs")
echo "$lua_ms $nd_ms $nds_ms" | awk -v r="$RUNS" '{
    printf "  %-26s %7.2f ms wall %7.2f ms cpu per run\n", "lua5.4 -e \"\"", $1 / r, $2 / r
    printf "  %-26s %7.2f ms wall %7.2f ms cpu per run  (%.2fx / %.2fx lua5.4; target <= 1.5x)\n",
        "newsdesk -e \"\"", $3 / r, $4 / r, $3 / $1, $4 / ($2 ? $2 : 1)
    printf "  %-26s %7.2f ms wall %7.2f ms cpu per run  (%.2fx / %.2fx lua5.4)\n",
        "newsdesk --sandbox -e \"\"", $5 / r, $6 / r, $5 / $1, $6 / ($2 ? $2 : 1)
}'

# A JSON Lines feed of ARTICLES articles, about 1.2 KB each, Turkish and English.
lua5.4 - "$ARTICLES" >"$TMP/feed.jsonl" <<'EOF'
local n = tonumber(arg[1])
local tr = "Dışişleri Bakanı, Ankara’da düzenlenen toplantıda bölgedeki gelişmeleri değerlendirdi. "
local en = "The ministers met in Brussels on Tuesday to discuss the situation in the region. "
for i = 1, n do
  local lang = i % 2 == 0 and "tr" or "en"
  local body = string.rep(lang == "tr" and tr or en, 12)
  io.write(string.format(
    '{"id":%d,"title":"Haber %d: görüşme sürüyor","lang":"%s","source":"Ajans","date":"2024-11-%02dT10:%02d:00+03:00","url":"https://example.org/%d","body":"%s","meta":{"tags":["dış politika","zirve"],"n":%d}}\n',
    i, i, lang, i % 28 + 1, i % 60, i, body, i))
end
EOF
bytes=$(wc -c <"$TMP/feed.jsonl")
echo 'function map(a) return a end' >"$TMP/id.lua"

# Three rounds, the sides alternating; each side's best round counts (by
# wall and by CPU time separately), so a busy neighbour does not decide.
least() { if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi; }
copy_ns= copy_cpu= cjson_ns= cjson_cpu= map_ns= map_cpu=
round=0
while [ $round -lt 3 ]; do
    t0=$(now); cpu_ms; c0=$CPU
    lua5.4 -e 'for l in io.lines() do io.write(l, "\n") end' <"$TMP/feed.jsonl" >/dev/null
    t=$(($(now) - t0)); cpu_ms
    copy_ns=$(least "$copy_ns" "$t"); copy_cpu=$(least "$copy_cpu" $((CPU - c0)))
    t0=$(now); cpu_ms; c0=$CPU
    lua5.4 -e 'local cjson = require "cjson"
for l in io.lines() do io.write(cjson.encode(cjson.decode(l)), "\n") end' <"$TMP/feed.jsonl" >"$TMP/cjson.jsonl"
    t=$(($(now) - t0)); cpu_ms
    cjson_ns=$(least "$cjson_ns" "$t"); cjson_cpu=$(least "$cjson_cpu" $((CPU - c0)))
    [ "$(wc -l <"$TMP/cjson.jsonl")" -eq "$ARTICLES" ] || { echo "lua-cjson wrote a different number of records"; exit 1; }
    t0=$(now); cpu_ms; c0=$CPU
    "$ND" map -q "$TMP/id.lua" <"$TMP/feed.jsonl" >"$TMP/out.jsonl"
    t=$(($(now) - t0)); cpu_ms
    map_ns=$(least "$map_ns" "$t"); map_cpu=$(least "$map_cpu" $((CPU - c0)))
    round=$((round + 1))
done
out=$(wc -l <"$TMP/out.jsonl")
[ "$out" -eq "$ARTICLES" ] || { echo "map wrote $out records for $ARTICLES articles"; exit 1; }
awk -v a="$ARTICLES" -v b="$bytes" -v c="$copy_ns" -v m="$map_ns" -v cc="$copy_cpu" -v mc="$map_cpu" \
    -v j="$cjson_ns" -v jc="$cjson_cpu" '
function rate(n, sec) { return sec > 0 ? n / sec : 0 }
BEGIN {
    printf "map, identity, %d articles (%.1f MB of JSON Lines), best of 3 rounds by wall clock and by CPU time:\n", a, b / 1e6
    printf "  %-22s %9.0f articles/s wall %9.0f articles/s cpu  %6.1f MB/s cpu\n", "lua5.4 line copy",
        rate(a, c / 1e9), rate(a, cc / 1e3), rate(b / 1e6, cc / 1e3)
    printf "  %-22s %9.0f articles/s wall %9.0f articles/s cpu  %6.1f MB/s cpu\n", "lua5.4 + lua-cjson",
        rate(a, j / 1e9), rate(a, jc / 1e3), rate(b / 1e6, jc / 1e3)
    printf "  %-22s %9.0f articles/s wall %9.0f articles/s cpu  %6.1f MB/s cpu  (%.2fx / %.2fx lua-cjson; target >= 1.5x)\n",
        "newsdesk map id.lua", rate(a, m / 1e9), rate(a, mc / 1e3), rate(b / 1e6, mc / 1e3),
        (m > 0 ? j / m : 0), (mc > 0 ? jc / mc : 0)
}'
