# newsdesk --sandbox: default limits (memory, time, instruction budget)
# stated in --help, each changeable by its option (0 = none), each named in
# the message when hit; and the store is read-only unless --writable.
. tests/cli/lib.sh

help=$("$ND" --help)
check_contains "$help" "256 MiB, 10 s, 1000000000 instructions" "--help states the sandbox's default limits"
check_contains "$help" "--writable" "--help lists --writable"

# the default stops an endless loop (the time limit or the budget, whichever
# comes first on this machine): the program no longer runs forever
out=$(timeout 300 "$ND" --sandbox -e 'while true do end' 2>&1)
status=$?
check_eq "$status" 1 "--sandbox stops 'while true do end' by default (exit 1)"
case "$out" in
*"time limit of 10 s exceeded"*|*"instruction budget of 1000000000 exceeded"*) pass=1 ;;
*) pass=0 ;;
esac
check_eq "$pass" 1 "and names the default limit it hit ($(printf '%s' "$out" | head -1))"

out=$("$ND" --sandbox --budget 100000 --time-limit 0 -e 'while true do end' 2>&1)
check_contains "$out" "(command line):1: instruction budget of 100000 exceeded" "--budget changes the budget"
out=$("$ND" --sandbox --budget 0 --time-limit 0.3 -e 'while true do end' 2>&1)
check_contains "$out" "(command line):1: time limit of 0.3 s exceeded" "--time-limit changes the time limit"
out=$("$ND" --sandbox --memory-limit 8 -e 'local t = {} for i = 1, 1e8 do t[i] = i end' 2>&1)
check_contains "$out" "memory limit of 8 MiB exceeded" "--memory-limit changes the memory limit"
out=$("$ND" --sandbox --memory-limit 0 --budget 0 --time-limit 0 -e 'local t = {} for i = 1, 3e6 do t[i] = i end print(#t)' 2>&1)
check_eq "$out" "3000000" "0 turns each limit off"
out=$("$ND" --sandbox --budget 0 --time-limit 0 --cpu-limit 0.3 -e 'while true do end' 2>&1)
check_contains "$out" "(command line):1: CPU time limit of 0.3 s exceeded" "--cpu-limit stops a script by its CPU time"
out=$("$ND" --cpu-limit 0.3 -e 'local x = 0 while true do x = x + 1 end' 2>&1)
check_contains "$out" "CPU time limit of 0.3 s exceeded" "... also outside the sandbox"

"$ND" --db "$TMP/s.db" -e 'db:add{ title = "Başlık", body = "Metin." }' >/dev/null 2>&1
out=$("$ND" --sandbox --db "$TMP/s.db" -e 'db:add{ title = "x", body = "y" }' 2>&1)
check_contains "$out" "db:add: the store is read-only here" "--sandbox scripts cannot write the store"
out=$("$ND" --sandbox --writable --db "$TMP/s.db" -e 'db:add{ title = "x", body = "y" } db:close() print(db:count())' 2>&1)
check_eq "$out" "2" "--writable grants writes; db:close() from the script closes nothing"
done_testing
