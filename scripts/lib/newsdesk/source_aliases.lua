-- newsdesk.source_aliases — names of one source written several ways, for
-- the sources report (newsdesk.analysis.source_names).  Each entry lists
-- the ways feeds write one source; the report shows the spelling its
-- articles use most.  Names are
-- compared by the sources rule (REFERENCE.md, newsdesk.analysis.source_key):
-- case, diacritics, punctuation, a leading "The" and a trailing agency
-- word ("Ajansı", "Agency", "Agentur", "Агентство", ...) do not matter, so
-- list only spellings that differ otherwise (abbreviations, translations).
--
-- Extend it without editing this file: write your own file in the same
-- shape and pass it with --aliases FILE (repeatable), or as
-- newsdesk.analysis.source_names(recs, {aliases = {"my_aliases.lua"}}).
return {
  { "Anadolu Ajansı", "AA", "Anadolu Agency", "Agentur Anadolu" },
  { "Demirören Haber Ajansı", "DHA", "Demirören News Agency" },
  { "İhlas Haber Ajansı", "İHA", "IHA", "Ihlas News Agency" },
  { "Deutsche Presse-Agentur", "dpa", "German Press Agency" },
  { "ТАСС", "TASS", "Информационное агентство России ТАСС", "Russian News Agency TASS" },
  { "РИА Новости", "RIA Novosti", "RIA" },
  { "Agence France-Presse", "AFP" },
  { "Reuters", "Thomson Reuters" },
  { "Associated Press", "AP" },
}
