-- eval_dates.lua — the share of a public date-parsing test set that
-- newsdesk.dates.parse reads right, on a dev half and a held-out half.
--
--   build/newsdesk run tests/eval/eval_dates.lua [tests/data/dates/dateparser_cases.tsv] [-v]
--
-- The set (language, kind, text, expected) is split by a hash of its text
-- (FNV-1a, even = held out) before anything is tuned; only the dev half may
-- guide changes.  A case is right when year, month, day, hour, minute and
-- second all agree (a missing time counts as 00:00:00).  The reference date
-- is the suite's own, 2012-11-13.  "abs" cases give a date in their text;
-- "rel" cases give only a weekday or a time, which newsdesk does not
-- resolve, and are counted apart.
local dates = require("newsdesk.dates")

local path, verbose = "tests/data/dates/dateparser_cases.tsv", false
for _, a in ipairs(arg or {}) do
  if a == "-v" then verbose = true else path = a end
end

local halves = dofile("tests/eval/split.lua")

-- "2014-06-10T14:52" → "2014-06-10T14:52:00"; nil stays nil
local function full(iso)
  if not iso then return nil end
  local d, t = iso:match("^(%d%d%d%d%-%d%d%-%d%d)T?([%d:]*)")
  if not d then return iso end
  t = (t ~= "" and t or "00:00") .. (#t <= 5 and ":00" or "")
  return d .. "T" .. t:sub(1, 8)
end

local count = {}     -- count[split][kind] = { right, total }
local f = assert(io.open(path, "rb"))
local n = 0
for line in f:lines() do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    n = n + 1
    local lang, kind, text, want = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    assert(lang, path .. ":" .. n .. ": four tab-separated fields expected")
    local split = halves.first(text) and "held-out" or "dev"
    local got = full((dates.parse(text, { ref = "2012-11-13" })))
    local right = got == want
    count[split] = count[split] or {}
    for _, k in ipairs({ kind, "all" }) do
      local c = count[split][k] or { 0, 0 }
      c[1], c[2] = c[1] + (right and 1 or 0), c[2] + 1
      count[split][k] = c
    end
    if verbose and not right then
      print(string.format("%-8s %-4s %-3s %-40s want %s got %s", split, lang, kind, text, want,
        tostring(got)))
    end
  end
end
f:close()
for _, split in ipairs({ "dev", "held-out" }) do
  for _, k in ipairs({ "abs", "rel", "all" }) do
    local c = count[split] and count[split][k]
    if c then
      print(string.format("%-8s %-3s %3d / %3d right  %5.1f%%", split, k, c[1], c[2], 100 * c[1] / c[2]))
    end
  end
end
