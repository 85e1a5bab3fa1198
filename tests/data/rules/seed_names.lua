-- People, countries, cities and organisations named in the sample pages
-- the project was designed against (names only).
return {
  { type = "PERSON", rule = "seed people", fuzzy = 1, entities = {
      { id = "josep_borrell", names = { "Josep Borrell", "Borrell" } },
      { id = "cho_tae_yul", names = { "Cho Tae-yul", "Tae-yul" } },
      { id = "kim_yong_hyun", names = { "Kim Yong-hyun" } },
      { id = "antony_blinken", names = { "Antony Blinken", "Blinken" } },
      { id = "choe_son_hui", names = { "Choe Son Hui" } },
      { id = "kim_jong_un", names = { "Kim Jong Un" } },
      { id = "vladimir_putin", names = { "Vladimir Putin", "Putin" } },
      { id = "adrian_watson", names = { "Adrian Watson" } },
      { id = "john_kirby", names = { "John Kirby", "Kirby" } },
      { id = "linda_thomas_greenfield", names = { "Linda Thomas-Greenfield" } },
      { id = "sergei_shoigu", names = { "Sergei Shoigu", "Şoygu" } },
  } },
  { type = "COUNTRY", rule = "seed countries", suffixes = "tr", entities = {
      { id = "south_korea", names = { "Güney Kore", "Kore Cumhuriyeti" } },
      { id = "north_korea", names = { "Kuzey Kore" } },
      { id = "russia", names = { "Rusya", "Rusya Federasyonu" } },
      { id = "ukraine", names = { "Ukrayna" } },
      { id = "usa", names = { "ABD" } },
      { id = "turkey", names = { "Türkiye" } },
  } },
  { type = "CITY", rule = "seed cities", suffixes = "tr", entities = {
      { id = "washington", names = { "Washington" } },
      { id = "seoul", names = { "Seul" } },
      { id = "moscow", names = { "Moskova" } },
      { id = "pyongyang", names = { "Pyongyang" } },
      { id = "kursk", names = { "Kursk" } },
      { id = "london", names = { "Londra" } },
      { id = "kyiv", names = { "Kiev" } },
  } },
  { type = "ORG", rule = "seed organisations", entities = {
      { id = "eu", names = { "Avrupa Birliği", "AB" } },
      { id = "un", names = { "BM", "Birleşmiş Milletler" } },
      { id = "white_house", names = { "Beyaz Saray" } },
      { id = "un_security_council", names = { "Güvenlik Konseyi" } },
  } },
}
