# make test-scale: the scale-out recipes of the README on a generated
# corpus give exactly the single-process result, and an engine sees every
# failure (exit status, line number in the whole input): GNU parallel, Dask
# distributed (a LocalCluster of 2 worker processes) and Slurm (a one-node
# cluster this test starts as root and stops).  The Makefile installs
# parallel, python3-distributed, slurm-wlm and munge.
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac
export NEWSDESK="$ND"
N=${SCALE_ARTICLES:-6000}
TAB=$(printf '\t')
csort() { LC_ALL=C sort -t "$TAB" -k1,1 "$@"; }

"$ND" scripts/scale/gen_corpus.lua "$N" 1500 >"$TMP/corpus.jsonl"
check_eq "$(wc -l <"$TMP/corpus.jsonl" | tr -d ' ')" "$N" "the generator writes N articles"
check_eq "$("$ND" scripts/scale/gen_corpus.lua 50 300 | cksum)" "$("$ND" scripts/scale/gen_corpus.lua 50 300 | cksum)" \
    "the generated corpus is the same on every run"

# ---- the single-process result ------------------------------------------------------------
"$ND" map -q --key entity scripts/scale/mentions.lua <"$TMP/corpus.jsonl" | csort \
    | "$ND" reduce -q scripts/reducers/sum.lua >"$TMP/single.jsonl"
check "the single-process job counts entities" grep -q '"count":' "$TMP/single.jsonl"
total=$("$ND" map -q --key entity scripts/scale/mentions.lua <"$TMP/corpus.jsonl" | wc -l | tr -d ' ')
sum=$("$ND" -e 'local t = 0
for l in io.lines() do t = t + newsdesk.json.decode(l).count end
print(math.tointeger(t))' <"$TMP/single.jsonl")
check_eq "$sum" "$total" "the counts add up to the mentions the mapper wrote"

# ---- GNU parallel --------------------------------------------------------------------------
# one part per job (map --part K/2 reads the file in place), more parts
# than jobs, the reducer as combiner, and a pipe (copied to a file first);
# the work files go to TMPDIR and are removed
mkdir "$TMP/ptmp"
sh_rc=0
TMPDIR=$TMP/ptmp scripts/scale/parallel.sh -j 2 scripts/scale/mentions.lua scripts/reducers/sum.lua \
    <"$TMP/corpus.jsonl" >"$TMP/parallel.jsonl" 2>"$TMP/err" || sh_rc=$?
check_eq "$sh_rc" 0 "the parallel recipe exits 0"
check "parallel -j2, a part per job, sort -m | reduce equals the single-process result" \
  cmp -s "$TMP/parallel.jsonl" "$TMP/single.jsonl"
TMPDIR=$TMP/ptmp scripts/scale/parallel.sh -j 2 -p 5 -c scripts/scale/mentions.lua scripts/reducers/sum.lua \
    <"$TMP/corpus.jsonl" >"$TMP/parallel_c.jsonl" 2>"$TMP/err" || sh_rc=$?
check "5 parts on 2 jobs, each combined by the reducer, equal the single-process result" \
  cmp -s "$TMP/parallel_c.jsonl" "$TMP/single.jsonl"
cat "$TMP/corpus.jsonl" | TMPDIR=$TMP/ptmp scripts/scale/parallel.sh -j 2 -c scripts/scale/mentions.lua \
    scripts/reducers/sum.lua >"$TMP/parallel_p.jsonl" 2>"$TMP/err" || sh_rc=$?
check "and so does the input given through a pipe" cmp -s "$TMP/parallel_p.jsonl" "$TMP/single.jsonl"
printf 'assert(loadfile("%s/scripts/scale/mentions.lua"))("combine")\n' "$PWD" >"$TMP/counts.lua"
TMPDIR=$TMP/ptmp scripts/scale/parallel.sh -j 2 -p 3 "$TMP/counts.lua" scripts/reducers/sum.lua \
    <"$TMP/corpus.jsonl" >"$TMP/parallel_ic.jsonl" 2>"$TMP/err" || sh_rc=$?
check "in-mapper combining (mentions.lua combine: counts written by finish), 3 parts, equals the single-process result" \
  cmp -s "$TMP/parallel_ic.jsonl" "$TMP/single.jsonl"
check "and its mappers write a few count lines, not one per mention" \
  test "$("$ND" map -q --key entity "$TMP/counts.lua" <"$TMP/corpus.jsonl" | wc -l)" -lt "$((total / 10))"
check_eq "$sh_rc" 0 "all exit 0"
check_eq "$(ls "$TMP/ptmp")" "" "the parallel recipe leaves no work files"

# ---- split into parts, mapped apart (Slurm array jobs, Hadoop map tasks) ------------------
split -l 1000 -d "$TMP/corpus.jsonl" "$TMP/part."
for p in "$TMP"/part.[0-9]*; do
  k=${p##*.}
  "$ND" map -q --line-offset $(( ${k#0} * 1000 )) --key entity scripts/scale/mentions.lua <"$p" >"$p.mapped" &
done
wait
cat "$TMP"/part.*.mapped | csort | "$ND" reduce -q scripts/reducers/sum.lua >"$TMP/split.jsonl"
check "split | map per part | sort | reduce equals the single-process result" cmp -s "$TMP/split.jsonl" "$TMP/single.jsonl"

# ---- Hadoop Streaming's shuffle, played with sort: map tasks, a combiner, 2 reducers ----------
# Each map task's output goes through the combiner (the reducer itself,
# keyed again: -combiner 'newsdesk reduce -q --key key sum.lua'), is cut
# into 2 partitions by key (Hadoop hashes the key; any function of the key
# keeps the contract), and each reducer gets its partition sorted by key.
# part-00000 + part-00001 hold the single-process records.
for p in "$TMP"/part.[0-9]*; do
  case $p in *.mapped) continue ;; esac
  k=${p##*.}
  "$ND" map -q --line-offset $(( ${k#0} * 1000 )) --key entity scripts/scale/mentions.lua <"$p" | csort \
    | "$ND" reduce -q --key key scripts/reducers/sum.lua \
    | awk -F "$TAB" -v dir="$TMP" '{ print >> (dir "/shuffle." (length($1) % 2)) }'
done
rc=0
for r in 0 1; do
  csort "$TMP/shuffle.$r" | "$ND" reduce -q scripts/reducers/sum.lua >"$TMP/part-0000$r" || rc=$?
done
check_eq "$rc" 0 "both reducers exit 0"
check "map tasks + combiner + 2 sorted partitions + 2 reducers hold the single-process records" \
  test "$(cat "$TMP/part-00000" "$TMP/part-00001" | LC_ALL=C sort)" = "$(LC_ALL=C sort "$TMP/single.jsonl")"
check "each key went to one reducer only" test -s "$TMP/part-00000" -a -s "$TMP/part-00001"
rc=0
printf 'Türkiye\t{"count": "many"}\n' | "$ND" reduce -q scripts/reducers/sum.lua >/dev/null 2>"$TMP/err" || rc=$?
check_eq "$rc" 1 "a reducer that fails exits 1, so the engine fails the task"
check_contains "$(cat "$TMP/err")" 'field "count" is a string, not a number' "and says why"

# ---- a second stage: top entities per language ---------------------------------------------
echo 'function map(a) if a.lang then return a end end' >"$TMP/bylang.lua"
"$ND" map -q --key lang "$TMP/bylang.lua" <"$TMP/single.jsonl" | csort | "$ND" reduce -q scripts/reducers/top.lua 3 >"$TMP/top1"
"$ND" map -q --key lang "$TMP/bylang.lua" <"$TMP/parallel.jsonl" | csort | "$ND" reduce -q scripts/reducers/top.lua 3 >"$TMP/top2"
check "top-3 per language is the same after the parallel job" cmp -s "$TMP/top1" "$TMP/top2"
check_eq "$(grep -c '"rank":1' "$TMP/top1")" 3 "one top entity for each of the three languages"

# ---- near-duplicates across shards -----------------------------------------------------------
scripts/scale/parallel.sh -j 2 -p 3 scripts/reducers/near_duplicates.lua scripts/reducers/near_duplicates.lua \
    -- --key band <"$TMP/corpus.jsonl" | LC_ALL=C sort -u >"$TMP/dups_par" 2>/dev/null
"$ND" map -q --key band scripts/reducers/near_duplicates.lua <"$TMP/corpus.jsonl" | csort \
    | "$ND" reduce -q scripts/reducers/near_duplicates.lua | LC_ALL=C sort -u >"$TMP/dups_single"
check "near-duplicates found by the parallel job equal the single-process ones" cmp -s "$TMP/dups_par" "$TMP/dups_single"
check "the republished copies of the generated corpus are found" test "$(wc -l <"$TMP/dups_single")" -ge $(( N / 50 - 1 ))
check_eq "$(grep -v '"id":[0-9]*[05]0}' "$TMP/dups_single")" "" "and only those (every 50th article)"

# ---- failures reach the engine -----------------------------------------------------------------
bad=$(( N / 2 + 17 ))
sed "${bad}s/.*/{\"id\": broken/" "$TMP/corpus.jsonl" >"$TMP/bad.jsonl"
rc=0
scripts/scale/parallel.sh -j 2 -p 4 scripts/scale/mentions.lua scripts/reducers/sum.lua \
    <"$TMP/bad.jsonl" >/dev/null 2>"$TMP/err" || rc=$?
check "a malformed line fails the parallel recipe" test "$rc" -ne 0
check_contains "$(cat "$TMP/err")" "stdin:$bad: malformed JSON" "the message names the line in the whole input, not in the part"
bug=$(( N - N / 3 + 5 ))
echo "function map(a) if a.id == $bug then error('mapper bug') end return { entity = 'x' } end" >"$TMP/bug.lua"
rc=0
scripts/scale/parallel.sh -j 2 -c "$TMP/bug.lua" scripts/reducers/sum.lua <"$TMP/corpus.jsonl" >/dev/null 2>"$TMP/err" || rc=$?
check "an error in one mapper fails the parallel recipe" test "$rc" -ne 0
check_contains "$(cat "$TMP/err")" "stdin:$bug: article id $bug:" "the error names the whole-input line and the article"

# ---- Dask distributed: a LocalCluster of 2 worker processes ---------------------------------
# The job runs in a session of its own: whatever it starts is found (and, if
# the test is interrupted, stopped) by that session's id, and must be gone
# when it ends.
sessions=""
stop_sessions() { for s in $sessions; do kill -TERM -- "-$s" 2>/dev/null; done; rm -rf "$TMP"; }
trap stop_sessions EXIT
trap 'exit 130' INT TERM
# (a zombie is already dead: only its parent's wait is missing).  A helper
# such as multiprocessing's resource_tracker ends by itself once the job's
# process has gone; one still there after 20 s was left running.
in_session() { ps -e -o sid=,stat=,pid=,args= | awk -v s="$1" '$1 == s && $2 !~ /^Z/' ; }
left_in_session() {
  i=0
  while [ -n "$(in_session "$1")" ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
  in_session "$1"
}
dask_run() { # dask_run OUT ERR ARGS... -> exit status of the job
  setsid scripts/scale/dask_job.py --newsdesk "$ND" --workers 2 "$@" >"$DASK_OUT" 2>"$DASK_ERR" &
  dpid=$!
  sessions="$sessions $dpid"
  drc=0
  wait "$dpid" || drc=$?
  return $drc
}
DASK_OUT=$TMP/dask.jsonl DASK_ERR=$TMP/dask.err
rc=0
dask_run "$TMP/corpus.jsonl" scripts/scale/mentions.lua scripts/reducers/sum.lua || rc=$?
check_eq "$rc" 0 "the Dask recipe exits 0"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/dask.err" | tail -20
check "Dask (2 worker processes, a part each), sort -m | reduce equals the single-process result" \
  cmp -s "$TMP/dask.jsonl" "$TMP/single.jsonl"
check_eq "$(left_in_session "$dpid")" "" "the Dask cluster (scheduler, nannies, workers) is gone when the job ends"
DASK_OUT=$TMP/dask_c.jsonl
rc=0
dask_run --parts 3 --combine "$TMP/corpus.jsonl" scripts/scale/mentions.lua scripts/reducers/sum.lua || rc=$?
check "Dask with 3 parts combined by the reducer equals the single-process result" \
  cmp -s "$TMP/dask_c.jsonl" "$TMP/single.jsonl"
check_eq "$(ls -d "$TMP"/newsdesk-dask.* 2>/dev/null)" "" "the Dask job removes its work directory"
DASK_OUT=/dev/null DASK_ERR=$TMP/dask.err
rc=0
dask_run "$TMP/corpus.jsonl" "$TMP/bug.lua" scripts/reducers/sum.lua || rc=$?
check "an error in one mapper fails the Dask recipe" test "$rc" -ne 0
check_contains "$(cat "$TMP/dask.err")" "stdin:$bug: article id $bug:" "the Dask job reports the whole-input line and the article"
check_eq "$(left_in_session "$dpid")" "" "and stops its cluster after the failure too"

# ---- Slurm: an array job on a one-node cluster started here ----------------------------------
# slurm_local.sh starts munged, slurmctld and slurmd with everything in a
# directory of this test; they are stopped at the end whatever happens.
SLURM_DIR=$TMP/slurm
stop_slurm() { [ -d "$SLURM_DIR" ] && scripts/scale/slurm_local.sh stop "$SLURM_DIR"; stop_sessions; }
if [ "$(id -u)" != 0 ]; then
  skip "the Slurm recipe: the test starts the daemons as root"
else
  trap stop_slurm EXIT
  started=0
  scripts/scale/slurm_local.sh start "$SLURM_DIR" >"$TMP/slurm.start" 2>&1 && started=1
  check_eq "$started" 1 "a one-node Slurm cluster starts in a temporary directory"
  [ "$started" = 1 ] || sed 's/^/#   /' "$TMP/slurm.start"
  export SLURM_CONF="$SLURM_DIR/slurm.conf"
  check_eq "$(sed -n 's/^NodeName=[^ ]* NodeAddr=127.0.0.1 \(CPUs=[0-9]*\) \(RealMemory=[0-9]*\).*/\1 \2/p' "$SLURM_CONF")" \
    "$(slurmd -C | sed -n 's/.* \(CPUs=[0-9]*\) .* \(RealMemory=[0-9]*\).*/\1 \2/p')" \
    "slurm.conf gives the node the CPUs and memory slurmd -C finds"
  check_contains "$(cat "$SLURM_CONF")" "MinJobAge=0" "sbatch --wait polls every 2 s, not up to 32 s (MinJobAge)"
  rc=0
  NEWSDESK=$ND scripts/scale/slurm_job.sh -w "$TMP/slurmwork" "$TMP/corpus.jsonl" \
    scripts/scale/mentions.lua scripts/reducers/sum.lua >"$TMP/slurm.jsonl" 2>"$TMP/slurm.err" || rc=$?
  check_eq "$rc" 0 "the Slurm recipe exits 0"
  [ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/slurm.err" | tail -20
  check "a Slurm array job (a part per CPU) then srun sort -m | reduce equals the single-process result" \
    cmp -s "$TMP/slurm.jsonl" "$TMP/single.jsonl"
  check "and removes its work directory" test ! -e "$TMP/slurmwork"
  rc=0
  NEWSDESK=$ND scripts/scale/slurm_job.sh -p 3 -c -w "$TMP/slurmwork" "$TMP/corpus.jsonl" \
    scripts/scale/mentions.lua scripts/reducers/sum.lua >"$TMP/slurm_c.jsonl" 2>"$TMP/slurm.err" || rc=$?
  check "3 array tasks combined by the reducer equal the single-process result" \
    cmp -s "$TMP/slurm_c.jsonl" "$TMP/single.jsonl"
  rc=0
  NEWSDESK=$ND scripts/scale/slurm_job.sh -w "$TMP/slurmbad" "$TMP/corpus.jsonl" \
    "$TMP/bug.lua" scripts/reducers/sum.lua >/dev/null 2>"$TMP/slurm.err" || rc=$?
  check "an error in one map task fails the Slurm recipe" test "$rc" -ne 0
  check_contains "$(cat "$TMP/slurm.err")" "stdin:$bug: article id $bug:" "the Slurm job reports the whole-input line and the article"
  rc=0
  NEWSDESK=$ND scripts/scale/slurm_job.sh -s -c -w "$TMP/slurmwork" "$TMP/corpus.jsonl" \
    scripts/scale/mentions.lua scripts/reducers/sum.lua >"$TMP/slurm_s.jsonl" 2>"$TMP/slurm.err" || rc=$?
  check_eq "$rc" 0 "the Slurm recipe in one allocation (-s) exits 0"
  [ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/slurm.err" | tail -20
  check "one allocation, a map step of a task per CPU and a reduce step, equals the single-process result" \
    cmp -s "$TMP/slurm_s.jsonl" "$TMP/single.jsonl"
  check "and removes its work directory" test ! -e "$TMP/slurmwork"
  rc=0
  NEWSDESK=$ND scripts/scale/slurm_job.sh -s -w "$TMP/slurmbad_s" "$TMP/corpus.jsonl" \
    "$TMP/bug.lua" scripts/reducers/sum.lua >"$TMP/slurm_s_bad.jsonl" 2>"$TMP/slurm.err" || rc=$?
  check "an error in one task of the map step fails the one-allocation recipe" test "$rc" -ne 0
  check_eq "$(wc -c <"$TMP/slurm_s_bad.jsonl")" 0 "and it writes no result"
  check_contains "$(cat "$TMP/slurm.err")" "stdin:$bug: article id $bug:" "and reports the whole-input line and the article"
  rc=0
  NEWSDESK=$ND scripts/scale/slurm_job.sh -s -p 999 "$TMP/corpus.jsonl" scripts/scale/mentions.lua \
    scripts/reducers/sum.lua >/dev/null 2>"$TMP/slurm.err" || rc=$?
  check_eq "$rc" 2 "one allocation of more tasks than the cluster's CPUs is refused, not left pending"
  check_contains "$(cat "$TMP/slurm.err")" "the partition has" "saying how many CPUs there are"
  pids=$(cat "$SLURM_DIR"/*.pid 2>/dev/null | tr '\n' ' ')
  scripts/scale/slurm_local.sh stop "$SLURM_DIR"
  alive=""
  for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
  check_eq "$alive" "" "munged, slurmctld and slurmd are stopped"
fi

done_testing
