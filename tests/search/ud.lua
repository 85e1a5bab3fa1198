-- ud.lua -- search recall and precision on real sentences that Universal
-- Dependencies treebanks annotate (lemma and part of speech of each word).
--   newsdesk run tests/search/ud.lua [--dev] [FILE ...]
-- --dev: the dev files only (held-out files not read), for tuning.
-- FILE: a sentence fixture (default: every tests/search/ud/*.txt listed in
-- DEFAULT below; a local copy of a treebank whose licence forbids committing
-- it, converted to the same form, may be named too).
--
-- Fixture form: lines "# ..." are comments; "# lang: xx" gives the language.
-- Every other line is "sent_id<TAB>tokens": the sentence's words as written,
-- punctuation left out, separated by spaces.  A token is
--   form            (not a noun, name or adjective)
--   form/C          (C: N noun, P proper noun, A adjective; lemma = form)
--   form/C/lemma    (the same with the treebank's lemma)
--
-- Recall: each distinct (lemma, form) pair of class N or P (and, apart, A)
-- whose form is inflected (its fold differs from the lemma's) is an article
-- holding the form; the pair counts when a search for the lemma, lowercased
-- in the sentence's language and searched in it, finds that article.
-- Excluded, with their count printed: lemmas that are not one word of
-- letters (digits, brackets, quotes: treebank notes, not words), forms
-- cut short with a full stop (abbreviations: "в." for век), and for
-- Turkish forms where the lemma is followed by a derivational suffix
-- (-CI, -lIk, -sIz): the treebank lemmatises some derived words to their
-- root (denizci -> deniz, sanatçı -> sanat) and others to themselves
-- (gazeteci, öğrenci); search treats a derived word as a word of its own.
--
-- Precision: every sentence is an article; for the 50 most frequent noun and
-- name lemmas of a language, the share of the sentences a search finds whose
-- gold lemmas hold it (a noun, name or adjective with that lemma, or another
-- word written so: the fixture carries no lemma for verbs and the rest).
--
-- Split by file: each fixture names its half in a "# split: dev" or
-- "# split: held-out" line.  The dev files (tests/search/ud/*_dev.txt, the
-- extracts the search rules were tuned on: every miss and wrong hit of them
-- is printed) and the held-out files (tests/search/ud/*_heldout.txt, taken
-- later from further on in the same treebanks and measured once, after the
-- rules were final: only their totals are printed) hold different
-- sentences.  --dev leaves the held-out files out.

local DEFAULT = {
  "tests/search/ud/tr_boun_dev.txt",
  "tests/search/ud/tr_boun_dev2.txt",
  "tests/search/ud/ru_gsd_dev.txt",
  "tests/search/ud/ru_gsd_dev2.txt",
  "tests/search/ud/tr_boun_heldout.txt",
  "tests/search/ud/tr_boun_heldout2.txt",
  "tests/search/ud/ru_gsd_heldout.txt",
  "tests/search/ud/ru_gsd_heldout2.txt",
}
local files, dev_only = {}, false
for i = 1, #(arg or {}) do
  if arg[i] == "--dev" then dev_only = true else files[#files + 1] = arg[i] end
end
if #files == 0 then
  for _, f in ipairs(DEFAULT) do
    local h = io.open(f, "r")
    if h then h:close(); files[#files + 1] = f end
  end
end

local fold, lower = newsdesk.text.fold, newsdesk.text.lower

-- read one fixture: lang and a list of sentences {id=, words={{form=,
-- class=, lemma=}}}; a malformed line raises naming file and line
local function read_fixture(path)
  local lang, split, sents, n = nil, nil, {}, 0
  for line in io.lines(path) do
    n = n + 1
    if line:sub(1, 1) == "#" then
      lang = line:match("^#%s*lang:%s*(%a+)") or lang
      split = line:match("^#%s*split:%s*([%a-]+)") or split
    elseif line:find("%S") then
      local id, toks = line:match("^([^\t]+)\t(.*)$")
      if not id then error(string.format("%s:%d: expected sent_id<TAB>tokens", path, n), 0) end
      local words = {}
      for tok in toks:gmatch("%S+") do
        local form, class, lemma = tok:match("^([^/]+)/([NPA])/(.+)$")
        if not form then form, class = tok:match("^([^/]+)/([NPA])$") end
        if not form then
          if tok:find("/", 1, true) then
            error(string.format("%s:%d: bad token '%s' (form, form/C or form/C/lemma)", path, n, tok), 0)
          end
          form = tok
        end
        words[#words + 1] = { form = form, class = class, lemma = lemma or form }
      end
      sents[#sents + 1] = { id = id, words = words }
    end
  end
  if not lang then error(path .. ": no '# lang: xx' line", 0) end
  if split ~= "dev" and split ~= "held-out" then
    error(path .. ": no '# split: dev' or '# split: held-out' line", 0)
  end
  return lang, split, sents
end

-- Turkish derivational suffixes right after the lemma (see the header)
local TR_DERIVED = {}
for _, c in ipairs { "c", "ç" } do
  for _, v in ipairs { "ı", "i", "u", "ü" } do TR_DERIVED[#TR_DERIVED + 1] = c .. v end
end
for _, v in ipairs { "ı", "i", "u", "ü" } do
  TR_DERIVED[#TR_DERIVED + 1] = "l" .. v .. "k"
  TR_DERIVED[#TR_DERIVED + 1] = "l" .. v .. "ğ"
  TR_DERIVED[#TR_DERIVED + 1] = "s" .. v .. "z"
end
local function excluded(lang, lemma_l, form_l)
  if lemma_l:find("[^%a\128-\255]") then return "not a word" end
  if form_l:find(".", 1, true) then return "abbreviation" end
  if lang == "tr" and form_l:sub(1, #lemma_l) == lemma_l then
    local rest = form_l:sub(#lemma_l + 1)
    for _, p in ipairs(TR_DERIVED) do
      if rest:sub(1, #p) == p then return "derived" end
    end
  end
  return nil
end

local function pct(a, b) return b > 0 and string.format("%.3f (%d/%d)", a / b, a, b) or "-" end

-- recall over the distinct inflected (lemma, form) pairs of classes
local function recall(lang, sents, classes)
  local pairs_, seen, skipped = {}, {}, {}
  local tokens = 0
  for _, s in ipairs(sents) do
    for _, w in ipairs(s.words) do
      if w.class and classes[w.class] then
        tokens = tokens + 1
        local lemma_l, form_l = lower(w.lemma, lang), lower(w.form, lang)
        if fold(form_l) ~= fold(lemma_l) then
          local why = excluded(lang, lemma_l, form_l)
          local key = lemma_l .. "\t" .. form_l
          if why then
            if not seen[key] then seen[key] = true; skipped[why] = (skipped[why] or 0) + 1 end
          elseif not seen[key] then
            seen[key] = true
            pairs_[#pairs_ + 1] = { lemma = lemma_l, form = w.form }
          end
        end
      end
    end
  end
  local db = newsdesk.open()
  local ids = {}
  db:transaction(function()
    for i, p in ipairs(pairs_) do ids[i] = db:add { title = "#" .. i, body = p.form, lang = lang } end
  end)
  local got, misses = 0, {}
  for i, p in ipairs(pairs_) do
    local ok, n = pcall(db.count, db, { match = p.lemma, match_lang = lang, ids = { ids[i] } })
    if ok and n == 1 then
      got = got + 1
    else
      misses[#misses + 1] = p.lemma .. "→" .. p.form .. (ok and "" or " (query error)")
    end
  end
  db:close()
  return { got = got, total = #pairs_, misses = misses, tokens = tokens, skipped = skipped }
end

local function precision(lang, sents)
  local count, first, order = {}, {}, {}
  for si, s in ipairs(sents) do
    for _, w in ipairs(s.words) do
      if w.class == "N" or w.class == "P" then
        local l = lower(w.lemma, lang)
        if not excluded(lang, l, l) then
          if not count[l] then count[l] = 0; first[l] = si; order[#order + 1] = l end
          count[l] = count[l] + 1
        end
      end
    end
  end
  table.sort(order, function(a, b)
    if count[a] ~= count[b] then return count[a] > count[b] end
    return first[a] < first[b]
  end)
  local db = newsdesk.open()
  local gold = {}
  db:transaction(function()
    for _, s in ipairs(sents) do
      local ws, lemmas = {}, {}
      for k, w in ipairs(s.words) do
        ws[k] = w.form
        lemmas[fold(lower(w.class and w.lemma or w.form, lang))] = true
      end
      gold[db:add { title = s.id, body = table.concat(ws, " ") .. ".", lang = lang }] = lemmas
    end
  end)
  local good, all, wrong = 0, 0, {}
  local nq = math.min(50, #order)
  for i = 1, nq do
    local q = order[i]
    for a in db:articles { match = q, match_lang = lang } do
      all = all + 1
      if gold[a.id][fold(q)] then
        good = good + 1
      else
        wrong[#wrong + 1] = q .. " in " .. a.title .. ": " .. a.body
      end
    end
  end
  db:close()
  return { good = good, all = all, wrong = wrong, nq = nq }
end

print("search on real text (tests/search/ud.lua): Universal Dependencies lemmas and forms")
print(string.format("%-4s %-9s %-22s %-22s %-22s %s", "lang", "split", "recall N+P", "recall ADJ", "precision N+P",
  "file"))
local notes = {}
for _, path in ipairs(files) do
  local lang, split, sents = read_fixture(path)
  if split == "dev" or not dev_only then
    local np = recall(lang, sents, { N = true, P = true })
    local adj = recall(lang, sents, { A = true })
    local pr = precision(lang, sents)
    print(string.format("%-4s %-9s %-22s %-22s %-22s %s", lang, split, pct(np.got, np.total),
      pct(adj.got, adj.total), pct(pr.good, pr.all), path:match("[^/]+$")))
    local function skipped(r)
      local t = {}
      for why, c in pairs(r.skipped) do t[#t + 1] = why .. " " .. c end
      table.sort(t)
      return #t > 0 and table.concat(t, ", ") or "none"
    end
    notes[#notes + 1] = string.format(
      "%s %s (%s): %d sentences, %d noun/name tokens, %d inflected pairs (excluded: %s); %d adjective tokens, %d inflected pairs; %d precision queries",
      lang, split, path, #sents, np.tokens, np.total, skipped(np), adj.tokens, adj.total, pr.nq)
    if split == "dev" then
      notes[#notes + 1] = lang .. " missed (dev, N+P): " .. table.concat(np.misses, " ")
      notes[#notes + 1] = lang .. " missed (dev, ADJ): " .. table.concat(adj.misses, " ")
      notes[#notes + 1] = lang .. " wrong hits (dev): " .. table.concat(pr.wrong, " | ")
    end
  end
end
for _, n in ipairs(notes) do print(n) end
