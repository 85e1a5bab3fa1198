-- newsdesk.text from Lua: the Turkish cases of issue 2, fold offsets,
-- tokens, characters, and invalid input for every function.
local T = dofile("tests/lua/harness.lua")
local text = require("newsdesk.text")
T.ok(require("newsdesk").text == text, "newsdesk.text is the same module as require 'newsdesk.text'")

-- validity
T.eq({ text.valid("Güney") }, { true }, "valid text")
T.eq({ text.valid("ab\xC3") }, { false, 3 }, "truncated sequence: offset of its first byte")
T.eq({ text.valid("a\xED\xA0\x80") }, { false, 2 }, "surrogate is invalid")
T.eq({ text.repair("a\xE2\x80b\xFF") }, { "a\u{FFFD}b\u{FFFD}", 2 }, "repair: one U+FFFD per maximal invalid subsequence")
T.eq({ text.repair("") }, { "", 0 }, "repair empty")

-- normalization
T.eq(text.normalize("Kore\u{308}"), "Kor\u{EB}", "NFC composes")
T.eq(text.normalize("\u{EB}", "NFD"), "e\u{308}", "NFD decomposes")
T.eq(text.normalize("\u{FB01}", "NFKC"), "fi", "NFKC")
T.eq(text.normalize("\u{FB01}\u{EB}", "NFKD"), "fie\u{308}", "NFKD")
T.eq(text.normalize("a\xFFb"), "a\u{FFFD}b", "invalid input normalizes to U+FFFD")
T.ok(text.is_normalized("Güney") and not text.is_normalized("Gu\u{308}ney"), "is_normalized")
T.raises(function() text.normalize("x", "NFX") end, "invalid option 'NFX'", "unknown form raises")

-- case
T.eq(text.lower("DİYARBAKIR", "tr"), "diyarbakır", "lower DİYARBAKIR tr")
T.eq(text.upper("istanbul", "tr"), "İSTANBUL", "upper istanbul tr")
T.eq(text.upper("istanbul"), "ISTANBUL", "upper without a language")
T.eq(text.lower("ÇAĞRI"), "çağri", "default lower I is i")

-- fold
T.eq(text.fold("İSTANBUL’DA Güney"), "istanbul'da guney", "fold İSTANBUL’DA Güney")
T.eq(text.fold("IRAK Irak ırak"), "irak irak irak", "the I's merge")
T.eq(text.fold("IRAK ırak", { lang = "tr" }), "ırak ırak", "lang=tr keeps dotless i")
T.eq(text.fold("Güneyʼde", { marks = true }), "güney'de", "marks=true keeps diacritics")
T.eq(text.fold("a – b\u{A0}c\u{AD}d"), "a - b cd", "dash, no-break space, soft hyphen")
T.eq(text.fold(""), "", "fold empty")
T.eq(text.fold("A\0B"), "a\0b", "fold keeps embedded NULs")

local folded, map = text.fold("Büyük Straße’de", { offsets = true })
T.eq(folded, "buyuk strasse'de", "fold with offsets returns the fold")
local i, j = folded:find("strasse", 1, true)
T.eq({ map:original(i, j) }, { 9, 15 }, "strasse maps back to Straße")
T.eq(("Büyük Straße’de"):sub(map:original(i, j)), "Straße", "the original range is the word")
T.eq({ map:original(1, 5) }, { 1, 7 }, "buyuk maps to Büyük")
T.eq({ map:original(14) }, { 16, 18 }, "the apostrophe maps to the curly quote")
T.eq({ map:original(12, 12) }, { 13, 14 }, "one s of ss maps to the whole ß")
T.eq({ map:original(3, 2) }, { 4, 3 }, "an empty range maps to an empty range")
T.raises(function() map:original(1, 99) end, "outside the folded text", "a range past the fold raises")
local _, nfd = text.fold("Cafe\u{301} ok", { offsets = true })
T.eq({ nfd:original(4) }, { 4, 6 }, "e of an NFD é maps to e + accent")
local lig, lmap = text.fold("\u{FB01}nal Ba\u{AD}kan", { offsets = true })
T.eq(lig, "final bakan", "ligature and soft hyphen fold")
T.eq({ lmap:original(1, 1) }, { 1, 3 }, "f of the ﬁ ligature maps to the whole ligature")
T.eq({ lmap:original(7, 11) }, { 8, 14 }, "bakan maps over the dropped soft hyphen")
T.eq({ lmap:original(9, 11) }, { 12, 14 }, "kan after the soft hyphen")
map:close()
T.raises(function() map:original(1) end, "closed", "a closed map raises")

-- tokens
local function toks(s)
  local out = {}
  for tok, a, b, info in text.tokens(s) do
    out[#out + 1] = { tok, a, b, info }
  end
  return out
end
local t = toks("Kim Jong Un’un")
T.eq(#t, 3, "three tokens in Kim Jong Un’un")
T.eq({ t[3][1], t[3][4].stem, t[3][4].suffix }, { "Un’un", "Un", "un" }, "Un’un: stem Un, suffix un")
T.eq({ t[3][2], t[3][3], t[3][4].stem_stop }, { 10, 16, 11 }, "Un’un spans and stem_stop")
t = toks("Kore'nin")
T.eq({ t[1][4].stem, t[1][4].stem_stop, t[1][4].suffix }, { "Kore", 4, "nin" }, "Kore'nin: stem_stop is its e")
t = toks("Tae-yul ve Jong-un’un")
T.eq(t[1][4].parts, { "Tae", "yul" }, "Tae-yul parts")
T.eq({ t[3][4].parts, t[3][4].suffix }, { { "Jong", "un" }, "un" }, "Jong-un’un parts and suffix")
t = toks("3.008 kişi 1,5 saat 23:58")
T.eq({ t[1][1], t[1][4].kind, t[3][1], t[5][1], t[5][4].kind }, { "3.008", "number", "1,5", "23:58", "number" },
  "numbers with separators")
t = toks("Kaynak: https://haber.example.org/a?b=1, iletişim: editor@haber.example.org.")
T.eq({ t[2][1], t[2][4].kind, t[4][1], t[4][4].kind },
  { "https://haber.example.org/a?b=1", "url", "editor@haber.example.org", "email" }, "URL and e-mail")
t = toks("Erdoğanʼın")
T.eq({ t[1][4].stem, t[1][4].suffix }, { "Erdoğan", "ın" }, "modifier apostrophe ʼ")
T.eq(#toks(""), 0, "no tokens in an empty string")
T.eq(#toks("\xFF\xFE ,."), 0, "no tokens in junk")

-- characters
T.eq(text.len("ağaç"), 4, "len")
T.eq(text.len("a\xE2\x80b"), 3, "len counts an invalid sequence as one")
T.eq(text.width("日本a"), 5, "width of wide characters")
T.eq(text.width("e\u{301}"), 1, "combining marks have no width")
T.eq(text.sub("ağaç", 2, 3), "ğa", "sub by code point")
T.eq(text.sub("ağaç", -2), "aç", "sub negative start")
T.eq(text.sub("ağaç", 3, 2), "", "sub empty")
T.eq(text.sub("", 1, 5), "", "sub of empty")
local g = {}
for c, a, b in text.graphemes("e\u{301}🇹🇷!") do g[#g + 1] = { c, a, b } end
T.eq(g, { { "e\u{301}", 1, 3 }, { "🇹🇷", 4, 11 }, { "!", 12, 12 } }, "graphemes with spans")

-- every function on invalid input
for _, s in ipairs({ "\xC3", "\xE0\x80\xAF", "\xED\xA0\x80", "\x80\x80", "a\0\xF4\x90" }) do
  local okall = pcall(function()
    assert(text.valid(text.repair(s)))
    for _, f in ipairs({ "NFC", "NFD", "NFKC", "NFKD" }) do assert(text.valid(text.normalize(s, f))) end
    assert(text.valid(text.lower(s, "tr")) and text.valid(text.upper(s)))
    local f, m = text.fold(s, { offsets = true })
    assert(text.valid(f))
    local a, b = m:original(1, #f)
    assert(a == 1 and b == #s)
    for _ in text.tokens(s) do end
    for _ in text.graphemes(s) do end
    text.len(s); text.width(s); text.sub(s, 1, 1)
  end)
  T.ok(okall, "every function handles " .. s:gsub(".", function(c) return ("\\x%02X"):format(c:byte()) end))
end
T.raises(function() text.fold(nil) end, "bad argument #1 to 'fold'", "fold(nil) raises")
T.done()
