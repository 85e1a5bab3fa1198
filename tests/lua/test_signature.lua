-- newsdesk.text.signature / similarity: the store's near-duplicate
-- fingerprint for texts outside a store.  It must agree with what the store
-- links at ingest, be the same on every run and machine (it is a reduce key
-- across shards), and refuse what is not a signature.
local T = dofile("tests/lua/harness.lua")
local text = newsdesk.text

local story = "Ankara’da Dışişleri Bakanı Hakan Fidan, Almanya Dışişleri Bakanı Annalena Baerbock ile bir araya geldi ve iki ülke arasındaki ilişkileri görüştü."
local sig, bands = text.signature(story)
T.eq(#sig, 256, "a signature is 256 hex digits")
T.ok(sig:match("^[0-9a-f]+$") ~= nil, "only lowercase hex digits")
T.eq(#bands, 8, "eight band keys")
T.eq({ sig:sub(1, 24), bands[1], bands[8] }, { "784b6452b780eac58bc9b11f", "b1:4aa424bd", "b8:e36dcfdb" },
  "the signature of a fixed text never changes (shards on other machines must agree)")
T.eq(text.signature(story), sig, "the same text gives the same signature")
T.eq(text.similarity(sig, sig), 1.0, "a text is fully similar to itself")

-- case, diacritics, apostrophes and spacing do not matter: the store's folding
local folded = text.signature("ANKARA'DA  Dışişleri bakanı Hakan Fidan, Almanya Dışişleri Bakanı Annalena Baerbock ile bir araya geldi ve iki ülke arasındaki ilişkileri görüştü!")
T.eq(folded, sig, "case, apostrophe spelling, spacing and punctuation give the same signature")

-- agreement with the store on republished copies and other stories
local db = newsdesk.open()
local texts = {
  story,
  story .. " Görüşme yaklaşık iki saat sürdü.",                                 -- republished with a line more
  "Haberi Paylaş. " .. story .. " Okunma: 1.204",                               -- with chrome
  "Cumhurbaşkanı Erdoğan, Azerbaycan Cumhurbaşkanı Aliyev ile Bakü’de iklim zirvesinin açılışında bir araya gelerek enerji projelerini ele aldı.",
  "Dışişleri Bakanı Hakan Fidan, Rusya Dışişleri Bakanı Sergey Lavrov ile telefonda görüşerek Ukrayna’daki savaşı ve tahıl koridorunu değerlendirdi.",
}
local ids, sigs = {}, {}
for i, t in ipairs(texts) do
  ids[i] = assert(db:add { title = "t" .. i, body = t })
  sigs[i] = assert(text.signature(t))
end
T.eq({ db:get(ids[2]).duplicate_of, db:get(ids[3]).duplicate_of, db:get(ids[4]).duplicate_of, db:get(ids[5]).duplicate_of },
  { ids[1], ids[1], nil, nil }, "the store links the two copies and not the other stories")
for i = 2, #texts do
  local stored = db:get(ids[i]).duplicate_of ~= nil
  local streamed = text.similarity(sigs[1], sigs[i]) >= text.NEAR
  T.eq(streamed, stored, string.format("text %d: the signature says near-duplicate exactly when the store does (%s)",
    i, tostring(stored)))
end
local shared = {}
for _, b in ipairs(select(2, text.signature(texts[2]))) do shared[b] = true end
local meet = false
for _, b in ipairs(bands) do meet = meet or shared[b] == true end
T.ok(meet, "a republished copy shares a band key with the original, so they meet in one reduce group")
db:close()

-- too short to judge, as in the store
local s, msg, code = text.signature("Kısa bir haber.")
T.eq({ s, code }, { nil, "range" }, "a text too short to judge gives nil, message, \"range\"")
T.ok(msg:find("too short", 1, true) ~= nil, "the message says it is too short: " .. tostring(msg))
T.eq(select(3, text.signature("")), "range", "the empty text too")

T.raises(function() text.similarity("abc", sig) end, "not a signature", "similarity refuses a string that is not a signature")
T.raises(function() text.similarity(sig, sig:upper()) end, "not a signature", "and upper-case hex")
T.raises(function() text.signature() end, "string expected", "signature wants a string")
T.eq(text.NEAR, 0.5, "text.NEAR is the store's threshold")

T.done()
