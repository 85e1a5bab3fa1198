-- newsdesk.rules.discover finds names nobody listed, in Turkish, English,
-- German and Russian, with spans, suffixes, types and ids a reader checks
-- by eye; db:tag{discover=true} stores them beside rule mentions.
local T = dofile("tests/lua/harness.lua")
local discover = newsdesk.rules.discover

-- "text/type/id/suffix" of every mention, in text order
local function brief(s, lang)
  local out = {}
  for _, m in ipairs(discover(s, { lang = lang })) do
    T.eq(s:sub(m.start, m.stop), m.text, "span cuts out the text: " .. m.text)
    out[#out + 1] = m.text .. "/" .. m.type .. "/" .. m.id .. "/" .. m.suffix
  end
  return out
end

local function has(list, item)
  for _, x in ipairs(list) do if x == item then return true end end
  return false
end

-- ---- Turkish ---------------------------------------------------------------

local tr = brief("Muhalefet lideri Zeynep Karaca, Ankara'da gazetecilere konuştu. " ..
  "Karaca'nın sözleri Yeşilova Partisi'nde tartışıldı. " ..
  "Dışişleri Bakanı Mert Yazıcıoğlu ise PKK ve NATO konusunda açıklama yaptı. " ..
  "Suriyeli mülteciler Gaziantep'te yaşıyor.", "tr")
T.ok(has(tr, "Zeynep Karaca/PERSON/zeynep karaca/"), "a name after a title is a PERSON", tr)
T.ok(has(tr, "Ankara'da/LOC/ankara/da"), "the suffix after the apostrophe is kept apart", tr)
T.ok(has(tr, "Karaca'nın/PERSON/zeynep karaca/nın"), "a surname alone takes the full name's id", tr)
T.ok(has(tr, "Yeşilova Partisi'nde/ORG/yesilova partisi/nde"), "Partisi makes an organisation", tr)
T.ok(has(tr, "Mert Yazıcıoğlu/PERSON/mert yazıcıoglu/") or has(tr, "Mert Yazıcıoğlu/PERSON/mert yazicioglu/"),
  "Bakanı before a name: PERSON, the title left out", tr)
T.ok(has(tr, "PKK/ORG/pkk/") and has(tr, "NATO/ORG/nato/"), "acronyms", tr)
T.ok(has(tr, "Suriyeli/NORP/suriyeli/"), "a demonym is NORP, not the country", tr)
T.ok(has(tr, "Gaziantep'te/LOC/gaziantep/te"), "a place with a locative suffix", tr)
T.ok(not has(tr, "Muhalefet/PERSON/muhalefet/"), "a sentence opener nobody confirms is no name", tr)
T.ok(not has(tr, "Dışişleri/ORG/disisleri/"), "a word before a title is no name", tr)

local hon = brief("Toplantıya Kâzım Bey ve Nesrin Hanım da katıldı.", "tr")
T.ok(has(hon, "Kâzım/PERSON/kazim/") and has(hon, "Nesrin/PERSON/nesrin/"),
  "a name before an honorific (Bey, Hanım) is a PERSON, the honorific left out", hon)

-- variants: with and without an apostrophe, hyphen or space, curly apostrophe
local kim = discover("Kuzey Kore lideri Kim Jong Un konuştu. Kim Jong-un yeni bir füze denedi. " ..
  "Kim Jong Un’un açıklaması geldi.", { lang = "tr" })
local ids, sufs = {}, {}
for _, m in ipairs(kim) do
  if m.text:find("^Kim") then ids[#ids + 1] = m.id; sufs[#sufs + 1] = m.suffix end
end
T.eq(ids, { "kim jong un", "kim jong un", "kim jong un" }, "Kim Jong Un, Kim Jong-un and Kim Jong Un’un share one id")
T.eq(sufs, { "", "", "un" }, "the curly-apostrophe suffix is reported")

local no_apos = brief("Rusya yeni yaptırımlar açıkladı. Heyet yarın Rusyaya gidecek.", "tr")
T.ok(has(no_apos, "Rusyaya/LOC/rusya/ya"), "a suffix with no apostrophe is split off a name known in the text",
  no_apos)

-- the why field says what made it a name
local why = discover("Genel Başkan Yardımcısı Ayşe Demirtaş açıklama yaptı.", { lang = "tr" })[1]
T.eq(why and why.text, "Ayşe Demirtaş", "the title words are not part of the name")
T.ok(why and why.why:find("title before") and why.score >= 1, "why names the evidence", why and why.why)

-- ---- English ---------------------------------------------------------------

local en = brief("Foreign Minister Priya Ramaswamy met officials of the Harbin Institute of Technology " ..
  "in Vladivostok on Tuesday. Ramaswamy said Russian diplomats were not present.", "en")
T.ok(has(en, "Priya Ramaswamy/PERSON/priya ramaswamy/"), "title before a name", en)
T.ok(has(en, "Harbin Institute of Technology/ORG/harbin institute of technology/"),
  "a connector inside an organisation name", en)
T.ok(has(en, "Vladivostok/LOC/vladivostok/"), "a place after 'in'", en)
T.ok(has(en, "Ramaswamy/PERSON/priya ramaswamy/"), "the surname at a sentence start, confirmed by the text", en)
T.ok(has(en, "Russian/NORP/russian/"), "an English demonym", en)
T.ok(not has(en, "Tuesday/PERSON/tuesday/"), "weekdays are no names", en)

-- ---- German ----------------------------------------------------------------

local de = brief("Die Bundeskanzlerin sprach mit Präsident Emil Brandauer über die Lage. " ..
  "Die russischen Truppen stehen bei Charkiw, teilte die Regierung mit. " ..
  "Die Zeitung berichtete über die Verhandlungen.", "de")
T.ok(has(de, "Emil Brandauer/PERSON/emil brandauer/"), "Präsident before a name", de)
T.ok(has(de, "russischen/NORP/russisch/en"), "a lower-case German demonym, its ending as suffix", de)
T.ok(has(de, "Charkiw/LOC/charkiw/"), "a place after 'bei'", de)
for _, noun in ipairs({ "Lage", "Regierung", "Zeitung", "Verhandlungen", "Truppen", "Bundeskanzlerin" }) do
  for _, x in ipairs(de) do
    T.ok(not x:find("^" .. noun .. "/"), "a capitalised German noun is no name: " .. noun, x)
  end
end

local de2 = brief("Zuletzt sprach Begrich mit der Polizei in der Wilhelmstraße. Ab 9 Uhr war die Sitzung.", "de")
T.ok(has(de2, "Begrich/PERSON/begrich/"), "a capitalised word the German dictionary does not know is a name", de2)
T.ok(has(de2, "Wilhelmstraße/LOC/wilhelmstrasse/"), "a street ending makes a place", de2)
for _, x in ipairs(de2) do
  T.ok(not x:find("^Ab/") and not x:find("^Polizei/"), "no 'Ab' (the EU is AB in capitals) and no common noun", x)
end

-- ---- Russian ---------------------------------------------------------------

local ru = brief("Президент России Владимир Путин провел переговоры в Москве. " ..
  "Путина поддержал министр Сергей Лавров. Российские военные находятся в Курской области.", "ru")
T.ok(has(ru, "России/LOC/россия/"), "an inflected country takes the known name's id", ru)
T.ok(has(ru, "Владимир Путин/PERSON/владимир путин/"), "a given name splits a run after a known place", ru)
T.ok(has(ru, "Москве/LOC/москва/"), "the locative of a known city", ru)
T.ok(has(ru, "Сергей Лавров/PERSON/сергеи лавров/"), "министр before a name", ru)
-- ids are fold keys: the fold drops the breve of й, as it drops every mark
T.ok(has(ru, "Российские/NORP/россииск/ие"), "a Russian demonym adjective", ru)
T.ok(has(ru, "Курской области/LOC/курскои области/"), "a lower-case head word closes a place name", ru)

-- ---- lists, initials, derivations (issue 16, tuned on the NER dev part) -----

local lst = brief("Kadroda Volkan, Tugay, Kartal ve Sergen var. Teknik direktör G. Yalınkılıç'a güveniyor. " ..
  "Trabzonsporlu taraftarlar Trabzonspor'u destekledi. İrlanda güzel bir ülke.", "tr")
T.ok(has(lst, "Tugay/PERSON/tugay/") and has(lst, "Kartal/PERSON/kartal/") and has(lst, "Sergen/PERSON/sergen/"),
  "common words listed beside a given name (comma, 've') are people", lst)
T.ok(has(lst, "G. Yalınkılıç'a/PERSON/g yalinkilic/a"), "an initial and the surname after it are one name", lst)
T.ok(not has(lst, "Trabzonsporlu/ORG/trabzonspor/lu") and has(lst, "Trabzonspor'u/ORG/trabzonspor/u"),
  "'Trabzonsporlu' (of the club) is no mention of the club; 'Trabzonspor'u' is", lst)
T.ok(has(lst, "İrlanda/LOC/irlanda/"), "a known name is not cut into a shorter known one plus a suffix", lst)
T.ok(not has(brief("Kadroda futbol, voleybol ve Tugay var.", "tr"), "Tugay/PERSON/tugay/"),
  "a common word listed beside common words stays a word")
local num = brief("Dün Çanakkale 18 Mart Üniversitesi'nde ve Yeni Delhi'deki büyükelçilikte tören yapıldı. " ..
  "Toplantı Ankara 12 Mart günü yapılacak.", "tr")
T.ok(has(num, "Çanakkale 18 Mart Üniversitesi'nde/ORG/canakkale 18 mart universitesi/nde"),
  "a number inside a name a head word ends", num)
T.ok(has(num, "Yeni Delhi'deki/LOC/yeni delhi/deki"), "a stop word that starts a known name stays in it", num)
T.ok(has(num, "Ankara/LOC/ankara/"), "without a head word the name stops before the number", num)
local op = brief("Abdi İpekçi Spor Salonu'nda maç vardı. Dün Ankara'da toplantı vardı.", "tr")
T.ok(has(op, "Abdi İpekçi Spor Salonu'nda/LOC/abdi ipekci spor salonu/nda") and has(op, "Ankara'da/LOC/ankara/da"),
  "a rare sentence opener stays in the name; a common one ('Dün') does not", op)
local enl = brief("The squad: Ramon Vega, Tugay and Hope. Argentine Abel Balbo scored twice. " ..
  "British Airways cancelled flights.", "en")
T.ok(has(enl, "Hope/PERSON/hope/"), "English: 'and' joins a common word to a list of names", enl)
T.ok(has(enl, "Argentine/NORP/argentine/") and has(enl, "Abel Balbo/PERSON/abel balbo/"),
  "English: a demonym before a two-word name is cut off", enl)
T.ok(has(enl, "British Airways/ORG/british airways/"), "... but not before a name a head word types", enl)
local rul = brief("В составе Иванов, Петров и Сидоров.", "ru")
T.ok(has(rul, "Петров/PERSON/петров/"), "Russian: a common word listed between surnames is a surname", rul)
local del = brief("Trainer Jürgen Klopp lobte Kimmich und Goretzka.", "de")
T.ok(has(del, "Jürgen Klopp/PERSON/jurgen klopp/") and has(del, "Kimmich/PERSON/kimmich/"),
  "German: a trainer and a player in a list", del)

-- a page: paragraphs, a byline, a URL and an e-mail address, a name at a
-- paragraph start that the page confirms elsewhere
local page = "ANKARA (Haber Merkezi)\n\n" ..
  "Cumhurbaşkanı Yardımcısı Cevdet Yılmaz, Kırgızistan'ın başkenti Bişkek'te temaslarda bulundu.\n\n" ..
  "Yılmaz, görüşmenin ardından https://www.Ornek.gov.tr/Yilmaz/Biskek adresinde bir açıklama yayımladı; " ..
  "sorular Basin.Merkezi@ornek.gov.tr adresine gönderilebilir.\n"
local pg = brief(page, "tr")
T.ok(has(pg, "Cevdet Yılmaz/PERSON/cevdet yilmaz/"), "page: a person after a title", pg)
T.ok(has(pg, "Yılmaz/PERSON/cevdet yilmaz/"), "page: the surname opening a paragraph takes the full name's id", pg)
T.ok(has(pg, "Bişkek'te/LOC/biskek/te"), "page: a place with a locative suffix", pg)
for _, x in ipairs(pg) do
  T.ok(not x:find("^Ornek") and not x:find("^Biskek/") and not x:find("^Basin") and not x:find("^Merkezi@"),
    "page: nothing from inside the URL or the e-mail address", x)
end

-- a pattern match that names no pack entity gets the id discovery would give
-- the same name (one id convention: newsdesk.rules.entity_id)
local pat = newsdesk.rules.new()
pat:add{ type = "ORG", rule = "party", pattern = { { is = "cap", min = 1, max = 3 }, { words = { "Partisi" } } } }
local pm = pat:matches("dün Yeşil Sol Partisi'nin kurultayı yapıldı.")
local dm = discover("dün Yeşil Sol Partisi'nin kurultayı yapıldı.", { lang = "tr" })
T.eq(pm[1] and pm[1].id, newsdesk.rules.entity_id("Yeşil Sol Partisi'nin"), "a pattern match's id is the entity id of its base name")
T.eq(dm[1] and dm[1].id, pm[1] and pm[1].id, "... the id discovery gives the same name")

-- ---- the call itself ------------------------------------------------------------

T.eq(discover("", { lang = "tr" }), {}, "an empty text has no names")
T.eq(#discover("hepsi küçük harfle yazılmış bir cümle", { lang = "tr" }), 0, "no capitals, no names")
T.ok(pcall(discover, "Ankara", { lang = "xx" }), "an unknown language uses the common cues only")
local auto = discover("Dışişleri Bakanı Hakan Fidan Ankara'da konuştu.")
T.eq(#auto > 0 and auto[1].text, "Hakan Fidan", "with no lang the language is detected")
local ok, err = pcall(discover, {}, {})
T.ok(not ok and tostring(err):find("string expected"), "a number is refused", err)
ok, err = pcall(discover, "x", { cues = { tr = { stop = "Bu" } }, lang = "tr" })
T.ok(not ok and tostring(err):find("tr.stop"), "a malformed cue table names the list", err)
local custom = discover("Dün akşam Zorbalar Kulübü toplandı.", { lang = "tr",
  cues = { tr = { flags = { "tr", "apostrophe" }, head = { ORG = { "Kulübü" } } } } })
T.eq(custom[1] and (custom[1].text .. "/" .. custom[1].type), "Zorbalar Kulübü/ORG",
  "an analyst's own cue table types a name")
local url = discover("Ayrıntılar https://www.Example.com/Haber/Ankara sayfasında.", { lang = "tr" })
T.eq(#url, 0, "no name inside a URL")

local txt = "Dışişleri Bakanı Hakan Fidan, Yeşilova Partisi Genel Başkanı Zeynep Karaca ile görüştü."
local known = newsdesk.rules.new()
known:add{ type = "PERSON", id = "hakan_fidan", names = { "Hakan Fidan" } }
local found = known:matches(txt)
local besides = discover(txt, { lang = "tr", except = found })
local texts = {}
for _, m in ipairs(besides) do texts[#texts + 1] = m.text end
T.eq(texts, { "Yeşilova Partisi", "Zeynep Karaca" }, "except: no name where a rule already found one")
T.eq(#found, 1, "except: the caller's list is left as it was")

-- ---- storing discovered names -----------------------------------------------------

local db = newsdesk.open()
local a = db:add{ title = "Ankara", lang = "tr",
                  body = "Dışişleri Bakanı Hakan Fidan, Yeşilova Partisi Genel Başkanı Zeynep Karaca ile görüştü." }
local rules = newsdesk.rules.new()
rules:add{ type = "PERSON", id = "hakan_fidan", names = { "Hakan Fidan" } }
local st = db:tag(rules, nil, { discover = true })
T.eq(st.ruleset, rules:key() .. "+discover", "discovery tags under its own rule set")
local stored = {}
for _, m in ipairs(db:get(a):mentions()) do stored[#stored + 1] = m.rule .. ":" .. m.text end
T.ok(has(stored, "discover:Yeşilova Partisi") and has(stored, "discover:Zeynep Karaca"),
  "discovered names are stored, marked as rule discover", stored)
local fidan = 0
for _, x in ipairs(stored) do if x:find("Hakan Fidan") then fidan = fidan + 1 end end
T.eq(fidan, 1, "a name a rule found is not stored twice")
T.eq(db:tag(rules, nil, { discover = true }).skipped, 1, "tagging again with discovery is skipped")
T.eq(db:tag(rules).tagged, 1, "tagging without discovery is another rule set")

local A = require("newsdesk.analysis")
local recs = A.collect(db, { discovered = true })
local shown, hidden = 0, 0
for _, r in ipairs(recs) do for _, m in ipairs(r.mentions) do if m.rule == "discover" then shown = shown + 1 end end end
for _, r in ipairs(A.collect(db, { discovered = false })) do
  for _, m in ipairs(r.mentions) do if m.rule == "discover" then hidden = hidden + 1 end end
end
T.ok(shown > 0 and hidden == 0, "reports show discovered names and --no-discovered hides them", { shown, hidden })
local fresh = A.collect(db, { rules = { "tests/data/rules/seed_names.lua" }, discover = true })
local kinds = {}
for _, r in ipairs(fresh) do for _, m in ipairs(r.mentions) do kinds[m.rule == "discover" and "d" or "r"] = true end end
T.ok(kinds.d, "--rules FILE --discover finds names afresh beside the rules' mentions")
db:close()

T.done()
