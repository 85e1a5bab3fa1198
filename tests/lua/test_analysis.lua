-- newsdesk.args and newsdesk.analysis on hand-made records: option
-- parsing, sentence splitting, and the counts behind every report.
local T = dofile("tests/lua/harness.lua")
local args = require("newsdesk.args")
local A = require("newsdesk.analysis")

-- ---- args ------------------------------------------------------------------
local spec = A.options({ usage = "x.lua [options]", about = "Test.",
  { "by", "string", help = "group" }, { "top", "number", default = 5 } })
local o = args.parse({ "--since", "04.11.2024", "--until=2024-11-20", "--lang", "tr,en", "--lang", "de",
                       "--dups", "--top", "3", "extra" }, spec)
T.eq(o.since, "2024-11-04", "a Turkish numeric date becomes ISO")
T.eq(o["until"], "2024-11-20", "--name=value form")
T.eq(o.lang, { "tr", "en", "de" }, "lists repeat and split on commas")
T.eq(o.dups, true, "flags")
T.eq(o.top, 3, "numbers are numbers")
T.eq(o.limit, 20, "defaults apply")
T.eq(o[1], "extra", "positional arguments are kept")
T.raises(function() args.parse({ "--bogus" }, spec) end, "unknown option --bogus", "unknown option named")
T.raises(function() args.parse({ "--top", "many" }, spec) end, "option --top: number expected", "bad number")
T.raises(function() args.parse({ "--since", "2024-02-30" }, spec) end, "no such day", "impossible date")
T.raises(function() args.parse({ "--since" }, spec) end, "option --since needs a value", "missing value")
local buf = {}
local sink = { write = function(_, s) buf[#buf + 1] = s end }
T.eq(args.parse({ "--help" }, spec, sink), nil, "--help returns nil")
local help = table.concat(buf)
T.ok(help:find("usage: x.lua", 1, true) and help:find("--rules FILE", 1, true)
     and help:find("(default 5)", 1, true), "--help lists the options with defaults")
T.eq(args.parse({ "--no-dups" }, spec).dups, false, "--no-flag turns a flag off")

-- ---- dates ------------------------------------------------------------------
T.eq(A.week_of("2024-11-04"), "2024-W45", "ISO week of a Monday")
T.eq(A.week_of("2024-11-10"), "2024-W45", "Sunday is the same ISO week")
T.eq(A.days("2024-10-30", "2024-11-02"), { "2024-10-30", "2024-10-31", "2024-11-01", "2024-11-02" },
  "days across a month end")

-- ---- sentences -------------------------------------------------------------
local s = "Fidan Ankara'da konuştu. U.S. President Biden agreed. “Evet!” dedi Lavrov.\nYeni satır Kim Jong-un."
local spans = A.sentences(s)
local got = {}
for i, sp in ipairs(spans) do got[i] = s:sub(sp[1], sp[2]) end
T.eq(got, { "Fidan Ankara'da konuştu.", "U.S. President Biden agreed.", "“Evet!” dedi Lavrov.",
            "Yeni satır Kim Jong-un." }, "sentences split at . ! and line breaks, not at U.S.")

-- ---- records ---------------------------------------------------------------
local function m(id, ty, text, field, start, suffix)
  return { id = id, type = ty, text = text, field = field, start = start,
           stop = start and (start + #text - 1), suffix = suffix }
end
local body1 = "Fidan met Lavrov in Moscow. Later Fidan called Blinken."
local recs = {
  { id = 1, day = "2024-11-04", source = "AA", title = "Fidan ve Lavrov", body = body1, mentions = {
      m("fidan", "PERSON", "Fidan", "body", 1), m("lavrov", "PERSON", "Lavrov", "body", 11),
      m("moscow", "LOC", "Moscow", "body", 21), m("fidan", "PERSON", "Fidan", "body", 35),
      m("blinken", "PERSON", "Blinken", "body", 48) } },
  { id = 2, day = "2024-11-06", source = "DHA", title = "t", body = "Lavrov’un açıklaması.", mentions = {
      m("lavrov", "PERSON", "Lavrov’un", "body", 1, "un") } },
  { id = 3, day = "2024-11-12", source = "AA", title = "t", body = "Rutte and Fidan.", mentions = {
      m("rutte", "PERSON", "Rutte", "body", 1), m("fidan", "PERSON", "Fidan", "body", 11) } },
}
T.eq(body1:sub(48, 54), "Blinken", "fixture offsets are right")

local top = A.top_entities(recs)
T.eq({ top[1].entity, top[1].mentions, top[1].articles }, { "fidan", 3, 2 }, "top entity counts mentions and articles")
T.eq({ top[2].entity, top[2].mentions, top[2].label }, { "lavrov", 2, "Lavrov" },
  "labels drop apostrophe suffixes (Lavrov’un → Lavrov)")
T.eq(#A.top_entities(recs, { limit = 2 }), 2, "limit")
local bysrc = A.top_entities(recs, { by = "source", limit = 1 })
T.eq({ bysrc[1].group, bysrc[1].entity, bysrc[2].group, bysrc[2].entity }, { "AA", "fidan", "DHA", "lavrov" },
  "per source: groups in order, best in each")
local bytype = A.top_entities(recs, { by = "type" })
T.eq(bytype[#bytype].group, "PERSON", "by type groups LOC before PERSON")
T.eq(A.top_entities(recs, { by = "week" })[1].group, "2024-W45", "by ISO week")

local pairs_art, matrix = A.cooccurrence(recs)
local found = {}
for _, p in ipairs(pairs_art) do found[p.a .. "+" .. p.b] = p.count end
T.eq(found["fidan+lavrov"], 1, "article pairs counted once per article (Fidan twice in article 1)")
T.eq({ pairs_art[1].a, pairs_art[1].b }, { "blinken", "fidan" }, "equal counts sort by name")
T.eq(found["fidan+rutte"], 1, "pairs from every article")
T.eq(found["blinken+moscow"], 1, "same article, different sentences is an article pair")
local pairs_sent = A.cooccurrence(recs, { scope = "sentence" })
local fs = {}
for _, p in ipairs(pairs_sent) do fs[p.a .. "+" .. p.b] = p.count end
T.eq(fs["blinken+moscow"], nil, "different sentences are not a sentence pair")
T.eq(fs["fidan+lavrov"], 1, "same sentence pair")
T.eq(fs["blinken+fidan"], 1, "second sentence pair")
T.ok(matrix.ids[1] == "fidan" and matrix.counts[1][1] == 0, "matrix puts the most connected first")

local series, xs = A.timeline(recs, { entities = { "fidan", "lavrov" } })
T.eq(#xs, 9, "a day per interval from first to last day")
T.eq(series[1].points[1], { "2024-11-04", 2 }, "Fidan twice on the first day")
T.eq(series[2].points[3], { "2024-11-06", 1 }, "Lavrov on 6 November")
T.eq(series[2].points[2], { "2024-11-05", 0 }, "an empty day is zero")
local wseries, wxs = A.timeline(recs, { interval = "week", entities = { "fidan" } })
T.eq(wxs, { "2024-W45", "2024-W46" }, "weeks")
T.eq(wseries[1].points, { { "2024-W45", 2 }, { "2024-W46", 1 } }, "weekly counts")

local kw = A.concordance(recs, "lavrov")
T.eq(#kw, 3, "every hit of the term in titles and bodies")
T.eq(kw[3].hit, "Lavrov’un", "the hit keeps its suffix as written")
T.eq(kw[2].left, "Fidan met ", "left context")
T.eq(kw[2].right, " in Moscow. Later Fidan called Blinken.", "right context")
local narrow = A.concordance(recs, "blinken", { width = 10 })
T.eq(narrow[1].left, "…n called ", "long left context is cut from the left to the width")
local ent = A.concordance(recs, nil, { entity = "fidan" })
T.eq(#ent, 3, "concordance of an entity uses mention offsets")
T.eq(A.find_term("İSTANBUL’DA ve Istanbul'da; istanbullu", "istanbul"),
  { { 1, 14 }, { 19, 29 } }, "find_term matches folded whole words and takes the suffix")

local srows, smatrix = A.sources(recs)
T.eq({ srows[1].source, srows[1].articles, srows[1].mentions, srows[1].entities }, { "AA", 2, 7, 5 },
  "source row counts")
T.ok(srows[1].top:find("Fidan (3)", 1, true), "top entities per source")
T.eq(smatrix.counts[2][2], 1, "source × entity matrix (DHA × Lavrov)")

local fresh = A.new_entities(recs, "2024-11-05", "2024-11-30")
T.eq(#fresh, 1, "only Rutte is first seen after 5 November")
T.eq({ fresh[1].entity, fresh[1].first_seen, fresh[1].first_source, fresh[1].mentions },
  { "mark_rutte", "2024-11-12", "AA", 1 }, "new entity row, under the pack's id for the entity named Rutte")
T.eq(#A.new_entities(recs), 5, "with no window every entity is new")

-- ---- records from plain tables --------------------------------------------
local plain = {
  { id = 1, title = "a", body = "Fidan", date = "2024-11-04", lang = "tr", mentions = { { id = "fidan", type = "PERSON" } } },
  { id = 2, title = "b", body = "Fidan", date = "2024-11-05", lang = "tr", duplicate_of = 1, mentions = { { id = "fidan", type = "PERSON" } } },
  { id = 3, title = "c", body = "Lavrov", date = "2024-11-06", lang = "en", mentions = { { id = "lavrov", type = "PERSON" } } },
}
T.eq(#A.records_from(plain, {}), 2, "near-duplicates are left out by default")
T.eq(#A.records_from(plain, { dups = true }), 3, "--dups keeps them")
T.eq(#A.records_from(plain, { lang = { "en" } }), 1, "common options filter")
T.eq(#A.records_from(plain, { entity = "fidan" }), 1, "--entity keeps articles mentioning it")

T.done()
