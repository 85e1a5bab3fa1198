-- newsdesk.lang from Lua: detect and scores on paragraphs written for this test.
local T = dofile("tests/lua/harness.lua")
local lang = require("newsdesk.lang")
T.ok(newsdesk.lang == lang, "newsdesk.lang is the same module as require('newsdesk.lang')")

local samples = {
  tr = {
    "Kentte dün başlayan festival için binlerce kişi meydanda toplandı. Organizatörler, etkinliklerin hafta sonuna kadar süreceğini açıkladı.",
    "Merkez Bankası faiz kararını perşembe günü açıklayacak. Ekonomistlerin çoğu oranların değişmeyeceğini tahmin ediyor.",
    "Milli takım, hazırlık maçında rakibini iki golle yendi ve turnuvaya moral bularak gidiyor.",
  },
  en = {
    "Thousands of people gathered in the square for the festival, which organisers said would run until the end of the week.",
    "The central bank will announce its rate decision on Thursday, and most economists expect rates to stay the same.",
    "The national team beat their opponents by two goals in a friendly and head into the tournament in good spirits.",
  },
  de = {
    "Tausende Menschen haben sich auf dem Platz zum Fest versammelt, das nach Angaben der Veranstalter bis zum Wochenende dauert.",
    "Die Zentralbank wird ihre Zinsentscheidung am Donnerstag bekanntgeben; die meisten Ökonomen erwarten keine Änderung.",
    "Die Nationalmannschaft hat das Testspiel mit zwei Toren gewonnen und fährt mit gutem Gefühl zum Turnier.",
  },
  fr = {
    "Des milliers de personnes se sont rassemblées sur la place pour le festival, qui durera jusqu'à la fin de la semaine.",
    "La banque centrale annoncera sa décision sur les taux jeudi, et la plupart des économistes ne prévoient aucun changement.",
    "L'équipe nationale a battu son adversaire de deux buts lors d'un match amical et part au tournoi avec confiance.",
  },
  es = {
    "Miles de personas se reunieron en la plaza para el festival, que según los organizadores durará hasta el fin de semana.",
    "El banco central anunciará su decisión sobre los tipos el jueves, y la mayoría de los economistas no espera cambios.",
    "La selección nacional ganó por dos goles en un partido amistoso y llega al torneo con buen ánimo.",
  },
  ru = {
    "Тысячи людей собрались на площади на фестиваль, который, по словам организаторов, продлится до конца недели.",
    "Центральный банк объявит решение по ставке в четверг; большинство экономистов не ждут изменений.",
    "Сборная выиграла товарищеский матч с разницей в два мяча и едет на турнир в хорошем настроении.",
  },
  uk = {
    "Тисячі людей зібралися на площі на фестиваль, який, за словами організаторів, триватиме до кінця тижня.",
    "Збірна виграла товариський матч із різницею у два м'ячі та їде на турнір у доброму настрої.",
  },
  bg = {
    "Хиляди хора се събраха на площада за фестивала, който според организаторите ще продължи до края на седмицата.",
    "Националният отбор спечели контролата с два гола разлика и заминава за турнира в добро настроение.",
  },
  az = {
    "Minlərlə insan festival üçün meydanda toplaşdı, təşkilatçıların sözlərinə görə festival həftənin sonuna qədər davam edəcək.",
    "Milli komanda yoldaşlıq görüşündə iki qol fərqi ilə qalib gəldi və turnirə yaxşı əhval-ruhiyyə ilə gedir.",
  },
  it = {
    "Migliaia di persone si sono radunate in piazza per il festival, che secondo gli organizzatori durerà fino alla fine della settimana.",
    "La nazionale ha vinto l'amichevole con due gol di scarto e arriva al torneo con il morale alto.",
  },
  pt = {
    "Milhares de pessoas reuniram-se na praça para o festival, que segundo os organizadores vai durar até ao fim da semana.",
    "A seleção venceu o jogo amigável por dois golos de diferença e chega ao torneio com a moral em alta.",
  },
  nl = {
    "Duizenden mensen kwamen op het plein bijeen voor het festival, dat volgens de organisatoren tot het einde van de week duurt.",
  },
  fa = {
    "هزاران نفر برای جشنواره در میدان گرد آمدند که به گفته برگزارکنندگان تا پایان هفته ادامه خواهد داشت.",
  },
  ar = {
    "تجمع آلاف الأشخاص في الساحة لحضور المهرجان الذي سيستمر حتى نهاية الأسبوع بحسب المنظمين.",
    "سيعلن البنك المركزي قراره بشأن أسعار الفائدة يوم الخميس، ولا يتوقع معظم الاقتصاديين أي تغيير.",
    "فاز المنتخب الوطني في مباراة ودية بفارق هدفين ويتوجه إلى البطولة بمعنويات عالية.",
  },
}
for code, list in pairs(samples) do
  for i, text in ipairs(list) do
    T.eq(lang.detect(text), code, code .. " sample " .. i)
  end
end

for _, s in ipairs({ "", "Merhaba", "OK 123", "2024-11-04 23:58", "東京で会議が開かれた", "#$%^&*()",
                     -- languages it does not name: Polish, Swedish, Belarusian, Serbian
                     "Tysiące ludzi zebrały się na placu na festiwalu, który potrwa do końca tygodnia.",
                     "Tusentals människor samlades på torget för festivalen som pågår till slutet av veckan.",
                     "Тысячы людзей сабраліся на плошчы на фестываль, які працягнецца да канца тыдня.",
                     "Хиљаде људи окупило се на тргу због фестивала који траје до краја недеље." }) do
  T.eq(lang.detect(s), "und", "und for " .. string.format("%q", s))
end

-- headlines (40-80 bytes) are named too
T.eq(lang.detect("Kuzey Kore'den Rusya'ya yeni asker sevkiyatı"), "tr", "a Turkish headline")
T.eq(lang.detect("Шольц прибыл в Киев с необъявленным визитом"), "ru", "a Russian headline")
T.eq(lang.detect("Шольц несподівано прибув до Києва"), "uk", "a Ukrainian headline")

local sc = lang.scores(samples.tr[1])
T.ok(sc.tr > sc.en and sc.tr > sc.de, "scores favour tr for a Turkish sample")
for _, code in ipairs({ "tr", "en", "de", "ru", "uk", "bg", "fr", "es", "it", "pt", "nl", "az", "ar", "fa" }) do
  T.eq(type(sc[code]), "number", "scores has " .. code)
end
T.raises(function() lang.detect() end, "bad argument #1 to 'detect'", "detect needs text")
T.raises(function() lang.scores({}) end, "bad argument #1 to 'scores'", "scores needs text")
T.done()
