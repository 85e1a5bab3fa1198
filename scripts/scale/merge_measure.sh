#!/bin/bash
# merge_measure.sh — the README's merge figures (make merge-measure): two
# stores of half the generated articles each, ingested and tagged
# (pack:world), merged with `newsdesk merge`, beside ingesting and tagging
# all the raw articles into one store again.
#
#   scripts/scale/merge_measure.sh [ARTICLES [SIZE]]     (default 200000 articles of ~2000 bytes)
#
# Needs GNU time (make merge-measure installs it).  Work files go to
# $BUILD/merge-measure (BUILD default build), removed at the end.  Prints
# wall seconds, CPU seconds and peak resident memory (GNU time's "Maximum
# resident set size") of each, and the articles and mentions both stores
# end with.  Wall time depends on what else runs: measure on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
N=${1:-200000}
SIZE=${2:-2000}
ND=$(pwd)/$BUILD/newsdesk
W=$(pwd)/$BUILD/merge-measure
rm -rf "$W"
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT

echo "generating $N articles of about $SIZE bytes ..."
"$ND" scripts/scale/gen_corpus.lua "$N" "$SIZE" >"$W/corpus.jsonl"
half=$(( N / 2 ))
head -n "$half" "$W/corpus.jsonl" >"$W/a.jsonl"
tail -n +"$(( half + 1 ))" "$W/corpus.jsonl" >"$W/b.jsonl"
for s in a b; do
  "$ND" --db "$W/$s.db" ingest -q "$W/$s.jsonl" >/dev/null
  "$ND" --db "$W/$s.db" tag -q pack:world >/dev/null
done
gtime() { # gtime NAME CMD...: wall seconds, peak RSS (KiB), CPU seconds of CMD
  local name=$1
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$W/$name.time" "$@" >/dev/null
}
gtime merge "$ND" merge -q "$W/merged.db" "$W/a.db" "$W/b.db"
gtime ingest "$ND" --db "$W/reingest.db" ingest -q "$W/corpus.jsonl"
gtime tag "$ND" --db "$W/reingest.db" tag -q pack:world
same=$("$ND" --db "$W/merged.db" -e 'print(db:count(), #db:mentions{})')
again=$("$ND" --db "$W/reingest.db" -e 'print(db:count(), #db:mentions{})')
printf '%-36s %10s %12s %14s\n' "two stores of $half articles" seconds "CPU seconds" "peak RSS MiB"
row() { awk -v l="$1" '{ printf "%-36s %10.2f %12.2f %14.0f\n", l, $1, $3 + $4, $2 / 1024 }' "$2"; }
row "newsdesk merge (articles + mentions)" "$W/merge.time"
row "re-ingest the raw articles" "$W/ingest.time"
row "  + tag them again (pack:world)" "$W/tag.time"
echo "articles and mentions: merged $same, re-ingested and tagged $again"
