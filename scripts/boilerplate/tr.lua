-- newsdesk.boilerplate.tr — page chrome of Turkish news sites, as line rules.
--
-- HOW TO WRITE YOUR OWN: copy this file, edit it, and pass it to ingest:
--     db:ingest("pages/", {boilerplate = "my_rules.lua"})
--     db:ingest("pages/", {boilerplate = {"tr", "en", "my_rules.lua"}})  -- several
--     db:ingest("pages/", {boilerplate = {drop = {exact = {"Abone ol"}}}})  -- a table
--     newsdesk ingest --boilerplate my_rules.lua pages/
-- No recompiling: the file is read when ingest starts.  The default is the
-- built-in "tr", "en", "de" and "ru" files together.
--
-- The file returns a table   KIND = { HOW = { pattern, ... }, ... }
--   KIND  drop    the line is chrome: never part of an article body
--         source  the line names the source/agency: the text after a prefix
--                 pattern, or the whole line for exact ones ("Kaynak: AA" -> "AA")
--         author  the line names the author, the same way ("Yazar: Ayşe Kaya")
--         ["end"] the body ends here: later short lines of the same article
--                 are chrome ("İlgili Haberler" followed by a list of links)
--         agency  (exact only) a news agency a dateline may name ("AA", "dpa")
--         dateline  the shape of an agency dateline: prefix = it opens the
--                 story's first paragraph ("ANKARA (AA) - ..."), suffix = it
--                 closes the last one or stands alone ("... (APA, 1.2.2015)").
--                 In a shape, PLACE is 1-3 words, the first in capitals
--                 ("ANKARA", "SANKT-PETERBURG"); AGENCY one of the agencies;
--                 DATE a date newsdesk.dates.parse reads (at most one word
--                 more, such as a weekday); a space is any run of blanks (or
--                 none); - is a hyphen, en or em dash; the rest is itself.
--                 A shape is compared as written (not folded).  The dateline
--                 leaves the body and gives the article its source, and its
--                 date when no date line does; a date without a year takes it
--                 from the reference date (ingest's ref option).  To add an
--                 agency:  agency = { exact = { "Kanal Haber" } }
--   HOW   exact    the whole line
--         prefix   the line starts with the pattern
--         suffix   the line ends with the pattern
--         contains the pattern occurs anywhere in the line
-- A line is compared in folded form: case, diacritics and Turkish dotted /
-- dotless i are ignored ("PAYLAŞ" = "paylas"), runs of spaces are one space,
-- and leading bullets, dashes and similar marks are skipped ("• Devamını
-- oku: ..." matches prefix "Devamını oku").  In a pattern, # stands for a
-- number (digits, with inner . , or : as in 3.008 or 11:48).  Write patterns
-- as they appear on the page; the first matching rule wins, drop rules first.
-- Lines are short page lines; keep contains/suffix patterns specific so they
-- never hit a sentence of a real article.
return {
  drop = {
    exact = {
      "Haberi Paylaş", "Paylaş", "Paylaş:", "Haberi paylaş:", "Tweetle", "Yazdır",
      "Yorum Yap", "Yorumlar", "Yorum yaz", "Abone Ol", "Takip Et", "Bizi takip edin",
      "Kapat", "Reklam", "Sponsorlu", "Sonraki Haber", "Önceki Haber", "Tümünü gör",
      "Haber Merkezi", "Etiketler", "Editörün Seçimi", "Son Dakika", "Ana Sayfa",
      "Giriş Yap", "Üye Ol", "Okunma", "Google News ile takip et",
      "Bu haber toplam: # kişi tarafından görüldü.",
      -- section and topic labels: a line of its own, never a title or a source
      "Gündem", "Türkiye", "Dünya", "Avrupa", "Ortadoğu", "Asya", "Amerika", "Afrika",
      "Ekonomi", "Politika", "Siyaset", "Spor", "Kültür", "Kültür-Sanat", "Sağlık",
      "Teknoloji", "Bilim", "Yaşam", "Eğitim", "Magazin", "Analiz", "Görüş", "Röportaj",
    },
    prefix = {
      "Devamını oku", "Devamını okumak için", "İlgili Haber:", "İlgili haber -",
      "Bunu da okuyun", "Bunlar da ilginizi çekebilir", "Haberin devamı",
      "Son Güncellenme", "Güncellenme:", "Güncelleme:", "Güncelleme Tarihi",
      "Bu haber toplam", "Bu gönderiye hiç yorum", "İlk yorum yapan",
      "Yorum yapmak için", "Fotoğraf:", "Foto:", "Görsel:", "Kapak fotoğrafı",
      "Telif hakkı", "Abone olun", "Tüm hakları saklıdır", "Copyright ©",
      "Etiketler:", "Okunma Sayısı", "Haberi paylaşın", "Konular:", "Konu:", "Etiket:",
      "Fotoğraflar:", "Fotoğraf Galerisi", "Video:", "Resim altı",
    },
    suffix = {
      "kişi tarafından görüldü.", "kez okundu", "kez görüntülendi", "okunma",
      "tüm hakları saklıdır.",
    },
    contains = {
      "ilk yorum yapan kişi olmak", "yorum yapılmamış",
    },
  },
  source = {
    exact = {
      "Anadolu Ajansı", "AA", "DHA", "İHA", "ANKA", "Euronews", "Euronews Türkçe",
      "BBC Türkçe", "DW Türkçe", "Sputnik Türkiye", "Reuters", "AFP", "AP",
    },
    prefix = { "Kaynak:", "Haber Kaynağı:" },
    suffix = { "Haber Ajansı", "Ajansı" },   -- "Anka Haber Ajansı", "Anadolu Ajansı"
  },
  author = {
    prefix = { "Yazar:", "Muhabir:", "Haber:", "Editör:", "Hazırlayan:" },
  },
  agency = {
    exact = { "AA", "Anadolu Ajansı", "DHA", "İHA", "ANKA", "ANKA Haber Ajansı", "Reuters", "AFP",
              "AP", "dpa", "Xinhua", "Sputnik", "IRNA", "BBC", "DW" },
  },
  dateline = {
    prefix = { "PLACE (AGENCY) -", "PLACE, DATE (AGENCY) -", "PLACE DATE (AGENCY) -" },
    suffix = { "(AGENCY, DATE)" },
  },
  ["end"] = {
    exact = { "İlgili Haberler", "Benzer Haberler", "Diğer Haberler", "Öne Çıkanlar",
              "Çok Okunanlar", "Yorumlar (#)" },
  },
}
