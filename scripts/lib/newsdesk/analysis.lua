-- newsdesk.analysis — what the report scripts share: common options, opening
-- the store, loading an analyst's rules, collecting articles with their
-- mentions, and the counting behind each report (top entities,
-- co-occurrence, timelines, concordance, source comparison, new entities).
-- The counting functions take plain "records" so they work on any input:
--   record = { id=, date=, day="2024-11-04", source=, lang=, title=, body=,
--              duplicate_of=, mentions = { {id=, type=, text=, suffix=,
--              field="title"|"body", start=, stop=}, ... } }
--
--   local A = require "newsdesk.analysis"
--   local recs = A.collect(db, { since = "2024-11-01" })
--   local rows = A.top_entities(recs, { limit = 10 })
local F = require("newsdesk.filters")
local report = require("newsdesk.report")
local text = require("newsdesk.text")

local M = {}

-- ---- options shared by every report ---------------------------------------

M.common_options = {
  { "db", "string", meta = "PATH", help = "store to read (default: the program's db, else newsdesk.db)" },
  { "rules", "list", meta = "FILE", help = "your own rules file(s); mentions are found afresh with them" },
  { "discover", "flag", help = "with --rules: also find names nobody listed (newsdesk.rules.discover)" },
  { "discovered", "flag", default = true,
    help = "show names found by discovery (rule \"discover\"); --no-discovered hides them" },
  { "since", "date", help = "first day, e.g. 2024-11-01" },
  { "until", "date", help = "last day (inclusive)" },
  { "source", "list", help = "only these sources (repeatable)" },
  { "lang", "list", help = "only these languages, e.g. tr,en" },
  { "match", "string", meta = "QUERY", help = "only articles matching a full-text query" },
  { "entity", "string", meta = "ID", help = "only articles mentioning this entity id" },
  { "type", "string", help = "only entities of this type (PERSON, LOC, ORG, ...)" },
  { "dups", "flag", help = "count republished near-duplicates too" },
  { "label-lang", "string", meta = "LANG", help = "name entities in tr, en, de or ru (default: the corpus's main language)" },
  { "rules-set", "string", meta = "KEY", help = "only mentions stored by this rule set (a prefix of its key)" },
  { "date-format", "string", meta = "FORMAT", default = "day", check = function(v) return M.check_date_format(v) end,
    help = "dates as day (2024-11-09), minute (2024-11-09 18:20), iso (as stored) or a pattern like \"%d %b %Y\"" },
  { "limit", "number", default = 20, help = "rows to show" },
  { "format", "string", default = "text", help = "text, csv, json, md or html" },
  { "output", "string", meta = "FILE", help = "write there instead of the terminal (format from the extension)" },
}

-- spec = the report's own options followed by the common ones.
function M.options(spec)
  local all = { usage = spec.usage, about = spec.about }
  for _, o in ipairs(spec) do all[#all + 1] = o end
  for _, o in ipairs(M.common_options) do all[#all + 1] = o end
  return all
end

-- ---- store and rules ------------------------------------------------------

local function file_exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

-- The store to read: --db PATH, else the program's global db (the
-- program's own --db, $NEWSDESK_DB or ./newsdesk.db, opened on first use),
-- else ./newsdesk.db.  Raises a clear message when the file is missing.
function M.open(o)
  if not o.db then
    -- the program opens its store here; a store it cannot open (--db
    -- bad.db) is an error, never a quiet fall-back to ./newsdesk.db
    local g = _G.db
    if g then return g end
  end
  local path = o.db or "newsdesk.db"
  if not file_exists(path) then
    error(string.format("no store at %s (create one with: newsdesk ingest --db %s scripts/corpus)",
      path, path), 0)
  end
  local nd = require("newsdesk")
  local db, err = nd.open(path, { readonly = true })
  if not db then error(string.format("cannot open %s: %s", path, tostring(err)), 0) end
  return db
end

-- The analyst's rules (--rules FILE...), or nil to use stored mentions.
function M.load_rules(o)
  if not o.rules or #o.rules == 0 then return nil end
  local nd = require("newsdesk")
  local rules, err = nd.rules.load(#o.rules == 1 and o.rules[1] or o.rules)
  if not rules then error(tostring(err), 0) end
  return rules
end

-- ---- dates ----------------------------------------------------------------

-- ISO week "2024-W46" of a day "2024-11-12".
function M.week_of(day)
  local y, m, d = day:match("^(%d+)-(%d+)-(%d+)")
  if not y then return nil end
  local t = os.time({ year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 })
  return os.date("%G-W%V", t)
end

-- Every day from first to last (ISO strings), inclusive.
function M.days(first, last)
  local out = {}
  local y, m, d = first:match("^(%d+)-(%d+)-(%d+)")
  local t = os.time({ year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 })
  while true do
    local day = os.date("%Y-%m-%d", t)
    if day > last or #out > 3660 then break end
    out[#out + 1] = day
    t = t + 86400
  end
  return out
end

-- ---- displayed dates -----------------------------------------------------

local MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }
local MONTHS_LONG = { "January", "February", "March", "April", "May", "June", "July", "August",
                      "September", "October", "November", "December" }

-- The parts of a stored date "2024-11-09T18:20:00+03:00" (any prefix from
-- the day on): {Y=, m=, d=, H=, M=, S=, z=} as strings, missing parts nil.
local function date_parts(date)
  local s = tostring(date)
  local Y, m, d, rest = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)(.*)$")
  if not Y then return nil end
  local p = { Y = Y, m = m, d = d }
  local H, M_ = rest:match("^[T ](%d%d):(%d%d)")
  if H then
    p.H, p.M = H, M_
    p.S = rest:match("^[T ]%d%d:%d%d:(%d%d)")
    p.z = rest:match("([Zz])$") and "Z" or rest:match("([+-]%d%d:?%d%d)$")
  end
  return p
end

-- Directives of a --date-format pattern; a time part the date lacks shows
-- as dashes, so every row of a listing keeps one shape.
local DIRECTIVES = {
  Y = function(p) return p.Y end, y = function(p) return p.Y:sub(3) end,
  m = function(p) return p.m end, d = function(p) return p.d end,
  e = function(p) return string.format("%2d", tonumber(p.d)) end,
  b = function(p) return MONTHS[tonumber(p.m)] or p.m end,
  B = function(p) return MONTHS_LONG[tonumber(p.m)] or p.m end,
  H = function(p) return p.H or "--" end, M = function(p) return p.M or "--" end,
  S = function(p) return p.S or (p.H and "00") or "--" end,
  z = function(p) return p.z or "" end,
  ["%"] = function() return "%" end,
}

M.DATE_FORMATS = { day = "%Y-%m-%d", minute = "%Y-%m-%d %H:%M", iso = true }

-- true, or nil and a message when fmt is not a date format: "day", "iso",
-- "minute", or a pattern of the DIRECTIVES (%Y %y %m %d %e %b %B %H %M %S %z %%).
function M.check_date_format(fmt)
  if M.DATE_FORMATS[fmt] then return true end
  if type(fmt) ~= "string" or not fmt:find("%", 1, true) then
    return nil, string.format("day, iso, minute or a pattern such as \"%%d %%b %%Y\" expected, got %q", tostring(fmt))
  end
  for c in fmt:gmatch("%%(.?)") do
    if not DIRECTIVES[c] then
      return nil, string.format("unknown %%%s in %q (known: %%Y %%y %%m %%d %%e %%b %%B %%H %%M %%S %%z %%%%)", c, fmt)
    end
  end
  return true
end

-- A stored date as the listing shows it: fmt "day" (default: 2024-11-09),
-- "minute" (2024-11-09 18:20, the time as the source wrote it, in its own
-- zone; "--:--" when the source gave no time), "iso" (as stored), or a
-- strftime-like pattern ("%d %b %Y" → "09 Nov 2024").  A date that is not
-- ISO is shown as stored; nil → nil.
function M.format_date(date, fmt)
  if date == nil then return nil end
  fmt = fmt or "day"
  if fmt == "iso" then return tostring(date) end
  local p = date_parts(date)
  if not p then return tostring(date) end
  local pattern = M.DATE_FORMATS[fmt] or fmt
  local ok, why = M.check_date_format(fmt)
  if not ok then error(why, 2) end
  return (pattern:gsub("%%(.)", function(c) return DIRECTIVES[c](p) end))
end

-- ---- collecting -----------------------------------------------------------

-- Entity id of a mention (rules give id, the store may give entity).
local function mid(m) return m.id or m.entity end
M.mention_id = mid

local function normalize_mention(m, fieldname)
  return { id = mid(m), type = m.type, text = m.text, suffix = m.suffix,
           field = m.field or fieldname, start = m.start, stop = m.stop, rule = m.rule,
           ruleset = m.ruleset, labels = m.labels }
end

-- The stored mentions of article a with their rule set, through a
-- read-only statement (values bound).  nil when a is not a store article.
local function stored_mentions(a)
  local ok, store = pcall(function() return a.store end)
  local db = ok and store or M._db
  if not db or not db.sql or type(a.id) ~= "number" then return nil end
  local out = {}
  for row in db:sql("SELECT ruleset, field, type, entity, start, stop, text, suffix, rule FROM mentions " ..
                    "WHERE article_id = ? ORDER BY field, start", a.id) do
    out[#out + 1] = { ruleset = row.ruleset, field = row.field, type = row.type, id = row.entity,
                      start = row.start + 1, stop = row.stop, text = row.text, suffix = row.suffix, rule = row.rule }
  end
  return out
end

-- Mentions stored by several rule sets counted once: a mention of an
-- entity that overlaps one of the same entity in the same field, already
-- kept from another rule set, is dropped.  With only (a prefix of a rule
-- set key) the others are dropped instead.
function M.merge_rulesets(list, only)
  local out, kept = {}, {}
  for _, m in ipairs(list) do
    if not only or (m.ruleset and m.ruleset:sub(1, #only) == only) then
      local key = (m.field or "") .. "\0" .. tostring(m.id)
      local spans, dup = kept[key] or {}, false
      for _, k in ipairs(spans) do
        if k.ruleset ~= m.ruleset and m.start and k.start and m.start <= k.stop and k.start <= m.stop then
          dup = true
          break
        end
      end
      if not dup then
        spans[#spans + 1] = m
        kept[key] = spans
        out[#out + 1] = m
      end
    end
  end
  return out
end

-- Count stored mention m in seen (by rule set): its rule names and mentions.
local function note_ruleset(seen, m)
  if not m.ruleset then return end
  local s = seen[m.ruleset]
  if not s then
    s = { key = m.ruleset, rules = {}, names = {}, mentions = 0 }
    seen[m.ruleset] = s
  end
  s.mentions = s.mentions + 1
  local name = m.rule and m.rule:gsub(":%d+$", "") or "?"
  if not s.names[name] then s.names[name] = true; s.rules[#s.rules + 1] = name end
end

-- Mentions of article a: found by rules when given (with discover, also
-- the names discovery finds that overlap no rule mention), else the stored
-- ones (one per entity and span across rule sets; only = a rule set key
-- prefix).
local function mentions(a, rules, only, discover)
  local out = {}
  if rules then
    for _, fname in ipairs({ "title", "body" }) do
      local s = F.field(a, fname)
      if s and s ~= "" then
        local found = {}
        for m in rules:scan(s) do found[#found + 1] = m; out[#out + 1] = normalize_mention(m, fname) end
        local nd = discover and (rawget(_G, "newsdesk") or package.loaded["newsdesk"])
        if nd and nd.rules and nd.rules.discover then
          for _, m in ipairs(nd.rules.discover(s, { lang = F.field(a, "lang"), except = found })) do
            out[#out + 1] = normalize_mention(m, fname)
          end
        end
      end
    end
  else
    local list = stored_mentions(a)
    if not list then
      list = {}
      for _, m in ipairs(F.mentions_of(a) or {}) do list[#list + 1] = normalize_mention(m, "body") end
    end
    if M._seen then
      for _, m in ipairs(list) do
        if not only or (m.ruleset and m.ruleset:sub(1, #only) == only) then note_ruleset(M._seen, m) end
      end
    end
    out = M.merge_rulesets(list, only)
  end
  return out
end
M.mentions = mentions

-- One record from an article (store object or table); only and discover as
-- in mentions.
function M.record(a, rules, keep_text, only, discover)
  local date = F.field(a, "date")
  local r = {
    id = a.id, date = date, day = F.day_of(date), source = F.field(a, "source"), lang = F.field(a, "lang"),
    title = F.field(a, "title"), duplicate_of = a.duplicate_of, mentions = mentions(a, rules, only, discover),
  }
  if keep_text or rules then r.body = F.field(a, "body") end
  return r
end

-- The filter the common options describe (near-duplicates hidden unless
-- --dups).
function M.filter(o, rules)
  local opts = {}
  for k, v in pairs(o) do opts[k] = v end
  opts.no_dups = not o.dups
  opts.entity, opts.type = nil, nil   -- entity filters run on the records
  return F.from_options(opts, rules)
end

-- Records of the articles selected by the common options o.  The store's
-- mentions are used unless o.rules names rules files.  opts.text keeps
-- bodies (concordance).  → records, rules
-- recs.rulesets lists the rule sets whose stored mentions were read
-- ({key=, rules={names}, mentions=}); recs.label_lang is o["label-lang"]
-- (or o.label_lang), which M.labels uses.
function M.collect(db, o, opts)
  opts = opts or {}
  local rules = M.load_rules(o)
  local f = M.filter(o, rules)
  local only = o["rules-set"] or o.rules_set
  local recs = { label_lang = o["label-lang"] or o.label_lang }
  local prev, prev_seen, seen = M._db, M._seen, {}
  M._db, M._seen = db, seen
  local ok, err = pcall(function()
    for a in F.articles(db, f, { order = "date" }) do
      local r = M.record(a, rules, opts.text, only, o.discover)
      if M.keep_record(r, o) then recs[#recs + 1] = r end
    end
  end)
  M._db, M._seen = prev, prev_seen
  if not ok then error(err, 0) end
  if not rules then
    recs.rulesets = M.rulesets_of(seen)
    o.rulesets_read = recs.rulesets
    if only and #recs.rulesets == 0 and db.sql then
      error(string.format("no stored mentions from a rule set whose key starts with %q", only), 0)
    end
  end
  if #recs == 0 and db.count and db:count() == 0 then
    error("the store is empty: add articles first, e.g. newsdesk --db news.db ingest scripts/corpus", 0)
  end
  return recs, rules
end

-- --entity / --type / --no-discovered applied to a record: drop unwanted
-- mentions; drop the record when --entity is absent from it.
function M.keep_record(r, o)
  if o.discovered == false then
    local kept = {}
    for _, m in ipairs(r.mentions) do if m.rule ~= "discover" then kept[#kept + 1] = m end end
    r.mentions = kept
  end
  if o.type then
    local kept = {}
    for _, m in ipairs(r.mentions) do if m.type == o.type then kept[#kept + 1] = m end end
    r.mentions = kept
  end
  if o.entity then
    for _, m in ipairs(r.mentions) do if m.id == o.entity then return true end end
    return false
  end
  return true
end

-- Records from plain article tables (JSON Lines, tests): filtered by the
-- common options; mentions from rules or each table's .mentions.
function M.records_from(list, o, rules)
  o = o or {}
  local f = M.filter(o, rules)
  local recs = {}
  for _, a in ipairs(list) do
    if f(a) then
      local r = M.record(a, rules, true)
      if M.keep_record(r, o) then recs[#recs + 1] = r end
    end
  end
  return recs
end

-- ---- labels ---------------------------------------------------------------

local APOSTROPHES = { "'", "’", "ʼ", "‘", "`", "´" }

-- The apostrophe that starts s, or nil.
local function apostrophe_at(s, i)
  for _, a in ipairs(APOSTROPHES) do
    if s:sub(i, i + #a - 1) == a then return a end
  end
  return nil
end

-- "Kore’nin" → "Kore", "nin"; a word with no apostrophe suffix → word, nil.
local function split_suffix(t)
  for i = #t, 2, -1 do
    local a = apostrophe_at(t, i)
    if a then
      local suf = t:sub(i + #a)
      if suf ~= "" and not suf:find("[%s%p]") then return t:sub(1, i - 1), suf end
      return t, nil
    end
  end
  return t, nil
end
M.split_suffix = split_suffix

-- The surface form of a mention without its suffix ("Rusya'ya", "Rusyaya"
-- → "Rusya").
local function surface(m)
  local t = m.text or m.id or "?"
  local suf = m.suffix or ""
  if suf ~= "" and #t > #suf and t:sub(-#suf) == suf then
    local base = t:sub(1, -#suf - 1)
    for _, a in ipairs(APOSTROPHES) do
      if base:sub(-#a) == a then base = base:sub(1, -#a - 1) break end
    end
    return base
  end
  return (split_suffix(t))
end
M.surface = surface

-- The rule sets noted in seen, read before merging: {key=, rules={names},
-- mentions=}, most mentions first.
function M.rulesets_of(seen)
  local out = {}
  for _, s in pairs(seen) do
    table.sort(s.rules)
    out[#out + 1] = { key = s.key, rules = s.rules, mentions = s.mentions }
  end
  table.sort(out, function(a, b) if a.mentions ~= b.mentions then return a.mentions > b.mentions end return a.key < b.key end)
  return out
end

-- Every entity of the bundled packs (pack:world and the packs it names),
-- each once: fn(entity, type) for each {id=, names=, labels=, ...}, type
-- the entity's own or its group's.
local function each_pack_entity(fn)
  local done = {}
  local function walk(list)
    for _, item in ipairs(list) do
      if type(item) == "string" and item:match("^pack:") and not done[item] then
        done[item] = true
        local ok, pack = pcall(require, "newsdesk.rulepacks." .. item:sub(6))
        if ok and type(pack) == "table" then walk(pack) end
      elseif type(item) == "table" then
        for _, e in ipairs(item.entities or { item }) do
          if type(e) == "table" and e.id then fn(e, e.type or item.type) end
        end
      end
    end
  end
  walk({ "pack:world" })
end

-- Display names the bundled packs give their entities: id → {lang → label}.
local pack_labels
function M.pack_labels()
  if pack_labels then return pack_labels end
  pack_labels = {}
  each_pack_entity(function(e)
    if e.labels and not pack_labels[e.id] then pack_labels[e.id] = e.labels end
  end)
  return pack_labels
end

-- The id a name gets when no pack names it (newsdesk.rules.entity_id, the
-- C library's nd_rules_entity_id: the fold key of the base name), or nil.
local function name_key(name)
  local nd = rawget(_G, "newsdesk") or package.loaded["newsdesk"]
  if type(name) ~= "string" or not (nd and nd.rules and nd.rules.entity_id) then return nil end
  return (nd.rules.entity_id(name))
end
M.name_key = name_key

-- Which pack entity a name or id stands for: {names = key → pack id,
-- surnames = key → pack id of a PERSON}, where key is a pack id or the
-- name_key of one of the entity's names (nested lists of forms included)
-- or labels, and for people also of the last word of a name of several
-- words ("Фидан" for "Хакан Фидан").  A key two pack entities share is left
-- out (it names neither for sure).
local pack_index
function M.pack_index()
  if pack_index then return pack_index end
  local names, surnames, ids = {}, {}, {}
  local function put(idx, k, id)
    if not k then return end
    if idx[k] == nil then idx[k] = id elseif idx[k] ~= id then idx[k] = false end
  end
  each_pack_entity(function(e, etype)
    ids[e.id] = true
    local function add(name)
      if type(name) == "table" then
        for _, n in ipairs(name) do add(n) end
      elseif type(name) == "string" then
        put(names, name_key(name), e.id)
        local last = name:match("%s(%S+)$")
        if last and etype == "PERSON" then put(surnames, name_key(last), e.id) end
      end
    end
    add(e.names or e.name)
    for _, l in pairs(type(e.labels) == "table" and e.labels or {}) do add(l) end
  end)
  for _, idx in ipairs({ names, surnames }) do
    for k, v in pairs(idx) do if v == false then idx[k] = nil end end
  end
  for id in pairs(ids) do names[id] = id end
  pack_index = { names = names, surnames = surnames }
  return pack_index
end

-- The entity a mention stands for, whatever id its rule gave it: a pack id
-- stays; another id (an analyst's own, discovery's folded name) becomes
-- the pack entity one of whose names or labels is its written form or its
-- id, else (a PERSON) whose surname it is; else the id stays.
function M.entity_of(m)
  local idx = M.pack_index()
  local id = mid(m)
  if idx.names[id] == id then return id end
  local k1, k2 = name_key(surface(m)) or "", name_key(id) or ""
  local e = idx.names[k1] or idx.names[k2]
  if not e and m.type == "PERSON" then e = idx.surnames[k1] or idx.surnames[k2] end
  return e or id
end

-- The language most records are in.
function M.main_lang(recs)
  local n, best, bn = {}, nil, 0
  for _, r in ipairs(recs) do
    if r.lang then
      n[r.lang] = (n[r.lang] or 0) + 1
      if n[r.lang] > bn or (n[r.lang] == bn and r.lang < best) then best, bn = r.lang, n[r.lang] end
    end
  end
  return best
end

-- One label per entity id, in language lang (default recs.label_lang, else
-- the corpus's main language): the entity's own label in that language
-- (its `labels` in the rules or the bundled packs), else its most frequent
-- surface form in articles of that language, else its most frequent
-- surface form anywhere.
function M.labels(recs, lang)
  lang = lang or recs.label_lang or M.main_lang(recs)
  local packs = M.pack_labels()
  local counts, incl, own = {}, {}, {}
  for _, r in ipairs(recs) do
    for _, m in ipairs(r.mentions) do
      local c = counts[m.id] or {}
      counts[m.id] = c
      local s = surface(m)
      c[s] = (c[s] or 0) + 1
      if r.lang == lang then
        local l = incl[m.id] or {}
        incl[m.id] = l
        l[s] = (l[s] or 0) + 1
      end
      if type(m.labels) == "table" and m.labels[lang] then own[m.id] = m.labels[lang] end
    end
  end
  local function most(c, dflt)
    local best, bn = dflt, -1
    for s, n in pairs(c) do
      if n > bn or (n == bn and s < best) then best, bn = s, n end
    end
    return best
  end
  local labels = {}
  for id, c in pairs(counts) do
    local p = packs[id]
    labels[id] = own[id] or (p and lang and p[lang]) or (incl[id] and most(incl[id], id)) or most(c, id)
  end
  return labels
end

-- ---- counting helpers -----------------------------------------------------

local function sorted_desc(rows, key, tiebreak)
  table.sort(rows, function(a, b)
    if a[key] ~= b[key] then return a[key] > b[key] end
    return tostring(a[tiebreak]) < tostring(b[tiebreak])
  end)
  return rows
end

local function take(rows, limit)
  if not limit or #rows <= limit then return rows end
  local out = {}
  for i = 1, limit do out[i] = rows[i] end
  return out
end
M.take = take

-- ---- top entities ---------------------------------------------------------

-- Mentions and articles per entity, optionally per group (by = "type",
-- "source", "day", "week", "lang").  → rows {entity, label, type,
-- mentions, articles, found[, group]} best first (within each group when by
-- is set, groups in order), each group cut to limit.  found says what found
-- the entity (a discovered name counts for the pack entity it names,
-- M.entity_of: discovery's "Fidan" is the pack's hakan_fidan): "rules",
-- "discovery" (only name discovery, rule "discover")
-- or "rules+discovery".  opts.discovered = N keeps at least N entities
-- found only by discovery in the list (they take the last places), so a
-- table shows them beside the rules' entities.
function M.top_entities(recs, opts)
  opts = opts or {}
  local by = opts.by
  local labels = M.labels(recs)
  local packs, lang = M.pack_labels(), recs.label_lang or M.main_lang(recs)
  local stats, order = {}, {}
  for _, r in ipairs(recs) do
    local seen = {}
    for _, m in ipairs(r.mentions) do
      local g
      if by == "type" then g = m.type
      elseif by == "week" then g = r.day and M.week_of(r.day)
      elseif by then g = r[by] end
      g = g or "?"
      local e = m.rule == "discover" and M.entity_of(m) or m.id
      local key = (by and g .. "\0" or "") .. e
      local s = stats[key]
      if not s then
        local p = e ~= m.id and packs[e]
        s = { entity = e, label = labels[e] or (p and p[lang]) or labels[m.id], type = m.type, mentions = 0, articles = 0,
              group = by and g or nil }
        stats[key] = s
        order[#order + 1] = s
      end
      s.mentions = s.mentions + 1
      if m.rule == "discover" then s.by_discovery = true else s.by_rules = true end
      if not seen[key] then seen[key] = true; s.articles = s.articles + 1 end
    end
  end
  for _, s in ipairs(order) do
    s.found = s.by_rules and (s.by_discovery and "rules+discovery" or "rules") or "discovery"
    s.by_rules, s.by_discovery = nil, nil
  end
  local function cut(rows)
    rows = sorted_desc(rows, "mentions", "label")
    local want, limit = opts.discovered or 0, opts.limit
    if not limit or want <= 0 or #rows <= limit then return take(rows, limit) end
    local head, extra = {}, {}
    for i = 1, limit do
      head[i] = rows[i]
      if rows[i].found == "discovery" then want = want - 1 end
    end
    for i = limit + 1, #rows do
      if #extra >= want then break end
      if rows[i].found == "discovery" then extra[#extra + 1] = rows[i] end
    end
    for k = #extra, 1, -1 do          -- replace the last rule-found rows
      for i = #head, 1, -1 do
        if head[i].found ~= "discovery" then
          table.remove(head, i)
          break
        end
      end
      head[#head + 1] = extra[k]
    end
    return sorted_desc(head, "mentions", "label")
  end
  if not by then return cut(order) end
  local groups, gorder = {}, {}
  for _, s in ipairs(order) do
    if not groups[s.group] then groups[s.group] = {}; gorder[#gorder + 1] = s.group end
    table.insert(groups[s.group], s)
  end
  table.sort(gorder)
  local out = {}
  for _, g in ipairs(gorder) do
    for _, s in ipairs(cut(groups[g])) do
      out[#out + 1] = s
    end
  end
  return out
end

-- ---- sentences and co-occurrence ------------------------------------------

-- Sentence spans of s: list of {start, stop} (1-based inclusive bytes).
-- A sentence ends at . ! ? … (and closing quotes) before a space and a
-- capital/digit/quote, or at a line break.
function M.sentences(s)
  local out, start, i, n = {}, 1, 1, #s
  local function close(stop)
    local _, b = s:find("^%s*", start)
    local first = b + 1
    if first <= stop and s:sub(first, stop):find("%S") then
      local last = stop
      while last >= first and s:sub(last, last):find("%s") do last = last - 1 end
      out[#out + 1] = { first, last }
    end
    start = stop + 1
  end
  while i <= n do
    local c = s:byte(i)
    if c == 10 then
      close(i)
    elseif c == 46 or c == 33 or c == 63 or s:sub(i, i + 2) == "…" then
      local j = i + (c == 0xE2 and 3 or 1)
      -- closing quotes and brackets stay with the sentence
      while true do
        local q = s:sub(j, j + 2)
        if q == "”" or q == "’" or q == "»" then j = j + 3
        elseif s:sub(j, j):find("[\"')%]]") then j = j + 1
        elseif s:sub(j, j + 1) == "«" then j = j + 2
        else break end
      end
      local nxt = s:sub(j, j)
      if nxt == "" or nxt:find("%s") then
        local k = s:find("%S", j)
        local after = k and s:sub(k, k + 2) or ""
        -- initials and abbreviations like "U.S. President" stay in one sentence
        local word_before = (s:sub(math.max(1, i - 12), i - 1):match("(%S+)$") or ""):gsub("%.", "")
        local initial = c == 46 and #word_before <= 2 and word_before:match("^%u+$") ~= nil
        if not k or (not initial and (after:find("^[%u%d\"“‘«„]") or after:byte(1) >= 0xC3)) then
          close(j - 1)
          i = j - 1
        end
      end
    end
    i = i + 1
  end
  close(n)
  return out
end

-- Which sentence of spans holds byte pos (index) — binary search.
local function sentence_at(spans, pos)
  local lo, hi = 1, #spans
  while lo <= hi do
    local mid_ = (lo + hi) // 2
    local sp = spans[mid_]
    if pos < sp[1] then hi = mid_ - 1
    elseif pos > sp[2] then lo = mid_ + 1
    else return mid_ end
  end
  return nil
end

-- Pairs of entities appearing together.  scope "article" (default) or
-- "sentence" (needs record text and mention offsets).  → rows {a, b,
-- a_label, b_label, count} best first, cut to opts.limit; and a matrix
-- {labels=, ids=, counts=} of the opts.matrix (default 12) most connected.
function M.cooccurrence(recs, opts)
  opts = opts or {}
  local scope = opts.scope or "article"
  local labels = M.labels(recs)
  local pairs_, order = {}, {}
  local function add(x, y)
    if x == y then return end
    if x > y then x, y = y, x end
    local k = x .. "\0" .. y
    local p = pairs_[k]
    if not p then
      p = { a = x, b = y, a_label = labels[x], b_label = labels[y], count = 0 }
      pairs_[k] = p
      order[#order + 1] = p
    end
    p.count = p.count + 1
  end
  local function add_group(ids)
    local list = {}
    for id in pairs(ids) do list[#list + 1] = id end
    table.sort(list)
    for i = 1, #list do for j = i + 1, #list do add(list[i], list[j]) end end
  end
  for _, r in ipairs(recs) do
    if scope == "article" then
      local ids = {}
      for _, m in ipairs(r.mentions) do ids[m.id] = true end
      add_group(ids)
    else
      local groups = {}
      for _, fname in ipairs({ "title", "body" }) do
        local s = r[fname]
        if s then
          local spans = M.sentences(s)
          for _, m in ipairs(r.mentions) do
            if (m.field or "body") == fname and m.start then
              local k = sentence_at(spans, m.start)
              if k then
                local key = fname .. k
                groups[key] = groups[key] or {}
                groups[key][m.id] = true
              end
            end
          end
        end
      end
      for _, ids in pairs(groups) do add_group(ids) end
    end
  end
  table.sort(order, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    if x.a ~= y.a then return x.a < y.a end
    return x.b < y.b
  end)
  -- the matrix: entities in the strongest pairs
  local degree, ids = {}, {}
  for _, p in ipairs(order) do
    degree[p.a] = (degree[p.a] or 0) + p.count
    degree[p.b] = (degree[p.b] or 0) + p.count
  end
  for id in pairs(degree) do ids[#ids + 1] = id end
  table.sort(ids, function(x, y)
    if degree[x] ~= degree[y] then return degree[x] > degree[y] end
    return x < y
  end)
  ids = take(ids, opts.matrix or 12)
  local counts, mlabels = {}, {}
  for i, x in ipairs(ids) do
    mlabels[i] = labels[x] or x
    counts[i] = {}
    for j, y in ipairs(ids) do
      local a, b = x, y
      if a > b then a, b = b, a end
      local p = pairs_[a .. "\0" .. b]
      counts[i][j] = p and p.count or 0
    end
  end
  return take(order, opts.limit), { labels = mlabels, ids = ids, counts = counts }
end

-- ---- timeline -------------------------------------------------------------

-- Mentions per entity per day (interval "day") or ISO week ("week").
-- opts.entities: ids to show (default the opts.top, default 5, most
-- mentioned).  → series {{id=, name=, points={{x, n}, ...}}, ...} with
-- every interval from the first to the last present (zeros included), and
-- the list of intervals.
function M.timeline(recs, opts)
  opts = opts or {}
  local interval = opts.interval or "day"
  local labels = M.labels(recs)
  local ids = opts.entities
  if not ids then
    ids = {}
    for _, row in ipairs(M.top_entities(recs, { limit = opts.top or 5 })) do ids[#ids + 1] = row.entity end
  end
  local want = {}
  for _, id in ipairs(ids) do want[id] = {} end
  local first, last
  for _, r in ipairs(recs) do
    if r.day then
      if not first or r.day < first then first = r.day end
      if not last or r.day > last then last = r.day end
      local x = interval == "week" and M.week_of(r.day) or r.day
      for _, m in ipairs(r.mentions) do
        local c = want[m.id]
        if c then c[x] = (c[x] or 0) + 1 end
      end
    end
  end
  local xs = {}
  if first then
    if interval == "week" then
      local seen = {}
      for _, d in ipairs(M.days(first, last)) do
        local w = M.week_of(d)
        if not seen[w] then seen[w] = true; xs[#xs + 1] = w end
      end
    else
      xs = M.days(first, last)
    end
  end
  local series = {}
  for _, id in ipairs(ids) do
    local pts = {}
    for i, x in ipairs(xs) do pts[i] = { x, want[id][x] or 0 } end
    series[#series + 1] = { id = id, name = labels[id] or id, points = pts }
  end
  return series, xs
end

-- ---- concordance ----------------------------------------------------------

-- Byte ranges of whole-word hits of term in s: {{start, stop}, ...} into
-- the ORIGINAL s, matching folded (case, diacritics, I's, apostrophes).
-- A Turkish suffix after an apostrophe is included in the hit.
function M.find_term(s, term)
  local key = F.fold(term):gsub("%-", " ")
  if key == "" then return {} end
  local fs, map = text.fold(s, { offsets = true })
  fs = fs:gsub("%-", " ")    -- same length: offsets stay valid
  local hits, init = {}, 1
  while true do
    local a, b = fs:find(key, init, true)
    if not a then break end
    if not F.word_before(fs, a) and (not F.word_after(fs, b + 1) or term:sub(-1) == "*") then
      local os_, oe = map:original(a, b)
      -- an apostrophe suffix belongs to the hit
      local ap = apostrophe_at(s, oe + 1)
      local suf = ap and s:match("^[%a\128-\255]+", oe + 1 + #ap)
      -- letters only: stop at quotes, dashes and other punctuation (U+2000…, «»)
      suf = suf and suf:gsub("\226[\128\129].*", ""):gsub("\194[\171\187].*", "")
      if suf and suf ~= "" then oe = oe + #ap + #suf end
      hits[#hits + 1] = { os_, oe }
    end
    init = a + 1
  end
  return hits
end

-- A minimal stand-in for newsdesk.rules when it is not available: a
-- gazetteer (list of {id=, type=, names={...}}) whose :scan(s) yields
-- {id=, type=, text=, start=, stop=, suffix=, rule=} for whole-word folded
-- hits, the longest match winning where names overlap.
function M.gazetteer(entries)
  return { scan = function(_, s)
    local found = {}
    for _, e in ipairs(entries) do
      for _, name in ipairs(e.names or {}) do
        for _, h in ipairs(M.find_term(s, name)) do
          local written = s:sub(h[1], h[2])
          local _, suffix = split_suffix(written)
          found[#found + 1] = { id = e.id, type = e.type, text = written, start = h[1], stop = h[2],
                                suffix = suffix or "", rule = e.id }
        end
      end
    end
    table.sort(found, function(a, b)
      if a.start ~= b.start then return a.start < b.start end
      return a.stop > b.stop
    end)
    local kept, last = {}, 0
    for _, m in ipairs(found) do
      if m.start > last then kept[#kept + 1] = m; last = m.stop end
    end
    local i = 0
    return function() i = i + 1; return kept[i] end
  end }
end

-- Cut s to at most w columns, from the left (keep the end) or right.
local function clip(s, w, keep_end)
  s = s:gsub("%s+", " ")
  if report.width(s) <= w then return s end
  local chars = {}
  for _, c in utf8.codes(s, true) do chars[#chars + 1] = utf8.char(c) end
  local out, used = {}, 1
  if keep_end then
    for i = #chars, 1, -1 do
      local cw = report.width(chars[i])
      if used + cw > w then break end
      table.insert(out, 1, chars[i]); used = used + cw
    end
    return "…" .. table.concat(out)
  end
  for i = 1, #chars do
    local cw = report.width(chars[i])
    if used + cw > w then break end
    out[#out + 1] = chars[i]; used = used + cw
  end
  return table.concat(out) .. "…"
end

-- Keyword in context: every hit of term (or, with opts.entity, every
-- mention of that entity id) in the records' titles and bodies, with
-- opts.width (default 40) columns of original text either side; dates
-- as opts.date_format (M.format_date; default the day).
-- → rows {date, source, id, left, hit, right, field, start, stop}.
function M.concordance(recs, term, opts)
  opts = opts or {}
  local w = opts.width or 40
  local rows = {}
  for _, r in ipairs(recs) do
    for _, fname in ipairs({ "title", "body" }) do
      local s = r[fname]
      if s then
        local hits = {}
        if opts.entity then
          for _, m in ipairs(r.mentions) do
            if m.id == opts.entity and (m.field or "body") == fname and m.start then
              hits[#hits + 1] = { m.start, m.stop }
            end
          end
          table.sort(hits, function(x, y) return x[1] < y[1] end)
        else
          hits = M.find_term(s, term)
        end
        for _, h in ipairs(hits) do
          local left = s:sub(1, h[1] - 1):gsub("\n", " ")
          local right = s:sub(h[2] + 1):gsub("\n", " ")
          local date = opts.date_format and M.format_date(r.date, opts.date_format) or r.day
          rows[#rows + 1] = { date = date, source = r.source, id = r.id, field = fname,
                              left = clip(left, w, true), hit = s:sub(h[1], h[2]),
                              right = clip(right, w, false), start = h[1], stop = h[2] }
        end
      end
    end
  end
  return take(rows, opts.limit)
end

-- ---- sources --------------------------------------------------------------

-- Words that only say a source is an agency, dropped at the end of a name
-- (folded: case and diacritics already gone).
local AGENCY_WORDS = { "ajansi", "ajans", "agency", "agentur", "agence", "agencia", "agenzia",
                       "agentstvo", "агентство", "агенция", "агенцiя", "агенція" }

-- The key two spellings of one source share: folded (case, diacritics,
-- Turkish I's), punctuation as spaces, a leading "the" and one trailing
-- agency word dropped.  "Kuzey Postası Ajans", "KUZEY POSTASI" → "kuzey
-- postasi"; "The Meridian Wire" → "meridian wire".  nil for a missing or
-- blank name.
function M.source_key(name)
  if type(name) ~= "string" then return nil end
  local k = " " .. F.fold(name):gsub("[%p%c%s]+", " ") .. " "
  k = k:gsub("%s+", " ")
  for _, w in ipairs(AGENCY_WORDS) do
    local cut = k:gsub(" " .. w .. " $", " ")
    if cut ~= k and cut:find("%S") then k = cut break end
  end
  k = k:gsub("^ the ", " ")
  k = k:match("^%s*(.-)%s*$")
  if k == "" then return nil end
  return k
end

-- Alias entries {{"Name", "other spelling", ...}, ...} from the bundled
-- newsdesk.source_aliases and each file in files (Lua returning the same
-- shape; errors name the file).
function M.source_aliases(files)
  local out = {}
  local ok, bundled = pcall(require, "newsdesk.source_aliases")
  if ok and type(bundled) == "table" then for _, e in ipairs(bundled) do out[#out + 1] = e end end
  for _, path in ipairs(files or {}) do
    local chunk, err = loadfile(path, "t", {})
    if not chunk then error("aliases: " .. tostring(err), 0) end
    local good, list = pcall(chunk)
    if not good then error("aliases: " .. path .. ": " .. tostring(list), 0) end
    if type(list) ~= "table" then error("aliases: " .. path .. ": a list of name lists expected", 0) end
    for i, e in ipairs(list) do
      if type(e) ~= "table" or type(e[1]) ~= "string" then
        error(string.format("aliases: %s: entry %d: a list of names expected, e.g. { \"Anadolu Ajansı\", \"AA\" }", path, i), 0)
      end
      out[#out + 1] = e
    end
  end
  return out
end

-- A function name → display name for the sources of recs: spellings with
-- one M.source_key, or listed in one alias entry (opts.aliases: files
-- added to the bundled table; a later entry wins a shared key), show as
-- the spelling the records use most (on a tie, the one first in byte
-- order).  nil or a blank name → nil.
function M.source_names(recs, opts)
  opts = opts or {}
  local group = {}                          -- source key → group key
  for _, e in ipairs(M.source_aliases(opts.aliases)) do
    local g = M.source_key(e[1])
    for _, n in ipairs(e) do
      local k = M.source_key(n)
      if k and g then group[k] = g end
    end
  end
  local function gkey(name)
    local k = M.source_key(name)
    return k and (group[k] or k)
  end
  local n = {}
  for _, r in ipairs(recs) do
    local g = gkey(r.source)
    if g then
      n[g] = n[g] or {}
      n[g][r.source] = (n[g][r.source] or 0) + 1
    end
  end
  local shown = {}
  for g, spell in pairs(n) do
    local best, bn = nil, -1
    for s, c in pairs(spell) do
      if c > bn or (c == bn and s < best) then best, bn = s, c end
    end
    shown[g] = best
  end
  return function(name)
    local g = gkey(name)
    return g and shown[g] or nil
  end
end

-- Per source: articles, mentions, distinct entities, the top entities.
-- Sources are normalised (M.source_names; opts.aliases).  Articles with no
-- source, and sources with no mentions, are left out unless opts.all
-- (the first then as "(no source)").  → rows {source, articles, mentions,
-- entities, top, spellings}, a matrix of mentions source × entity for the
-- opts.entities (default 8) most mentioned entities: {sources=, ids=,
-- labels=, counts=[s][e]}, and info {unsourced = articles with no source,
-- silent = sources left out for having no mentions}.
function M.sources(recs, opts)
  opts = opts or {}
  local labels = M.labels(recs)
  local name_of = M.source_names(recs, opts)
  local by, order = {}, {}
  local info = { unsourced = 0, silent = 0 }
  for _, r in ipairs(recs) do
    local src = name_of(r.source)
    if not src then info.unsourced = info.unsourced + 1 end
    if src or opts.all then
      src = src or "(no source)"
      local s = by[src]
      if not s then
        s = { source = src, articles = 0, mentions = 0, ent = {}, spell = {} }
        by[src] = s
        order[#order + 1] = s
      end
      s.articles = s.articles + 1
      if r.source and not s.spell[r.source] then
        s.spell[r.source] = true
        s.spell[#s.spell + 1] = r.source
      end
      for _, m in ipairs(r.mentions) do
        s.mentions = s.mentions + 1
        s.ent[m.id] = (s.ent[m.id] or 0) + 1
      end
    end
  end
  if not opts.all then
    local kept = {}
    for _, s in ipairs(order) do
      if s.mentions > 0 then kept[#kept + 1] = s else info.silent = info.silent + 1 end
    end
    order = kept
  end
  for _, s in ipairs(order) do
    local list = {}
    for id, n in pairs(s.ent) do list[#list + 1] = { id = id, n = n } end
    table.sort(list, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.id < b.id end)
    s.entities = #list
    local top = {}
    for i = 1, math.min(3, #list) do top[i] = (labels[list[i].id] or list[i].id) .. " (" .. list[i].n .. ")" end
    s.top = table.concat(top, ", ")
  end
  sorted_desc(order, "articles", "source")
  local ids = {}
  for _, row in ipairs(M.top_entities(recs, { limit = opts.entities or 8 })) do ids[#ids + 1] = row.entity end
  local matrix = { sources = {}, ids = ids, labels = {}, counts = {} }
  for j, id in ipairs(ids) do matrix.labels[j] = labels[id] or id end
  for i, s in ipairs(order) do
    matrix.sources[i] = s.source
    matrix.counts[i] = {}
    for j, id in ipairs(ids) do matrix.counts[i][j] = s.ent[id] or 0 end
  end
  local rows = {}
  for i, s in ipairs(order) do
    table.sort(s.spell)
    rows[i] = { source = s.source, articles = s.articles, mentions = s.mentions,
                entities = s.entities, top = s.top, spellings = table.concat(s.spell, "; ") }
  end
  return take(rows, opts.limit), matrix, info
end

-- A sentence for the table's foot saying what M.sources left out, or nil.
function M.sources_note(info)
  local parts = {}
  if info.unsourced > 0 then
    parts[#parts + 1] = string.format("%d article%s had no source%s", info.unsourced,
      info.unsourced == 1 and "" or "s", info.all and " (the row “(no source)”)"
        or (info.unsourced == 1 and " and is not in the table" or " and are not in the table"))
  end
  if info.silent > 0 then
    parts[#parts + 1] = string.format("%d source%s with no mentions left out", info.silent, info.silent == 1 and "" or "s")
  end
  if #parts == 0 then return nil end
  return table.concat(parts, "; ") .. (info.all and "." or " (--all lists them).")
end

-- ---- new entities ---------------------------------------------------------

-- Entities whose first mention falls in [since, until] (either may be
-- nil), judged over all records given (pass every record, not only the
-- window).  Mentions count by entity, not by id spelling (M.entity_of): a
-- name discovery ids "kuzey kore" or an analyst's "turkiye" is the pack's
-- north_korea or turkey, so it is not new when that was seen before.
-- → rows {entity, label, type, first_seen, first_date, first_source,
-- mentions, articles} earliest first.
function M.new_entities(recs, since, until_)
  local labels = M.labels(recs)
  local packs = M.pack_labels()
  local lang = recs.label_lang or M.main_lang(recs)
  local first, stats = {}, {}
  local sorted = {}
  for i, r in ipairs(recs) do sorted[i] = r end
  table.sort(sorted, function(a, b)
    if (a.day or "") ~= (b.day or "") then return (a.day or "") < (b.day or "") end
    return tostring(a.date) < tostring(b.date)
  end)
  for _, r in ipairs(sorted) do
    if r.day then
      local seen = {}
      for _, m in ipairs(r.mentions) do
        local e = M.entity_of(m)
        if not first[e] then
          first[e] = { day = r.day, date = r.date, source = r.source, type = m.type, id = m.id }
        end
        local inwin = (not since or r.day >= since) and (not until_ or r.day <= until_)
        if inwin then
          local s = stats[e] or { mentions = 0, articles = 0 }
          stats[e] = s
          s.mentions = s.mentions + 1
          if not seen[e] then seen[e] = true; s.articles = s.articles + 1 end
        end
      end
    end
  end
  local rows = {}
  for id, f in pairs(first) do
    if (not since or f.day >= since) and (not until_ or f.day <= until_) then
      local s = stats[id] or { mentions = 0, articles = 0 }
      local label = labels[id] or (packs[id] and lang and packs[id][lang]) or labels[f.id]
      rows[#rows + 1] = { entity = id, label = label, type = f.type, first_seen = f.day, first_date = f.date,
                          first_source = f.source, mentions = s.mentions, articles = s.articles }
    end
  end
  table.sort(rows, function(a, b)
    if a.first_seen ~= b.first_seen then return a.first_seen < b.first_seen end
    if a.mentions ~= b.mentions then return a.mentions > b.mentions end
    return a.entity < b.entity
  end)
  return rows
end

-- ---- output ---------------------------------------------------------------

-- Write report r the way o asks: o.format (text, csv, json, md, html) or
-- the extension of o.output.  charts(doc) adds charts to an HTML document;
-- terminal(out) prints extras (bars, sparklines) after a text table.
-- → the path written, or nil when printed to the terminal.
function M.emit(r, o, extras)
  extras = extras or {}
  local fmt = o.format or "text"
  if o.output and (fmt == "text") then
    fmt = o.output:match("%.(%w+)$") or "text"
    if fmt == "txt" then fmt = "text" end
  end
  local data
  if fmt == "text" then
    data = r:text({ max = o.max_cell })
    if extras.terminal then data = data .. "\n" .. extras.terminal() end
    if o.rulesets_read and #o.rulesets_read > 0 then      -- which stored mentions were counted
      data = data .. "\nmentions from " .. M.describe({ rulesets_read = o.rulesets_read }) ..
             (#o.rulesets_read > 1 and " (a span two of them tagged counts once; --rules-set KEY reads one)" or "") .. "\n"
    end
  elseif fmt == "csv" then data = r:csv()
  elseif fmt == "json" then data = r:json()
  elseif fmt == "md" or fmt == "markdown" then data = r:markdown()
  elseif fmt == "html" then
    local sel = M.describe(o)
    local made = { { "Selection", sel ~= "" and sel or "every article, stored mentions" } }
    local argv = rawget(_G, "arg")                       -- the script's command line, when run as one
    if type(argv) == "table" and argv[0] then
      local words = { "newsdesk", "run", tostring(argv[0]) }
      for _, a in ipairs(argv) do
        a = tostring(a)
        words[#words + 1] = a:find("[%s'\"]") and ("'" .. a:gsub("'", "'\\''") .. "'") or a
      end
      table.insert(made, 1, { "Command", table.concat(words, " ") })
    end
    local doc = report.document(r.title or "newsdesk report", { subtitle = extras.subtitle, made = made })
    if extras.charts then extras.charts(doc) end
    doc:table(r)
    data = doc:html()
  else
    error(string.format("option --format: text, csv, json, md or html expected, got %q", fmt), 0)
  end
  if o.output then
    local ok, err = report.write_file(o.output, data)
    if not ok then error("cannot write " .. o.output .. ": " .. tostring(err), 0) end
    io.stderr:write("wrote " .. o.output .. "\n")
    return o.output
  end
  io.write(data)
  return nil
end

-- A one-line description of the selection, for titles.
function M.describe(o)
  local parts = {}
  if o.since or o["until"] then parts[#parts + 1] = (o.since or "…") .. " – " .. (o["until"] or "…") end
  if o.source then parts[#parts + 1] = "source " .. table.concat(o.source, ", ") end
  if o.lang then parts[#parts + 1] = "lang " .. table.concat(o.lang, ", ") end
  if o.match then parts[#parts + 1] = "matching " .. o.match end
  if o.entity then parts[#parts + 1] = "mentioning " .. o.entity end
  if o.type then parts[#parts + 1] = "type " .. o.type end
  if o.rules then parts[#parts + 1] = "rules " .. table.concat(o.rules, ", ") end
  if o.rulesets_read and #o.rulesets_read > 0 then
    local sets = {}
    for _, rs in ipairs(o.rulesets_read) do
      sets[#sets + 1] = rs.key:sub(1, 8) .. " (" .. table.concat(rs.rules, ", ") .. ")"
    end
    parts[#parts + 1] = (#sets == 1 and "rule set " or "rule sets ") .. table.concat(sets, "; ")
  end
  return table.concat(parts, "; ")
end

return M
