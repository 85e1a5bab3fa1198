-- Rule pack: international organisations, Turkish, English and German names.
-- Abbreviations count only when written in capitals ("AB'nin", "EU"), so the
-- German preposition "ab" or French "un" are not the EU or the UN.

local function capitals_only(m)
  return not m.text:sub(1, #m.text - #m.suffix):find("%l")
end

return {
  { type = "ORG", rule = "organisations", entities = {
    { id = "eu", names = { "Avrupa Birliği", "European Union", "Europäische Union" } },
    { id = "un", names = { "Birleşmiş Milletler", "United Nations", "Vereinte Nationen" } },
    { id = "un_security_council", names = { "BM Güvenlik Konseyi", "UN Security Council", "UN-Sicherheitsrat",
                                            "Security Council", "Sicherheitsrat" } },
    { id = "nato", names = { "Kuzey Atlantik Antlaşması Örgütü", "North Atlantic Treaty Organization" } },
    { id = "european_commission", names = { "Avrupa Komisyonu", "European Commission", "EU-Kommission",
                                            "Europäische Kommission" } },
    { id = "european_parliament", names = { "Avrupa Parlamentosu", "European Parliament", "Europäisches Parlament" } },
    { id = "council_of_europe", names = { "Avrupa Konseyi", "Council of Europe", "Europarat" } },
    { id = "osce", names = { "Avrupa Güvenlik ve İşbirliği Teşkilatı", "Organization for Security and Co-operation in Europe" } },
    { id = "sco", names = { "Şanghay İşbirliği Örgütü", "Shanghai Cooperation Organisation", "Shanghai Cooperation Organization" } },
    { id = "oic", names = { "İslam İşbirliği Teşkilatı", "Organisation of Islamic Cooperation" } },
    { id = "arab_league", names = { "Arap Birliği", "Arab League", "Arabische Liga" } },
    { id = "african_union", names = { "Afrika Birliği", "African Union", "Afrikanische Union" } },
    { id = "organization_of_turkic_states", names = { "Türk Devletleri Teşkilatı", "Organization of Turkic States" } },
    { id = "gcc", names = { "Körfez İşbirliği Konseyi", "Gulf Cooperation Council" } },
    { id = "world_bank", names = { "Dünya Bankası", "World Bank", "Weltbank" } },
    { id = "imf", names = { "Uluslararası Para Fonu", "International Monetary Fund", "Internationaler Währungsfonds" } },
    { id = "who", names = { "Dünya Sağlık Örgütü", "World Health Organization", "Weltgesundheitsorganisation" } },
    { id = "wto", names = { "Dünya Ticaret Örgütü", "World Trade Organization", "Welthandelsorganisation" } },
    { id = "iaea", names = { "Uluslararası Atom Enerjisi Ajansı", "International Atomic Energy Agency",
                             "Internationale Atomenergiebehörde" } },
    { id = "icc", names = { "Uluslararası Ceza Mahkemesi", "International Criminal Court", "Internationaler Strafgerichtshof" } },
    { id = "icj", names = { "Uluslararası Adalet Divanı", "International Court of Justice", "Internationaler Gerichtshof" } },
    { id = "echr", names = { "Avrupa İnsan Hakları Mahkemesi", "European Court of Human Rights" } },
    { id = "red_cross", names = { "Kızılhaç", "Red Cross", "Rotes Kreuz" } },
    { id = "unesco", names = { "UNESCO" } },
    { id = "unicef", names = { "UNICEF" } },
    { id = "opec", names = { "OPEC" } },
    { id = "asean", names = { "ASEAN" } },
    { id = "brics", names = { "BRICS" } },
    { id = "g7", names = { "G7", "G-7" } },
    { id = "g20", names = { "G20", "G-20" } },
  }, suffixes = "tr" },
  { type = "ORG", rule = "organisation abbreviations", accept = capitals_only, entities = {
    { id = "eu", names = { "AB", "EU" } },
    { id = "un", names = { "BM", "UN", "VN" } },
    { id = "nato", names = { "NATO" } },
    { id = "osce", names = { "AGİT", "OSCE", "OSZE" } },
    { id = "sco", names = { "ŞİÖ", "SCO" } },
    { id = "oic", names = { "İİT", "OIC" } },
    { id = "imf", names = { "IMF", "IWF" } },
    { id = "who", names = { "DSÖ", "WHO" } },
    { id = "wto", names = { "DTÖ", "WTO" } },
    { id = "iaea", names = { "UAEA", "IAEA", "IAEO" } },
    { id = "icc", names = { "UCM", "ICC" } },
    { id = "echr", names = { "AİHM", "ECHR" } },
    { id = "gcc", names = { "KİK", "GCC" } },
    { id = "organization_of_turkic_states", names = { "TDT" } },
  } },
}
