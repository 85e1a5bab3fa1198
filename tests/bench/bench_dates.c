/* bench_dates.c — how fast nd_date_parse scans article text that holds no
 * date (the worst case: every word is tried) and one that starts with a
 * date line, and how fast nd_lang_detect reads a body.  Short on purpose. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "newsdesk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run fn-like work n times over s; print MB/s and microseconds per call. */
#define BENCH(label, n, s, len, expr)                                                     \
    do {                                                                                  \
        double t0_ = now(), dt_;                                                          \
        int k_;                                                                           \
        for (k_ = 0; k_ < (n); k_++)                                                      \
            (void)(expr);                                                                 \
        dt_ = now() - t0_;                                                                \
        printf("%-34s %8.1f MB/s %8.2f us/call\n", label, (double)(len) * (n) / dt_ / 1e6,  \
               dt_ / (n) * 1e6);                                                          \
    } while (0)

int main(void)
{
    static const char para[] =
        "Belediye meclisi dün akşam yaptığı toplantıda şehir merkezindeki yeni otopark "
        "projesini kabul etti; başkan, çalışmaların 3 ay içinde başlayacağını ve 2 yılda "
        "bitmesinin hedeflendiğini söyledi. Toplantıya 45 üye katıldı, 12:30'da ara verildi. ";
    char body[2048 + sizeof para];
    size_t n = 0;
    nd_date d;
    const char *dated = "04.11.2024, Pts - 23:58\nBelediye meclisi yeni projeyi kabul etti.";
    while (n + sizeof para - 1 < 2048) {
        memcpy(body + n, para, sizeof para - 1);
        n += sizeof para - 1;
    }
    printf("bench_dates: %zu-byte body\n", n);
    BENCH("nd_date_parse, body without a date", 2000, body, n, nd_date_parse(body, n, NULL, &d));
    BENCH("nd_date_parse, date line first", 200000, dated, strlen(dated),
          nd_date_parse(dated, strlen(dated), NULL, &d));
    BENCH("nd_lang_detect, body", 20000, body, n, nd_lang_detect(body, n));
    return 0;
}
