/* Tables to and from ThunderSTORM CSV: exact file text, write → read round trip, required columns,
 * NaN lines, foreign files and atomic writes. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

static int failed_before(void) { return check_failures; }

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) { CHECK(0); return; }
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path) {
    static char buffer[4096];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buffer, 1, sizeof buffer - 1, f);
    fclose(f);
    buffer[n] = '\0';
    return buffer;
}

static void check_round_trip(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "uncertainty_xy", "nm", NULL));
    const double rows[] = {1, 1234.5, 12.25, 2, -0.125, NAN, 3, 123456789, INFINITY, 4, 0.000001, -INFINITY};
    CHECK_OK(mumloc_table_append_rows(t, rows, 4));
    const char *path = path_of("round.csv");
    CHECK_OK(mumloc_table_write_csv(t, path));
    const char *text = read_text(path);
    CHECK(text && strcmp(text, "\"frame\",\"x [nm]\",\"uncertainty_xy [nm]\"\n"
                               "1,1234.5,12.25\n2,-0.125,NaN\n3,123456789,Infinity\n"
                               "4,0.000001,-Infinity\n") == 0);
    mumloc_table *back = NULL;
    CHECK_OK(mumloc_table_read_csv(path, "frame, x", &back));
    if (back) {
        CHECK(mumloc_table_rows(back) == 4 && mumloc_table_columns(back) == 3);
        for (int c = 0; c < 3; c++) {
            CHECK(strcmp(mumloc_table_column_name(back, c), mumloc_table_column_name(t, c)) == 0);
            CHECK(strcmp(mumloc_table_column_unit(back, c), mumloc_table_column_unit(t, c)) == 0);
            for (int r = 0; r < 4; r++) {
                double a = mumloc_table_column_data(t, c)[r], b = mumloc_table_column_data(back, c)[r];
                CHECK((isnan(a) && isnan(b)) || a == b);
            }
        }
    }
    mumloc_table_destroy(back);
    mumloc_table_destroy(t);
}

static void check_thunderstorm_file(void) {
    /* ThunderSTORM's own export style: quoted header with units, id first, CRLF line ends. */
    const char *path = path_of("ts.csv");
    write_text(path, "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"intensity [photon]\","
                     "\"uncertainty_xy [nm]\"\r\n1.0,1.0,100.5,200.25,-50.0,1500.0,9.5\r\n"
                     "2.0,3.0,300,400,50,2000,NaN\r\n");
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_read_csv(path, "frame,x,y,z", &t));
    if (t) {
        CHECK(mumloc_table_rows(t) == 2);
        CHECK(mumloc_table_find_column(t, "intensity", "photon") == 5);
        CHECK(mumloc_table_column_data(t, 4)[0] == -50);
        CHECK(isnan(mumloc_table_column_data(t, 6)[1])); /* NaN allowed outside required columns */
    }
    mumloc_table_destroy(t);
}

static void check_errors(void) {
    mumloc_table *t = NULL;
    const char *path = path_of("bad.csv");
    write_text(path, "\"frame\",\"x [nm]\",\"y [nm]\"\n1,2,3\n");
    CHECK_STATUS(mumloc_table_read_csv(path, "frame,x,y,z", &t), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "has no column \"z\" (required: frame,x,y,z); its columns are: "
                                      "\"frame\", \"x [nm]\", \"y [nm]\"") != NULL);
    CHECK(t == NULL);
    write_text(path, "frame,x,y,z\n1,2,3,4\n\n2,5,NaN,6\n");
    CHECK_STATUS(mumloc_table_read_csv(path, "frame,x,y,z", &t), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "line 4: \"y\" is NaN") != NULL);
    CHECK_OK(mumloc_table_read_csv(path, NULL, &t)); /* nothing required: NaN is fine */
    if (t) CHECK(mumloc_table_rows(t) == 2 && isnan(mumloc_table_column_data(t, 2)[1]));
    mumloc_table_destroy(t);
    t = NULL;
    write_text(path, "frame,x\n1,abc\n");
    CHECK_STATUS(mumloc_table_read_csv(path, NULL, &t), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "line 2") && strstr(mumloc_last_error(), "'abc' is not a number"));
    write_text(path, "");
    CHECK_STATUS(mumloc_table_read_csv(path, NULL, &t), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "is empty") != NULL);
    CHECK_STATUS(mumloc_table_read_csv(path_of("missing.csv"), NULL, &t), MUMLOC_ERR_IO);
    /* Header only: a valid empty table. */
    write_text(path, "\"frame\",\"x [nm]\"\n");
    CHECK_OK(mumloc_table_read_csv(path, "frame,x", &t));
    if (t) CHECK(mumloc_table_rows(t) == 0 && mumloc_table_columns(t) == 2);
    /* A write into a missing folder fails and leaves nothing; a table without columns is refused. */
    if (t) {
        CHECK_STATUS(mumloc_table_write_csv(t, path_of("no-such-dir/out.csv")), MUMLOC_ERR_IO);
        mumloc_table_destroy(t);
    }
    CHECK_OK(mumloc_table_create(&t));
    CHECK_STATUS(mumloc_table_write_csv(t, path_of("none.csv")), MUMLOC_ERR_INVALID_ARGUMENT);
    FILE *f = fopen(path_of("none.csv"), "rb");
    CHECK(f == NULL);
    if (f) fclose(f);
    mumloc_table_destroy(t);
}

int main(void) {
    test_dir_create("test_table_csv");
    int before = failed_before();
    check_round_trip();
    check_thunderstorm_file();
    check_errors();
    test_dir_remove(check_failures != before);
    return CHECK_DONE("test_table_csv");
}
