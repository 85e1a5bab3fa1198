-- Exact and near-duplicate articles: the same story republished with other
-- chrome, counters or small edits points at the first copy; other stories
-- on the same topic do not.
local T = dofile("tests/lua/harness.lua")
local db = newsdesk.open()

local story = {
  "Ankara'da düzenlenen enerji zirvesinde Türkiye, Azerbaycan ve Gürcistan bakanları yeni bir doğal gaz boru hattı için niyet mektubu imzaladı.",
  "Enerji Bakanı, projenin ilk aşamasının 2027 yılında tamamlanmasının hedeflendiğini ve hattın yıllık on milyar metreküp taşıma kapasitesine sahip olacağını söyledi.",
  "Azerbaycan heyeti, Hazar havzasındaki yeni sahalardan çıkarılacak gazın Avrupa pazarına ulaştırılmasında Türkiye'nin kilit rol oynayacağını vurguladı.",
  "Gürcistan Ekonomi Bakanı ise transit ücretleri konusundaki görüşmelerin önümüzdeki ay Tiflis'te süreceğini açıkladı.",
  "Zirvede ayrıca elektrik şebekelerinin birbirine bağlanması, yenilenebilir enerji yatırımları ve karbon salımının azaltılması ele alındı.",
  "Uzmanlar, projenin bölgedeki enerji güvenliğini güçlendireceğini ancak finansman kaynaklarının henüz netleşmediğini belirtiyor.",
}
local function body(parts) return table.concat(parts, "\n\n") end
local function copy(t) local c = {} for i, v in ipairs(t) do c[i] = v end return c end

local orig = assert(db:add { title = "Üç ülkeden yeni boru hattı adımı", body = body(story), source = "ajans-a" })

-- 1. chrome and counters around the same text
local chrome = copy(story)
table.insert(chrome, 1, "Haberi Paylaş")
table.insert(chrome, 2, "Okunma: 12.481")
table.insert(chrome, "Son Güncelleme: 05.11.2024 10:12")
table.insert(chrome, "İlgili Haberler")
local id, is_new, status = db:add { title = "Üç ülkeden yeni boru hattı adımı", body = body(chrome), source = "site-b" }
T.ok(is_new and status == "near_duplicate", "chrome and counters: near-duplicate (" .. tostring(status) .. ")")
T.eq(db:get(id).duplicate_of, orig, "it points at the first copy")

-- 2. small edits: a corrected word, a changed figure, a reworded clause
local edited = copy(story)
edited[2] = edited[2]:gsub("on milyar", "12 milyar"):gsub("söyledi", "kaydetti")
edited[4] = edited[4]:gsub("önümüzdeki ay", "gelecek hafta")
edited[6] = edited[6]:gsub("Uzmanlar", "Enerji uzmanları")
id, is_new, status = db:add { title = "Üç ülkeden boru hattı adımı", body = body(edited), source = "site-c" }
T.ok(status == "near_duplicate", "small edits: near-duplicate (" .. tostring(status) .. ")")
T.eq(db:get(id).duplicate_of, orig, "edited copy points at the first copy, not at copy 1")

-- 3. the same story cut short (last paragraph missing) and with a lede repeated
local cut = copy(story)
cut[#cut] = nil
table.insert(cut, 1, story[1])
id, is_new, status = db:add { title = "Üç ülkeden yeni boru hattı adımı", body = body(cut), source = "site-d" }
T.ok(status == "near_duplicate", "cut page with a repeated lede: near-duplicate (" .. tostring(status) .. ")")

-- 4. exact duplicate with other spacing, case and apostrophes
local spaced = body(story):gsub("'", "’"):gsub("\n\n", "\n \n"):upper()
id, is_new, status = db:add { title = "ÜÇ ÜLKEDEN YENİ BORU HATTI ADIMI", body = spaced, source = "site-e" }
T.ok(id == orig and is_new == false and status == "duplicate", "case/apostrophe/spacing variants are exact duplicates")

-- 5. different stories on the same topic are not duplicates
local other = {
  "Azerbaycan ile Türkiye arasında imzalanan yeni anlaşmayla elektrik ticaretinin artırılması hedefleniyor.",
  "Anlaşma, sınır bölgesinde kurulacak iki yeni trafo merkezi ve ortak bir denetim kurulunu kapsıyor.",
  "Bakanlar, enerji güvenliğinin bölgesel işbirliğiyle güçleneceğini belirterek Gürcistan'ın da sürece katılmasını istedi.",
  "Projenin finansmanı için uluslararası kalkınma bankalarıyla görüşmeler sürüyor; ilk ihalenin gelecek yıl yapılması bekleniyor.",
}
id, is_new, status = db:add { title = "Azerbaycan ile elektrik anlaşması", body = body(other), source = "ajans-a" }
T.ok(status == "new", "another story on the same topic is new (" .. tostring(status) .. ")")
local half = { story[1], story[2], other[3], other[4] }
id, is_new, status = db:add { title = "Enerji gündemi", body = body(half), source = "ajans-f" }
T.ok(status == "new", "half of the story plus other text is new (" .. tostring(status) .. ")")

-- 6. short texts are never near-duplicates of each other
local s1 = db:add { title = "Kısa", body = "Ankara'da enerji zirvesi başladı." }
local _, _, st = db:add { title = "Kısa", body = "Ankara'da enerji zirvesi sona erdi." }
T.ok(s1 and st == "new", "short texts differing by two words are both new")

-- 7. other languages
local en = {
  "Energy ministers from three countries signed a letter of intent for a new natural gas pipeline at a summit in Ankara on Monday.",
  "The first phase of the project is expected to be completed in 2027, with an annual capacity of ten billion cubic metres.",
  "Officials said talks on transit fees would continue next month in Tbilisi, while financing remains to be agreed.",
}
local en1 = db:add { title = "Three countries back new gas pipeline", body = body(en), lang = "en" }
local en2 = copy(en)
en2[1] = "UPDATED 10:42 GMT " .. en2[1]
en2[#en2 + 1] = "Reporting by A. Writer; editing by B. Editor"
id, is_new, status = db:add { title = "Three countries back new gas pipeline", body = body(en2), lang = "en" }
T.ok(status == "near_duplicate" and db:get(id).duplicate_of == en1, "English wire copy with a byline: near-duplicate")

-- queries hide near-duplicates on request
local all, originals = db:count(), db:count { duplicates = false }
T.eq(all - originals, 4, "four near-duplicates stored")
local seen = {}
for a in db:articles { duplicates = false } do
  T.eq(a.duplicate_of, nil, "duplicates=false yields originals only: " .. a.id)
  seen[#seen + 1] = a.id
end
T.eq(#seen, originals, "as many as counted")
T.eq(#db:search("boru hattı"), 5, "search shows the copies (4) and the half story")
T.eq(#db:search("boru hattı", { duplicates = false }), 2, "with duplicates=false: the original and the half story")

-- deleting the original promotes the next copy
db:delete(orig)
local left = {}
for a in db:articles { match = '"boru hattı"', order = "date" } do left[#left + 1] = a end
T.eq(left[1].duplicate_of, nil, "the oldest remaining copy became the original")
T.eq(left[2].duplicate_of, left[1].id, "the others point at it")
T.done()
