-- Hostile rules files (tests/data/hostile/rules/): each is loaded by a child
-- `newsdesk run` under `timeout`, so a crash or a hang shows as a failed
-- check with its exit status instead of taking the suite down.  Expected:
-- a clear error naming the file (and line where there is one), or rules
-- that load and scan a long text in bounded time.
local T = dofile("tests/lua/harness.lua")
local ND = os.getenv("ND") or "build/newsdesk"
local D = "tests/data/hostile/rules/"

local child = os.tmpname()
do
  local f = assert(io.open(child, "w"))
  f:write([[
local R = require "newsdesk.rules"
local r, msg, code = R.load(arg[1])
if not r then print("ERR " .. tostring(code) .. " " .. tostring(msg)) return end
local n = 0
for _ in r:scan(string.rep("Ankara kelime söz ", 700) .. " 42 son") do n = n + 1 end
print("OK " .. n)
]])
  f:close()
end

-- Run the child on file; returns its first output line and exit status.
local function load_in_child(file)
  local out = os.tmpname()
  local cmd = string.format("timeout 60 %s run %s %s >%s 2>&1", ND, child, D .. file, out)
  local _, _, status = os.execute(cmd)
  local f = assert(io.open(out))
  local text = f:read("a")
  f:close()
  os.remove(out)
  return text:match("^[^\n]*"), status, text
end

-- known: a defect reported in /work/briefs/BUGS.md and not fixed yet; its
-- failure is reported as a TODO so the suite stays green meanwhile
-- (ND_HOSTILE_STRICT=1 makes it count).
local strict = os.getenv("ND_HOSTILE_STRICT") == "1"
local function expect(file, want, name, known)
  local line, status, text = load_in_child(file)
  local pass = status == 0 and line:find(want, 1, true) ~= nil
  if not pass and known and not strict then
    T.ok(true, name .. " (" .. file .. ") # TODO known defect, BUGS.md [R]")
  else
    T.ok(pass, name .. " (" .. file .. ")")
  end
  if not pass then
    print("#   exit status " .. tostring(status) .. (status == 124 and " (timed out)" or status == 139 and " (crashed)" or ""))
    print("#   output: " .. text:sub(1, 300):gsub("\n", "\n#   "))
    print("#   want:   " .. want)
  end
end

expect("syntax_late.lua", "ERR syntax " .. D .. "syntax_late.lua:7:", "a syntax error at the end names file and line")
expect("returns_string.lua", "must return a list of rules", "a file returning a string is refused")
expect("globals.lua", "globals.lua:1: attempt to index a nil value (global 'io')", "a rules file cannot reach io")
-- the line of a rule built outside the returned list is known now (it was "rule 1")
expect("selfref.lua", "selfref.lua:1: entity has no name", "a rule whose names field is itself")
expect("names_bad_utf8.lua", "names_bad_utf8.lua:2: empty name", "names made of invalid UTF-8 are refused")
expect("huge_repeat.lua", "huge_repeat.lua:2: pattern element 1: max must be", "an absurd repetition count is refused")
expect("gaz_broken.tsv", "gaz_broken.tsv:4:", "a gazetteer with a broken quote and binary bytes names the line")
expect("backtrack.lua", "OK 1", "a pattern of many optional elements scans 2100 words in bounded time")
expect("binary.lua", "ERR syntax", "a precompiled chunk is refused")
-- once defects (BUGS.md [R]), now regression checks
expect("binary.lua", "binary.lua", "... and the message names the file")
expect("self.lua", "ERR", "a rules file including itself fails instead of overflowing the C stack")
expect("ping_a.lua", "ERR", "two rules files including each other fail")
expect("loop.lua", "ERR syntax", "a rules file that never finishes is stopped with an error")
expect("loop.lua", "rules file runs too long", "... which says why")

os.remove(child)
T.done()
