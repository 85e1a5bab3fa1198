/*
 * replay.c — runs a fuzz target over its seed and regression inputs as an
 * ordinary test, so `make test` (and the sanitizer build) checks every input
 * that ever broke an invariant.  Built once per target as
 * $(BUILD)/tests/test_fuzz_NAME; reads tests/fuzz/corpus/NAME/.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    char dir[512], path[1024];
    struct dirent *e;
    DIR *d;
    int n = 0;
    (void)argc;
    base = base ? base + 1 : argv[0];
    if (strncmp(base, "test_fuzz_", 10) != 0)
        return 2;
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", base + 10);
    if (!(d = opendir(dir))) {
        printf("not ok 1 - cannot open %s\n", dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        FILE *f;
        long len;
        uint8_t *buf;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!(f = fopen(path, "rb")))
            continue;
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        buf = malloc(len > 0 ? (size_t)len : 1);
        if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len) {
            /* an invariant failure aborts, which run.sh reports with this file's name last */
            fprintf(stderr, "replaying %s\n", path);
            LLVMFuzzerTestOneInput(buf, (size_t)len);
            printf("ok %d - invariants hold on %s\n", ++n, path);
        }
        free(buf);
        fclose(f);
    }
    closedir(d);
    return 0;
}
