-- quality.lua -- recall and precision of search over inflected forms.
--   newsdesk run tests/search/quality.lua [DIR]    (DIR: where forms_*.tsv are)
-- Recall: each (base, form) pair of forms_LANG.tsv (made by make_forms.py
-- from grammar references) is an article holding the form; a pair counts
-- when a search for the base, in the article's language, finds it.
-- Precision: 3000 generated articles of 8 words each, drawn from every
-- form, base and distractor (distractors.tsv: different words spelled like
-- a base); for 50 base words per language, the share of the articles a
-- search finds that really hold the word (itself or one of its forms).
-- Every list is split by a hash of its line into a dev half and a
-- held-out half before anything is measured; both are printed.
local dir = arg and arg[1] or "tests/search"
local langs = { "tr", "ru", "de", "en", "uk" }

local split = dofile("tests/eval/split.lua")
local function half(line) return split.first(line) and "dev" or "held-out" end

local function read_forms(lang)
  local rows = {}
  for line in io.lines(dir .. "/forms_" .. lang .. ".tsv") do
    if line:sub(1, 1) ~= "#" then
      local base, form = line:match("^([^\t]+)\t([^\t]+)")
      rows[#rows + 1] = { base = base, form = form, split = half(line) }
    end
  end
  return rows
end

local distract = {}
for line in io.lines(dir .. "/distractors.tsv") do
  local lang, w = line:match("^(%a%a)\t(.+)$")
  if lang then distract[lang] = distract[lang] or {}; table.insert(distract[lang], w) end
end

local function pct(a, b) return b > 0 and string.format("%.3f (%d/%d)", a / b, a, b) or "-" end

-- recall
local results = {}
for _, lang in ipairs(langs) do
  local rows = read_forms(lang)
  local db = newsdesk.open()
  local ids = {}
  db:transaction(function()
    for i, r in ipairs(rows) do ids[i] = db:add { title = "#" .. i, body = r.form, lang = lang } end
  end)
  local got, total, misses = { dev = 0, ["held-out"] = 0 }, { dev = 0, ["held-out"] = 0 }, {}
  for i, r in ipairs(rows) do
    local n = db:count { match = r.base, match_lang = lang, ids = { ids[i] } }
    total[r.split] = total[r.split] + 1
    if n == 1 then
      got[r.split] = got[r.split] + 1
    elseif r.split == "dev" then        -- the held-out misses stay unseen: only their count is printed
      misses[#misses + 1] = r.base .. "→" .. r.form
    end
  end
  db:close()
  results[lang] = { got = got, total = total, misses = misses }
end

-- precision
local prec = {}
for _, lang in ipairs(langs) do
  local rows = read_forms(lang)
  local words, lemma_of, bases, seen = {}, {}, {}, {}
  local function word(w, lemma)
    if not lemma_of[w] then words[#words + 1] = w; lemma_of[w] = {} end
    lemma_of[w][lemma] = true
  end
  for _, r in ipairs(rows) do
    word(r.base, r.base); word(r.form, r.base)
    if not seen[r.base] then seen[r.base] = true; bases[#bases + 1] = r.base end
  end
  for _, w in ipairs(distract[lang] or {}) do
    word(w, w)
    if not seen[w] then seen[w] = true; bases[#bases + 1] = w end
  end
  local queries = {}
  for i = 1, math.min(50, #bases) do queries[i] = bases[i] end
  -- the corpus: a fixed pseudo-random draw
  local db = newsdesk.open()
  local seed, held = 12345, {}
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
  db:transaction(function()
    for a = 1, 3000 do
      local ws, lemmas = {}, {}
      for k = 1, 8 do
        local w = words[rnd(#words)]
        ws[k] = w
        for l in pairs(lemma_of[w]) do lemmas[l] = true end
      end
      held[db:add { title = "#" .. a, body = table.concat(ws, " ") .. ".", lang = lang }] = lemmas
    end
  end)
  local good, all = { dev = 0, ["held-out"] = 0 }, { dev = 0, ["held-out"] = 0 }
  local worst = {}
  for _, q in ipairs(queries) do
    local split, g, n = half(lang .. "\t" .. q), 0, 0
    for a in db:articles { match = q, match_lang = lang } do
      n = n + 1
      if held[a.id][q] then g = g + 1 end
    end
    good[split], all[split] = good[split] + g, all[split] + n
    if g < n and split == "dev" then worst[#worst + 1] = string.format("%s %d/%d", q, g, n) end
  end
  db:close()
  prec[lang] = { good = good, all = all, worst = worst, nq = #queries }
end

print("search quality (tests/search/quality.lua): recall of inflected forms, precision of hits")
print(string.format("%-4s %-26s %-26s %-26s %-26s", "lang", "recall dev", "recall held-out",
  "precision dev", "precision held-out"))
for _, lang in ipairs(langs) do
  local r, p = results[lang], prec[lang]
  print(string.format("%-4s %-26s %-26s %-26s %-26s", lang, pct(r.got.dev, r.total.dev),
    pct(r.got["held-out"], r.total["held-out"]), pct(p.good.dev, p.all.dev), pct(p.good["held-out"], p.all["held-out"])))
end
for _, lang in ipairs(langs) do
  local r, p = results[lang], prec[lang]
  print(string.format("%s: %d pairs, %d precision queries; missed (dev): %s", lang, r.total.dev + r.total["held-out"], p.nq,
    table.concat(r.misses, " ")))
  print(string.format("%s: dev queries with wrong hits: %s", lang, table.concat(p.worst, ", ")))
end
