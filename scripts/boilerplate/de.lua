-- newsdesk.boilerplate.de — page chrome of German news sites, as line rules.
-- The format is documented at the top of scripts/boilerplate/tr.lua.
return {
  drop = {
    exact = {
      "Teilen", "Artikel teilen", "Drucken", "Kommentare", "Anzeige", "Werbung",
      "Schließen", "Zum Inhalt springen", "Meistgelesen", "Newsletter abonnieren",
      "Vorlesen", "# Kommentare", "Lesezeit: # Minuten", "Lesezeit: # Min.",
      -- section and topic labels: a line of its own, never a title or a source
      "Politik", "Ausland", "Inland", "Wirtschaft", "Welt", "Europa", "Sport", "Kultur",
      "Meinung", "Panorama", "Wissen",
    },
    prefix = {
      "Mehr zum Thema", "Lesen Sie auch", "Lesen Sie mehr", "Auch interessant",
      "Foto:", "Bild:", "Bildquelle", "Bildunterschrift", "Aktualisiert",
      "Zuletzt aktualisiert", "Stand:", "Copyright", "Hier klicken", "Themen:",
      "Schlagwörter:", "Schlagworte:", "Tags:", "Fotos:",
    },
    suffix = { "alle rechte vorbehalten." },
    contains = { "jetzt kommentieren" },
  },
  source = {
    exact = { "dpa", "AFP", "Reuters", "epd", "KNA", "Deutsche Welle" },
    prefix = { "Quelle:" },
  },
  author = {
    prefix = { "Von ", "Autor:", "Autorin:" },
  },
  agency = {
    exact = { "dpa", "APA", "AFP", "Reuters", "AP", "epd", "KNA", "SDA", "dts", "ddp", "red", "sda",
              "apa/dpa", "dpa-AFX", "AA" },
  },
  dateline = {
    prefix = { "PLACE (AGENCY) -", "PLACE, DATE (AGENCY) -" },
    suffix = { "(AGENCY, DATE)" },        -- "(APA, 1.2.2015)", "(red, 15.5.2016)"
  },
  ["end"] = {
    exact = { "Mehr zum Thema", "Das könnte Sie auch interessieren", "Weitere Artikel" },
  },
}
