#!/bin/sh
# Crash safety through the program: `newsdesk --db X --quiet ingest -` and a
# script calling db:ingest("-") with a progress function (which prints the
# articles committed so far) read the feed from a FIFO that is never closed,
# and are killed with SIGKILL after a random part of the feed and a random
# 20-300 ms, again and again, on the same store.  The open FIFO guarantees
# each kill lands mid-ingest whatever the machine's speed.  After every kill
# the store passes PRAGMA integrity_check, holds every article the script
# reported as committed, and holds no article twice; then one run without a
# kill completes the feed.  (tests/c/test_crash_ingest.c does the same 50+
# times through the C API; this checks the program and the Lua binding.)
. tests/cli/lib.sh
DB=$TMP/store.db
FEED=$TMP/feed.jsonl
N=20000
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"title\":\"Haber %06d: kısa\",\"body\":\"Gövde %d: sözcük%d kelime%d haber%d yazı%d.\",\"source\":\"Ajans %d\"}\n", i, i, i*7, i*13, i*17, i*19, i%5 }' >"$FEED"
cat >"$TMP/ingest.lua" <<'LUA'
local db = assert(newsdesk.open(arg[1]))
assert(db:ingest(arg[2], { batch = 50, progress = function(t)
  io.write(t.committed, "\n")
  io.flush()
end }))
LUA

rnd_sleep() { # 20-300 ms
    ms=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 281 + 20 ))
    sleep "$(printf '0.%03d' "$ms")"
}

bad=0; lost=0; dups=0; kills=0
mkfifo "$TMP/fifo"
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
    if [ $((k % 2)) = 0 ]; then
        $ND run "$TMP/ingest.lua" "$DB" - <"$TMP/fifo" >"$TMP/progress" 2>/dev/null &
    else
        : >"$TMP/progress"
        $ND --db "$DB" --quiet ingest - <"$TMP/fifo" >/dev/null 2>&1 &
    fi
    pid=$!
    exec 3>"$TMP/fifo"              # the writer end stays open: no end of input
    cut=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % (N - 100) + 50 ))
    head -n "$cut" "$FEED" >&3
    rnd_sleep
    kill -9 $pid 2>/dev/null && kills=$((kills + 1))
    exec 3>&-
    wait $pid 2>/dev/null
    [ -f "$DB" ] || continue
    # killed while creating the store: no schema yet, the next run creates it
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'articles'")" = 1 ] || continue
    if [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" != ok ]; then bad=$((bad + 1)); fi
    reported=$(tail -n 1 "$TMP/progress")
    if [ -n "$reported" ]; then
        have=$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE title < printf('Haber %06d', $reported)")
        if [ "$have" -lt "$reported" ]; then
            lost=$((lost + 1)); echo "# kill $k: $reported reported, $have present"
        fi
    fi
    [ "$(sqlite3 "$DB" 'SELECT count(*) - count(DISTINCT title) FROM articles')" = 0 ] || dups=$((dups + 1))
done
check_eq "$kills" 12 "all 12 runs were killed mid-ingest"
check_eq "$bad" 0 "integrity_check passes after every kill"
check_eq "$lost" 0 "every batch the script reported as committed is present"
check_eq "$dups" 0 "no article stored twice after any kill"
out=$($ND --db "$DB" --quiet ingest "$FEED" 2>&1); st=$?
check_eq "$st" 0 "re-running newsdesk ingest completes ($(echo "$out" | tr -s " \n" " "))"
check_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM articles')" $N "the store holds the whole feed"
check_eq "$(sqlite3 "$DB" 'SELECT count(DISTINCT title) FROM articles')" $N "each article once"
check_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "integrity_check after the final run"
done_testing
