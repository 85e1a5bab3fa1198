-- newsdesk.filters — article filters an analyst composes: date window,
-- source, language, full-text query, has-entity, hide near-duplicates, and
-- all/any/not.  A filter is a callable object: f(article) → true or false.
-- It works on store articles (db:articles()) and on plain tables such as
-- the ones `newsdesk map` hands to map(article).
--
--   local F = require "newsdesk.filters"
--   local f = F.since("2024-11-10") & F.lang("tr", "en") & ~F.source("AA")
--   for a in F.articles(db, f) do print(a.title) end       -- pushes what it can into SQL
--   if f(article) then ... end                              -- any article table
--   local g = F.any{ F.entity("kim_jong_un"), F.match('"kuzey kore"') }
local M = {}

local text = require("newsdesk.text")
local json = require("newsdesk.json")
local store = require("newsdesk.store")

-- The match key (the text layer's fold: case, diacritics, Turkish I's,
-- apostrophes, dashes and spaces), as search and rules use it.
local function fold(s)
  if s == nil then return "" end
  return (text.fold(tostring(s)))
end
M.fold = fold

-- ---- filter objects -------------------------------------------------------

local Filter = {}
Filter.__index = Filter
Filter.__name = "newsdesk.filter"

-- make(test, describe[, query]) → filter.  query: the part of the filter
-- the store can do itself (fields of db:articles's q); nil when none.
local function make(test, desc, query)
  return setmetatable({ test = test, desc = desc, query = query }, Filter)
end

function Filter:__call(a) return self.test(a) and true or false end
function Filter:__tostring() return "filter: " .. self.desc end

local function is_filter(v) return getmetatable(v) == Filter end
M.is_filter = is_filter

local function check_filter(v, fname, i)
  if is_filter(v) then return v end
  if type(v) == "function" then return make(v, "function") end
  error(string.format("bad argument #%d to '%s' (filter expected, got %s)", i, fname, type(v)), 3)
end

-- The other names of the fields in JSON Lines and CSV input (what
-- `newsdesk map` hands to map() as it was read): the one table ingest
-- reads them by (core/jsonl.c), names[1] the field's own name, the others
-- lowercase and preferred first; a key matches ignoring ASCII case.
local NAMES = require("newsdesk.ingest").fields
local RANK = {}   -- lowercase other name -> { field, rank }
for k, names in pairs(NAMES) do
  for i = 2, #names do RANK[names[i]] = { k, i } end
end

-- Read a field of an article whether it is a table or a store object,
-- trying the field's other names (in any case) when it is absent.
local function field(a, k)
  local v = a[k]
  local names = NAMES[k]
  if v == nil and names then
    for i = 2, #names do
      v = a[names[i]]
      if v ~= nil then break end
    end
    if v == nil and type(a) == "table" then   -- "pubDate", "Headline"
      local best
      for key, val in next, a do
        local r = type(key) == "string" and RANK[key:lower()]
        if r and r[1] == k and (not best or r[2] < best) then v, best = val, r[2] end
      end
    end
  end
  if v == false then return nil end
  return v
end
M.field = field

-- A list of strings from (s1, s2, ...) or ({s1, s2}); empty raises.
local function strings(fname, ...)
  local list = select("#", ...) == 1 and type((...)) == "table" and (...) or { ... }
  if #list == 0 then error("bad argument #1 to '" .. fname .. "' (string expected, got no value)", 3) end
  for i, v in ipairs(list) do
    if type(v) ~= "string" then
      error(string.format("bad argument #%d to '%s' (string expected, got %s)", i, fname, type(v)), 3)
    end
  end
  return list
end

-- ---- dates ----------------------------------------------------------------

-- "2024-11-04", "2024-11-04T23:58...", "04.11.2024" → "2024-11-04", or nil.
local function day_of(s)
  if type(s) ~= "string" then return nil end
  local y, m, d = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)")
  if y then return y .. "-" .. m .. "-" .. d end
  d, m, y = s:match("^(%d%d?)%.(%d%d?)%.(%d%d%d%d)")
  if d then return string.format("%04d-%02d-%02d", tonumber(y), tonumber(m), tonumber(d)) end
  if s:match("^%d%d%d%d%-%d%d$") then return s .. "-01" end
  return nil
end
M.day_of = day_of

local function check_day(fname, s)
  local day = day_of(s)
  if not day then
    error(string.format("bad argument #1 to '%s' (date like 2024-11-04 expected, got %s)",
      fname, type(s) == "string" and string.format("%q", s) or type(s)), 3)
  end
  return day
end

-- Articles dated on or after day (an ISO date).  Undated articles fail.
function M.since(day)
  day = check_day("since", day)
  return make(function(a)
    local d = day_of(field(a, "date"))
    return d ~= nil and d >= day
  end, "since " .. day, { since = day })
end

-- The day after an ISO day (the store is asked for a little more than
-- needed; the Lua test decides, so either inclusive reading works).
local function next_day(day)
  local y, m, d = day:match("^(%d+)-(%d+)-(%d+)$")
  local t = os.time({ year = tonumber(y), month = tonumber(m), day = tonumber(d) + 1, hour = 12 })
  return os.date("%Y-%m-%d", t)
end

-- Articles dated on or before day (inclusive).
M["until"] = function(day)
  day = check_day("until", day)
  return make(function(a)
    local d = day_of(field(a, "date"))
    return d ~= nil and d <= day
  end, "until " .. day, { ["until"] = next_day(day) })
end
M.before = M["until"]

-- Articles in [first, last] (inclusive days; either may be nil).
function M.between(first, last)
  local parts = {}
  if first then parts[#parts + 1] = M.since(first) end
  if last then parts[#parts + 1] = M["until"](last) end
  return M.all(parts)
end

-- ---- metadata -------------------------------------------------------------

local function one_of(fname, key, ...)
  local list = strings(fname, ...)
  local set = {}
  for _, v in ipairs(list) do set[fold(v)] = true end
  return make(function(a)
    local v = field(a, key)
    return v ~= nil and set[fold(v)] == true
  end, key .. " " .. table.concat(list, "|"),
  (key == "lang" and #list == 1 and list[1] == list[1]:lower()) and { lang = list[1] } or nil)
end

-- Articles from one of the sources named (compared folded: "aa" = "AA").
function M.source(...) return one_of("source", "source", ...) end

-- Articles in one of the languages ("tr", "en", ...).
function M.lang(...) return one_of("lang", "lang", ...) end

-- Articles that are not copies (exact or near) of an earlier one.  What it
-- can know depends on where the article comes from:
--  * store articles (db:articles, F.articles): the store linked every copy
--    to the first one at ingest (duplicate_of); those are dropped, and
--    F.articles asks the store for the originals only.
--  * plain tables (newsdesk map, JSON Lines): a table carries no such link
--    unless it has a duplicate_of field (an export of a store).  To drop
--    republished copies in a stream, run scripts/reducers/near_duplicates.lua
--    first and pass its output: F.no_duplicates{ list = "dups.jsonl" }
--    (a path of JSON Lines { id = ..., duplicate_of = ... }) or
--    F.no_duplicates{ ids = { id, ... } }; the article's `id` (else `url`)
--    is looked up.  Without a list a plain table without duplicate_of is
--    kept: nothing in one article says it is a copy of another.
local function listed_ids(opts)
  local set = {}
  for _, id in ipairs(opts.ids or {}) do set[tostring(id)] = true end
  if opts.list then
    local f, err = io.open(opts.list, "rb")
    if not f then error("no_duplicates: cannot read the list: " .. tostring(err), 3) end
    local n = 0
    for line in f:lines() do
      n = n + 1
      if line:find("%S") then
        local r = json.decode(line:match("^[^\t]*\t(.*)$") or line)
        if type(r) ~= "table" or r.id == nil then
          f:close()
          error(string.format("no_duplicates: %s:%d: expected a JSON object with an id", opts.list, n), 3)
        end
        set[tostring(r.id)] = true
      end
    end
    f:close()
  end
  return set
end

function M.no_duplicates(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(string.format("bad argument #1 to 'no_duplicates' (table expected, got %s)", type(opts)), 2)
  end
  local set = opts and listed_ids(opts)
  return make(function(a)
    local d = field(a, "duplicate_of")
    if d ~= nil and d ~= 0 then return false end
    if set then
      local id = field(a, "id")
      if id == nil then id = field(a, "url") end
      return id == nil or not set[tostring(id)]
    end
    return true
  end, set and "no near-duplicates (stored links and a list)" or "no near-duplicates", { duplicates = false })
end
M.unique = M.no_duplicates

-- ---- full-text query ------------------------------------------------------
-- The same query language as db:search, and the same message for a
-- malformed query.  On a store (db:articles, F.articles) the store runs it,
-- with inflected forms; on plain tables it is evaluated here on the folded
-- title and body, words as written: words (all must occur, as whole words;
-- an apostrophe suffix may follow), "quoted phrases", prefix*, OR between
-- terms, NOT or -word.

local function parse_query(q)
  local items, pos = {}, 1
  while true do
    local s = q:find("%S", pos)
    if not s then break end
    local c = q:sub(s, s)
    local tok, e
    if c == '"' then
      e = q:find('"', s + 1, true)
      if not e then error(string.format("unbalanced quote in query %q", q), 3) end
      tok = { phrase = q:sub(s + 1, e - 1) }
    elseif c == "(" or c == ")" then
      e = s
      tok = { skip = true }
    else
      e = (q:find("[%s\"()]", s) or #q + 1) - 1
      tok = { word = q:sub(s, e) }
    end
    pos = e + 1
    if not tok.skip then items[#items + 1] = tok end
  end
  -- terms in OR-groups: a list of groups each a list of alternatives
  local groups, negate, join = {}, false, false
  for _, it in ipairs(items) do
    local w = it.word
    if w == "AND" then -- implicit anyway
    elseif w == "OR" then join = true
    elseif w == "NOT" then negate = true
    else
      local term = it.phrase or w
      if w and w:sub(1, 1) == "-" and #w > 1 then negate = true; term = w:sub(2) end
      local prefix = term:sub(-1) == "*"
      if prefix then term = term:sub(1, -2) end
      term = fold(term):gsub("%-", " "):gsub("^%s+", ""):gsub("%s+$", ""):gsub("%s+", " ")
      if term ~= "" then
        local t = { text = term, prefix = prefix, negate = negate }
        if join and #groups > 0 then
          table.insert(groups[#groups], t)
        else
          groups[#groups + 1] = { t }
        end
      end
      negate, join = false, false
    end
  end
  if #groups == 0 then error(string.format("empty query %q", q), 3) end
  return groups
end

-- Is code point c part of a word?  ASCII letters and digits, and every
-- non-ASCII character outside the punctuation and symbol blocks.
local function word_cp(c)
  if not c then return false end
  if c < 0x80 then
    return (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
  end
  return not ((c >= 0xA0 and c <= 0xBF) or c == 0xD7 or c == 0xF7 or (c >= 0x2000 and c <= 0x2BFF)
              or (c >= 0x3000 and c <= 0x303F) or (c >= 0xFF00 and c <= 0xFF0F) or c == 0xFFFD)
end

-- Does a word character end just before byte i of s / start at byte i?
local function word_before(s, i)
  if i <= 1 then return false end
  local j = i - 1
  while j > 1 and j > i - 4 and (s:byte(j) & 0xC0) == 0x80 do j = j - 1 end
  local ok, c = pcall(utf8.codepoint, s, j)
  return ok and word_cp(c)
end
local function word_after(s, i)
  if i > #s then return false end
  local ok, c = pcall(utf8.codepoint, s, i)
  return ok and word_cp(c)
end
M.word_before, M.word_after = word_before, word_after

-- Does folded text f contain term t as whole words?
local function has_term(f, t)
  local init = 1
  while true do
    local s, e = f:find(t.text, init, true)
    if not s then return false end
    if not word_before(f, s) and (t.prefix or not word_after(f, e + 1)) then return true end
    init = s + 1
  end
end

-- The folded searchable text of an article: title and body.
local function searchable(a)
  -- hyphens join words the way spaces do ("Jong-un" = "jong un")
  return (fold((field(a, "title") or "") .. "\n" .. (field(a, "body") or "")):gsub("%-", " "))
end
M.searchable = searchable

-- Evaluate a parsed query on folded text.
local function query_matches(groups, f)
  for _, g in ipairs(groups) do
    local any = false
    for _, t in ipairs(g) do
      local hit = has_term(f, t)
      if t.negate then hit = not hit end
      if hit then any = true; break end
    end
    if not any then return false end
  end
  return true
end

-- Articles whose title or body matches the full-text query q.
function M.match(q)
  if type(q) ~= "string" then
    error("bad argument #1 to 'match' (string expected, got " .. type(q) .. ")", 2)
  end
  local ok, msg = store.check_query(q)
  if not ok then error(msg, 2) end
  local groups = parse_query(q)
  -- the store runs the query too when it is plain FTS5 syntax
  local pushable = not q:find("%f[%S]%-")
  return make(function(a) return query_matches(groups, searchable(a)) end,
    "match " .. q, pushable and { match = q } or nil)
end
M.query = M.match

-- ---- entities -------------------------------------------------------------

-- The mentions of an article: a store article's :mentions(), a plain
-- table's .mentions list, or what rules find in its title and body.
local function mentions_of(a, rules)
  if type(a) == "table" and type(a.mentions) == "table" then return a.mentions end
  if rules then
    local list = {}
    for _, fname in ipairs({ "title", "body" }) do
      local s = field(a, fname)
      if s then
        for m in rules:scan(s) do
          m.field = m.field or fname
          list[#list + 1] = m
        end
      end
    end
    return list
  end
  -- a store article's :mentions(); its errors (a closed store, a broken
  -- database) are the caller's to see, not "no stored mentions"
  local method = a.mentions
  if type(method) == "function" then
    local ms = method(a)
    if type(ms) == "table" then return ms end
  end
  error("has-entity filter: the article has no stored mentions and no rules were given " ..
        "(pass {rules=newsdesk.rules.load(...)} to check plain articles)", 3)
end
M.mentions_of = mentions_of

-- Articles mentioning an entity.  want: an id string, or {id=} / {type=}
-- (a list of ids or types allowed too); opts.rules: a rules object used
-- when the article is a plain table without .mentions; opts.min: at least
-- this many mentions (default 1).
function M.entity(want, opts)
  opts = opts or {}
  if type(want) == "string" then want = { id = want } end
  if type(want) ~= "table" or (want.id == nil and want.type == nil) then
    error("bad argument #1 to 'entity' (id string or {id=} or {type=} expected)", 2)
  end
  local function set(v)
    if v == nil then return nil end
    local s = {}
    for _, x in ipairs(type(v) == "table" and v or { v }) do s[x] = true end
    return s
  end
  local ids, types = set(want.id), set(want.type)
  local min = opts.min or 1
  local desc = "entity " .. (want.id and table.concat(type(want.id) == "table" and want.id or { want.id }, "|")
                              or "of type " .. table.concat(type(want.type) == "table" and want.type or { want.type }, "|"))
  return make(function(a)
    local n = 0
    for _, m in ipairs(mentions_of(a, opts.rules)) do
      if (not ids or ids[m.id or m.entity]) and (not types or types[m.type]) then
        n = n + 1
        if n >= min then return true end
      end
    end
    return false
  end, desc)
end

-- Articles mentioning any entity of the given type ("PERSON", ...).
function M.entity_type(ty, opts)
  return M.entity({ type = ty }, opts)
end

-- ---- composition ----------------------------------------------------------

-- Merge the store-side queries of an all{} list: later keys don't
-- override earlier different ones (that part is then checked in Lua only).
local function merge_queries(list)
  local q, any = {}, false
  for _, f in ipairs(list) do
    if f.query then
      for k, v in pairs(f.query) do
        if q[k] == nil then q[k] = v; any = true
        elseif k == "since" and v > q[k] then q[k] = v
        elseif k == "until" and v < q[k] then q[k] = v
        elseif k == "match" then q[k] = "(" .. q[k] .. ") (" .. v .. ")"
        end
      end
    end
  end
  return any and q or nil
end

-- Every filter in list must pass (an empty list passes everything).
-- The filters of an all{}/any{} list and their descriptions.
local function filter_list(list, fname)
  if type(list) ~= "table" or is_filter(list) then
    error("bad argument #1 to '" .. fname .. "' (list of filters expected)", 3)
  end
  local fs, descs = {}, {}
  for i, f in ipairs(list) do
    fs[i] = check_filter(f, fname, i)
    descs[i] = fs[i].desc
  end
  return fs, descs
end

function M.all(list)
  local fs, descs = filter_list(list, "all")
  return make(function(a)
    for i = 1, #fs do if not fs[i].test(a) then return false end end
    return true
  end, #fs == 0 and "everything" or "(" .. table.concat(descs, " and ") .. ")", merge_queries(fs))
end
M["and"] = M.all

-- At least one filter in list must pass.
function M.any(list)
  local fs, descs = filter_list(list, "any")
  return make(function(a)
    for i = 1, #fs do if fs[i].test(a) then return true end end
    return false
  end, "(" .. table.concat(descs, " or ") .. ")")
end
M["or"] = M.any

-- The opposite of f.
function M.negate(f)
  f = check_filter(f, "not", 1)
  return make(function(a) return not f.test(a) end, "not " .. f.desc)
end
M["not"] = M.negate

-- Everything (a neutral start for building filters in a loop).
function M.everything() return M.all({}) end

-- f & g, f | g, ~f
Filter.__band = function(f, g) return M.all({ f, g }) end
Filter.__bor = function(f, g) return M.any({ f, g }) end
Filter.__bnot = function(f) return M.negate(f) end

-- ---- applying -------------------------------------------------------------

-- Iterate the store articles that pass f, letting the store do what it can
-- (dates, one source, one language, the query, near-duplicates).
-- q: extra db:articles options (order, limit applies after filtering).
function M.articles(db, f, q)
  if type(db) ~= "userdata" and type(db) ~= "table" then
    error("bad argument #1 to 'articles' (store expected, got " .. type(db) .. ")", 2)
  end
  f = f and check_filter(f, "articles", 2) or M.everything()
  local query = {}
  for k, v in pairs(f.query or {}) do query[k] = v end
  local limit
  for k, v in pairs(q or {}) do
    if k == "limit" then limit = v else query[k] = v end
  end
  -- db:articles returns a generic-for triple (iterator, cursor, control)
  local step, cursor, ctl = db:articles(query)
  local n = 0
  return function()
    if limit and n >= limit then return nil end
    while true do
      local a = step(cursor, ctl)
      ctl = a
      if a == nil then return nil end
      if f.test(a) then n = n + 1; return a end
    end
  end
end

-- Keep the items of a list (plain tables or articles) that pass f.
function M.select(list, f)
  f = check_filter(f, "select", 2)
  local out = {}
  for _, a in ipairs(list) do if f.test(a) then out[#out + 1] = a end end
  return out
end

-- Build one filter from parsed command-line options (newsdesk.args):
-- since, until, source, lang, match, entity, type, no_dups; opts.rules for
-- has-entity on plain tables.  Returns M.everything() when none is set.
function M.from_options(o, rules)
  local parts = {}
  if o.since then parts[#parts + 1] = M.since(o.since) end
  if o["until"] then parts[#parts + 1] = M["until"](o["until"]) end
  if o.source then parts[#parts + 1] = M.source(o.source) end
  if o.lang then parts[#parts + 1] = M.lang(o.lang) end
  if o.match then parts[#parts + 1] = M.match(o.match) end
  if o.entity then parts[#parts + 1] = M.entity(o.entity, { rules = rules }) end
  if o.type then parts[#parts + 1] = M.entity_type(o.type, { rules = rules }) end
  if o.no_dups then parts[#parts + 1] = M.no_duplicates() end
  return M.all(parts)
end

M.Filter = Filter

return M
