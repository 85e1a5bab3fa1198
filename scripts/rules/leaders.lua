-- Rule pack: world leaders and foreign ministers (as of late 2024), with the
-- spellings Turkish, English and German news use.  Names of six letters or
-- more also match with one typo (fuzzy = 1): "Borrel" finds Borrell.
-- Copy and edit: offices change.  Fields other than id/names are
-- attributes passed through to every match (role, country).

-- Russian names are declined by ru() below (Путин -> Путина, Путину,
-- Путиным, Путине); Arabic names are given as written.

-- The four oblique case forms of one Russian male name word, in the order
-- genitive, dative, instrumental, prepositional; none for indeclinables.
local function ru_word(w)
  local function ends(e) return w:sub(-#e) == e end
  if ends("ский") then local b = w:sub(1, -9) return { b .. "ского", b .. "скому", b .. "ским", b .. "ском" } end
  if ends("ий") then local b = w:sub(1, -5) return { b .. "ия", b .. "ию", b .. "ием", b .. "ии" } end
  if ends("ин") or ends("ов") or ends("ев") then return { w .. "а", w .. "у", w .. "ым", w .. "е" } end
  if ends("й") then local b = w:sub(1, -3) return { b .. "я", b .. "ю", b .. "ем", b .. "е" } end
  if ends("а") or ends("о") or ends("у") or ends("и") or ends("е") or ends("ы") or ends("ю") or ends("я") or ends("ь") then
    return nil
  end
  return { w .. "а", w .. "у", w .. "ом", w .. "е" }
end

-- A Russian name with its case forms, every word declined alike: a list
-- inside a names list, which flat() below splices in.  (Rules files run in
-- an empty environment: no ipairs or table library here.)
local function ru(name)
  local out, words = { name }, {}
  for w in name:gmatch("%S+") do words[#words + 1] = w end
  for c = 1, 4 do
    local s = ""
    for i = 1, #words do
      local f = ru_word(words[i])
      s = s .. (i > 1 and " " or "") .. (f and f[c] or words[i])
    end
    out[#out + 1] = s
  end
  return out
end

-- Splice the lists ru() made into each entity's names.
local function flat(rules)
  local ents = rules[1].entities
  for e = 1, #ents do
    local names = {}
    for i = 1, #ents[e].names do
      local n = ents[e].names[i]
      if n[1] then                 -- a list (a string has no [1])
        for j = 1, #n do names[#names + 1] = n[j] end
      else
        names[#names + 1] = n
      end
    end
    ents[e].names = names
  end
  return rules
end

return flat {
  { type = "PERSON", rule = "leaders", fuzzy = 1, suffixes = "tr", entities = {
    { id = "recep_tayyip_erdogan", role = "president", country = "TR",
      names = { "Recep Tayyip Erdoğan", "Erdoğan", "Erdogan", ru("Реджеп Тайип Эрдоган"), ru("Эрдоган"), "أردوغان", "رجب طيب أردوغان" } },
    { id = "hakan_fidan", role = "foreign minister", country = "TR", names = { "Hakan Fidan", ru("Хакан Фидан"), "هاكان فيدان" } },
    { id = "joe_biden", role = "president", country = "US", names = { "Joe Biden", "Biden", ru("Джо Байден"), ru("Байден"), "بايدن", "جو بايدن" } },
    { id = "donald_trump", role = "president-elect", country = "US", names = { "Donald Trump", "Trump", ru("Дональд Трамп"), ru("Трамп"), "ترامب", "دونالد ترامب" } },
    { id = "antony_blinken", role = "secretary of state", country = "US", names = { "Antony Blinken", "Blinken", ru("Энтони Блинкен"), ru("Блинкен"), "بلينكن" } },
    { id = "vladimir_putin", role = "president", country = "RU", names = { "Vladimir Putin", "Wladimir Putin", "Putin", ru("Владимир Путин"), ru("Путин"), "بوتين", "فلاديمير بوتين" } },
    { id = "sergey_lavrov", role = "foreign minister", country = "RU",
      names = { "Sergey Lavrov", "Sergei Lavrov", "Sergej Lawrow", "Lavrov", "Lawrow", ru("Сергей Лавров"), ru("Лавров"), "لافروف", "سيرغي لافروف" } },
    { id = "xi_jinping", role = "president", country = "CN", names = { "Xi Jinping", "Şi Cinping", "Xi", "Си Цзиньпин", "Си Цзиньпина", "Си Цзиньпину", "Си Цзиньпином", "شي جين بينغ" } },
    { id = "wang_yi", role = "foreign minister", country = "CN", names = { "Wang Yi", "Ван И", "وانغ يي" } },
    { id = "volodymyr_zelenskyy", role = "president", country = "UA",
      names = { "Volodimir Zelenskiy", "Volodymyr Zelenskyy", "Wolodymyr Selenskyj", "Zelenskiy", "Zelenskyy",
                "Zelensky", "Selenskyj", ru("Владимир Зеленский"), ru("Зеленский"), "Володимир Зеленський", "Зеленський", "زيلينسكي" } },
    { id = "andrii_sybiha", role = "foreign minister", country = "UA",
      names = { "Andrii Sybiha", "Andriy Sibiha", "Andrij Sybiha", "Sybiha", "Sibiha", "Андрей Сибига", "Андрій Сибіга", "Сибига", "Сибіга" } },
    { id = "olaf_scholz", role = "chancellor", country = "DE", names = { "Olaf Scholz", "Scholz", ru("Олаф Шольц"), ru("Шольц"), "شولتس" } },
    { id = "annalena_baerbock", role = "foreign minister", country = "DE", names = { "Annalena Baerbock", "Baerbock", "Анналена Бербок", "Бербок", "بيربوك" } },
    { id = "emmanuel_macron", role = "president", country = "FR", names = { "Emmanuel Macron", "Macron", ru("Эмманюэль Макрон"), ru("Макрон"), "ماكرون" } },
    { id = "jean_noel_barrot", role = "foreign minister", country = "FR", names = { "Jean-Noël Barrot" } },
    { id = "keir_starmer", role = "prime minister", country = "GB", names = { "Keir Starmer", "Starmer", ru("Кир Стармер"), ru("Стармер"), "ستارمر" } },
    { id = "david_lammy", role = "foreign secretary", country = "GB", names = { "David Lammy", "Lammy" } },
    { id = "giorgia_meloni", role = "prime minister", country = "IT", names = { "Giorgia Meloni", "Meloni", "Джорджа Мелони", "Мелони", "ميلوني" } },
    { id = "antonio_tajani", role = "foreign minister", country = "IT", names = { "Antonio Tajani", "Tajani" } },
    { id = "kim_jong_un", role = "leader", country = "KP", names = { "Kim Jong Un", "Kim Jong-un", "Ким Чен Ын", "Ким Чен Ына", "Ким Чен Ыну", "Ким Чен Ыном", "كيم جونغ أون" } },
    { id = "choe_son_hui", role = "foreign minister", country = "KP", names = { "Choe Son Hui", "Choe Son-hui", "Цой Сон Хи", "Чхве Сон Хи" } },
    { id = "yoon_suk_yeol", role = "president", country = "KR", names = { "Yoon Suk Yeol", "Yoon Suk-yeol", "Юн Сок Ёль", "Юн Сок Ёля" } },
    { id = "cho_tae_yul", role = "foreign minister", country = "KR", names = { "Cho Tae-yul" } },
    { id = "narendra_modi", role = "prime minister", country = "IN", names = { "Narendra Modi", "Modi", "Нарендра Моди", "Моди", "مودي" } },
    { id = "subrahmanyam_jaishankar", role = "foreign minister", country = "IN",
      names = { "Subrahmanyam Jaishankar", "Jaishankar" } },
    { id = "shigeru_ishiba", role = "prime minister", country = "JP", names = { "Shigeru Ishiba", "Ishiba" } },
    { id = "benjamin_netanyahu", role = "prime minister", country = "IL", names = { "Benjamin Netanyahu", "Netanyahu", "Netanyahu", "Биньямин Нетаньяху", "Нетаньяху", "نتنياهو", "بنيامين نتنياهو" } },
    { id = "masoud_pezeshkian", role = "president", country = "IR",
      names = { "Mesud Pezeşkiyan", "Masoud Pezeshkian", "Pezeşkiyan", "Pezeshkian", "Масуд Пезешкиан", "Пезешкиан", "Пезешкиана", "بزشكيان", "مسعود بزشكيان" } },
    { id = "abbas_araghchi", role = "foreign minister", country = "IR",
      names = { "Abbas Arakçi", "Abbas Araghchi", "Abbas Araghtschi", "Arakçi", "Araghchi", "Аббас Аракчи", "Аракчи", "عباس عراقجي", "عراقجي" } },
    { id = "ilham_aliyev", role = "president", country = "AZ", names = { "İlham Aliyev", "Ilham Aliyev", "Alijew", ru("Ильхам Алиев"), ru("Алиев"), "إلهام علييف" } },
    { id = "jeyhun_bayramov", role = "foreign minister", country = "AZ", names = { "Ceyhun Bayramov", "Jeyhun Bayramov" } },
    { id = "nikol_pashinyan", role = "prime minister", country = "AM", names = { "Nikol Paşinyan", "Nikol Pashinyan", "Paşinyan", "Pashinyan", ru("Никол Пашинян"), ru("Пашинян") } },
    { id = "mohammed_bin_salman", role = "crown prince", country = "SA",
      names = { "Muhammed bin Selman", "Mohammed bin Salman", "Мухаммед бин Сальман", "محمد بن سلمان" } },
    { id = "lula_da_silva", role = "president", country = "BR", names = { "Luiz Inácio Lula da Silva", "Lula da Silva", "Lula" } },
    { id = "viktor_orban", role = "prime minister", country = "HU", names = { "Viktor Orbán", "Orbán", "Orban", ru("Виктор Орбан"), ru("Орбан"), "أوربان" } },
    { id = "ursula_von_der_leyen", role = "president of the European Commission", country = "EU",
      names = { "Ursula von der Leyen", "von der Leyen", "Урсула фон дер Ляйен", "фон дер Ляйен", "أورسولا فون دير لاين" } },
    { id = "josep_borrell", role = "EU high representative", country = "EU", names = { "Josep Borrell", "Borrell", ru("Жозеп Боррель"), "Боррель", "Борреля", "بوريل" } },
    { id = "kaja_kallas", role = "EU high representative", country = "EU", names = { "Kaja Kallas", "Kallas", "Кая Каллас", "Каллас", "كايا كالاس" } },
    { id = "mark_rutte", role = "NATO secretary general", country = "NATO", names = { "Mark Rutte", "Rutte", "Марк Рютте", "Рютте", "مارك روته" } },
    { id = "antonio_guterres", role = "UN secretary general", country = "UN", names = { "António Guterres", "Guterres", "Антониу Гутерриш", "Гутерриш", "غوتيريش" } },
    { id = "mahmoud_abbas", role = "president", country = "PS", names = { "Mahmud Abbas", "Mahmoud Abbas", ru("Махмуд Аббас"), "محمود عباس" } },
    { id = "abdel_fattah_el_sisi", role = "president", country = "EG",
      names = { "Abdulfettah es-Sisi", "Abdel Fattah el-Sisi", "Sisi", "Абдель Фаттах ас-Сиси", "ас-Сиси", "عبد الفتاح السيسي", "السيسي" } },
  } },
}
