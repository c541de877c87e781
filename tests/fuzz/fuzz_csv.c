/* Fuzzes CSV tables (mumloc_table_read_csv: ground truth, localizations, drift files; the streaming
 * reader under it).
 * Round trip: a table the reader accepts is written (mumloc_table_write_csv), read back and written
 * again: both written files hold the same bytes, and the table keeps its shape and names. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    fuzz_init_library();
    return 0;
}

static mumloc_table *read_written(const char *path) {
    mumloc_table *t = NULL;
    FUZZ_ASSERT(mumloc_table_read_csv(path, NULL, &t) == MUMLOC_OK,
                "a table mumloc wrote does not read back (%s)", path);
    return t;
}

static void same_shape(const mumloc_table *a, const mumloc_table *b) {
    FUZZ_ASSERT(mumloc_table_columns(a) == mumloc_table_columns(b) &&
                    mumloc_table_rows(a) == mumloc_table_rows(b),
                "%d columns x %lld rows came back as %d x %lld", mumloc_table_columns(a),
                (long long)mumloc_table_rows(a), mumloc_table_columns(b), (long long)mumloc_table_rows(b));
    for (int c = 0; c < mumloc_table_columns(a); c++)
        FUZZ_ASSERT(strcmp(mumloc_table_column_name(a, c), mumloc_table_column_name(b, c)) == 0 &&
                        strcmp(mumloc_table_column_unit(a, c), mumloc_table_column_unit(b, c)) == 0,
                    "column %d \"%s\" [%s] came back as \"%s\" [%s]", c, mumloc_table_column_name(a, c),
                    mumloc_table_column_unit(a, c), mumloc_table_column_name(b, c),
                    mumloc_table_column_unit(b, c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *in = fuzz_path(0, "in.csv"), *first = fuzz_path(1, "first.csv"),
               *second = fuzz_path(2, "second.csv");
    fuzz_write_file(in, data, size);
    mumloc_table *table = NULL;
    if (mumloc_table_read_csv(in, NULL, &table) != MUMLOC_OK) return 0;
    /* the required-columns path of the same reader (ground truth and localizations need these) */
    mumloc_table *required = NULL;
    if (mumloc_table_read_csv(in, "frame,x,y,z", &required) == MUMLOC_OK) {
        same_shape(table, required);
        mumloc_table_destroy(required);
    }
    FUZZ_ASSERT(mumloc_table_write_csv(table, first) == MUMLOC_OK, "an accepted table cannot be written");
    mumloc_table *again = read_written(first);
    same_shape(table, again);
    FUZZ_ASSERT(mumloc_table_write_csv(again, second) == MUMLOC_OK, "a re-read table cannot be written");
    fuzz_assert_same_files(first, second, "CSV write -> read -> write");
    mumloc_table_destroy(again);
    mumloc_table_destroy(table);
    return 0;
}
