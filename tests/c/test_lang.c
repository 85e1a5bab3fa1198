/* Language detection on news paragraphs written for this test: three or
 * more per language, titles, short and mixed text, and bytes that are not
 * text at all; then the neighbours it must tell apart (uk/bg vs ru, az vs
 * tr, it/pt vs fr/es), languages it does not name ("und"), and headlines
 * of 40-80 bytes.  Its accuracy on public test data is `make lang-eval`. */
#include <stdio.h>
#include <string.h>

#include "newsdesk.h"
#include "tap.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

typedef struct lcase {
    const char *want;
    const char *text;
} lcase;

static const lcase paragraphs[] = {
    /* Turkish */
    { "tr", "Belediye meclisi dün akşam yaptığı toplantıda şehir merkezindeki yeni otopark "
            "projesini oy birliğiyle kabul etti. Başkan, çalışmaların önümüzdeki ay başlayacağını "
            "ve iki yıl içinde tamamlanmasının hedeflendiğini söyledi." },
    { "tr", "Dışişleri Bakanlığı tarafından yapılan açıklamada, heyetin görüşmeler için "
            "cumartesi günü başkente gideceği belirtildi. Açıklamada ayrıca iki ülke arasındaki "
            "ticaretin geçen yıla göre arttığı ifade edildi." },
    { "tr", "Meteoroloji uyarısına göre hafta sonu Karadeniz kıyılarında kuvvetli yağış "
            "bekleniyor. Vatandaşların dere yataklarından uzak durması ve yetkililerin "
            "açıklamalarını takip etmesi istendi." },
    { "tr", "KUZEY KORE'NİN RUSYA'YA ASKER GÖNDERDİĞİ İDDİA EDİLDİ. Güney Kore istihbaratı, "
            "bu konuda yeni bilgiler elde ettiğini ve müttefikleriyle paylaştığını açıkladı." },
    /* English */
    { "en", "The city council voted on Tuesday to approve a new parking project in the town "
            "centre. The mayor said that work would begin next month and that the project "
            "should be finished within two years." },
    { "en", "Officials from both countries met in the capital for talks on trade and security. "
            "A spokesperson for the ministry said the meeting had been constructive and that "
            "further talks were expected in the spring." },
    { "en", "Heavy rain is expected along the coast this weekend, according to the weather "
            "service. Residents have been told to stay away from rivers and to follow the "
            "advice of local authorities." },
    { "en", "Speaking in İstanbul, President Erdoğan told reporters that Türkiye was ready to "
            "host a new round of negotiations, and he added that the talks could start as "
            "early as next week." },
    /* German */
    { "de", "Der Stadtrat hat am Dienstag ein neues Parkhaus in der Innenstadt genehmigt. Die "
            "Bürgermeisterin sagte, dass die Arbeiten im nächsten Monat beginnen und in zwei "
            "Jahren abgeschlossen sein sollen." },
    { "de", "Vertreter beider Länder trafen sich in der Hauptstadt zu Gesprächen über Handel "
            "und Sicherheit. Ein Sprecher des Ministeriums erklärte, das Treffen sei "
            "konstruktiv gewesen und weitere Gespräche würden folgen." },
    { "de", "Für das Wochenende wird an der Küste starker Regen erwartet. Die Bewohner sollen "
            "sich von Flüssen fernhalten und die Hinweise der Behörden beachten, teilte der "
            "Wetterdienst mit." },
    /* French */
    { "fr", "Le conseil municipal a approuvé mardi un nouveau projet de parking dans le centre "
            "de la ville. Le maire a déclaré que les travaux commenceront le mois prochain et "
            "qu'ils devraient être terminés dans deux ans." },
    { "fr", "Des représentants des deux pays se sont rencontrés dans la capitale pour des "
            "discussions sur le commerce et la sécurité. Selon le ministère, la réunion a été "
            "constructive et d'autres rencontres sont prévues." },
    { "fr", "De fortes pluies sont attendues sur la côte ce week-end, selon le service météo. "
            "Les habitants doivent rester loin des rivières et suivre les conseils des "
            "autorités locales." },
    /* Spanish */
    { "es", "El ayuntamiento aprobó el martes un nuevo proyecto de aparcamiento en el centro de "
            "la ciudad. La alcaldesa dijo que las obras comenzarán el próximo mes y que "
            "deberían terminar en dos años." },
    { "es", "Representantes de los dos países se reunieron en la capital para conversar sobre "
            "comercio y seguridad. Según el ministerio, la reunión fue constructiva y habrá "
            "más encuentros en primavera." },
    { "es", "Se esperan fuertes lluvias en la costa este fin de semana, según el servicio "
            "meteorológico. ¿Qué deben hacer los vecinos? Alejarse de los ríos y seguir las "
            "indicaciones de las autoridades." },
    /* Russian, and a Ukrainian sentence that is not Russian */
    { "ru", "Городской совет во вторник одобрил новый проект парковки в центре города. Мэр "
            "заявил, что работы начнутся в следующем месяце и завершатся через два года." },
    { "ru", "Представители двух стран встретились в столице для переговоров о торговле и "
            "безопасности. В министерстве отметили, что встреча прошла конструктивно." },
    { "ru", "В выходные на побережье ожидаются сильные дожди. Жителям советуют держаться "
            "подальше от рек и следить за сообщениями местных властей." },
    { "uk", "Міська рада у вівторок схвалила новий проєкт парковки в центрі міста." },
    /* Arabic */
    { "ar", "وافق المجلس البلدي يوم الثلاثاء على مشروع جديد لموقف السيارات في وسط المدينة، "
            "وقال رئيس البلدية إن الأعمال ستبدأ الشهر المقبل." },
    { "ar", "التقى ممثلو البلدين في العاصمة لإجراء محادثات حول التجارة والأمن، وقالت الوزارة "
            "إن الاجتماع كان بناء." },
    { "ar", "من المتوقع هطول أمطار غزيرة على الساحل في عطلة نهاية الأسبوع، وطلبت السلطات من "
            "السكان الابتعاد عن الأنهار." },
};

static const lcase unsure[] = {
    { "und", "" },
    { "und", "   \n\t " },
    { "und", "Merhaba" },
    { "und", "OK" },
    { "und", "12.11.2024 23:58 +03:00 1.234.567" },
    { "und", "https://example.com/a/b?c=d" },
    { "und", "Привет" },                      /* too short */
    { "und", "東京で新しい駅が開業した。多くの人が訪れた。" },  /* a script we do not cover */
    { "und", "Ελληνικά κείμενα δεν υποστηρίζονται ακόμα." },
    { "und", "\xff\xfe\xfd\xfc\xc3\x28\xa0\xa1\xe2\x82\x28\xf0\x28\x8c\xbc" },
    { "und", "Kim Jong Un Vladimir Putin Moskova Seul" },   /* names only */
    { "und", "Abcdef abcdef abcdef zyxwvu" },   /* six-letter words: no Turkish ending read before them */
};

/* Neighbours: the same news in languages that share a script and much
 * vocabulary, written for this test. */
static const lcase neighbours[] = {
    { "uk", "Уряд затвердив новий план відбудови енергетичної системи до кінця року." },
    { "uk", "Президент зустрівся з іноземними журналістами й відповів на їхні запитання." },
    { "uk", "Мешканці міста отримали попередження про сильний вітер і можливі відключення світла." },
    { "ru", "Правительство утвердило новый план восстановления энергосистемы до конца года." },
    { "ru", "Президент встретился с иностранными журналистами и ответил на их вопросы." },
    { "ru", "Жители города получили предупреждение о сильном ветре и возможных отключениях света." },
    { "bg", "Правителството одобри нов план за възстановяване на енергийната система." },
    { "bg", "Президентът се срещна с чуждестранни журналисти и отговори на въпросите им." },
    { "bg", "Жителите на града получиха предупреждение за силен вятър и възможни прекъсвания на тока." },
    { "az", "Hökumət ilin sonuna qədər enerji sisteminin bərpası üçün yeni plan təsdiqlədi." },
    { "az", "Prezident xarici jurnalistlərlə görüşdü və onların suallarını cavablandırdı." },
    { "az", "Şəhər sakinlərinə güclü külək və mümkün elektrik kəsintiləri barədə xəbərdarlıq edildi." },
    { "az", "Bu parklarda yeni ağaclar əkildi." },   /* close to tr in n-grams; Turkish has no ə */
    { "tr", "Hükümet yıl sonuna kadar enerji sisteminin onarımı için yeni bir planı onayladı." },
    { "tr", "Cumhurbaşkanı yabancı gazetecilerle görüştü ve onların sorularını yanıtladı." },
    { "tr", "Şehir sakinlerine kuvvetli rüzgar ve olası elektrik kesintileri konusunda uyarı yapıldı." },
    { "it", "Il governo ha approvato un nuovo piano per la ricostruzione della rete elettrica." },
    { "it", "Il presidente ha incontrato i giornalisti stranieri e ha risposto alle loro domande." },
    { "pt", "O governo aprovou um novo plano para reconstruir a rede elétrica até ao fim do ano." },
    { "pt", "O presidente encontrou-se com jornalistas estrangeiros e respondeu às suas perguntas." },
    { "fr", "Le gouvernement a approuvé un nouveau plan pour reconstruire le réseau électrique." },
    { "fr", "Le président a rencontré des journalistes étrangers et a répondu à leurs questions." },
    { "es", "El gobierno aprobó un nuevo plan para reconstruir la red eléctrica antes de fin de año." },
    { "es", "El presidente se reunió con periodistas extranjeros y respondió a sus preguntas." },
    { "nl", "De regering heeft een nieuw plan goedgekeurd voor het herstel van het stroomnet." },
    { "fa", "دولت طرح تازه‌ای برای بازسازی شبکه برق تا پایان سال تصویب کرد." },
    { "ar", "وافقت الحكومة على خطة جديدة لإعادة بناء شبكة الكهرباء قبل نهاية العام." },
};

/* Short Ukrainian lines without і ї є, which n-grams alone give to Russian
 * or Bulgarian or leave "und": words no other Cyrillic language writes
 * (хто, можна, має, цього) carry them, and so does an apostrophe before я
 * (м'ясо), which Russian and Bulgarian never write there; their Russian
 * counterparts, and a Russian name with an apostrophe.  Written for this test. */
static const lcase short_cyrillic[] = {
    { "uk", "Хто може нам допомогти?" },
    { "uk", "Можна мені твою ручку?" },
    { "uk", "Він не хоче цього робити." },
    { "uk", "Мама купила м'ясо на ринку." },
    { "uk", "Мама купила м’ясо на ринку." },
    { "ru", "Кто может нам помочь?" },
    { "ru", "Можно мне твою ручку?" },
    { "ru", "Он не хочет этого делать." },
    { "ru", "Джон О'Нил приехал в Москву вчера." },
};

/* Languages it does not name: never a confident wrong label. */
static const char *const unnamed[] = {
    "Rząd zatwierdził nowy plan odbudowy sieci energetycznej do końca roku.",          /* pl */
    "Vláda schválila nový plán obnovy energetické sítě do konce roku.",                 /* cs */
    "Regeringen godkände en ny plan för att bygga upp elnätet före årets slut.",        /* sv */
    "Guvernul a aprobat un nou plan pentru reconstrucția rețelei electrice.",           /* ro */
    "Pemerintah menyetujui rencana baru untuk membangun kembali jaringan listrik.",      /* id */
    "Hallitus hyväksyi uuden suunnitelman sähköverkon jälleenrakentamiseksi.",          /* fi */
    "Kormány új tervet fogadott el az elektromos hálózat helyreállítására.",            /* hu */
    "Урад Беларусі зацвердзіў новы план аднаўлення энергасістэмы да канца года.",        /* be */
    "Влада Србије је усвојила нови план обнове електроенергетског система.",            /* sr */
    "Владата одобри нов план за обнова на енергетскиот систем до крајот на годината.",  /* mk */
    "Η κυβέρνηση ενέκρινε νέο σχέδιο για την ανοικοδόμηση του ηλεκτρικού δικτύου.",     /* el */
    "حکومت نے سال کے آخر تک بجلی کے نظام کی بحالی کے لیے نئے منصوبے کی منظوری دے دی۔",  /* ur */
};

/* Headlines, 40 to 80 bytes. */
static const lcase headlines[] = {
    { "tr", "Merkez Bankası faiz kararını açıkladı" },
    { "tr", "Dışişleri Bakanı Brüksel'de NATO toplantısına katıldı" },
    { "en", "Central bank leaves interest rates unchanged" },
    { "de", "Zentralbank lässt den Leitzins unverändert" },
    { "de", "Außenministerin reist zu Gesprächen nach Ankara" },
    { "fr", "La banque centrale maintient ses taux directeurs" },
    { "es", "El banco central mantiene los tipos de interés" },
    { "it", "La banca centrale lascia invariati i tassi" },
    { "pt", "Banco central mantém a taxa de juros inalterada" },
    { "nl", "Minister van Buitenlandse Zaken naar Brussel" },
    { "az", "Mərkəzi Bank faiz dərəcəsini dəyişmədi" },
    { "az", "Xarici işlər naziri Brüsseldə görüş keçirdi" },
    { "ru", "Министр иностранных дел прибыл в Брюссель" },
    { "uk", "Міністр закордонних справ прибув до Києва" },
    { "bg", "Външният министър пристигна в Брюксел" },
    { "ar", "وزير الخارجية يصل إلى بروكسل" },
    { "fa", "بانک مرکزی نرخ بهره را تغییر نداد" },
};

static void scores(void)
{
    nd_lang_score sc[7], all[64];
    size_t total = nd_lang_scores("x", 1, NULL, 0), i, j;
    size_t n = nd_lang_scores(paragraphs[0].text, strlen(paragraphs[0].text), sc, 7);
    is_int(n, 7, "nd_lang_scores fills the n entries asked for");
    is_str(sc[0].lang, "tr", "the best score of a Turkish paragraph is tr");
    ok(sc[0].score > sc[1].score, "scores are sorted, best first (%d > %d)", sc[0].score,
       sc[1].score);
    ok(total >= 14 && total <= 64, "with out NULL it says how many languages (%zu)", total);
    is_int(nd_lang_scores("abc", 3, sc, 2), 2, "it fills no more than n entries");
    is_int(nd_lang_scores(paragraphs[0].text, strlen(paragraphs[0].text), all, 64), total,
           "with room for all it fills one entry per language");
    for (i = 0; i < NCASES(neighbours); i++) {
        int found = 0;
        for (j = 0; j < total; j++)
            found |= strcmp(all[j].lang, neighbours[i].want) == 0;
        ok(found, "scores has an entry for %s", neighbours[i].want);
    }
}

int main(void)
{
    size_t i;
    for (i = 0; i < NCASES(paragraphs); i++)
        is_str(nd_lang_detect(paragraphs[i].text, strlen(paragraphs[i].text)), paragraphs[i].want,
               "paragraph %zu is %s", i, paragraphs[i].want);
    for (i = 0; i < NCASES(unsure); i++)
        is_str(nd_lang_detect(unsure[i].text, strlen(unsure[i].text)), "und",
               "unsure case %zu is und", i);
    is_str(nd_lang_detect(NULL, 0), "und", "NULL is und");
    {
        /* a paragraph cut in the middle of a character still works */
        const char *t = paragraphs[0].text;
        size_t n = strlen(t), cut;
        int bad = 0;
        for (cut = 0; cut <= n; cut++) {
            const char *l = nd_lang_detect(t, cut);
            if (strcmp(l, "tr") != 0 && strcmp(l, "und") != 0)
                bad++;
        }
        is_int(bad, 0, "every prefix of a Turkish paragraph is tr or und, never another language");
        is_str(nd_lang_detect(t, n / 2), "tr", "half a Turkish paragraph is tr");
    }
    {
        /* mixed: a Turkish lede quoting an English sentence stays Turkish */
        const char *m = "Bakan, basın toplantısında yaptığı açıklamada İngilizce olarak \"we are "
                        "ready\" dedi ve görüşmelerin bu hafta içinde başlayacağını söyledi.";
        is_str(nd_lang_detect(m, strlen(m)), "tr", "Turkish with an English quote is tr");
        m = "Новости дня: Reuters сообщает, что переговоры продолжатся в среду в Женеве.";
        is_str(nd_lang_detect(m, strlen(m)), "ru", "Russian with a Latin agency name is ru");
    }
    {
        /* embedded NULs are just non-letters */
        const char t[] = "The council said\0that the work would begin in the spring.";
        is_str(nd_lang_detect(t, sizeof t - 1), "en", "a NUL inside English text");
    }
    for (i = 0; i < NCASES(neighbours); i++)
        is_str(nd_lang_detect(neighbours[i].text, strlen(neighbours[i].text)), neighbours[i].want,
               "neighbour %zu is %s", i, neighbours[i].want);
    for (i = 0; i < NCASES(short_cyrillic); i++)
        is_str(nd_lang_detect(short_cyrillic[i].text, strlen(short_cyrillic[i].text)),
               short_cyrillic[i].want, "short Cyrillic line %zu is %s", i, short_cyrillic[i].want);
    for (i = 0; i < NCASES(unnamed); i++)
        is_str(nd_lang_detect(unnamed[i], strlen(unnamed[i])), "und",
               "a language it does not name is und (%zu)", i);
    for (i = 0; i < NCASES(headlines); i++) {
        size_t len = strlen(headlines[i].text);
        ok(len >= 40 && len <= 80, "headline %zu is %zu bytes", i, len);
        is_str(nd_lang_detect(headlines[i].text, len), headlines[i].want, "headline %zu is %s", i,
               headlines[i].want);
    }
    scores();
    return tap_done();
}
