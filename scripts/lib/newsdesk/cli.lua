-- newsdesk.cli: the ingest, search and tag commands of the newsdesk program.
-- bindings/host/main.c calls M[command](o) and exits with the number returned.
--   o.args      the operands (paths, query words, rule files)
--   o.db_path   the store
--   o.progress  a progress-bar function (absent with --quiet)
--   o.limit, o.json, o.lang, o.exact, o.derive (search), o.query, o.force and o.discover (tag),
--   o.encoding, o.lang, o.strict, o.ref_date, o.threads (ingest), o.width (terminal columns)
--   o.clock     () -> monotonic seconds (from the C side)
local newsdesk = require "newsdesk"
local pretty = require "newsdesk.pretty"
local json = require "newsdesk.json"

local M = {}

local function fail(cmd, msg)
  io.stderr:write("newsdesk ", cmd, ": ", tostring(msg), "\n")
  return 1
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local function open(o, cmd, readonly)
  if type(newsdesk.open) ~= "function" then
    return nil, "this newsdesk has no store module"
  end
  if readonly and not exists(o.db_path) then
    return nil, "no store at " .. o.db_path .. " (use --db PATH, or newsdesk ingest first)"
  end
  local db, msg = newsdesk.open(o.db_path, readonly and { readonly = true } or nil)
  if not db then return nil, "cannot open store " .. o.db_path .. ": " .. tostring(msg) end
  return db
end

local function done_progress(o)
  if o.progress then o.progress() end
end

local stat_order = { "files", "articles", "added", "duplicates", "near_duplicates", "repaired",
                     "rejected", "tagged", "skipped", "mentions", "bytes" }

-- Print the numbers of a stats table, known ones first, aligned.
local function print_stats(stats, extra)
  local lines, seen = {}, {}
  local function add(k, v)
    seen[k] = true
    if k == "bytes" then
      lines[#lines + 1] = { "read", v >= 1e6 and string.format("%.1f MB", v / 1e6)
                                    or string.format("%.1f KB", v / 1e3) }
    else
      lines[#lines + 1] = { (k:gsub("_", " ")), tostring(v) }
    end
  end
  for _, k in ipairs(stat_order) do
    if type(stats[k]) == "number" then add(k, stats[k]) end
  end
  local rest = {}
  for k, v in pairs(stats) do
    if type(k) == "string" and not seen[k] and type(v) == "number" then rest[#rest + 1] = k end
  end
  table.sort(rest)
  for _, k in ipairs(rest) do add(k, stats[k]) end
  for _, e in ipairs(extra or {}) do lines[#lines + 1] = e end
  local w1, w2 = 0, 0
  for _, l in ipairs(lines) do w1 = math.max(w1, #l[1]); w2 = math.max(w2, #l[2]) end
  for _, l in ipairs(lines) do
    print(l[1] .. string.rep(" ", w1 - #l[1] + 2 + w2 - #l[2]) .. l[2])
  end
end

local function error_text(e)
  if type(e) ~= "table" then return tostring(e) end
  local where = e.file or "?"
  if e.line then where = where .. ":" .. e.line end
  return where .. ": " .. tostring(e.message or e.msg or "error")
end

-- newsdesk ingest PATH...
function M.ingest(o)
  local db, msg = open(o, "ingest", false)
  if not db then return fail("ingest", msg) end
  local t0 = o.clock()
  local stats, err = db:ingest(o.args, { progress = o.progress, encoding = o.encoding,
                                         lang = o.lang, strict = o.strict,
                                         ref = o.ref_date, threads = o.threads })
  done_progress(o)
  if not stats then
    db:close()
    return fail("ingest", err)
  end
  print_stats(stats, { { "seconds", string.format("%.2f", o.clock() - t0) } })
  for _, e in ipairs(type(stats.skipped_files) == "table" and stats.skipped_files or {}) do
    io.stderr:write(error_text(e), "\n")
  end
  local errors = type(stats.errors) == "table" and stats.errors or {}
  for _, e in ipairs(errors) do io.stderr:write(error_text(e), "\n") end
  db:close()
  return #errors > 0 and 1 or 0
end

-- newsdesk merge OUT.db IN.db...
function M.merge(o)
  local out, inputs = o.args[1], { table.unpack(o.args, 2) }
  if #inputs == 0 then
    return fail("merge", "needs OUT.db and at least one IN.db (usage: newsdesk merge OUT.db IN.db...)")
  end
  for _, path in ipairs(inputs) do
    if not exists(path) then return fail("merge", path .. ": no such file") end
  end
  local db, msg = newsdesk.open(out)
  if not db then return fail("merge", "cannot open store " .. out .. ": " .. tostring(msg)) end
  local t0, total = o.clock(), {}
  for _, path in ipairs(inputs) do
    local stats, err = db:merge(path, { progress = o.progress })
    done_progress(o)
    if not stats then
      db:close()
      return fail("merge", err)
    end
    if #inputs > 1 then
      print(path)
      print_stats(stats)
    end
    for k, v in pairs(stats) do total[k] = (total[k] or 0) + v end
  end
  if #inputs > 1 then print("all") end
  print_stats(total, { { "seconds", string.format("%.2f", o.clock() - t0) } })
  db:close()
  return 0
end

-- The list of results of db:search, whatever shape it comes in.
local function collect(results)
  if type(results) == "function" then
    local list = {}
    for r in results do list[#list + 1] = r end
    return list
  end
  return results
end

local result_fields = { "id", "date", "lang", "source", "author", "url", "title" }

-- newsdesk search QUERY...
function M.search(o)
  local db, msg = open(o, "search", true)
  if not db then return fail("search", msg) end
  local query = table.concat(o.args, " ")
  local derive = ({ origin = true, none = false, all = "all" })[o.derive or "origin"]
  if derive == nil then
    db:close()
    return fail("search", "bad --derive '" .. o.derive .. "' (origin, none or all)")
  end
  local ok, results, err = pcall(db.search, db, query,
    { limit = o.limit, lang = o.lang, exact = o.exact or nil, derive = derive })
  if not ok or not results then
    db:close()
    return fail("search", ok and err or results)
  end
  results = collect(results)
  if o.json then
    for _, r in ipairs(results) do
      local a = r.article or r
      local rec = { score = r.score, snippet = r.snippet }
      for _, k in ipairs(result_fields) do
        local okf, v = pcall(function() return a[k] end)
        if okf and v ~= nil then rec[k] = v end
      end
      io.write(json.encode(rec, { repair = true }), "\n")
    end
  elseif #results == 0 then
    io.stderr:write("no articles match ", query, "\n")
  else
    local rows = {}
    for i, r in ipairs(results) do
      rows[i] = { article = r.article or r, snippet = r.snippet }
    end
    print(pretty.format(rows, { items = #rows, width = o.width }))
  end
  db:close()
  return 0
end

-- newsdesk tag RULES...: every RULES (file or pack:NAME) compiled into one
-- rule set, so the articles are tagged once with all of them.
function M.tag(o)
  local rules_mod = newsdesk.rules
  if type(rules_mod) ~= "table" or type(rules_mod.load) ~= "function" then
    return fail("tag", "this newsdesk has no rules module")
  end
  local rules, err = rules_mod.load(#o.args == 1 and o.args[1] or o.args)
  if not rules then return fail("tag", err) end
  local db, msg = open(o, "tag", false)
  if not db then return fail("tag", msg) end
  local ok, stats, terr = pcall(db.tag, db, rules, o.query, { progress = o.progress, force = o.force,
                                                                   discover = o.discover or nil })
  done_progress(o)
  db:close()
  if not ok or not stats then return fail("tag", ok and terr or stats) end
  print_stats(stats)
  return 0
end

return M
