-- The rule packs under scripts/rules (newsdesk.rulepacks.*): they load, and
-- find leaders, countries, capitals, organisations and titled people in
-- Turkish, English and German sentences.
local T = dofile("tests/lua/harness.lua")
local R = newsdesk.rules

for _, p in ipairs{ "countries", "country_names", "organisations", "leaders", "turkey", "titles" } do
  local r, msg = R.load("pack:" .. p)
  T.ok(r and select(1, r:count()) > 0, "pack " .. p .. " loads: " .. tostring(msg or r))
  T.eq(type(require("newsdesk.rulepacks." .. p)), "table", "newsdesk.rulepacks." .. p .. " is embedded")
end
local r0, m0 = R.load("pack:nope")
T.ok(r0 == nil and m0:find("no rule pack 'nope'", 1, true), "an unknown pack is named")

local all = assert(R.load{ "pack:countries", "pack:organisations", "pack:leaders", "pack:turkey", "pack:titles" })
local world = assert(R.load("pack:world"))
T.eq({ world:count() }, { all:count() }, "pack:world holds every pack (a string in a rules list loads it)")
T.eq(world:key(), all:key(), "... in the same order, so the same key")
local function found(text)
  local out = {}
  for m in all:scan(text) do out[#out + 1] = m.type .. ":" .. m.id end
  return table.concat(out, " ")
end

T.eq(found("Dışişleri Bakanı Hakan Fidan, Ankara'da NATO Genel Sekreteri Mark Rutte ile görüştü."),
  "PERSON:hakan_fidan CITY:ankara ORG:nato PERSON:mark_rutte", "Turkish: minister, capital, NATO, its head")
T.eq(found("AB'nin ve BM'nin tutumu; KDHC ile ABD arasında gerilim."),
  "ORG:eu ORG:un COUNTRY:north_korea COUNTRY:usa", "Turkish abbreviations with suffixes")
T.eq(found("Außenministerin Annalena Baerbock reist ab Montag nach Kiew und Peking."),
  "PERSON:annalena_baerbock CITY:kyiv CITY:beijing", "German: 'ab Montag' is not the EU")
T.eq(found("Secretary of State Antony Blinken told us the UN and the EU agree."),
  "PERSON:antony_blinken ORG:un ORG:eu", "English: 'us' is not the USA, 'UN' and 'EU' in capitals are")
T.eq(found("Cumhurbaşkanı Erdoğan, Putin’le telefonda görüştü; Rusya’nın Ukrayna politikası ele alındı."),
  "PERSON:recep_tayyip_erdogan PERSON:vladimir_putin COUNTRY:russia COUNTRY:ukraine",
  "title + known leader: the longer gazetteer name wins the overlap")
T.eq(found("Zelenskiy, Brüksel'de Avrupa Komisyonu Başkanı von der Leyen ile buluştu."),
  "PERSON:volodymyr_zelenskyy CITY:brussels ORG:european_commission PERSON:ursula_von_der_leyen",
  "gazetteer organisation beats the equally long pattern (earlier rule); particle in a name")
T.eq(found("Heyet dün Brükselde, yarın Tahrana gidecek."), "CITY:brussels CITY:tehran",
  "capitals with suffixes and no apostrophe")
local m = all:matches("Kremlin sözcüsü Dmitriy Peskov açıklama yaptı.")
T.eq(m[1] and { m[1].type, m[1].text, m[1].rule }, { "PERSON", "Dmitriy Peskov", "tr title before name" },
  "an unknown person after 'sözcüsü' is found by the title pattern, and the rule says so")
local o = all:matches("Beyaz Saray Ulusal Güvenlik Konseyi toplandı.")[1]
T.eq(o and { o.type, o.text }, { "ORG", "Beyaz Saray Ulusal Güvenlik Konseyi" }, "organisation ending in Konseyi")
local l = all:matches("Baerbock")[1]
T.eq(l and { l.role, l.country }, { "foreign minister", "DE" }, "pack attributes pass through")
T.done()
