-- newsdesk.args — the small command-line parser of the analyst scripts.
--
--   local args = require "newsdesk.args"
--   local o = args.parse(arg, {
--     usage = "newsdesk run scripts/reports/top_entities.lua [options]",
--     about = "Most mentioned entities.",
--     { "since", "date", help = "first day (2024-11-01)" },
--     { "limit", "number", default = 20, help = "rows to show" },
--     { "rules", "list", help = "rules file (repeatable)" },
--     { "csv", "flag", help = "write CSV" },
--   })
--   if not o then return end          -- --help was printed
--
-- "--name value", "--name=value", "--flag", "--no-flag"; a dash in a name
-- is an underscore in the result (--no-dups → o.no_dups).  Kinds: string,
-- number, date (ISO day or a Turkish numeric date), flag, list (repeatable;
-- comma-separated values split too); `check = fn` on an option refuses a
-- value when fn(value) returns nil, message.  Arguments that are not options go to
-- o[1], o[2], ...  Errors name the option ("option --x: ...").  Given the
-- script's own `arg` (the one with arg[0]) where os.exit exists, as under
-- `newsdesk run`, a bad option is a usage error: "script.lua: message" on
-- standard error and exit status 2, no traceback, as command-line programs
-- do; given any other list, parse raises the message.
local M = {}

local KINDS = { string = true, number = true, date = true, flag = true, list = true }

local function key_of(name) return (name:gsub("%-", "_")) end

-- The usage text of a spec.
function M.usage(spec)
  local lines = {}
  if spec.usage then lines[#lines + 1] = "usage: " .. spec.usage end
  if spec.about then lines[#lines + 1] = spec.about end
  lines[#lines + 1] = "options:"
  local w = 0
  local heads = {}
  for i, o in ipairs(spec) do
    local head = "--" .. o[1]
    if o[2] ~= "flag" then head = head .. " " .. (o.meta or o[2]:upper()) end
    heads[i] = head
    w = math.max(w, #head)
  end
  heads[#heads + 1] = "--help"
  w = math.max(w, 6)
  for i, o in ipairs(spec) do
    local h = o.help or ""
    if o.default ~= nil and o[2] ~= "flag" then h = h .. " (default " .. tostring(o.default) .. ")" end
    lines[#lines + 1] = "  " .. heads[i] .. string.rep(" ", w - #heads[i] + 2) .. h
  end
  lines[#lines + 1] = "  --help" .. string.rep(" ", w - 6 + 2) .. "show this text"
  return table.concat(lines, "\n") .. "\n"
end

local function check_date(name, v)
  local y, m, d = v:match("^(%d%d%d%d)-(%d%d?)-(%d%d?)$")
  if not y then
    d, m, y = v:match("^(%d%d?)%.(%d%d?)%.(%d%d%d%d)$")
  end
  if not y then
    error(string.format("option --%s: date like 2024-11-04 expected, got %q", name, v), 0)
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local mdays = { 31, (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28,
                  31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if m < 1 or m > 12 or d < 1 or d > mdays[m] then
    error(string.format("option --%s: no such day %q", name, v), 0)
  end
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- Parse argv (a list of strings, e.g. the script's `arg`) by spec.
-- → options table, or nil after printing the usage for --help (to out,
-- default io.stdout).  A bad option: see the top of this file.
function M.parse(argv, spec, out)
  local ok, o = pcall(M.parse_list, argv, spec, out)
  if ok then return o end
  local cli = type(argv) == "table" and type(argv[0]) == "string" and type(os) == "table" and os.exit
  if type(o) == "string" and o:match("^args%.parse: bad spec") then error(o, 2) end   -- the script's own mistake
  if not cli or type(o) ~= "string" then error(o, 0) end
  io.stderr:write(argv[0], ": ", o, "\n")
  os.exit(2, true)
end

-- parse without the usage-error exit: raises on a bad option.
function M.parse_list(argv, spec, out)
  local byname, o, given = {}, {}, {}
  for i, opt in ipairs(spec) do
    if type(opt[1]) ~= "string" or not KINDS[opt[2]] then
      error(string.format("args.parse: bad spec entry #%d (want {name, kind}, kind one of " ..
            "string, number, date, flag, list)", i), 0)
    end
    byname[opt[1]] = opt
    if opt[2] == "list" then
      o[key_of(opt[1])] = opt.default and { table.unpack(opt.default) } or nil
    else
      o[key_of(opt[1])] = opt.default
    end
  end
  local i, n = 1, #(argv or {})
  while i <= n do
    local a = argv[i]
    if a == "--help" or a == "-h" then
      (out or io.output()):write(M.usage(spec))
      return nil
    elseif a == "--" then
      for j = i + 1, n do o[#o + 1] = argv[j] end
      break
    elseif a:sub(1, 2) == "--" then
      local name, value = a:match("^%-%-([^=]+)=(.*)$")
      name = name or a:sub(3)
      local opt = byname[name]
      local negated = false
      if not opt and name:sub(1, 3) == "no-" and byname[name:sub(4)] and byname[name:sub(4)][2] == "flag" then
        opt, negated = byname[name:sub(4)], true
      end
      if not opt then
        error(string.format("unknown option --%s (--help lists the options)", name), 0)
      end
      local kind = opt[2]
      if kind == "flag" then
        if value then error(string.format("option --%s takes no value", name), 0) end
        o[key_of(opt[1])] = not negated
      else
        if not value then
          i = i + 1
          value = argv[i]
          if value == nil then error(string.format("option --%s needs a value", name), 0) end
        end
        local k = key_of(opt[1])
        if kind == "number" then
          local v = tonumber(value)
          if not v then error(string.format("option --%s: number expected, got %q", name, value), 0) end
          o[k] = v
        elseif kind == "date" then
          o[k] = check_date(name, value)
        elseif kind == "list" then
          if not given[k] then o[k] = {} end
          given[k] = true
          for part in value:gmatch("[^,]+") do o[k][#o[k] + 1] = part end
        else
          o[k] = value
        end
        -- opt.check(value) → true | nil, message: a value the kind allows but the option does not
        local good, why = true, nil
        if opt.check then good, why = opt.check(o[k]) end
        if not good then error(string.format("option --%s: %s", name, tostring(why)), 0) end
      end
    else
      o[#o + 1] = a
    end
    i = i + 1
  end
  for _, opt in ipairs(spec) do
    if opt.required and o[key_of(opt[1])] == nil then
      error(string.format("option --%s is required (--help lists the options)", opt[1]), 0)
    end
  end
  return o
end

return M
