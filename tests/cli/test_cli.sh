# The newsdesk program: commands, options, exit codes, error messages, help.
. tests/cli/lib.sh
ROOT=$(pwd)
case "$ND" in /*) ;; *) ND="$ROOT/$ND" ;; esac

# ---- version and help --------------------------------------------------------
out=$("$ND" --version); rc=$?
check_eq "$rc" 0 "--version exits 0"
check_contains "$out" "newsdesk 0." "--version prints the version"
check_eq "$("$ND" version)" "$out" "'version' command agrees with --version"
check_eq "$("$ND" -e 'print("newsdesk " .. newsdesk.version)')" "$out" "newsdesk.version agrees with --version"

help=$("$ND" --help); rc=$?
check_eq "$rc" 0 "--help exits 0"
for word in "run SCRIPT" "repl" "ingest PATH" "search QUERY" "tag RULES" "map SCRIPT" \
            "help [COMMAND]" "--db PATH" "NEWSDESK_DB" "-e CODE" "--sandbox" "--allow-read" \
            "--memory-limit" "--time-limit" "--budget" "--quiet" "--version" "Exit status"; do
    check_contains "$help" "$word" "--help mentions $word"
done
check_eq "$("$ND" help)" "$help" "'help' with no command prints the same text"
for cmd in run repl ingest search tag map help version; do
    text=$("$ND" help "$cmd"); rc=$?
    check_eq "$rc" 0 "help $cmd exits 0"
    check_contains "$text" "usage: newsdesk" "help $cmd prints a usage line"
done
check_contains "$("$ND" help search)" "--limit" "help search explains --limit"
check_contains "$("$ND" help search)" "--json" "help search explains --json"
check_contains "$("$ND" help tag)" "--query" "help tag explains --query"
check_contains "$("$ND" help tag)" "--force" "help tag explains --force"
for opt in --encoding --lang --strict; do
    check_contains "$("$ND" help ingest)" "$opt" "help ingest explains $opt"
done
check_contains "$("$ND" help map)" "--keep-going" "help map explains --keep-going"
check_contains "$("$ND" help repl)" "NEWSDESK_HISTORY" "help repl names the history file"
check_contains "$("$ND" map --help)" "map(article)" "map --help prints the map help"
err=$("$ND" help nosuch 2>&1); rc=$?
check_eq "$rc" 2 "help of an unknown command is a usage error"
check_contains "$err" "no command 'nosuch'" "help names the unknown command"

# the man page documents every option --help lists
man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' bindings/newsdesk.1)
for opt in $(echo "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u) -e -q; do
    check_contains "$man" "$opt" "the man page documents $opt"
done
for cmd in run repl ingest search tag map help version NEWSDESK_DB NEWSDESK_HISTORY; do
    check_contains "$man" "$cmd" "the man page documents $cmd"
done
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww -z bindings/newsdesk.1 2>&1)
    check_eq "$warn" "" "the man page renders without groff warnings"
else
    skip "groff is not installed"
fi

# ---- usage errors: exit 2 ------------------------------------------------------
err=$("$ND" --bogus 2>&1); rc=$?
check_eq "$rc" 2 "unknown option exits 2"
check_contains "$err" "unknown option '--bogus'" "unknown option is named"
err=$("$ND" frobnicate 2>&1); rc=$?
check_eq "$rc" 2 "unknown command exits 2"
check_contains "$err" "unknown command 'frobnicate'" "unknown command is named"
err=$("$ND" run 2>&1); rc=$?
check_eq "$rc" 2 "run without a script exits 2"
check_contains "$err" "needs a script" "run without a script says what is missing"
err=$("$ND" search 2>&1); rc=$?
check_eq "$rc" 2 "search without a query exits 2"
err=$("$ND" ingest 2>&1); rc=$?
check_eq "$rc" 2 "ingest without a path exits 2"
err=$("$ND" tag 2>&1); rc=$?
check_eq "$rc" 2 "tag without rules exits 2"
err=$("$ND" -e 2>&1); rc=$?
check_eq "$rc" 2 "-e without code exits 2"
check_contains "$err" "option '-e' needs an argument" "-e without code is explained"
err=$("$ND" --db 2>&1); rc=$?
check_eq "$rc" 2 "--db without a path exits 2"
err=$("$ND" --memory-limit lots -e '' 2>&1); rc=$?
check_eq "$rc" 2 "--memory-limit with a non-number exits 2"
check_contains "$err" "wants a non-negative number" "a bad number is explained"
err=$("$ND" search --frob x 2>&1); rc=$?
check_eq "$rc" 2 "unknown option after a command exits 2"
err=$("$ND" repl extra 2>&1 </dev/null); rc=$?
check_eq "$rc" 2 "repl with an operand exits 2"

# ---- -e and scripts ------------------------------------------------------------
check_eq "$("$ND" -e 'print(1 + 1)')" "2" "-e runs code"
check_eq "$("$ND" -e 'x = 20' -e 'print(x + 1)')" "21" "several -e run in order"
check_eq "$("$ND" -e '')" "" "-e '' prints nothing"
check_eq "$("$ND" -e 'print(type(newsdesk))')" "table" "the global newsdesk is the module"
check_eq "$("$ND" -e 'print(package.loaded.newsdesk == newsdesk)')" "true" "newsdesk is already in package.loaded"

cat >"$TMP/args.lua" <<'EOF'
print(arg[0], arg[1], arg[2], #arg, select("#", ...), ...)
EOF
check_eq "$("$ND" run "$TMP/args.lua" a "b c")" "$TMP/args.lua	a	b c	2	2	a	b c" \
    "run passes arg[0], arg[1..] and ... as lua5.4 does"
check_eq "$("$ND" "$TMP/args.lua" x)" "$TMP/args.lua	x	nil	1	1	x" "SCRIPT.lua form runs the script"
printf 'local n = select("#", ...) print(n, #arg, arg[n], (select(n, ...)))\n' >"$TMP/many.lua"
check_eq "$("$ND" "$TMP/many.lua" $(seq 1 200) 2>&1)" "200	200	200	200" \
    "a script gets 200 arguments in ... and arg (90 once overflowed the Lua stack and crashed)"
check_eq "$("$ND" --sandbox run "$TMP/many.lua" $(seq 1 300) 2>&1)" "300	300	300	300" \
    "and 300 in the sandbox"
check_eq "$("$ND" run "$TMP/args.lua" --db x)" "$TMP/args.lua	--db	x	2	2	--db	x" \
    "options after the script belong to the script"
check_eq "$("$ND" -e 'print(arg[-1] ~= nil)' run "$TMP/args.lua" | head -1)" "true" \
    "-e before a script sees the script's arg table"
check_eq "$(echo 'print("piped", 6 * 7)' | "$ND")" "piped	42" "no arguments and a pipe: stdin runs as a script"
check_eq "$(echo 'print(...)' | "$ND" run - p q)" "p	q" "run - reads the script from stdin"

cat >"$TMP/fail.lua" <<'EOF'
local function inner(x)
  error("cannot handle " .. x)
end
inner("this")
EOF
err=$("$ND" run "$TMP/fail.lua" 2>&1 >/dev/null); rc=$?
check_eq "$rc" 1 "a script error exits 1"
check_eq "$(echo "$err" | head -1)" "$TMP/fail.lua:2: cannot handle this" \
    "a script error starts with file:line: message"
check_contains "$err" "stack traceback:" "a script error prints a traceback"
check_contains "$err" "fail.lua:4: in main chunk" "the traceback names the calling line"

err=$("$ND" -e 'string.rep()' 2>&1); rc=$?
check_eq "$rc" 1 "an error in a C function exits 1"
check_contains "$err" "bad argument #1 to 'rep' (string expected, got no value)" \
    "an error in a C function names the function and the argument"
check_contains "$err" "(command line):1:" "-e errors name (command line) and the line"

printf 'local x = \nprint(x +)\n' >"$TMP/syntax.lua"
err=$("$ND" run "$TMP/syntax.lua" 2>&1); rc=$?
check_eq "$rc" 1 "a syntax error exits 1"
check_contains "$err" "$TMP/syntax.lua:2:" "a syntax error names file and line"
err=$("$ND" run "$TMP/missing.lua" 2>&1); rc=$?
check_eq "$rc" 1 "a missing script exits 1"
check_contains "$err" "cannot open $TMP/missing.lua" "a missing script is named"
err=$("$ND" -e 'error({})' 2>&1); rc=$?
check_eq "$rc" 1 "a non-string error object exits 1"
check_contains "$err" "error object is a table value" "a non-string error object is described"
"$ND" -e 'os.exit(3)'; rc=$?
check_eq "$rc" 3 "os.exit sets the exit status without --sandbox"

# ---- --sandbox and limits ------------------------------------------------------------
check_eq "$("$ND" --sandbox -e 'print(os.execute, io.popen, os.getenv, debug)')" "nil	nil	nil	nil" \
    "--sandbox removes os.execute, io.popen, os.getenv and debug"
check_eq "$("$ND" -e 'print(type(os.execute))')" "function" "without --sandbox the full library is there"
err=$("$ND" --sandbox -e 'os.exit(3)' 2>&1); rc=$?
check_eq "$rc" 1 "os.exit in the sandbox is a script error"
echo "secret" >"$TMP/data.txt"
err=$("$ND" --sandbox -e "assert(io.open('$TMP/data.txt'))" 2>&1); rc=$?
check_eq "$rc" 1 "--sandbox refuses to read a file outside --allow-read"
check_contains "$err" "not readable in the sandbox" "the refusal is explained"
check_eq "$("$ND" --sandbox --allow-read "$TMP" -e "print(io.open('$TMP/data.txt'):read('l'))")" "secret" \
    "--allow-read DIR lets the sandbox read below DIR"
err=$("$ND" --sandbox --allow-read "$TMP/none" -e '' 2>&1); rc=$?
check_eq "$rc" 1 "--allow-read of a missing directory fails"
check_contains "$err" "$TMP/none" "the missing directory is named"
err=$("$ND" --sandbox --memory-limit 8 -e 'local t = {} for i = 1, 1e8 do t[i] = i end' 2>&1); rc=$?
check_eq "$rc" 1 "--memory-limit stops a script that allocates without bound"
check_contains "$err" "memory limit of 8" "the memory limit error names the limit"
err=$("$ND" --time-limit 0.3 -e 'while true do end' 2>&1); rc=$?
check_eq "$rc" 1 "--time-limit stops an endless loop"
check_contains "$err" "(command line):1: time limit of 0.3 s exceeded" "the time limit error names limit and location"
err=$("$ND" --budget 5000 -e 'for i = 1, 1e7 do end' 2>&1); rc=$?
check_eq "$rc" 1 "--budget stops a long loop"
check_contains "$err" "instruction budget of 5000 exceeded" "the budget error names the budget"
echo 'print("sandboxed script", type(io.popen))' >"$TMP/sb.lua"
check_eq "$("$ND" --sandbox run "$TMP/sb.lua")" "sandboxed script	nil" "--sandbox applies to run SCRIPT"

# ---- the store is opened lazily ---------------------------------------------------
mkdir "$TMP/cwd"
(cd "$TMP/cwd" && unset NEWSDESK_DB && "$ND" -e 'print("no store needed")' >/dev/null)
check "a script that never touches db creates no ./newsdesk.db" test ! -e "$TMP/cwd/newsdesk.db"
(cd "$TMP/cwd" && "$ND" --quiet -e '' && "$ND" -q -e '')
check_eq "$?" 0 "--quiet and -q are accepted"
check "--quiet creates no store either" test ! -e "$TMP/cwd/newsdesk.db"

done_testing
