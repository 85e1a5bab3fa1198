# The interactive prompt, driven through a pseudo-terminal (tests/cli/ptydrive.py).
. tests/cli/lib.sh
case "$ND" in /*) ;; *) ND="$(pwd)/$ND" ;; esac
DRIVE="python3 tests/cli/ptydrive.py"
HOME=$TMP
NEWSDESK_HISTORY=$TMP/history
TERM=xterm
LANG=C.UTF-8
export HOME NEWSDESK_HISTORY TERM LANG
unset NEWSDESK_DB

if ! python3 -c 'import pty' 2>/dev/null; then
    skip "python3 with the pty module is needed to drive the prompt"
    done_testing
fi

# Each scenario waits for a prompt before typing, as a person would.
check "no arguments on a terminal starts the prompt; Ctrl-D leaves with status 0" $DRIVE "$ND" <<'EOF'
expect newsdesk 0\.\d+\.\d+ .*help\(\) for help
expect > $
sleep 0.2
send \x04
exit 0
EOF

check "expressions print their values without return or =" $DRIVE "$ND" repl <<'EOF'
expect > $
send 1 + 2\r
expect \n3\n
send "Ankara’da"\r
expect "Ankara’da"
send {a = 1, b = {c = "x", d = {e = {f = {}}}}}\r
expect \{a = 1, b = \{c = "x", d = \{e = \{…\}\}\}\}
send 1, nil, true\r
expect 1\nnil\ntrue
send =10 * 10\r
expect \n100\n
send x = 5\r
expect > $
send x\r
expect \n5\n
expect > $
send \x04
exit 0
EOF

check "tables are cut at the item limit" $DRIVE "$ND" repl <<'EOF'
expect > $
send t = {} for i = 1, 100 do t[i] = i end\r
expect > $
send t\r
expect 29,\n  30,\n  … 70 more\n\}
expect > $
send \x04
exit 0
EOF

check "lists of rows print as a table aligned by display width" $DRIVE "$ND" repl <<'EOF'
expect > $
send {{id = 1, name = "Çağrı Öztürk", x = "a"}, {id = 22, name = "日本語", x = "b"}, {id = 333, name = "Ali", x = "c"}}\r
expect id   name          x\n---  ------------  -\n  1  Çağrı Öztürk  a\n 22  日本語        b\n333  Ali           c
expect > $
send \x04
exit 0
EOF

check "a statement continues over lines while it is incomplete" $DRIVE "$ND" repl <<'EOF'
expect > $
send for i = 1, 3 do\r
expect >> $
send local sq = i * i\r
expect >> $
send print("sq", sq)\r
expect >> $
send end\r
expect sq\t1\nsq\t4\nsq\t9
expect > $
send s = [[first\r
expect >> $
send second]]\r
expect > $
send s\r
expect "first\\nsecond"
expect > $
send \x04
exit 0
EOF

check "errors print file:line and the prompt goes on" $DRIVE "$ND" repl <<'EOF'
expect > $
send nosuch.field\r
expect stdin:1: attempt to index a nil value \(global 'nosuch'\)
expect > $
send local = 1\r
expect stdin:1: .*near '='
expect > $
send string.rep()\r
expect bad argument #1 to 'rep'
expect > $
send print("still here")\r
expect still here
expect > $
send \x04
exit 0
EOF

check "Tab completes globals, module functions, fields and methods" $DRIVE "$ND" repl <<'EOF'
expect > $
sleep 0.2
send string.fo\t
expect string\.format\($
send "%d|", 7)\r
expect "7\|"
expect > $
sleep 0.2
send newsdesk.pre\t
expect newsdesk\.pretty
send \r
expect > $
sleep 0.2
send s = "abc"\r
expect > $
sleep 0.2
send s:upp\t
expect s:upper\($
send )\r
expect "ABC"
expect > $
sleep 0.2
send obj = setmetatable({}, {__index = {frobnicate = function() return 42 end}})\r
expect > $
sleep 0.2
send obj:frob\t
expect obj:frobnicate\($
send )\r
expect \n42\n
expect > $
sleep 0.2
send myverylongglobal = 1\r
expect > $
sleep 0.2
send myvery\t
expect myverylongglobal$
send \r
expect \n1\n
expect > $
send \x04
exit 0
EOF

check "two Tabs list the candidates" $DRIVE "$ND" repl <<'EOF'
expect > $
sleep 0.2
send string.\t
sleep 0.3
send \t
expect byte.*format.*gmatch
send \x15
sleep 0.2
send \x04
exit 0
EOF

check "help() and help(x) show documentation lines" $DRIVE "$ND" repl <<'EOF'
expect > $
send help()\r
expect help\(x\)
expect > $
send help(newsdesk.text.lower)\r
expect newsdesk\.text\.lower\(s.*\n.*> $
send help("db:search")\r
expect db:search\(query.*(?i:full-text)
expect > $
send help(newsdesk.text)\r
expect newsdesk\.text\.fold\(s(.*\n)*newsdesk\.text\.lower\(s
expect > $
send help(string.format)\r
expect string\.format: a standard Lua 5\.4 function
expect > $
send help(42)\r
expect no help for 42
expect > $
send \x04
exit 0
EOF

check "help() speaks to the analyst, not to the project's developers" $DRIVE "$ND" repl <<'EOF'
expect > $
send help()\r
expect help\(x\)
reject test_reference|Entry format
expect > $
send \x04
exit 0
EOF

# a store with articles for the object scenarios
REPLDB=$TMP/repl.db
$ND -e "local db = newsdesk.open('$REPLDB')
for i = 1, 8 do db:add{ title = 'Başlık ' .. i, body = 'Kuzey Kore haberi ' .. i, date = '2024-11-0' .. i } end
db:close()" >/dev/null 2>&1

check "Tab completes an article's fields and methods, and a hit's article" $DRIVE "$ND" --db "$REPLDB" repl <<'EOF'
expect > $
send a = db:get(1)\r
expect > $
sleep 0.2
send a.tit\t
expect a\.title$
send \r
expect Başlık 1
expect > $
sleep 0.2
send a:ment\t
expect a:mentions\($
send \x15
sleep 0.2
send h = db:search("kore")[1]\r
expect > $
sleep 0.2
send h.article.bo\t
expect h\.article\.body$
send \r
expect Kuzey Kore haberi
expect > $
send \x04
exit 0
EOF

check "an iterator prints a preview of its first rows" $DRIVE "$ND" --db "$REPLDB" repl <<'EOF'
expect > $
send db:articles{limit = 3}\r
expect Başlık 1(.*\n)*.*Başlık 2(.*\n)*.*Başlık 3
reject newsdesk\.cursor
expect > $
send db:articles()\r
expect Başlık 5(.*\n)*.*more
expect > $
send \x04
exit 0
EOF

check "Ctrl-C stops a running statement and returns to the prompt" $DRIVE "$ND" repl <<'EOF'
expect > $
send while true do end\r
sleep 0.5
send \x03
expect interrupted
expect > $
send print("alive after Ctrl-C")\r
expect alive after Ctrl-C
expect > $
send n = 0; for i = 1, 1e12 do n = n + 1 end\r
sleep 0.3
send \x03
expect interrupted
expect > $
send n > 0\r
expect true
expect > $
send \x04
exit 0
EOF

# The program runs unlimited Lua without a count hook (it interrupts from
# its signal handler only); Ctrl-C must still reach a loop in a coroutine.
check "Ctrl-C stops a loop inside a coroutine (wrap and resume)" $DRIVE "$ND" repl <<'EOF'
expect > $
send f = coroutine.wrap(function() while true do end end); f()\r
sleep 0.5
send \x03
expect interrupted
expect > $
send co = coroutine.create(function() local x = 0 while true do x = x + 1 end end); print(coroutine.resume(co))\r
sleep 0.5
send \x03
expect interrupted
expect > $
send print("alive after the coroutines")\r
expect alive after the coroutines
expect > $
send \x04
exit 0
EOF

check "Ctrl-C at the prompt discards the line" $DRIVE "$ND" repl <<'EOF'
expect > $
sleep 0.2
send print("never run")
sleep 0.2
send \x03
expect > $
sleep 0.2
send print("fresh line")\r
expect fresh line
reject never run
expect > $
send \x04
exit 0
EOF

rm -f "$NEWSDESK_HISTORY"
$DRIVE "$ND" repl >/dev/null <<'EOF'
expect > $
send remembered_value = 4242\r
expect > $
send for i = 1, 2 do\r
expect >> $
send end\r
expect > $
sleep 0.2
send \x04
exit 0
EOF
check "the history file is written" test -s "$NEWSDESK_HISTORY"
check_contains "$(cat "$NEWSDESK_HISTORY" 2>/dev/null)" "remembered_value" "the history file holds the entered line"
check "history is read back: Up recalls the last session's line" $DRIVE "$ND" repl <<'EOF'
expect > $
sleep 0.2
send \x1b[A\x1b[A\r
expect > $
send remembered_value\r
expect \n4242\n
expect > $
send \x04
exit 0
EOF
rm -f "$TMP/.newsdesk_history"
env -u NEWSDESK_HISTORY $DRIVE "$ND" repl >/dev/null <<'EOF'
expect > $
send home_default = 1\r
expect > $
sleep 0.2
send \x04
exit 0
EOF
check "without NEWSDESK_HISTORY the history goes to \$HOME/.newsdesk_history" test -s "$TMP/.newsdesk_history"

check "the prompt works inside --sandbox: values, help, completion" $DRIVE "$ND" --sandbox repl <<'EOF'
expect > $
send x = 41\r
expect > $
send x + 1\r
expect \n42\n
send io.popen\r
expect \nnil\n
send help(newsdesk.text.lower)\r
expect newsdesk\.text\.lower\(s
send newsdesk.text.up\t
expect newsdesk\.text\.upper\($
send "istanbul", "tr")\r
expect "İSTANBUL"
send newsd\t
expect newsdesk$
send .version\r
expect "0\.
expect > $
send \x04
exit 0
EOF

check "-e CODE runs before the prompt starts" $DRIVE "$ND" -e 'preset = "from -e"' repl <<'EOF'
expect > $
send preset\r
expect "from -e"
expect > $
send \x04
exit 0
EOF

check "--quiet starts the prompt without a banner" $DRIVE "$ND" --quiet repl <<'EOF'
reject newsdesk 0\.
expect > $
sleep 0.2
send \x04
exit 0
EOF

out=$(printf 'x = 6\nx * 7\nfor i = 1, 2 do\nprint(i)\nend\n' | "$ND" repl 2>&1); rc=$?
check_eq "$rc" 0 "repl with a pipe on stdin reads to the end and exits 0"
check_contains "$out" "42" "repl on a pipe prints expression values"
check_contains "$out" "1
2" "repl on a pipe handles multi-line statements"

done_testing
