#!/bin/bash
# measure.sh — the scale-out figures of the README (make scale-measure):
# one map/reduce job (rules + filter mapper, sum reducer) on generated
# articles run one process, with GNU parallel -j2 (with and without the
# reducer as combiner), Dask with 2 workers and Slurm with 2 CPUs (an
# array job, and one allocation of two job steps; all with the combiner),
# one part per worker.
#
#   scripts/scale/measure.sh [ARTICLES [SIZE]]     (default 200000 articles of ~2000 bytes)
#   ROUNDS=3 scripts/scale/measure.sh ...          (each way three times: medians)
#   scripts/scale/measure.sh merge [ARTICLES [SIZE]]
#
# Needs parallel, python3-distributed, slurm-wlm, munge and time (make
# scale-measure installs them) and root for the Slurm cluster (skipped
# otherwise).  Work files go to $BUILD/scale-measure (merge-measure) (BUILD default build),
# removed at the end; the Slurm cluster it starts is stopped whatever
# happens.  One process runs before and after every round of the ways (the
# machine's speed drifts), and a way's speed-up in a round is against the
# mean of those two runs.  Prints, per way: wall seconds, articles/s, speedup over one
# process, CPU seconds (user + system of every process it waited for;
# Slurm's tasks run under slurmd and are not counted) and whether the
# result equals one process's byte for byte.  Wall time depends on what
# else runs on the machine: measure on an idle one.
#
# With `merge` (make merge-measure) it measures merging instead: two stores
# of half the articles each, ingested and tagged (pack:world), merged with
# `newsdesk merge`, beside ingesting and tagging all the raw articles into
# one store again; wall seconds, CPU seconds and peak resident memory (GNU
# time's "Maximum resident set size") of each, and the articles and
# mentions both stores end with.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
what=scale
[ "${1:-}" = merge ] && { what=merge; shift; }
N=${1:-200000}
SIZE=${2:-2000}
ND=$(pwd)/$BUILD/newsdesk
export NEWSDESK=$ND
W=$(pwd)/$BUILD/$what-measure
JOBS=2
ROUNDS=${ROUNDS:-1}   # ROUNDS=3: each way three times, medians reported
rm -rf "$W"
mkdir -p "$W"
cleanup() {
  [ -d "$W/slurm" ] && scripts/scale/slurm_local.sh stop "$W/slurm" || true
  rm -rf "$W"
}
trap cleanup EXIT
MAPPER=${MAPPER:-scripts/scale/desk_mentions.lua}   # MAPPER=scripts/scale/desk_counts.lua: in-mapper combining
REDUCER=scripts/reducers/sum.lua

echo "generating $N articles of about $SIZE bytes ..."
"$ND" scripts/scale/gen_corpus.lua "$N" "$SIZE" >"$W/corpus.jsonl"
echo "corpus: $(wc -c <"$W/corpus.jsonl") bytes, $N articles"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo

if [ $what = merge ]; then
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
  exit 0
fi

echo "mapper: $MAPPER; reducer: $REDUCER"

# timed NAME CMD...: runs CMD (stdout to $W/NAME.out), records wall seconds
# and the CPU seconds (user + system) of CMD and every process it waited
# for (Slurm's tasks run under slurmd instead: not counted)
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$W/$name.time" "$@" >"$W/$name.out"
  awk '{ printf "%.2f", $1 }' "$W/$name.time" >"$W/$name.secs"
  awk '{ printf "%.2f", $2 + $3 }' "$W/$name.time" >"$W/$name.cpu"
}
single() {
  "$ND" map -q --key entity "$MAPPER" <"$W/corpus.jsonl" | LC_ALL=C sort -t "$(printf '\t')" -k1,1 \
    | "$ND" reduce -q "$REDUCER"
}
export -f single
export ND MAPPER REDUCER W
slurm=0
if [ "$(id -u)" = 0 ]; then
  scripts/scale/slurm_local.sh start "$W/slurm" >/dev/null
  export SLURM_CONF=$W/slurm/slurm.conf
  slurm=1
else
  echo "(Slurm skipped: the cluster's daemons need root)"
fi
ways="parallel parallel-c dask-c"
[ $slurm = 1 ] && ways="$ways slurm-c slurm-sc"

# the machine's speed drifts over minutes on a shared host: one process
# runs before and after every round of the ways, and a way's speed-up in
# a round is against the mean of the two one-process runs around it
for r in $(seq 1 "$ROUNDS"); do
  timed single.$r bash -c single
  timed parallel.$r scripts/scale/parallel.sh -j $JOBS "$MAPPER" "$REDUCER" <"$W/corpus.jsonl"
  timed parallel-c.$r scripts/scale/parallel.sh -j $JOBS -c "$MAPPER" "$REDUCER" <"$W/corpus.jsonl"
  timed dask-c.$r scripts/scale/dask_job.py --newsdesk "$ND" --workers $JOBS --combine "$W/corpus.jsonl" \
    "$MAPPER" "$REDUCER"
  if [ $slurm = 1 ]; then
    timed slurm-c.$r scripts/scale/slurm_job.sh -p $JOBS -c -w "$W/slurmwork" "$W/corpus.jsonl" "$MAPPER" "$REDUCER"
    timed slurm-sc.$r scripts/scale/slurm_job.sh -p $JOBS -s -c -w "$W/slurmwork" "$W/corpus.jsonl" "$MAPPER" "$REDUCER"
  fi
done
[ $slurm = 1 ] && scripts/scale/slurm_local.sh stop "$W/slurm"
last=$(( ROUNDS + 1 ))
timed single.$last bash -c single
for r in $(seq 2 "$last"); do
  cmp -s "$W/single.$r.out" "$W/single.1.out" || { echo "one process gave two different results" >&2; exit 1; }
done

# median of the numbers on standard input
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-12s %10s %12s %8s %12s  %-22s %s\n' way seconds articles/s speedup "CPU seconds" "equal to one process" \
  "speed-up in each round"
for r in $(seq 1 "$last"); do cat "$W/single.$r.secs"; echo; done | median >"$W/single.med"
s=$(cat "$W/single.med")
c=$(for r in $(seq 1 "$last"); do cat "$W/single.$r.cpu"; echo; done | median)
awk -v s="$s" -v n="$N" -v c="$c" -v runs="$last" \
  'BEGIN { printf "%-12s %10.2f %12.0f %7.2fx %12s  %-22s %s\n", "single", s, n / s, 1, c, "yes", "(median of " runs " runs)" }'
for w in $ways; do
  : >"$W/$w.ups"
  same=yes
  for r in $(seq 1 "$ROUNDS"); do
    base=$(awk -v a="$(cat "$W/single.$r.secs")" -v b="$(cat "$W/single.$(( r + 1 )).secs")" 'BEGIN { printf "%.4f", (a + b) / 2 }')
    awk -v b="$base" -v s="$(cat "$W/$w.$r.secs")" 'BEGIN { printf "%.2f\n", b / s }' >>"$W/$w.ups"
    cmp -s "$W/$w.$r.out" "$W/single.1.out" || same=NO
  done
  secs=$(for r in $(seq 1 "$ROUNDS"); do cat "$W/$w.$r.secs"; echo; done | median)
  cpu=$(for r in $(seq 1 "$ROUNDS"); do cat "$W/$w.$r.cpu"; echo; done | median)
  case $w in slurm*) cpu="(slurmd)" ;; esac
  up=$(median <"$W/$w.ups")
  each=$(awk '{ printf "%s%.2fx", (NR > 1 ? " " : ""), $1 }' "$W/$w.ups")
  awk -v w="$w" -v s="$secs" -v n="$N" -v up="$up" -v c="$cpu" -v same="$same" -v each="$each" \
    'BEGIN { printf "%-12s %10.2f %12.0f %7.2fx %12s  %-22s %s\n", w, s, n / s, up, c, same, each }'
done
echo "(one part per worker, $JOBS workers / CPUs; -c: the reducer is each part's combiner;"
echo " slurm-c: an array job and a dependent reduce; slurm-sc: one allocation, two job steps;"
echo " $ROUNDS round(s) of the ways, one process before and after each; a way's speed-up in a round"
echo " is against the mean of those two runs; seconds, CPU seconds and speed-up are medians over the rounds;"
echo " the result: $(wc -l <"$W/single.1.out") entity counts)"
