#!/bin/bash
# parallel.sh — a newsdesk map/reduce job on every core of one machine with
# GNU parallel (Debian package `parallel`), the same job Hadoop Streaming or
# Spark's RDD.pipe would run across machines:
#
#   scripts/scale/parallel.sh [-j JOBS] [-p PARTS] [-c] MAPPER REDUCER [-- MAP-ARGS...] \
#       < articles.jsonl > result.jsonl
#
# The input is cut into PARTS parts (default: JOBS, one per job slot; JOBS
# default: one per core) of about equal bytes at line starts; JOBS workers
# each run scripts/scale/map_part.sh on a part: `newsdesk map -q --part
# K/PARTS MAP-ARGS MAPPER` reads its part of the file in place (nothing is
# piped through parallel) and numbers lines in the whole input, and the
# part's KEY<TAB>JSON records are sorted by key (LC_ALL=C: byte order, as
# Hadoop sorts).  With -c the reducer is also the combiner of each part
# (`newsdesk reduce -q --key key REDUCER`: right for reducers whose results
# reduce again to the same result, such as sum.lua and top.lua), so each
# part leaves one line per key.  The sorted parts are merged (`sort -m`)
# into one `newsdesk reduce -q REDUCER`.  MAP-ARGS go to the mapper
# (default: --key entity); set NEWSDESK to the program to run.  Standard
# input should be a file; a pipe is first copied to a file in TMPDIR.
#
# Exit status: non-zero when any part, the merge or the reducer failed
# (parallel stops the other parts at the first failure).
set -euo pipefail
nd=${NEWSDESK:-newsdesk}
export NEWSDESK=$nd
jobs=$(nproc 2>/dev/null || echo 2)
parts="" combiner=""
usage() { echo "usage: $0 [-j JOBS] [-p PARTS] [-c] MAPPER REDUCER [-- MAP-ARGS...]" >&2; exit 2; }
while getopts j:p:c opt; do
  case $opt in
    j) jobs=$OPTARG ;;
    p) parts=$OPTARG ;;
    c) combiner=yes ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || usage
mapper=$1 reducer=$2
shift 2
[ "${1:-}" = "--" ] && shift
[ -n "$parts" ] || parts=$jobs
[ -n "$combiner" ] && combiner=$reducer
here=$(cd "$(dirname "$0")" && pwd)
margs=""
for a in "$@"; do margs="$margs $(printf '%q' "$a")"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-parallel.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -f /dev/stdin ]; then
  exec 3<&0                         # the parts read the file itself, in place
else
  cat >"$work/input"                # a pipe: the parts need a file to cut
  exec 3<"$work/input"
fi
# each job: its part of the file on descriptor 3, sorted (and combined)
# into $work/part.K; {} is K
parallel -j "$jobs" --halt now,fail=1 \
    "$(printf '%q ' "$here/map_part.sh")" '{}' "$parts" /dev/stdin "$(printf '%q' "$mapper")" \
    "$(printf '%q' "$work")/part.{}" "$(printf '%q' "$combiner")" --"$margs" '<&3' \
    ::: $(seq 1 "$parts")
LC_ALL=C sort -m -t "$(printf '\t')" -k1,1 "$work"/part.* | "$nd" reduce -q "$reducer"
