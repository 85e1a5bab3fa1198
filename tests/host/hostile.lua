-- hostile.lua: functions a careless or hostile script might offer a host.
-- The host calls each one and must survive, with a clear message.
function spin(a) while true do end end
function hog(a) local t = {} for i = 1, 1e9 do t[i] = (a.title .. i):rep(8192) end end
function bomb(a) return string.rep(a.body, 1 << 40) end
function shell(a) return os.execute("echo pwned") end
function peek(a) return assert(io.open("/etc/passwd")):read("a") end
function swallow(a) for i = 1, 10 do pcall(function() while true do end end) end return true end
function flood(a) while true do print(a.title) end end
function crash(a) return a.missing.field end
function deep(a) local function f(n) return f(n + 1) + 1 end return f(1) end
function binary(a) return assert(load("\27Lua", "x", "b")) end
function gazetteer(a)
  local R = newsdesk.rules.new()
  for i = 1, 100000 do R:add { type = "PERSON", fuzzy = 1, name = ("Kişi%08d Soyadı %s"):format(i, a.title) } end
  return true
end
