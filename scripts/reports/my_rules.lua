-- my_rules.lua — an example of an analyst's own rules file for the sample
-- corpus: the bundled packs ("pack:world": countries, cities, leaders,
-- organisations, the Turkish actors, titles) plus a few people, places and
-- organisations the corpus mentions that no pack lists, with the packs'
-- types (PERSON, CITY, ORG; COUNTRY and NORP are the other ones) and their
-- Turkish, English, German and Russian spellings.  Every report takes it:
--
--   newsdesk run scripts/reports/top_entities.lua --rules scripts/reports/my_rules.lua
--   newsdesk run scripts/reports/new_entities.lua --rules scripts/reports/my_rules.lua --since 2024-11-18
--
-- Copy it, add your own entities, and pass your copy with --rules (or store
-- its mentions for every report with `newsdesk tag my_rules.lua`).  The
-- format is the one newsdesk.rules.load reads (see REFERENCE.md, "Rules"):
-- an id, a type, the names as written (case, diacritics, dotted/dotless I
-- and a suffix after an apostrophe are handled), and optionally `labels`
-- (the name reports show per --label-lang) and attributes of your own.
-- Before adding an entity, check that no pack has it:
--   newsdesk -e 'for m in newsdesk.rules.load("pack:world"):scan("Nebenzya") do print(m.id) end'
return {
  "pack:world",
  { type = "PERSON", rule = "my people", entities = {
    { id = "vassily_nebenzia", role = "Russia's UN ambassador",
      labels = { tr = "Vasiliy Nebenzya", en = "Vassily Nebenzia", de = "Wassili Nebensja", ru = "Василий Небензя" },
      names = { "Vasiliy Nebenzya", "Vassily Nebenzia", "Wassili Nebensja", "Василий Небензя", "Nebenzya", "Nebenzia",
                "Nebensja", "Небензя" } },
    { id = "badr_abdelatty", role = "Egypt's foreign minister",
      labels = { tr = "Bedr Abdulati", en = "Badr Abdelatty", de = "Badr Abdelatty", ru = "Бадр Абдель Ати" },
      names = { "Bedr Abdulati", "Badr Abdelatty", "Badr Abdel Aty", "Бадр Абдель Ати", "Abdulati", "Abdelatty" } },
  } },
  { type = "CITY", rule = "my places", entities = {
    { id = "rio_de_janeiro", country = "BR", labels = { tr = "Rio de Janeiro", en = "Rio de Janeiro", de = "Rio de Janeiro", ru = "Рио-де-Жанейро" },
      names = { "Rio de Janeiro", "Рио-де-Жанейро" } },
    { id = "jeddah", country = "SA", labels = { tr = "Cidde", en = "Jeddah", de = "Dschidda", ru = "Джидда" },
      names = { "Cidde", "Jeddah", "Jiddah", "Dschidda", "Джидда" } },
    { id = "fiuggi", country = "IT", labels = { tr = "Fiuggi", en = "Fiuggi", de = "Fiuggi", ru = "Фьюджи" },
      names = { "Fiuggi", "Фьюджи" } },
  } },
  { type = "ORG", rule = "my organisations", entities = {
    { id = "kcna", kind = "media", labels = { tr = "KCNA", en = "KCNA", de = "KCNA", ru = "ЦТАК" },
      names = { "KCNA", "Korean Central News Agency", "Kore Merkezi Haber Ajansı", "Koreanische Zentrale Nachrichtenagentur", "ЦТАК" } },
    { id = "apec", labels = { tr = "APEC", en = "APEC", de = "APEC", ru = "АТЭС" },
      names = { "APEC", "Asia-Pacific Economic Cooperation", "Asya-Pasifik Ekonomik İşbirliği", "Asiatisch-Pazifische Wirtschaftskooperation", "АТЭС" } },
  } },
}
