-- harness.lua: the tiny test harness of the Lua tests.
--   local T = dofile("tests/lua/harness.lua")
--   T.eq(got, want, "name"); T.ok(cond, "name"); T.raises(fn, "pattern", "name")
--   T.done()  -- at the end: exits non-zero if anything failed
-- Prints "ok N - name" / "not ok N - name" lines that tests/run.sh counts.
local T = { count = 0, failed = 0 }

local function show(v, depth)
  depth = depth or 0
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) ~= "table" or depth > 3 then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = "[" .. show(k) .. "]=" .. show(v[k], depth + 1)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end
T.show = show

local function deep_equal(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do if not deep_equal(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
T.deep_equal = deep_equal

local function where()
  local info = debug.getinfo(3, "Sl")
  return info.short_src .. ":" .. info.currentline
end

local function report(pass, name, detail, at)
  T.count = T.count + 1
  if not pass then T.failed = T.failed + 1 end
  print(string.format("%sok %d - %s", pass and "" or "not ", T.count, name or ""))
  if not pass then
    print("#   at " .. at)
    if detail then print("#   " .. detail:gsub("\n", "\n#   ")) end
  end
  return pass
end

function T.ok(cond, name)
  return report(not not cond, name, nil, where())
end

function T.eq(got, want, name)
  return report(deep_equal(got, want), name,
    "got:  " .. show(got) .. "\nwant: " .. show(want), where())
end

-- fn must raise an error whose message matches pattern (plain find).
function T.raises(fn, pattern, name)
  local okc, err = pcall(fn)
  local pass = not okc and (pattern == nil or tostring(err):find(pattern, 1, true) ~= nil)
  return report(pass, name,
    okc and "no error raised" or ("error was: " .. tostring(err)), where())
end

function T.done()
  print(string.format("# %d checks, %d failed", T.count, T.failed))
  os.exit(T.failed == 0 and 0 or 1)
end

return T
