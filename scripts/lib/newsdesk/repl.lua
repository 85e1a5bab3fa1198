-- newsdesk.repl: the Lua side of the interactive prompt (bindings/host/repl.c):
-- printing results, Tab completion and help().
--
-- The C side sets these fields before use:
--   M.modules      list of embedded module names ("newsdesk.report", ...)
--   M.metatables() table of the registry's named metatables {name = mt}
--   M.width        columns of the terminal, when it is one
local pretty = require "newsdesk.pretty"
local newsdesk = require "newsdesk"
-- package is hidden in the sandbox; the standard libraries are globals
local loaded = type(package) == "table" and package.loaded or {}

local M = { modules = {} }
local fallback, reference     -- the help data, defined with help() below

-- The metatable of v as the library set it: a protected metatable
-- (__metatable) still tells the prompt what v is.
local rawmeta = type(debug) == "table" and debug.getmetatable or getmetatable

M.preview_rows = 5

-- Whether v is an object of the library (its metatable named newsdesk.*).
local function newsdesk_object(v)
  local mt = type(v) == "userdata" and rawmeta(v)
  local name = type(mt) == "table" and rawget(mt, "__name")
  return type(name) == "string" and name:match("^newsdesk%.") ~= nil
end

-- The first rows of the iterator f, s, ctl (db:articles{...}, db:sql(...)),
-- formatted, and a last line saying whether more follow.  The iterator is
-- used up as far as it is read: an expression typed at the prompt is not
-- kept anywhere else.
local function preview(f, s, ctl, opts)
  local out, n = {}, 0
  local ok, err = pcall(function()
    while true do
      local row = f(s, ctl)
      if row == nil then return end
      ctl = row
      if n == M.preview_rows then
        out[#out + 1] = "… more: iterate with for, or add limit="
        return
      end
      n = n + 1
      out[#out + 1] = pretty.format(row, opts)
    end
  end)
  if not ok then out[#out + 1] = "error while iterating: " .. tostring(err) end
  if n == 0 and ok then out[#out + 1] = "(no rows)" end
  return table.concat(out, "\n")
end

-- Print the values of an expression typed at the prompt, M.width columns
-- wide (set by the C side from the terminal).  An iterator of the library
-- (a function with a newsdesk object as its state, as db:articles returns)
-- prints as a preview of its first rows.
function M.show(...)
  local opts = M.width and { width = M.width } or nil
  local f, s, ctl = ...
  if type(f) == "function" and newsdesk_object(s) then
    print(preview(f, s, ctl, opts))
    return
  end
  for i = 1, select("#", ...) do
    print(pretty.format((select(i, ...)), opts))
  end
end

-- ---- completion -------------------------------------------------------------

local keywords = { "and", "break", "do", "else", "elseif", "end", "false", "for",
  "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
  "then", "true", "until", "while" }

local function get(obj, k)
  local ok, v = pcall(function() return obj[k] end)
  if ok then return v end
end

local function add_name(names, k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then names[k] = true end
end

-- The fields of table t as a list of {k, v}: through pairs, so the
-- sandbox's read-only library tables (__pairs) list theirs; a __pairs that
-- fails gives what it listed so far.
local function fields(t)
  local list = {}
  pcall(function()
    for k, v in pairs(t) do list[#list + 1] = { k, v } end
  end)
  return list
end

-- Add the identifier keys of t to names: its own keys, those of its
-- __index tables, the fields its __pairs lists (an article's title, body,
-- ...), and for a newsdesk object the methods the reference documents for
-- its type (article:mentions, rules:scan, ...).
local function collect(t, names, seen)
  if seen[t] then return end
  seen[t] = true
  if type(t) == "table" then
    for _, kv in ipairs(fields(t)) do add_name(names, kv[1]) end
  end
  local mt = rawmeta(t)
  if type(mt) ~= "table" then return end
  local index = rawget(mt, "__index")
  if type(index) == "table" then collect(index, names, seen) end
  if type(t) ~= "table" and rawget(mt, "__pairs") then
    pcall(function() for k in pairs(t) do add_name(names, k) end end)
  end
  local tname = rawget(mt, "__name")
  local receiver = type(tname) == "string" and (reference().types or {})[tname]
  if receiver then
    for name in pairs(reference().docs or {}) do
      local method = name:match("^" .. receiver .. "[:%.]([%w_]+)$")
      if method then names[method] = true end
    end
  end
end

local function common_prefix(list)
  local p = list[1]
  for i = 2, #list do
    local s = list[i]
    local n = 0
    while n < #p and n < #s and p:byte(n + 1) == s:byte(n + 1) do n = n + 1 end
    p = p:sub(1, n)
  end
  return p
end

local function columns(list, width)
  local w = 0
  for _, s in ipairs(list) do w = math.max(w, #s) end
  w = w + 2
  local per = math.max(1, (width or 80) // w)
  local lines, line = {}, {}
  for i, s in ipairs(list) do
    line[#line + 1] = s .. string.rep(" ", w - #s)
    if #line == per or i == #list then
      lines[#lines + 1] = table.concat(line):gsub("%s+$", "")
      line = {}
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

-- Candidates for the name being typed at the end of `text`.
-- Returns the text to insert at the cursor ("" if none) and a listing of the
-- candidates ("" if none) for when nothing can be inserted.
function M.complete(env, text)
  local expr = text:match("[%w_%.:]*$")
  if expr == "" and (text == "" or text:match("%s$")) then return "  ", "" end
  if expr:match("^%d") then return "", "" end
  local path, sep, partial = expr:match("^(.*)([%.:])([%w_]*)$")
  if not path then path, sep, partial = "", "", expr end
  local names, obj = {}, env
  if path ~= "" then
    for name in path:gmatch("[^%.:]+") do
      if type(obj) ~= "table" and type(obj) ~= "userdata" and type(obj) ~= "string" then return "", "" end
      obj = get(obj, name)
    end
    if obj == nil then return "", "" end
    collect(obj, names, {})
    if obj == newsdesk then
      for _, m in ipairs(M.modules) do
        local sub = m:match("^newsdesk%.([%w_]+)$")
        if sub then names[sub] = true end
      end
    end
  else
    collect(env, names, {})
    if env ~= _G then collect(_G, names, {}) end   -- a sandbox env hides its __index
    local mt = getmetatable(env)
    if type(mt) == "table" and type(rawget(mt, "__index")) == "function" then names.db = true end
    for _, k in ipairs(keywords) do names[k] = true end
  end
  local list = {}
  for k in pairs(names) do
    if k:sub(1, #partial) == partial and (sep ~= ":" or type(get(obj, k)) == "function") then
      list[#list + 1] = k
    end
  end
  table.sort(list)
  if #list == 0 then return "", "" end
  if #list == 1 then
    local v = path ~= "" and get(obj, list[1]) or (list[1] ~= "db" and get(env, list[1]) or nil)
    return list[1]:sub(#partial + 1) .. (type(v) == "function" and "(" or ""), ""
  end
  local prefix = common_prefix(list)
  if #prefix > #partial then return prefix:sub(#partial + 1), "" end
  return "", columns(list)
end

-- ---- help -------------------------------------------------------------------

-- Used when the library has no "newsdesk.help" (the reference generated
-- from REFERENCE.md): the same shape, docs[name] = "signature -- what it
-- does", types[metatable name] = receiver, overview = text of help().
fallback = {
  overview = [[
newsdesk prompt: type a Lua statement or an expression to see its value.
  help(x)          the documentation of a newsdesk function, module or object:
                   help(newsdesk.text.lower), help(newsdesk.text), help(db),
                   help "db:search"
  newsdesk.<Tab>   the modules; db:<Tab> the store's methods; Tab completes
                   any global, field or method
  db               the store (--db PATH, $NEWSDESK_DB or ./newsdesk.db)
  Ctrl-C           stops a running statement; Ctrl-D leaves
Modules: newsdesk.text, newsdesk.dates, newsdesk.lang, newsdesk.rules,
newsdesk.pretty and the store functions newsdesk.open, db:..., article:...]],

  types = {
    ["newsdesk.store"] = "db",
    ["newsdesk.article"] = "article",
    ["newsdesk.rules"] = "rules",
  },

  docs = {
    ["newsdesk"] = "newsdesk -- the module: version, open, text, dates, lang, rules, pretty, ...",
    ["newsdesk.version"] = "newsdesk.version -- the library version, \"MAJOR.MINOR.PATCH\"",

    -- text
    ["newsdesk.text"] = "newsdesk.text -- UTF-8 checks, normalization, Turkish-aware case, folding, tokens, widths",
    ["newsdesk.text.valid"] = "newsdesk.text.valid(s) -> true | false, offset -- is s valid UTF-8 (offset of the first bad byte)",
    ["newsdesk.text.repair"] = "newsdesk.text.repair(s) -> string, n -- invalid UTF-8 replaced by U+FFFD (n replacements)",
    ["newsdesk.text.normalize"] = "newsdesk.text.normalize(s[, form]) -> string -- Unicode normalization, form \"NFC\" (default), \"NFD\", \"NFKC\", \"NFKD\"",
    ["newsdesk.text.lower"] = "newsdesk.text.lower(s[, lang]) -> string -- lower case; lang \"tr\"/\"az\" maps I to ı and İ to i",
    ["newsdesk.text.upper"] = "newsdesk.text.upper(s[, lang]) -> string -- upper case; lang \"tr\"/\"az\" maps i to İ and ı to I",
    ["newsdesk.text.fold"] = "newsdesk.text.fold(s[, opts]) -> string -- the match key: NFKC, case folded, marks stripped, quotes and dashes unified",
    ["newsdesk.text.tokens"] = "newsdesk.text.tokens(s) -> iterator -- words, numbers, URLs, e-mails with 1-based start/stop and apostrophe suffixes",
    ["newsdesk.text.len"] = "newsdesk.text.len(s) -> integer -- code points (an invalid byte counts as one)",
    ["newsdesk.text.graphemes"] = "newsdesk.text.graphemes(s) -> iterator -- user-perceived characters (extended grapheme clusters)",
    ["newsdesk.text.width"] = "newsdesk.text.width(s) -> integer -- terminal columns s takes (wide characters 2, marks 0)",
    ["newsdesk.text.sub"] = "newsdesk.text.sub(s, i[, j]) -> string -- like string.sub, counting characters instead of bytes",

    -- store
    ["newsdesk.open"] = "newsdesk.open([path][, {readonly=true}]) -> db | nil, message, code -- open or create an article store (in memory without path)",
    ["db:add"] = "db:add(article) -> id, status -- store an article table; exact duplicates are not stored again",
    ["db:get"] = "db:get(id) -> article | nil -- the article with that id",
    ["db:delete"] = "db:delete(id) -> boolean -- remove an article and its mentions",
    ["db:count"] = "db:count([query]) -> integer -- articles in the store (matching the full-text query)",
    ["db:transaction"] = "db:transaction(fn) -> ... -- run fn inside one transaction; rolled back if fn raises",
    ["db:articles"] = "db:articles([opts]) -> iterator -- every article, in id order",
    ["db:search"] = "db:search(query[, opts]) -> list -- full-text search (folded: case, Turkish I's and accents ignored)",
    ["db:sql"] = "db:sql(statement, ...) -> rows -- a read query with ? parameters; rows are tables",
    ["db:close"] = "db:close() -- close the store (also done when it is collected)",
    ["db:mentions"] = "db:mentions{type=, entity=, ...} -> rows -- mentions found by db:tag",
    ["db:ingest"] = "db:ingest(paths[, opts]) -> stats -- add the articles of files/directories (HTML dumps, CSV, JSON Lines); opts.progress",
    ["db:tag"] = "db:tag(rules[, query][, opts]) -> stats -- find mentions with a rule set and store them; opts.progress",
    ["article:mentions"] = "article:mentions() -> list -- the mentions stored for this article",

    -- dates and language
    ["newsdesk.dates"] = "newsdesk.dates -- publication dates in Turkish, English, German and Russian text",
    ["newsdesk.dates.parse"] = "newsdesk.dates.parse(s[, {lang=, ref=, day_first=}]) -> iso, parts | nil, message -- the first date in s",
    ["newsdesk.lang"] = "newsdesk.lang -- language identification",
    ["newsdesk.lang.detect"] = "newsdesk.lang.detect(s) -> code -- \"tr\", \"en\", \"de\", \"ru\", ... or \"und\"",

    -- rules
    ["newsdesk.rules"] = "newsdesk.rules -- entity rules matched on folded text, Turkish suffixes kept apart",
    ["newsdesk.rules.load"] = "newsdesk.rules.load(path_or_pack) -> rules | nil, message -- load a rule file or bundled pack",
    ["newsdesk.rules.new"] = "newsdesk.rules.new() -> rules -- an empty rule set",
    ["rules:add"] = "rules:add{type=, id=, names={...}} -- add a rule",
    ["rules:scan"] = "rules:scan(text_or_article) -> matches -- {type=, id=, text=, start=, stop=, suffix=, rule=, field=} each",
    ["rules:explain"] = "rules:explain(text) -> lines -- why each rule did or did not match",

    -- prompt helpers
    ["newsdesk.pretty"] = "newsdesk.pretty -- readable text for values (the prompt's printer)",
    ["newsdesk.pretty.format"] = "newsdesk.pretty.format(v[, {depth=, items=, width=}]) -> string -- nested tables, articles, aligned lists",
    ["newsdesk.pretty.print"] = "newsdesk.pretty.print(...) -- print each value formatted",
    ["newsdesk.repl"] = "newsdesk.repl -- the Lua side of the prompt: show, complete, help",
    ["newsdesk.repl.help"] = "help(x) -- the documentation line of a newsdesk function, a module's functions or an object's methods",
  },
}

-- The reference help() reads.
reference = function()
  local ok, data = pcall(require, "newsdesk.help")
  if ok and type(data) == "table" and type(data.docs) == "table" then return data end
  return fallback
end

local stdlib = { "string", "table", "math", "utf8", "os", "io", "coroutine", "debug", "package" }

-- The key under which table t holds the value f, or nil.
local function key_of(t, f)
  for k, v in pairs(t) do
    if v == f then return k end
  end
end

-- Name of the newsdesk (or standard) function f: "newsdesk.text.lower",
-- "db:search", "string.format", or nil.
local function name_of(f, data)
  local seen = {}
  local function walk(t, prefix, depth)
    if seen[t] or depth > 3 then return nil end
    seen[t] = true
    for _, kv in ipairs(fields(t)) do
      local k, v = kv[1], kv[2]
      if type(k) == "string" then
        if v == f then return prefix .. k end
        if type(v) == "table" then
          local found = walk(v, prefix .. k .. ".", depth + 1)
          if found then return found end
        end
      end
    end
  end
  local found = walk(newsdesk, "newsdesk.", 0)
  if found then return found end
  for name, mod in pairs(loaded) do
    local k = type(name) == "string" and name:match("^newsdesk%.") and type(mod) == "table" and key_of(mod, f)
    if k then return name .. "." .. k end
  end
  local mts = M.metatables and M.metatables() or {}
  for tname, receiver in pairs(data.types or {}) do
    local mt = mts[tname]
    local index = type(mt) == "table" and rawget(mt, "__index")
    for _, t in ipairs({ mt, type(index) == "table" and index or nil }) do
      local k = key_of(t, f)
      if k then return receiver .. ":" .. k end
    end
  end
  for _, lib in ipairs(stdlib) do
    local k = type(_G[lib]) == "table" and key_of(_G[lib], f)
    if k then return lib .. "." .. k end
  end
  return key_of(_G, f)
end

local function entries_under(data, prefix)
  local list = {}
  for name, line in pairs(data.docs or {}) do
    if name:sub(1, #prefix) == prefix and not name:sub(#prefix + 1):find("[%.:]") then
      list[#list + 1] = { name, line }
    end
  end
  table.sort(list, function(a, b) return a[1] < b[1] end)
  return list
end

-- The text help(x) prints for x, as a list of lines.
function M.help_lines(x)
  local data = reference()
  local docs = data.docs or {}
  local lines = {}
  local function out(s) lines[#lines + 1] = s end
  local function entries(prefix)
    for _, e in ipairs(entries_under(data, prefix)) do out(e[2]) end
  end
  if x == nil then
    for line in (data.overview or ""):gmatch("[^\n]+") do out(line) end
    return lines
  end
  local name
  if type(x) == "string" then
    name = x
    if not docs[name] and docs["newsdesk." .. name] then name = "newsdesk." .. name end
  elseif type(x) == "function" then
    name = name_of(x, data)
  elseif type(x) == "table" then
    if x == newsdesk then name = "newsdesk" end
    for k, v in pairs(loaded) do
      if v == x and type(k) == "string" and k:match("^newsdesk") then name = k end
    end
    for k, v in pairs(newsdesk) do if v == x then name = "newsdesk." .. k end end
  elseif type(x) == "userdata" then
    local mt = getmetatable(x)
    local tname = type(mt) == "table" and rawget(mt, "__name")
    name = tname and (data.types or {})[tname]
  end
  if not name then
    out("no help for " .. tostring(x) .. "; help() lists what there is")
    return lines
  end
  if docs[name] then out(docs[name]) end
  local before = #lines
  entries(name .. ".")
  entries(name .. ":")
  if #lines == 0 then
    local lib = name:match("^(%w+)%.") or name
    if type(_G[lib]) == "table" and lib ~= "newsdesk" or type(_G[name]) == "function" then
      out(name .. ": a standard Lua 5.4 function; see the Lua reference manual")
    else
      out("no help for " .. name .. "; help() lists what there is")
    end
  end
  return lines, before
end

-- help(x): print the documentation line of a newsdesk function (or a
-- name such as "db:search"), the functions of a module, the methods of an
-- object; help() prints an overview.
function M.help(x)
  for _, line in ipairs((M.help_lines(x))) do print(line) end
end

return M
