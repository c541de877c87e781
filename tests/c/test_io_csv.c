/* ThunderSTORM CSV: exact header and row bytes, write → read round trip, tolerant reading, and
 * precise errors for malformed tables. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/csv_read.h"
#include "io/csv_write.h"
#include "mumloc.h"

static void write_text(const char *name, const char *text) {
    FILE *f = fopen(path_of(name), "wb");
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path) {
    static char text[8192];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f) fclose(f);
    return text;
}

static void test_write_exact_and_round_trip(void) {
    const csv_column columns[] = {{"id", NULL}, {"frame", ""}, {"x", "nm"}, {"y", "nm"},
                                         {"z", "nm"}, {"intensity", "photon"}, {"weight", NULL}};
    const double rows[3][7] = {
        {1, 1, 123.456, 0.000000001, -5.5, 1356.25, 0.3},
        {2, 1, NAN, INFINITY, -INFINITY, 1e20, 1.0 / 3.0},
        {3, 2, 1e-12, -0.0, 12288, 4.5e9, 1},
    };
    FILE *f = fopen(path_of("table.csv"), "wb");
    CHECK(f != NULL);
    csv_writer w;
    CHECK_OK(csv_writer_begin(&w, f, "table.csv", columns, 7));
    for (int i = 0; i < 3; i++) CHECK_OK(csv_writer_row(&w, rows[i]));
    fclose(f);

    const char *expected =
        "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"intensity [photon]\",\"weight\"\n"
        "1,1,123.456,0.000000001,-5.5,1356.25,0.3\n"
        "2,1,NaN,Infinity,-Infinity,100000000000000000000,0.333333333\n"
        "3,2,0.000000000001,0,12288,4500000000,1\n";
    CHECK(strcmp(read_text(path_of("table.csv")), expected) == 0);

    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(path_of("table.csv"), &r));
    if (!r) return;
    CHECK(csv_reader_columns(r) == 7);
    for (int c = 0; c < 7; c++) {
        CHECK(strcmp(csv_reader_name(r, c), columns[c].name) == 0);
        CHECK(strcmp(csv_reader_unit(r, c), columns[c].unit ? columns[c].unit : "") == 0);
    }
    CHECK(csv_reader_find(r, "intensity") == 5);
    CHECK(csv_reader_find(r, "intensity [photon]") == -1);
    CHECK(csv_reader_find(r, "sigma") == -1);
    double values[7];
    int has_row = 0;
    for (int i = 0; i < 3; i++) {
        CHECK_OK(csv_reader_next(r, values, &has_row));
        CHECK(has_row == 1);
        CHECK(csv_reader_line(r) == i + 2);
        for (int c = 0; c < 7; c++) {
            double v = rows[i][c];
            if (isnan(v)) CHECK(isnan(values[c]));
            else if (isinf(v)) CHECK(values[c] == v);
            else CHECK_NEAR(values[c], v, 5e-9 * fabs(v));
        }
    }
    CHECK_OK(csv_reader_next(r, values, &has_row));
    CHECK(has_row == 0);
    csv_reader_close(r);
}

static void test_tolerant_reading(void) {
    /* unquoted header with a BOM, CRLF line ends, quoted values, spaces, blank lines */
    write_text("loose.csv", "\xEF\xBB\xBFid,x [nm], \"sigma [nm]\" ,plain\r\n"
                            "1, 2.5 ,\"3\",-Infinity\r\n"
                            "\r\n"
                            "2,1e3,NaN,+4\r\n\r\n");
    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(path_of("loose.csv"), &r));
    if (!r) return;
    CHECK(csv_reader_columns(r) == 4);
    CHECK(strcmp(csv_reader_name(r, 0), "id") == 0);
    CHECK(strcmp(csv_reader_name(r, 1), "x") == 0);
    CHECK(strcmp(csv_reader_unit(r, 1), "nm") == 0);
    CHECK(strcmp(csv_reader_name(r, 2), "sigma") == 0);
    CHECK(strcmp(csv_reader_unit(r, 2), "nm") == 0);
    CHECK(strcmp(csv_reader_unit(r, 3), "") == 0);
    double v[4];
    int has_row;
    CHECK_OK(csv_reader_next(r, v, &has_row));
    CHECK(has_row && v[0] == 1 && v[1] == 2.5 && v[2] == 3 && v[3] == -INFINITY);
    CHECK_OK(csv_reader_next(r, v, &has_row));
    CHECK(has_row && v[0] == 2 && v[1] == 1000 && isnan(v[2]) && v[3] == 4);
    CHECK(csv_reader_line(r) == 4);
    CHECK_OK(csv_reader_next(r, v, &has_row));
    CHECK(has_row == 0);
    csv_reader_close(r);
}

/* Opens name, reads rows until one fails, and checks the status and message fragments. */
static void expect_row_error(const char *name, const char *text, const char *fragment1,
                             const char *fragment2) {
    write_text(name, text);
    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(path_of(name), &r));
    if (!r) return;
    double v[8];
    int has_row = 1;
    mumloc_status s = MUMLOC_OK;
    while (s == MUMLOC_OK && has_row) s = csv_reader_next(r, v, &has_row);
    CHECK(s == MUMLOC_ERR_FORMAT);
    const char *msg = mumloc_last_error();
    if (!strstr(msg, fragment1) || !strstr(msg, fragment2) || !strstr(msg, name)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\" or \"%s\"\n", msg, fragment1, fragment2);
        check_failures++;
    }
    csv_reader_close(r);
}

static void test_errors(void) {
    expect_row_error("bad-number.csv", "\"a\",\"b [nm]\",\"c\"\n1,2,3\n4,abc,6\n",
                     "line 3, column 2 (\"b\")", "'abc' is not a number");
    expect_row_error("too-few.csv", "a,b,c\n1,2,3\n\n1,2\n", "line 4 has 2 fields", "header has 3");
    expect_row_error("too-many.csv", "a,b\n1,2,3\n", "line 2 has 3 fields", "header has 2");
    expect_row_error("empty-field.csv", "a,b\n1,\n", "line 2, column 2", "'' is not a number");
    expect_row_error("trailing.csv", "a,b\n1,2x\n", "line 2", "'2x'");
    expect_row_error("quote.csv", "a,b\n1,\"2\n", "line 2", "unbalanced");

    csv_reader *r = NULL;
    write_text("empty.csv", "\n\n");
    CHECK_STATUS(csv_reader_open(path_of("empty.csv"), &r), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "empty") != NULL);
    write_text("dup.csv", "\"x [nm]\",\"x [px]\"\n");
    CHECK_STATUS(csv_reader_open(path_of("dup.csv"), &r), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "\"x\" appears twice") != NULL);
    CHECK_STATUS(csv_reader_open(path_of("missing.csv"), &r), MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "missing.csv") != NULL);
    CHECK(r == NULL);

    FILE *f = fopen(path_of("bad-column.csv"), "wb");
    csv_writer w;
    const csv_column comma[] = {{"a,b", NULL}};
    CHECK_STATUS(csv_writer_begin(&w, f, "bad", comma, 1), MUMLOC_ERR_INVALID_ARGUMENT);
    const csv_column quote[] = {{"a", "n\"m"}};
    CHECK_STATUS(csv_writer_begin(&w, f, "bad", quote, 1), MUMLOC_ERR_INVALID_ARGUMENT);
    fclose(f);
}

int main(void) {
    test_dir_create("io_csv");
    test_write_exact_and_round_trip();
    test_tolerant_reading();
    test_errors();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_csv");
}
