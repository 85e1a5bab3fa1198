#!/bin/bash
# map_part.sh — one map task of the scale-out recipes (parallel.sh,
# dask_job.py, slurm_job.sh): part K of N of INPUT through the mapper,
# sorted by key, optionally combined, into OUT.
#
#   scripts/scale/map_part.sh K N INPUT MAPPER OUT [COMBINER] [-- MAP-ARGS...]
#
# runs, under pipefail,
#   newsdesk map -q --part K/N MAP-ARGS MAPPER < INPUT | LC_ALL=C sort -t TAB -k1,1
#     [| newsdesk reduce -q --key key COMBINER]  > OUT
# `--part` reads the part in place (the lines `split -n l/K/N INPUT` gives)
# and numbers lines in the whole INPUT in its messages.  COMBINER (a
# reducer whose results reduce again to the same totals, such as
# scripts/reducers/sum.lua; "" for none) sums the part's records per key so
# OUT holds one line per key.  OUT is sorted by key, so the parts merge
# with `LC_ALL=C sort -m -t TAB -k1,1 OUT...` before the final reducer.
# MAP-ARGS default to `--key entity`; NEWSDESK names the program.
# Exit status: that of the first command that failed (OUT removed), else 0.
set -euo pipefail
if [ $# -lt 5 ]; then
  echo "usage: $0 K N INPUT MAPPER OUT [COMBINER] [-- MAP-ARGS...]" >&2
  exit 2
fi
k=$1 n=$2 input=$3 mapper=$4 out=$5 combiner=
shift 5
if [ $# -gt 0 ] && [ "$1" != "--" ]; then combiner=$1; shift; fi
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- --key entity
nd=${NEWSDESK:-newsdesk}
export LC_ALL=C
rc=0
if [ -n "$combiner" ]; then
  "$nd" map -q --part "$k/$n" "$@" "$mapper" <"$input" | sort -t "$(printf '\t')" -k1,1 \
    | "$nd" reduce -q --key key "$combiner" >"$out" || rc=$?
else
  "$nd" map -q --part "$k/$n" "$@" "$mapper" <"$input" | sort -t "$(printf '\t')" -k1,1 >"$out" || rc=$?
fi
[ $rc -eq 0 ] || rm -f "$out"
exit $rc
