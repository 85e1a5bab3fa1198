-- Gazetteers from real data and counts that add up (issue 16): URL text,
-- capitalised pattern words, pattern ids from pack entities, demonyms,
-- Cyrillic and Arabic names, the Turkish actors pack, accept callbacks
-- after overlaps, several rule sets on one store, label languages.
local T = dofile("tests/lua/harness.lua")
local R = newsdesk.rules
local A = require("newsdesk.analysis")
local world = assert(R.load("pack:world"))

local function found(rules, text)
  local out = {}
  for m in rules:scan(text) do out[#out + 1] = m.type .. ":" .. m.id end
  return table.concat(out, " ")
end

-- ---- URLs and e-mail addresses ------------------------------------------
T.eq(found(world, "Kaynak: https://www.rusya-haber.com/putin-erdogan ve basin@nato.int; Rusya açıkladı."),
  "COUNTRY:russia", "tr: no mention inside a URL or an e-mail address, the one outside counts")
T.eq(found(world, "More at www.Ukraine.example.org/Zelensky or mail Kallas@eu.example.eu. Ukraine agreed."),
  "COUNTRY:ukraine", "en: www. URL and address skipped")
local ex = world:explain("siehe https://de.example.com/Russland")
local why
for _, c in ipairs(ex) do if c.text:find("Russland") then why = c.status end end
T.eq(why, "address", "explain names the reason: inside an address")

-- ---- capitalised pattern words; no bare head words -----------------------
local p = R.new()
p:add{ type = "ORG", pattern = { { is = "cap", max = 3 }, "Birliği" } }
T.eq(found(p, "Avrupa Birliği toplandı"), "ORG:avrupa birligi", "a capitalised pattern word matches a capitalised word")
T.eq(found(p, "Esnaf birliği toplandı"), "", "... and not the lower-case word ('birliği' is not 'Birliği')")
local low = R.new()
low:add{ type = "PERSON", pattern = { "sözcüsü", { is = "cap", max = 2, mark = true } } }
T.eq(found(low, "Kremlin Sözcüsü Peskov"), "PERSON:peskov", "a lower-case pattern word matches any case")
T.eq(found(world, "Birliği açıklama yaptı. Ajansı bildirdi, örgütü ve parlamentosu da."), "",
  "tr: the title patterns never give a bare head word as an organisation")

-- ---- ids -------------------------------------------------------------------
T.eq(found(world, "Cumhurbaşkanı Tayyip Erdoğan’ın açıklaması"), "PERSON:recep_tayyip_erdogan",
  "a title pattern naming a pack entity gets the entity's id")
T.eq(found(world, "Dışişleri Bakanı Ali Veli Yılmazer’in"), "PERSON:ali veli yilmazer",
  "otherwise the folded name, suffix stripped, words joined by spaces")

T.eq(found(world, "NATO Genel Sekreteri Rutte Ankara’da konuştu."), "ORG:nato PERSON:mark_rutte CITY:ankara",
  "a capitalised run after a title stops before a name of another type, and the pack id follows")

-- ---- demonyms, Cyrillic, Arabic, Turkish actors ----------------------------
T.eq(found(world, "Suriyeli göçmenler Suriye’ye dönüyor; Ruslar Rusya’da."),
  "NORP:syria_people COUNTRY:syria NORP:russia_people COUNTRY:russia",
  "tr: 'Suriyeli' is a demonym, not the country; 'Rusya' is not 'Rus' + 'ya'")
local d = world:matches("Syrian refugees")[1]
T.eq(d and { d.type, d.country, d.iso }, { "NORP", "syria", "SY" }, "en: the demonym is linked to its country")
T.eq(found(world, "die syrischen Flüchtlinge in Deutschland"), "NORP:syria_people COUNTRY:germany",
  "de: inflected adjective demonym")
T.eq(found(world, "Путин встретился с сирийским президентом в Москве, КНДР и США молчат."),
  "PERSON:vladimir_putin NORP:syria_people CITY:moscow COUNTRY:north_korea COUNTRY:usa",
  "ru: leaders, demonyms, capitals and abbreviations in Cyrillic, with case endings")
T.eq(found(world, "Президент России и Еврокомиссия"), "COUNTRY:russia ORG:european_commission",
  "ru: the genitive of a country; an organisation in Cyrillic")
T.eq(found(world, "التقى أردوغان في بغداد مع الأمم المتحدة"), "PERSON:recep_tayyip_erdogan CITY:baghdad ORG:un",
  "ar: leader, capital, organisation in Arabic script")
T.eq(found(world, "CHP Genel Başkanı Özgür Özel, MHP lideri Devlet Bahçeli ve PKK; Galatasaray kazandı."),
  "ORG:chp PERSON:ozgur_ozel ORG:mhp PERSON:devlet_bahceli ORG:pkk ORG:galatasaray",
  "tr: parties, their leaders, armed groups and clubs")
T.eq(found(world, "mali destek paketi ve Mali’deki darbe"), "COUNTRY:mali",
  "country names only count with a capital ('mali' is Turkish for financial)")
T.eq(found(world, "let us go; Us too; the US said"), "COUNTRY:usa", "abbreviations only in capitals")

-- ---- accept callbacks see only candidates that survive overlaps ------------
local asked = {}
local cb = R.new()
cb:add{ type = "PLACE", id = "north_korea", names = { "Kuzey Kore" } }
cb:add{ type = "PLACE", id = "korea", names = { "Kore" },
  accept = function(m) asked[#asked + 1] = m.text return true end }
T.eq(found(cb, "Kuzey Kore ve Kore"), "PLACE:north_korea PLACE:korea", "both names found")
T.eq(asked, { "Kore" }, "accept is not asked about 'Kore' inside 'Kuzey Kore', which loses the overlap")
local cb2 = R.new()
cb2:add{ type = "PLACE", id = "north_korea", names = { "Kuzey Kore" }, accept = function() return false end }
cb2:add{ type = "PLACE", id = "korea", names = { "Kore" } }
T.eq(found(cb2, "Kuzey Kore"), "PLACE:korea", "a winner its accept drops lets the shadowed candidate win")

-- ---- several rule sets on one store ----------------------------------------
local dir = os.getenv("TMPDIR") or "/tmp"
local fa, fb = dir .. "/nd_gaz_a_" .. os.time() .. ".lua", dir .. "/nd_gaz_b_" .. os.time() .. ".lua"
local function write(path, s) local f = assert(io.open(path, "w")) f:write(s) f:close() end
write(fa, 'return { { type = "COUNTRY", id = "russia", names = { "Rusya", "Russland" } } }')
write(fb, 'return { { type = "PERSON", id = "vladimir_putin", names = { "Putin" } } }')
local db = newsdesk.open()
db:add{ title = "Rusya", body = "Putin Rusya’da konuştu.", lang = "tr", date = "2024-11-01" }
db:add{ title = "Putin", body = "Putin sprach in Russland.", lang = "de", date = "2024-11-02" }
local ab = db:tag(assert(R.load{ fa, fb }))
T.eq({ ab.tagged, ab.mentions, #ab.parts }, { 2, 6, 2 }, "tag A B: one rule set, its two parts recorded")
local a = db:tag(assert(R.load(fa)))
T.eq({ a.tagged, a.skipped }, { 0, 2 }, "tag A after tag A B re-tags nothing")
local w = db:tag(world)
local recs = A.collect(db, {})
local counts = {}
for _, row in ipairs(A.top_entities(recs, {})) do counts[row.entity] = row.mentions end
T.eq({ counts.russia, counts.vladimir_putin }, { 3, 3 },
  "a span tagged by two rule sets counts once for the same entity")
T.eq(#recs.rulesets, 2, "the records say which rule sets they read")
T.ok(A.describe({ rulesets_read = recs.rulesets }):find(w.ruleset:sub(1, 8), 1, true),
  "the report line names the rule sets")
local only = A.collect(db, { ["rules-set"] = w.ruleset:sub(1, 10) })
T.eq(#only.rulesets, 1, "--rules-set reads one rule set")
T.ok(not pcall(A.collect, db, { ["rules-set"] = "ffffffffffff" }), "an unknown --rules-set is an error")
os.remove(fa)
os.remove(fb)

-- ---- labels in one language -------------------------------------------------
local lrecs = A.collect(db, { ["label-lang"] = "en" })
local labels = A.labels(lrecs)
T.eq({ labels.russia, labels.vladimir_putin }, { "Russia", "Putin" }, "--label-lang en: pack label, else surface")
T.eq(A.labels(lrecs, "ru").russia, "Россия", "ru label from the country pack")
T.eq(A.labels(lrecs, "de").russia, "Russland", "de label")
T.done()
