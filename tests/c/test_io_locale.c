/* Files never depend on the process locale: Fiji's JVM calls setlocale(LC_ALL, ""), so a user with
 * a German or French locale has ',' as printf's decimal separator. Runs under the first comma
 * locale installed (set MUMLOC_TEST_LOCALE to name one); skipped when there is none. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "io/csv_read.h"
#include "io/json.h"
#include "mumloc.h"

static int use_comma_locale(void) {
    const char *candidates[] = {getenv("MUMLOC_TEST_LOCALE"), "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                "fr_FR.utf8", "de_DE", "fr_FR", "nl_NL.UTF-8", "ru_RU.UTF-8"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (!candidates[i] || !setlocale(LC_ALL, candidates[i])) continue;
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 0.5);
        if (strcmp(probe, "0,5") == 0) return 1;
    }
    setlocale(LC_ALL, "C");
    return 0;
}

int main(void) {
    if (!use_comma_locale()) {
        printf("test_io_locale: no comma-decimal locale installed; skipped\n");
        return 0;
    }
    char buf[64];
    CHECK_OK(mumloc_format_number(-2.0 / 3.0, buf, sizeof buf));
    CHECK(strcmp(buf, "-0.666666667") == 0);
    CHECK_OK(mumloc_format_number(1.5e-7, buf, sizeof buf));
    CHECK(strcmp(buf, "0.00000015") == 0);

    text_buffer t = {0};
    text_puts(&t, "[");
    json_write_number(&t, 0.1);
    text_puts(&t, ",");
    json_write_number(&t, 2.5e-300);
    text_puts(&t, "]");
    CHECK(t.data && strcmp(t.data, "[0.1,2.5e-300]") == 0);
    json_value *v = NULL;
    CHECK_OK(json_parse(t.data, t.len, "doc", &v));
    CHECK(v && v->count == 2 && v->items[0].number == 0.1 && v->items[1].number == 2.5e-300);
    json_free(v);
    text_free(&t);

    const char *base = getenv("MUMLOC_TEST_TMP");
    char path[600];
    snprintf(path, sizeof path, "%s", base && *base ? base : "/tmp");
    mkdir(path, 0777);
    snprintf(path + strlen(path), sizeof path - strlen(path), "/io_locale_%ld.csv", (long)getpid());
    FILE *f = fopen(path, "wb");
    fputs("\"x [nm]\",\"y [nm]\"\n1.25,-0.5\n", f);
    fclose(f);
    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(path, &r));
    double row[2] = {0, 0};
    int has_row = 0;
    if (r) CHECK_OK(csv_reader_next(r, row, &has_row));
    CHECK(has_row && row[0] == 1.25 && row[1] == -0.5);
    csv_reader_close(r);
    unlink(path);
    return CHECK_DONE("test_io_locale");
}
