#!/bin/sh
# slurm_job.sh — a newsdesk map/reduce job as Slurm jobs (Debian package
# slurm-wlm; scripts/scale/slurm_local.sh starts a one-node cluster):
#
#   scripts/scale/slurm_job.sh [-n LINES] [-w WORKDIR] INPUT MAPPER REDUCER \
#       [-- MAP-ARGS...] > result.jsonl
#
# INPUT is split into parts of LINES lines (default 10000) in WORKDIR
# (default: a new directory beside INPUT; it must be on a file system every
# node sees); an array job maps part K with
#   newsdesk map -q --line-offset K*LINES MAP-ARGS MAPPER
# one CPU per task, as many at once as the cluster has CPUs; then, only
# when every map task succeeded, a second job sorts the mapped
# lines by key (LC_ALL=C) and runs `newsdesk reduce -q REDUCER`.  The
# result is written to standard output and WORKDIR removed.  MAP-ARGS
# default to `--key entity`; NEWSDESK names the program (default: newsdesk
# on PATH, resolved here so the nodes run the same file).
#
# Exit status: 1 when a task failed (its standard error, which names the
# line in the whole input, is printed; WORKDIR is kept for a look), 2 on a
# usage error.  sbatch --wait carries each job's exit code.
set -eu
lines=10000 work=""
while getopts n:w: opt; do
  case $opt in
    n) lines=$OPTARG ;;
    w) work=$OPTARG ;;
    *) echo "usage: $0 [-n LINES] [-w WORKDIR] INPUT MAPPER REDUCER [-- MAP-ARGS...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 3 ]; then
  echo "usage: $0 [-n LINES] [-w WORKDIR] INPUT MAPPER REDUCER [-- MAP-ARGS...]" >&2
  exit 2
fi
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd)" "$1" ;; esac; }
input=$(abs "$1") mapper=$(abs "$2") reducer=$(abs "$3")
shift 3
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- --key entity
nd=${NEWSDESK:-$(command -v newsdesk || echo newsdesk)}
nd=$(abs "$nd")
[ -f "$input" ] || { echo "$0: $input: no such file" >&2; exit 1; }
[ -n "$work" ] || work=$(mktemp -d "$(dirname "$input")/newsdesk-slurm.XXXXXX")
mkdir -p "$work"
work=$(cd "$work" && pwd)

split -l "$lines" -d -a 6 "$input" "$work/part."
nparts=$(ls "$work" | grep -c '^part\.[0-9]*$' || true)
if [ "$nparts" -eq 0 ]; then          # empty input: nothing to map
  : >"$work/part.000000"
  nparts=1
fi

# the map task: its part, told where it starts in the whole input
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
margs=""
for a in "$@"; do margs="$margs $(q "$a")"; done
cat >"$work/map.sh" <<EOF
#!/bin/sh
k=\$SLURM_ARRAY_TASK_ID
part=\$(printf '%s/part.%06d' $(q "$work") "\$k")
exec $(q "$nd") map -q --line-offset \$((k * $lines))$margs $(q "$mapper") <"\$part" >"\$part.mapped"
EOF
cat >"$work/reduce.sh" <<EOF
#!/bin/bash
set -o pipefail
cat $(q "$work")/part.*.mapped | LC_ALL=C sort -t "\$(printf '\t')" -k1,1 \\
  | $(q "$nd") reduce -q $(q "$reducer") >$(q "$work")/result.jsonl
EOF
chmod +x "$work/map.sh" "$work/reduce.sh"

rc=0
sbatch --quiet --wait --job-name=newsdesk-map --array=0-$((nparts - 1)) --cpus-per-task=1 \
  --output="$work/map.%a.err" "$work/map.sh" || rc=$?
if [ $rc -ne 0 ]; then
  echo "$0: map tasks failed (exit $rc); their messages:" >&2
  for e in "$work"/map.*.err; do [ -s "$e" ] && cat "$e" >&2; done
  echo "$0: the parts and messages are in $work" >&2
  exit 1
fi
sbatch --quiet --wait --job-name=newsdesk-reduce --output="$work/reduce.err" "$work/reduce.sh" || rc=$?
if [ $rc -ne 0 ]; then
  echo "$0: the reduce job failed (exit $rc):" >&2
  cat "$work/reduce.err" >&2
  echo "$0: the parts and messages are in $work" >&2
  exit 1
fi
cat "$work/result.jsonl"
rm -rf "$work"
