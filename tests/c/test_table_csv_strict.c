/* CSV tables from hostile or odd files: only plain decimals and ThunderSTORM's three literals are
 * numbers; every column name survives write → read → write byte for byte; wide headers are capped
 * and checked in linear time; progress reports bytes and cancel leaves no table. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/csv_read.h"
#include "mumloc.h"

static void write_text(const char *name, const char *text) {
    FILE *f = fopen(path_of(name), "wb");
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    text[fread(text, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return text;
}

/* Reads "v\n<field>\n"; 1 and *value when it is a number, 0 (with a message naming line 2,
 * column 1) when not. */
static int read_field(const char *field, double *value) {
    char text[256];
    snprintf(text, sizeof text, "\"v [nm]\"\n%s\n", field);
    write_text("number.csv", text);
    mumloc_table *t = NULL;
    mumloc_status s = mumloc_table_read_csv(path_of("number.csv"), NULL, &t);
    if (s == MUMLOC_OK) *value = mumloc_table_column_data(t, 0)[0];
    mumloc_table_destroy(t);
    if (s != MUMLOC_OK && (s != MUMLOC_ERR_FORMAT || !strstr(mumloc_last_error(), "line 2, column 1"))) {
        fprintf(stderr, "'%s': unexpected failure %s\n", field, mumloc_last_error());
        check_failures++;
    }
    return s == MUMLOC_OK;
}

static void test_numbers(void) {
    static const struct { const char *text; double value; } good[] = {
        {"12", 12}, {"-12.5", -12.5}, {"+3", 3}, {".5", 0.5}, {"5.", 5}, {"1e-9", 1e-9},
        {"2.5E+3", 2500}, {"\"7\"", 7}, {" 8 ", 8}, {"-0", 0}, {"1e-400", 0},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double v = -1;
        CHECK(read_field(good[i].text, &v) && v == good[i].value);
    }
    double v;
    CHECK(read_field("NaN", &v) && isnan(v));
    CHECK(read_field("Infinity", &v) && isinf(v) && v > 0);
    CHECK(read_field("-Infinity", &v) && isinf(v) && v < 0);
    static const char *const bad[] = {"0x10", "0X1p4", "inf", "-inf", "INF", "nan", "NAN", "+Infinity",
                                      "Infinity1", "1e", "1e+", "e5", ".", "-", "1.2.3",
                                      "1 2", "12abc", "1d", "١", "\"\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 0;
        if (read_field(bad[i], &v)) {
            fprintf(stderr, "'%s' was read as %g\n", bad[i], v);
            check_failures++;
        }
    }
    CHECK(!read_field("1e999", &v) && strstr(mumloc_last_error(), "beyond the range"));
    CHECK(!read_field("0x10", &v) && strstr(mumloc_last_error(), "'0x10' is not a number") &&
          strstr(mumloc_last_error(), "(\"v\")"));
}

/* Writes a one-column table named name [unit], reads it back, writes it again. */
static void check_round_trip(const char *name, const char *unit) {
    mumloc_table *t = NULL, *back = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, name, unit, NULL));
    CHECK_OK(mumloc_table_add_column(t, "other", "nm", NULL));
    const double row[2] = {1.5, -2};
    CHECK_OK(mumloc_table_append_rows(t, row, 1));
    CHECK_OK(mumloc_table_write_csv(t, path_of("names1.csv")));
    CHECK_OK(mumloc_table_read_csv(path_of("names1.csv"), NULL, &back));
    if (back) {
        int same = mumloc_table_columns(back) == 2 &&
                   strcmp(mumloc_table_column_name(back, 0), name) == 0 &&
                   strcmp(mumloc_table_column_unit(back, 0), unit) == 0 &&
                   strcmp(mumloc_table_column_name(back, 1), "other") == 0 &&
                   mumloc_table_column_data(back, 0)[0] == 1.5;
        if (!same) {
            fprintf(stderr, "name \"%s\" unit \"%s\" came back as \"%s\" unit \"%s\"\n", name, unit,
                    mumloc_table_column_name(back, 0), mumloc_table_column_unit(back, 0));
            check_failures++;
        }
        CHECK_OK(mumloc_table_write_csv(back, path_of("names2.csv")));
        char *a = slurp(path_of("names1.csv")), *b = slurp(path_of("names2.csv"));
        CHECK(a && b && strcmp(a, b) == 0);
        /* the public heading is the file's first header field, and splits back into its parts */
        char heading[256], quoted[260], split_name[256], split_unit[256];
        CHECK_OK(mumloc_table_heading(name, unit, heading, sizeof heading));
        snprintf(quoted, sizeof quoted, "\"%s\",", heading);
        CHECK(a && strncmp(a, quoted, strlen(quoted)) == 0);
        CHECK_OK(mumloc_table_split_heading(heading, split_name, sizeof split_name, split_unit,
                                            sizeof split_unit));
        CHECK(strcmp(split_name, name) == 0 && strcmp(split_unit, unit) == 0);
        free(a);
        free(b);
    }
    mumloc_table_destroy(t);
    mumloc_table_destroy(back);
}

static void test_name_round_trips(void) {
    static const char *const names[] = {
        "a [x][]", "a [x]", "a [x] []", "a []", "[]", "[x]", " [x]", "[", "]", "a]", "a[", "a [",
        "a ]", "][", "a [x", "a x]", "a [[x]]", "a [x]]", "a [[x]", "a  [x]", "a [x] ", " a", "a ",
        "  ", "x[nm]", "x [nm]", "[a] [b]", "\t[x]", "a\t[x]", "µ [µm]", "\xE2\x80\xAE[x]", "a\x1b[1m",
        "frame", "x", "'quoted'", "semi;colon", "back\\slash", "a [x]\t", "[ ]", "a [ ]", "a [x] [y]"};
    static const char *const units[] = {"", "nm", " ", "µm", "n m", "a\\b", "x)", "{}", ")("};
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++)
        for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) check_round_trip(names[n], units[u]);

    /* the header: a name, not name "a" with unit "x" */
    write_text("issue.csv", "\"a [x][]\",\"b\"\n1,2\n");
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_read_csv(path_of("issue.csv"), NULL, &t));
    if (t) {
        CHECK(strcmp(mumloc_table_column_name(t, 0), "a [x]") == 0);
        CHECK(strcmp(mumloc_table_column_unit(t, 0), "") == 0);
    }
    mumloc_table_destroy(t);
    /* ThunderSTORM's own headers, and the unspaced form */
    write_text("ts.csv", "\"id\",\"x [nm]\",y[nm],\"[nm]\"\n1,2,3,4\n");
    CHECK_OK(mumloc_table_read_csv(path_of("ts.csv"), NULL, &t));
    if (t) {
        CHECK(strcmp(mumloc_table_column_name(t, 1), "x") == 0);
        CHECK(strcmp(mumloc_table_column_unit(t, 1), "nm") == 0);
        CHECK(strcmp(mumloc_table_column_name(t, 2), "y") == 0);
        CHECK(strcmp(mumloc_table_column_unit(t, 2), "nm") == 0);
        CHECK(strcmp(mumloc_table_column_name(t, 3), "[nm]") == 0);
    }
    mumloc_table_destroy(t);
    char small[4], unit[8];
    CHECK_STATUS(mumloc_table_heading("abcd", "", small, sizeof small), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_table_split_heading("abcd [nm]", small, sizeof small, unit, sizeof unit),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_OK(mumloc_table_split_heading("abc [nm]", small, sizeof small, unit, sizeof unit));
    CHECK(strcmp(small, "abc") == 0 && strcmp(unit, "nm") == 0);
    /* a unit with brackets cannot be written, so a table refuses it */
    CHECK_OK(mumloc_table_create(&t));
    CHECK_STATUS(mumloc_table_add_column(t, "x", "n[m]", NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);
}

/* A header of n columns c1..cn (duplicate: the last is named c1). */
static void write_wide(const char *name, int n, int duplicate) {
    FILE *f = fopen(path_of(name), "wb");
    for (int c = 1; c <= n; c++) fprintf(f, "%s\"c%d [nm]\"", c > 1 ? "," : "", duplicate && c == n ? 1 : c);
    fputc('\n', f);
    for (int c = 1; c <= n; c++) fprintf(f, "%s%d", c > 1 ? "," : "", c);
    fputc('\n', f);
    fclose(f);
}

static void test_wide_headers(void) {
    mumloc_table *t = NULL;
    write_wide("wide.csv", CSV_MAX_COLUMNS, 0);
    CHECK_OK(mumloc_table_read_csv(path_of("wide.csv"), "c4096,c1", &t));
    if (t) {
        CHECK(mumloc_table_columns(t) == CSV_MAX_COLUMNS);
        CHECK(mumloc_table_find_column(t, "c4000", "nm") == 3999);
        CHECK(mumloc_table_column_data(t, 4095)[0] == 4096);
    }
    mumloc_table_destroy(t);
    t = NULL;
    write_wide("wider.csv", CSV_MAX_COLUMNS + 1, 0);
    CHECK_STATUS(mumloc_table_read_csv(path_of("wider.csv"), NULL, &t), MUMLOC_ERR_FORMAT);
    CHECK(t == NULL && strstr(mumloc_last_error(), "more than 4096 columns"));
    write_wide("dup.csv", 3000, 1);
    CHECK_STATUS(mumloc_table_read_csv(path_of("dup.csv"), NULL, &t), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "column \"c1\" appears twice"));
}

typedef struct progress_log {
    int calls, cancel_at;
    int64_t last_done, total;
    int increasing;
} progress_log;

static int on_progress(void *user, int64_t done, int64_t total) {
    progress_log *log = user;
    log->calls++;
    if (done <= log->last_done) log->increasing = 0;
    log->last_done = done;
    log->total = total;
    return log->calls == log->cancel_at;
}

static void test_progress_and_cancel(void) {
    const int rows = 3 * 65536 + 100;
    FILE *f = fopen(path_of("long.csv"), "wb");
    fputs("\"frame\",\"x [nm]\"\n", f);
    for (int r = 0; r < rows; r++) fprintf(f, "%d,%d.5\n", r / 10 + 1, r);
    long size = ftell(f);
    fclose(f);

    progress_log log = {0, 0, 0, 0, 1};
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_read_csv_progress(path_of("long.csv"), "frame,x", &t, on_progress, &log));
    CHECK(t && mumloc_table_rows(t) == rows);
    CHECK(log.calls == 3 && log.increasing && log.total == size);
    /* after 65,536 rows: the header, and rows 0..65535 of known lengths */
    int64_t expected = (int64_t)strlen("\"frame\",\"x [nm]\"\n");
    for (int r = 0; r < 65536; r++) {
        char line[64];
        expected += snprintf(line, sizeof line, "%d,%d.5\n", r / 10 + 1, r);
    }
    log = (progress_log){0, 0, 0, 0, 1};
    mumloc_table_destroy(t);
    t = NULL;
    log.cancel_at = 1;
    CHECK_STATUS(mumloc_table_read_csv_progress(path_of("long.csv"), NULL, &t, on_progress, &log),
                 MUMLOC_ERR_CANCELLED);
    CHECK(t == NULL && log.calls == 1 && log.last_done == expected);
    CHECK_OK(mumloc_table_read_csv_progress(path_of("long.csv"), NULL, &t, NULL, NULL));
    CHECK(t && mumloc_table_rows(t) == rows);
    mumloc_table_destroy(t);
}

static void test_messages_escaped(void) {
    write_text("escape.csv", "\"x\x1b[2J\"\n1\x1b]0;title\x07\n");
    mumloc_table *t = NULL;
    CHECK_STATUS(mumloc_table_read_csv(path_of("escape.csv"), NULL, &t), MUMLOC_ERR_FORMAT);
    const char *msg = mumloc_last_error();
    CHECK(strchr(msg, '\x1b') == NULL && strchr(msg, '\x07') == NULL);
    CHECK(strstr(msg, "(\"x\\x1B[2J\"): '1\\x1B]0;title\\x07' is not a number") != NULL);
}

/* A binary file (a TIFF's first bytes hold NULs) is refused, in the header or in a row, instead of
 * reading as a table cut at its first NUL. */
static void test_binary_refused(void) {
    static const char tiff_head[] = {'I', 'I', '*', 0, 8, 0, 0, 0, '\n', '1', '\n'};
    static const char row_nul[] = {'"', 'x', '"', '\n', '1', 0, '2', '\n'};
    const char *names[] = {"tiff.csv", "row_nul.csv"};
    const char *bytes[] = {tiff_head, row_nul};
    size_t sizes[] = {sizeof tiff_head, sizeof row_nul};
    const char *line[] = {"line 1 holds a NUL byte", "line 2 holds a NUL byte"};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(path_of(names[i]), "wb");
        fwrite(bytes[i], 1, sizes[i], f);
        fclose(f);
        mumloc_table *t = NULL;
        CHECK_STATUS(mumloc_table_read_csv(path_of(names[i]), NULL, &t), MUMLOC_ERR_FORMAT);
        CHECK(t == NULL);
        CHECK(strstr(mumloc_last_error(), line[i]) != NULL);
    }
}

int main(void) {
    test_dir_create("table_csv_strict");
    test_numbers();
    test_name_round_trips();
    test_wide_headers();
    test_progress_and_cancel();
    test_messages_escaped();
    test_binary_refused();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_table_csv_strict");
}
