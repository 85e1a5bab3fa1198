#!/bin/sh
# slurm_job.sh — a newsdesk map/reduce job as a Slurm array job (Debian
# package slurm-wlm; scripts/scale/slurm_local.sh starts a one-node cluster):
#
#   scripts/scale/slurm_job.sh [-p PARTS] [-c] [-s] [-w WORKDIR] INPUT MAPPER REDUCER \
#       [-- MAP-ARGS...] > result.jsonl
#
# An array of PARTS tasks (default: the CPUs of the default partition, one
# part per CPU), one CPU each: task K runs scripts/scale/map_part.sh on part
# K of INPUT (`newsdesk map -q --part K/PARTS MAP-ARGS MAPPER` reads its
# part of the file in place and numbers lines in the whole input; the
# records are sorted by key; with -c the reducer combines them per key
# first, right for reducers whose results reduce again to the same result,
# such as sum.lua and top.lua) into WORKDIR.  The reduce step, started at
# once by `srun --dependency=afterany:ARRAY` (which waits for the
# allocation without polling, unlike `sbatch --wait`), merges the sorted
# parts (`sort -m`) into `newsdesk reduce -q REDUCER` when every task has
# ended, or fails when a part is missing.
# With -s the job is one allocation of PARTS tasks instead (`salloc`): the
# map is one job step of PARTS tasks (`srun`, task K maps part K+1) and the
# reduce a second step in the same allocation.  Steps start in a tenth of a
# second where a batch task waits for the controller's next scheduling
# pass (about a second, and again for the reduce job); but every CPU must
# be free at once, where array tasks start one by one as CPUs free up
# (PARTS above the cluster's CPUs is then refused).
# INPUT, the scripts, the program and WORKDIR (default: a new directory
# beside INPUT) must be on a file system every node sees.  The result is
# written to standard output and WORKDIR removed.  MAP-ARGS default to
# `--key entity`; NEWSDESK names the program (default: newsdesk on PATH,
# resolved here so the nodes run the same file).
#
# Exit status: 1 when a task or the reduce job failed (their standard
# error, which names the line in the whole input, is printed; WORKDIR is
# kept for a look), 2 on a usage error.
set -eu
parts="" combine="" steps="" work=""
usage() { echo "usage: $0 [-p PARTS] [-c] [-s] [-w WORKDIR] INPUT MAPPER REDUCER [-- MAP-ARGS...]" >&2; exit 2; }
while getopts p:csw: opt; do
  case $opt in
    p) parts=$OPTARG ;;
    c) combine=yes ;;
    s) steps=yes ;;
    w) work=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || usage
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd)" "$1" ;; esac; }
input=$(abs "$1") mapper=$(abs "$2") reducer=$(abs "$3")
shift 3
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- --key entity
nd=${NEWSDESK:-$(command -v newsdesk || echo newsdesk)}
nd=$(abs "$nd")
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$input" ] || { echo "$0: $input: no such file" >&2; exit 1; }
# one part per CPU of the default partition (sinfo %C: allocated/idle/other/total)
cpus=$(sinfo -h -o %C | head -n 1 | cut -d/ -f4)
[ -n "$parts" ] || parts=$cpus
case $parts in ''|*[!0-9]*|0) echo "$0: cannot tell the cluster's CPUs; give -p PARTS" >&2; exit 1 ;; esac
# one allocation of more tasks than CPUs would wait for ever
if [ -n "$steps" ] && [ -n "$cpus" ] && [ "$parts" -gt "$cpus" ] 2>/dev/null; then
  echo "$0: -s runs the $parts parts at once, but the partition has $cpus CPUs; give -p $cpus or leave out -s" >&2
  exit 2
fi
[ -n "$work" ] || work=$(mktemp -d "$(dirname "$input")/newsdesk-slurm.XXXXXX")
mkdir -p "$work"
work=$(cd "$work" && pwd)
combiner=""
[ -n "$combine" ] && combiner=$reducer

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
margs=""
for a in "$@"; do margs="$margs $(q "$a")"; done
cat >"$work/map.sh" <<EOF
#!/bin/sh
# part K: the array task K, or the step's task K-1
k=\${SLURM_ARRAY_TASK_ID:-\$((SLURM_PROCID + 1))}
NEWSDESK=$(q "$nd") exec $(q "$here/map_part.sh") "\$k" $parts $(q "$input") $(q "$mapper") \\
  $(q "$work")/part.\$k $(q "$combiner") --$margs
EOF
cat >"$work/reduce.sh" <<EOF
#!/bin/bash
set -eo pipefail
cd $(q "$work")
k=1
while [ \$k -le $parts ]; do
  [ -f part.\$k ] || { echo "map task \$k failed: no part.\$k" >&2; exit 1; }
  k=\$((k + 1))
done
LC_ALL=C sort -m -t "\$(printf '\t')" -k1,1 part.* | $(q "$nd") reduce -q $(q "$reducer") >result.tmp
mv result.tmp result.jsonl
EOF
chmod +x "$work/map.sh" "$work/reduce.sh"

rc=0
if [ -n "$steps" ]; then
  # the map step's tasks write map.0.err, map.1.err, ... (srun's %t counts from 0)
  salloc --quiet --job-name=newsdesk --ntasks="$parts" --cpus-per-task=1 /bin/sh -c '
    srun --quiet --ntasks="$2" --output="$1/map.%t.err" --error="$1/map.%t.err" "$1/map.sh" &&
      srun --quiet --ntasks=1 --output="$1/reduce.err" --error="$1/reduce.err" "$1/reduce.sh"' \
    sh "$work" "$parts" || rc=$?
else
  jid=$(sbatch --parsable --job-name=newsdesk-map --array=1-"$parts" --cpus-per-task=1 \
    --output="$work/map.%a.err" "$work/map.sh") || rc=$?
  if [ $rc -eq 0 ]; then
    srun --quiet --dependency=afterany:"${jid%%;*}" --job-name=newsdesk-reduce --ntasks=1 \
      --output="$work/reduce.err" "$work/reduce.sh" || rc=$?
  fi
fi
if [ $rc -ne 0 ] || [ ! -f "$work/result.jsonl" ]; then
  echo "$0: the job failed (exit $rc); the tasks' messages:" >&2
  for e in "$work"/map.*.err "$work/reduce.err"; do [ -s "$e" ] && cat "$e" >&2; done
  echo "$0: the parts and messages are in $work" >&2
  exit 1
fi
cat "$work/result.jsonl"
rm -rf "$work"
