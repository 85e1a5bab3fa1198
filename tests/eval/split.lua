-- split.lua — the one rule that splits an evaluation set before anyone
-- looks at it: a line goes to the first part when the 32-bit FNV-1a hash of
-- its bytes is even, else to the second (what the parts are called is the
-- caller's).  Used by tests/eval/eval_dates.lua, tests/ner_eval.lua and
-- tests/search/quality.lua (tests/lang/lang_eval.c does the same in C).
--   local split = dofile("tests/eval/split.lua")
--   split.first(line)  --> true for the first part
local M = {}

-- FNV-1a, 32 bits, of the bytes of s.
function M.hash(s)
  local h = 2166136261
  for i = 1, #s do h = ((h ~ s:byte(i)) * 16777619) & 0xffffffff end
  return h
end

function M.first(line) return M.hash(line) % 2 == 0 end

return M
