/* Language detection on news paragraphs written for this test: three or
 * more per language, titles, short and mixed text, and bytes that are not
 * text at all. */
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
    /* Russian (and Ukrainian, which reads as ru) */
    { "ru", "Городской совет во вторник одобрил новый проект парковки в центре города. Мэр "
            "заявил, что работы начнутся в следующем месяце и завершатся через два года." },
    { "ru", "Представители двух стран встретились в столице для переговоров о торговле и "
            "безопасности. В министерстве отметили, что встреча прошла конструктивно." },
    { "ru", "В выходные на побережье ожидаются сильные дожди. Жителям советуют держаться "
            "подальше от рек и следить за сообщениями местных властей." },
    { "ru", "Міська рада у вівторок схвалила новий проєкт парковки в центрі міста." },
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

static void scores(void)
{
    nd_lang_score sc[7];
    size_t n = nd_lang_scores(paragraphs[0].text, strlen(paragraphs[0].text), sc, 7);
    is_int(n, 7, "nd_lang_scores fills one entry per language");
    is_str(sc[0].lang, "tr", "the best score of a Turkish paragraph is tr");
    ok(sc[0].score > sc[1].score, "scores are sorted, best first (%d > %d)", sc[0].score,
       sc[1].score);
    is_int(nd_lang_scores("x", 1, NULL, 0), 7, "with out NULL it says how many languages");
    is_int(nd_lang_scores("abc", 3, sc, 2), 2, "it fills no more than n entries");
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
    scores();
    return tap_done();
}
