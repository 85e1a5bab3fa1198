#!/bin/bash
# measure.sh — the scale-out figures of the README (make scale-measure):
# one map/reduce job (rules + filter mapper, sum reducer) on generated
# articles run one process, with GNU parallel -j2 (with and without the
# reducer as combiner), Dask with 2 workers and Slurm with 2 CPUs (both
# with the combiner), one part per worker.
#
#   scripts/scale/measure.sh [ARTICLES [SIZE]]     (default 200000 articles of ~2000 bytes)
#
# Needs parallel, python3-distributed, slurm-wlm, munge and time (make
# scale-measure installs them) and root for the Slurm cluster (skipped
# otherwise).  Work files go to $BUILD/scale-measure (BUILD default build),
# removed at the end; the Slurm cluster it starts is stopped whatever
# happens.  Prints, per way: wall seconds, articles/s, speedup over one
# process, CPU seconds (user + system of every process it waited for;
# Slurm's tasks run under slurmd and are not counted) and whether the
# result equals one process's byte for byte.  Wall time depends on what
# else runs on the machine: measure on an idle one.  Merging stores beside
# re-ingesting is measured apart: scripts/scale/merge_measure.sh (make
# merge-measure).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
N=${1:-200000}
SIZE=${2:-2000}
ND=$(pwd)/$BUILD/newsdesk
export NEWSDESK=$ND
W=$(pwd)/$BUILD/scale-measure
JOBS=2
rm -rf "$W"
mkdir -p "$W"
cleanup() {
  [ -d "$W/slurm" ] && scripts/scale/slurm_local.sh stop "$W/slurm" || true
  rm -rf "$W"
}
trap cleanup EXIT
MAPPER=scripts/scale/desk_mentions.lua
REDUCER=scripts/reducers/sum.lua

echo "generating $N articles of about $SIZE bytes ..."
"$ND" scripts/scale/gen_corpus.lua "$N" "$SIZE" >"$W/corpus.jsonl"
echo "corpus: $(wc -c <"$W/corpus.jsonl") bytes, $N articles; mapper: $MAPPER; reducer: $REDUCER"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo

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
ways="single parallel parallel-c dask-c"
export -f single
export ND MAPPER REDUCER W
timed single bash -c single
timed parallel scripts/scale/parallel.sh -j $JOBS "$MAPPER" "$REDUCER" <"$W/corpus.jsonl"
timed parallel-c scripts/scale/parallel.sh -j $JOBS -c "$MAPPER" "$REDUCER" <"$W/corpus.jsonl"
timed dask-c scripts/scale/dask_job.py --newsdesk "$ND" --workers $JOBS --combine "$W/corpus.jsonl" \
  "$MAPPER" "$REDUCER"
if [ "$(id -u)" = 0 ]; then
  scripts/scale/slurm_local.sh start "$W/slurm" >/dev/null
  export SLURM_CONF=$W/slurm/slurm.conf
  timed slurm-c scripts/scale/slurm_job.sh -p $JOBS -c -w "$W/slurmwork" "$W/corpus.jsonl" "$MAPPER" "$REDUCER"
  scripts/scale/slurm_local.sh stop "$W/slurm"
  ways="$ways slurm-c"
else
  echo "(Slurm skipped: the cluster's daemons need root)"
fi

base=$(cat "$W/single.secs")
printf '%-10s %10s %12s %8s %12s  %s\n' way seconds articles/s speedup "CPU seconds" "equal to one process"
for w in $ways; do
  s=$(cat "$W/$w.secs")
  c=$(cat "$W/$w.cpu")
  [ "$w" = slurm-c ] && c="(slurmd)"
  same=yes
  cmp -s "$W/$w.out" "$W/single.out" || same=NO
  awk -v w="$w" -v s="$s" -v n="$N" -v b="$base" -v c="$c" -v same="$same" \
    'BEGIN { printf "%-10s %10.2f %12.0f %7.2fx %12s  %s\n", w, s, n / s, b / s, c, same }'
done
echo "(one part per worker, $JOBS workers / CPUs; -c: the reducer is each part's combiner;"
echo " the result: $(wc -l <"$W/single.out") entity counts)"
