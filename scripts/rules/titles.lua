-- Rule pack: title patterns, Turkish, English and German.  A person is the
-- capitalized words right after a title ("Dışişleri Bakanı Hakan Fidan",
-- "Kremlin sözcüsü Dmitriy Peskov"); an organisation is capitalized words
-- ending in "Bakanlığı", "Konseyi", "Birliği", ... ("Ulusal Güvenlik
-- Konseyi").  A person named right BEFORE a word is written the same way:
--   { type = "PERSON", pattern = { { is = "cap", max = 3, mark = true }, "sözcüsü" } }
-- but it is not in this pack: in Turkish news the name usually follows
-- ("Kremlin sözcüsü Peskov"), and the organisation precedes.
-- Capitalized runs are greedy and the longest match wins, so a capitalized
-- word right before an organisation joins it unless punctuation separates
-- them; add such words to not_names.  A head word needs at least one
-- capitalized word before it, so "Birliği" or "Ajansı" alone is never an
-- organisation; pattern words written with a capital ("Birliği") match only
-- capitalized words, lower-case ones ("sözcüsü") any.
-- Pattern elements: "phrase" or {"a", "b"} (one of), {is = "cap" | "upper" |
-- "number" | "word" | "any"}, with min=, max=, opt=true, mark=true (the part
-- that becomes the entity) and except={...} (words a class does not take).

-- capitalized words that are not names: days, months, sentence openers
local not_names = { "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar",
  "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
  "Kasım", "Aralık", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "Bay", "Bayan",
  "Mr", "Mrs", "Ms", "Herr", "Frau", "The", "Der", "Die", "Das", "Bu", "On", "In", "Am" }

return {
  { type = "PERSON", rule = "tr title before name", pattern = {
    { "Dışişleri Bakanı", "Savunma Bakanı", "Cumhurbaşkanı", "Başbakan", "Başbakanı", "Genel Sekreteri",
      "Dış Politika Şefi", "Büyükelçisi", "Devlet Başkanı", "Başkan Yardımcısı", "lideri", "Sözcüsü", "sözcüsü" },
    { is = "cap", max = 4, mark = true, except = not_names } } },
  { type = "ORG", rule = "tr organisation head word", pattern = {
    { is = "cap", max = 6, except = not_names },
    { "Bakanlığı", "Konseyi", "Birliği", "Örgütü", "Teşkilatı", "Komisyonu", "Parlamentosu", "Meclisi", "Ajansı" } } },
  { type = "PERSON", rule = "en title before name", pattern = {
    { "Foreign Minister", "Defence Minister", "Defense Minister", "Prime Minister", "President",
      "Secretary of State", "Secretary-General", "Secretary General", "Chancellor", "Ambassador",
      "spokesperson", "spokesman", "spokeswoman", "leader" },
    { is = "cap", max = 4, mark = true, except = not_names } } },
  { type = "ORG", rule = "en ministry of", pattern = { { "Ministry of" }, { is = "cap", max = 3 } } },
  { type = "ORG", rule = "en organisation head word", pattern = {
    { is = "cap", max = 6, except = not_names },
    { "Council", "Union", "Organization", "Organisation", "Commission", "Agency", "Ministry" } } },
  { type = "PERSON", rule = "de title before name", pattern = {
    { "Außenministerin", "Außenminister", "Verteidigungsminister", "Verteidigungsministerin",
      "Bundeskanzler", "Bundeskanzlerin", "Präsident", "Präsidentin", "Regierungssprecher",
      "Regierungssprecherin", "Ministerpräsident", "Ministerpräsidentin", "Generalsekretär" },
    { is = "cap", max = 4, mark = true, except = not_names } } },
}
