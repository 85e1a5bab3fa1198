#!/bin/bash
# parallel.sh — a newsdesk map/reduce job on every core of one machine with
# GNU parallel (Debian package `parallel`), the same job Hadoop Streaming or
# Spark's RDD.pipe would run across machines:
#
#   scripts/scale/parallel.sh [-j JOBS] [-n LINES] MAPPER REDUCER [-- MAP-ARGS...] \
#       < articles.jsonl > result.jsonl
#
# The input is cut into blocks of LINES lines (default 10000); each block
# goes to `newsdesk map -q --key FIELD MAPPER` on one of JOBS workers
# (default: one per core), told with --line-offset where its block starts so
# that every message names the line in the whole input.  The KEY<TAB>JSON
# records are sorted by key (LC_ALL=C: byte order, as Hadoop sorts) and
# `newsdesk reduce REDUCER` reduces each key once.  MAP-ARGS go to the
# mapper (the default: --key entity); set NEWSDESK to the program to run.
#
# Exit status: non-zero when any mapper, the sort or the reducer failed
# (pipefail; parallel stops the other workers at the first failure).
set -euo pipefail
nd=${NEWSDESK:-newsdesk}
jobs=$(nproc 2>/dev/null || echo 2)
lines=10000
while getopts j:n: opt; do
  case $opt in
    j) jobs=$OPTARG ;;
    n) lines=$OPTARG ;;
    *) echo "usage: $0 [-j JOBS] [-n LINES] MAPPER REDUCER [-- MAP-ARGS...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 2 ]; then
  echo "usage: $0 [-j JOBS] [-n LINES] MAPPER REDUCER [-- MAP-ARGS...]" >&2
  exit 2
fi
mapper=$1 reducer=$2
shift 2
[ "${1:-}" = "--" ] && shift
map_args=("$@")
[ ${#map_args[@]} -gt 0 ] || map_args=(--key entity)

# parallel runs the command through the shell: {#} is the block number, so
# $(( ({#} - 1) * LINES )) is the number of lines before the block.
parallel --pipe -N "$lines" --block 64M -j "$jobs" --halt now,fail=1 \
    "$(printf '%q' "$nd")" map -q --line-offset '$(( ({#} - 1) * '"$lines"' ))' \
    "$(printf '%q ' "${map_args[@]}")" "$(printf '%q' "$mapper")" \
  | LC_ALL=C sort -t "$(printf '\t')" -k1,1 \
  | "$nd" reduce -q "$reducer"
