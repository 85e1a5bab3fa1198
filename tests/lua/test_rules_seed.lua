-- The rules file of people, countries and cities named in the sample pages
-- (tests/data/rules/seed_names.lua) finds every mention in sentences of the
-- same shape: suffixes after straight and curly apostrophes, hyphenated and
-- spaced spellings, suffixes without an apostrophe, and the typo "Borrel".
local T = dofile("tests/lua/harness.lua")
local rules = assert(newsdesk.rules.load("tests/data/rules/seed_names.lua"))

local function ids(text)
  local out = {}
  for m in rules:scan(text) do out[#out + 1] = m.id .. ":" .. m.text end
  return out
end

T.eq(ids("Borrell’in Seul ziyaretinde Cho Tae-yul ile Kuzey Kore'nin Rusya'ya desteği konuşuldu."),
  { "josep_borrell:Borrell’in", "seoul:Seul", "cho_tae_yul:Cho Tae-yul", "north_korea:Kuzey Kore'nin",
    "russia:Rusya'ya" }, "curly and straight apostrophes, hyphenated name")
T.eq(ids("Dün akşam Borrel ve Tae-yul'un görüşmesi sona erdi."),
  { "josep_borrell:Borrel", "cho_tae_yul:Tae-yul'un" }, "the misspelt Borrel is found with fuzzy=1")
T.eq(ids("Kim Jong-un’un mektubu Pyongyang’dan Moskova’ya ulaştı; Kim Jong Un ayrıca Putin'le görüştü."),
  { "kim_jong_un:Kim Jong-un’un", "pyongyang:Pyongyang’dan", "moscow:Moskova’ya", "kim_jong_un:Kim Jong Un",
    "vladimir_putin:Putin'le" }, "Kim Jong-un and Kim Jong Un are one person")
T.eq(ids("ABD'nin BM temsilcisi Linda Thomas-Greenfield, Beyaz Saray’ın tutumunu açıkladı."),
  { "usa:ABD'nin", "un:BM", "linda_thomas_greenfield:Linda Thomas-Greenfield", "white_house:Beyaz Saray’ın" },
  "abbreviations and a hyphenated surname")
T.eq(ids("Rusya Federasyonu'na ve Ukraynaya yönelik açıklamada Kursk ve Kievden söz edildi."),
  { "russia:Rusya Federasyonu'na", "ukraine:Ukraynaya", "kursk:Kursk", "kyiv:Kievden" },
  "the longer name wins; suffixes without an apostrophe (suffixes=\"tr\")")
T.eq(ids("Savunma Bakanı Kim Yong-hyun, Sergei Shoigu ve John Kirby ile Washington’da bir araya geldi."),
  { "kim_yong_hyun:Kim Yong-hyun", "sergei_shoigu:Sergei Shoigu", "john_kirby:John Kirby",
    "washington:Washington’da" }, "people and a city with a curly-apostrophe suffix")
T.eq(ids("Antony Blinken, Choe Son Hui'nin Güney Kore ve Kore Cumhuriyeti hakkındaki sözlerine yanıt verdi."),
  { "antony_blinken:Antony Blinken", "choe_son_hui:Choe Son Hui'nin", "south_korea:Güney Kore",
    "south_korea:Kore Cumhuriyeti" }, "two names of one country")
T.eq(ids("Avrupa Birliği (AB) ve Güvenlik Konseyi, Adrian Watson'ın açıklamasını Londra'da değerlendirdi."),
  { "eu:Avrupa Birliği", "eu:AB", "un_security_council:Güvenlik Konseyi", "adrian_watson:Adrian Watson'ın",
    "london:Londra'da" }, "organisations and a person with a suffix")
T.eq(ids("EU foreign policy chief Josep Borrell met Blinken in Washington; Putin’s envoy stayed in Moscow."),
  { "josep_borrell:Josep Borrell", "antony_blinken:Blinken", "washington:Washington",
    "vladimir_putin:Putin’s" }, "English sentence: 's after a curly apostrophe")
T.eq(ids("Der EU-Außenbeauftragte Borrell traf in Seul den Minister Cho Tae-yul."),
  { "josep_borrell:Borrell", "seoul:Seul", "cho_tae_yul:Cho Tae-yul" }, "German sentence")
T.eq(ids("Seulün Rusyalaştırma Koreli Putinizm"), {},
  "no match for harmony violations or unrelated longer words")
local m = rules:matches("KUZEY KORE’NİN açıklaması")[1]
T.eq({ m and m.id, m and m.suffix }, { "north_korea", "NİN" }, "upper case with dotted İ in the suffix")
T.done()
