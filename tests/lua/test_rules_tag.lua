-- db:tag stores the mentions a rule set finds, once per rule set, and
-- db:mentions / article:mentions give them back.
local T = dofile("tests/lua/harness.lua")
local db = newsdesk.open()
local a = db:add{ title = "Kuzey Kore'den açıklama", body = "Kim Jong Un’un Rusya'ya ziyaretini Borrel de yorumladı." }
local b = db:add{ title = "EU talks", body = "Josep Borrell met Antony Blinken in Washington." }
local c = db:add{ title = "Wetter", body = "Morgen regnet es in Berlin." }
local rules = assert(newsdesk.rules.load("tests/data/rules/seed_names.lua"))

local calls = {}
local st = db:tag(rules, nil, { progress = function(t) calls[#calls + 1] = t end, batch = 2 })
T.eq({ st.articles, st.tagged, st.skipped, st.mentions, st.ruleset },
  { 3, 3, 0, 7, rules:key() }, "db:tag tags every article and reports what it stored")
T.eq(#calls, 2, "progress is called per batch")
T.eq({ calls[#calls].articles, calls[#calls].total, calls[#calls].mentions }, { 3, 3, 7 },
  "the last progress call has the totals")

local ms = db:mentions{}
local got = {}
for _, m in ipairs(ms) do got[#got + 1] = m.field .. ":" .. m.text .. ":" .. m.suffix end
T.eq(got, { "title:Kuzey Kore'den:den", "body:Kim Jong Un’un:un", "body:Rusya'ya:ya", "body:Borrel:",
            "body:Josep Borrell:", "body:Antony Blinken:", "body:Washington:" },
  "stored mentions keep text, suffix and field")
local art = db:get(a)
local m1 = art:mentions()[2]
T.eq(art.body:sub(m1.start, m1.stop), "Kim Jong Un’un", "stored offsets cut the mention out of the article")

local again = db:tag(rules)
T.eq({ again.tagged, again.skipped, again.mentions }, { 0, 3, 0 }, "the identical rule set is not run twice")
local forced = db:tag(rules, "Borrell", { force = true })
T.eq({ forced.articles, forced.tagged }, { 1, 1 }, "force=true re-tags the articles the query selects")
T.eq(#db:mentions{}, 7, "re-tagging replaces, it does not duplicate")

T.raises(function() db:tag(rules, { mach = "Borrell" }) end, "unknown query field 'mach'",
  "db:tag reads its query table as db:query does: an unknown key raises")
T.raises(function() db:tag(rules, nil, { forse = true }) end, "unknown db:tag option 'forse'",
  "an unknown db:tag option raises")
local byid = db:tag(rules, { ids = { b }, force = true })
T.eq({ byid.articles, byid.tagged }, { 1, 1 }, "a query table with ids and an option in it selects that article")
local more = assert(newsdesk.rules.load{ "tests/data/rules/seed_names.lua", { type = "CITY", id = "berlin", names = { "Berlin" } } })
local st2 = db:tag(more)
T.eq({ st2.tagged, st2.skipped }, { 3, 0 }, "a changed rule set tags again")

local seen
local cb = newsdesk.rules.new():add{ type = "X", id = "x", names = { "Washington" },
  accept = function(m, ctx) seen = ctx.article and ctx.article.title; return true end }
db:tag(cb, "Washington")
T.eq(seen, "EU talks", "accept callbacks see the stored article")
local bad = newsdesk.rules.new():add{ type = "X", names = { "Berlin" }, accept = function() error("no thanks") end }
T.raises(function() db:tag(bad) end, "no thanks", "an error in a callback propagates")
T.ok(db:tag(more).skipped == 3, "... and leaves the store usable (the transaction was rolled back)")
local inner
db:transaction(function() inner = db:tag(cb, nil, { force = true }) end)
T.eq(inner and inner.tagged, 3, "db:tag runs inside the caller's transaction")

-- without accept functions db:tag stores matches straight from the scanner;
-- the same rules with an accept function that keeps everything go through
-- the match tables: both must store the same mentions
local function stored(r)
  local d = newsdesk.open()
  for _, x in ipairs{ { title = "Kuzey Kore'den açıklama", body = "Kim Jong Un’un Rusya'ya ziyaretini Borrel de yorumladı." },
                      { title = "EU talks", body = "Josep Borrell met Antony Blinken in Washington. Berlin, Berlin'e" },
                      { title = "Berlin", body = "" }, { title = "Kim Jong Un’un Berlin'e" } } do d:add(x) end
  d:tag(r)
  local out = {}
  for _, m in ipairs(d:mentions{}) do
    out[#out + 1] = table.concat({ m.article, m.field, m.type, m.id, m.text, m.suffix, m.rule, m.start, m.stop }, "|")
  end
  d:close()
  return out
end
local plain = assert(newsdesk.rules.load("tests/data/rules/seed_names.lua"))
local kept = assert(newsdesk.rules.load("tests/data/rules/seed_names.lua"))
plain:add{ type = "CITY", id = "berlin", rule = "city", names = { "Berlin" } }
kept:add{ type = "CITY", id = "berlin", rule = "city", names = { "Berlin" }, accept = function() return true end }
local a1, a2 = stored(plain), stored(kept)
T.eq(#a1, 12, "the direct path stored every mention")
T.eq(a1, a2, "db:tag stores the same mentions with and without the Lua match tables")
T.done()
