-- REFERENCE.md cannot drift: every public Lua function (found by walking the
-- newsdesk module, its submodules, the embedded Lua modules and the object
-- metatables) is documented, every documented function exists, every entry
-- has a description and an example, and the C embedding API in
-- include/nd_runtime.h is covered.  help(x) reads the same text.
local T = dofile("tests/lua/harness.lua")
local nd = require("newsdesk")
local help = require("newsdesk.help")

local f = assert(io.open("REFERENCE.md", "rb"))
local md = f:read("a")
f:close()
T.eq(require("newsdesk.reference"), md, "the library embeds the current REFERENCE.md")

local documented = {}
for _, e in ipairs(help.entries) do documented[e.name] = e end

-- every entry: a description line and an example
local bare = {}
for _, e in ipairs(help.entries) do
  if not e.line or not e.example or e.example == "" then bare[#bare + 1] = e.name end
end
T.eq(bare, {}, "every entry has a one-line description and an example")

-- ---- what the library exposes -----------------------------------------------
local internal = {}
for _, name in ipairs(help.internal) do internal[name] = true end
local function is_internal(modname)
  if internal[modname] then return true end
  for pat in pairs(internal) do
    if pat:sub(-2) == ".*" and modname:sub(1, #pat - 1) == pat:sub(1, -2) then return true end
  end
  return false
end

local exposed = {}       -- name → true
local function walk_module(prefix, t)
  for k, v in pairs(t) do
    if type(k) == "string" and k:sub(1, 1) ~= "_" and type(v) == "function" then
      exposed[prefix .. "." .. k] = true
    end
  end
end
-- the top module and its C submodules
walk_module("newsdesk", nd)
for k, v in pairs(nd) do
  if type(v) == "table" and not is_internal("newsdesk." .. k) then walk_module("newsdesk." .. k, v) end
end
-- the embedded Lua modules under scripts/lib/newsdesk
local p = io.popen("ls scripts/lib/newsdesk/*.lua")
for path in p:lines() do
  local modname = "newsdesk." .. path:match("([%w_]+)%.lua$")
  if not is_internal(modname) then walk_module(modname, require(modname)) end
end
p:close()

-- object types: metatables from the registry (C) or the modules (Lua)
local function find_metatable(tname)
  local mt = debug.getregistry()[tname]
  if type(mt) == "table" then return mt end
  for _, mod in pairs(package.loaded) do
    if type(mod) == "table" then
      for _, v in pairs(mod) do
        if type(v) == "table" and rawget(v, "__name") == tname then return v end
      end
    end
  end
  return nil
end
local type_of_receiver, missing_types = {}, {}
for tname, recv in pairs(help.types) do
  local mt = find_metatable(tname)
  if mt then
    type_of_receiver[recv] = mt
    local methods = type(rawget(mt, "__index")) == "table" and rawget(mt, "__index") or mt
    for k, v in pairs(methods) do
      if type(k) == "string" and k:sub(1, 2) ~= "__" and type(v) == "function" and k:sub(1, 1):match("%l") then
        exposed[recv .. ":" .. k] = true
      end
    end
  else
    missing_types[#missing_types + 1] = tname
  end
end

-- objects whose methods hide behind an __index function: ask an instance
local instances = {}
if nd.open then
  local db = nd.open()
  instances.db = db
  local ok, id = pcall(function() return db:add({ title = "Fidan Ankara'da", body = "Lavrov da geldi.", lang = "tr" }) end)
  if ok and id then instances.article = db:get(id) end
end

-- ---- documented ⊇ exposed -------------------------------------------------
local undocumented = {}
for name in pairs(exposed) do
  if not documented[name] then undocumented[#undocumented + 1] = name end
end
table.sort(undocumented)
T.eq(undocumented, {}, "every public Lua function is documented in REFERENCE.md")

-- ---- exposed ⊇ documented -------------------------------------------------
local absent = {}
for _, e in ipairs(help.entries) do
  local name = e.name
  local recv, method = name:match("^([%w_]+):([%w_]+)$")
  if name:match("^nd_") or name:match("^luaopen_") then
    -- C: checked below
  elseif exposed[name] then
    -- fine
  elseif recv and instances[recv] and type(instances[recv][method]) == "function" then
    -- a method reached through an __index function
  else
    absent[#absent + 1] = name
  end
end
table.sort(absent)
T.eq(absent, {}, "every documented Lua function exists")
table.sort(missing_types)
T.eq(missing_types, {}, "every documented object type exists")

-- ---- the C embedding API ----------------------------------------------------
local headers = {}
local hp = io.popen("cat include/*.h bindings/lnd.h")
local all_h = hp:read("a")
hp:close()
local rh = assert(io.open("include/nd_runtime.h"))
local runtime_h = rh:read("a")
rh:close()
for fn in runtime_h:gmatch("[%w_%*%s]-%f[%w](nd_runtime_[%w_]+)%s*%(") do headers[fn] = true end
local c_undoc = {}
for fn in pairs(headers) do if not documented[fn] then c_undoc[#c_undoc + 1] = fn end end
table.sort(c_undoc)
T.eq(c_undoc, {}, "every function of include/nd_runtime.h is documented")
T.ok(documented.luaopen_newsdesk ~= nil, "luaopen_newsdesk is documented for hosts with their own lua_State")
local c_absent = {}
for _, e in ipairs(help.entries) do
  if e.name:match("^nd_") or e.name:match("^luaopen_") then
    if not all_h:find("%f[%w_]" .. e.name .. "%s*%(") then c_absent[#c_absent + 1] = e.name end
  end
end
T.eq(c_absent, {}, "every documented C function is declared in a header")

-- ---- help(x) uses the same text ---------------------------------------------
T.ok(help.docs["newsdesk.report.new"]:find("newsdesk.report.new(rows [, columns [, opts]]) → report — A report table", 1, true),
  "help.docs has the signature and the description line")
T.ok(help.examples["db:search"]:find("db:search", 1, true), "help.examples has the example")
T.eq(help.types["newsdesk.store"], "db", "help.types maps metatable names to receivers")
T.ok(help.text("report.sparkline"):find("example: print(newsdesk.report.sparkline", 1, true),
  "help.text finds a name without the newsdesk. prefix and shows the example")
T.ok(help.overview:find("Conventions", 1, true) and help.overview:find("newsdesk.report", 1, true),
  "help.overview introduces the reference and lists the modules")
T.eq(help.lookup("no.such.thing"), nil, "unknown names have no entry")

-- the examples are valid Lua (compiled, not run)
local bad = {}
for _, e in ipairs(help.entries) do
  if e.example and not (e.name:match("^nd_") or e.name:match("^luaopen_")) then
    local fn, err = load(e.example, "=" .. e.name, "t")
    if not fn then bad[#bad + 1] = e.name .. ": " .. err end
  end
end
T.eq(bad, {}, "every Lua example compiles")

T.done()
