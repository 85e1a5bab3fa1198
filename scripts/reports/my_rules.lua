-- my_rules.lua — an example of an analyst's own rules file, for the sample
-- corpus: a few people, places and organisations with their Turkish,
-- English, German and Russian spellings.  Every report takes it:
--
--   newsdesk run scripts/reports/top_entities.lua --rules scripts/reports/my_rules.lua
--
-- Copy it, add your own entities, and pass your copy with --rules.  The
-- format is the one newsdesk.rules.load reads (see REFERENCE.md, "Rules").
return {
  { type = "PERSON", id = "hakan_fidan", names = { "Hakan Fidan", "Fidan", "Хакан Фидан", "Фидан" } },
  { type = "PERSON", id = "sergey_lavrov",
    names = { "Sergey Lavrov", "Sergei Lavrov", "Sergej Lawrow", "Lavrov", "Lawrow", "Сергей Лавров", "Лавров" } },
  { type = "PERSON", id = "vladimir_putin", names = { "Vladimir Putin", "Wladimir Putin", "Putin", "Путин" } },
  { type = "PERSON", id = "recep_tayyip_erdogan",
    names = { "Recep Tayyip Erdoğan", "Tayyip Erdogan", "Erdoğan", "Erdogan", "Эрдоган" } },
  { type = "PERSON", id = "volodymyr_zelensky",
    names = { "Volodimir Zelenskiy", "Wolodymyr Selenskyj", "Zelenskiy", "Selenskyj", "Zelensky" } },
  { type = "PERSON", id = "olaf_scholz", names = { "Olaf Scholz", "Scholz" } },
  { type = "PERSON", id = "emmanuel_macron", names = { "Emmanuel Macron", "Macron" } },
  { type = "PERSON", id = "antonio_guterres", names = { "António Guterres", "Antonio Guterres", "Guterres" } },
  { type = "PERSON", id = "ilham_aliyev", names = { "İlham Aliyev", "Ilham Aliyev", "Aliyev" } },
  { type = "PERSON", id = "xi_jinping", names = { "Xi Jinping", "Şi Cinping" } },
  { type = "PERSON", id = "lula", names = { "Luiz Inácio Lula da Silva", "Lula" } },
  { type = "PERSON", id = "cho_tae_yul", names = { "Cho Tae-yul" } },
  { type = "PERSON", id = "andrii_sybiha", names = { "Andrii Sybiha", "Andriy Sybiha", "Andrij Sybiha", "Sybiha" } },
  { type = "PERSON", id = "annalena_baerbock", names = { "Annalena Baerbock", "Baerbock" } },
  { type = "PERSON", id = "antony_blinken", names = { "Antony Blinken", "Blinken" } },
  { type = "PERSON", id = "josep_borrell", names = { "Josep Borrell", "Borrell" }, fuzzy = 1 },
  { type = "PERSON", id = "kim_jong_un", names = { "Kim Jong Un", "Kim Jong-un" } },
  { type = "PERSON", id = "kaja_kallas", names = { "Kaja Kallas", "Kallas" } },
  { type = "PERSON", id = "mark_rutte", names = { "Mark Rutte", "Rutte" } },
  { type = "LOC", id = "russia", names = { "Rusya", "Russia", "Russland", "Россия" } },
  { type = "LOC", id = "north_korea", names = { "Kuzey Kore", "North Korea", "Nordkorea", "KDHC" } },
  { type = "LOC", id = "south_korea", names = { "Güney Kore", "South Korea", "Südkorea" } },
  { type = "LOC", id = "ukraine", names = { "Ukrayna", "Ukraine", "Украина" } },
  { type = "LOC", id = "turkiye", names = { "Türkiye", "Turkey", "Türkei", "Турция" } },
  { type = "LOC", id = "baku", names = { "Bakü", "Baku" } },
  { type = "LOC", id = "moscow", names = { "Moskova", "Moscow", "Moskau", "Москва" } },
  { type = "LOC", id = "ankara", names = { "Ankara", "Анкара" } },
  { type = "LOC", id = "rio_de_janeiro", names = { "Rio de Janeiro", "Rio" } },
  { type = "ORG", id = "nato", names = { "NATO", "НАТО" } },
  { type = "ORG", id = "eu", names = { "Avrupa Birliği", "European Union", "AB", "EU" } },
  { type = "ORG", id = "un", names = { "Birleşmiş Milletler", "United Nations", "BM", "UN" } },
  { type = "ORG", id = "g20", names = { "G20" } },
  { type = "ORG", id = "g7", names = { "G7" } },
  { type = "ORG", id = "cop29", names = { "COP29" } },
}
