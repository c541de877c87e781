/* mumloc_merge_tables on hand-made tables and sidecars (independent of the localization): rows of
 * equal frames keep their table order (a stable sort), ids become 1..n, several movies get a
 * "movie" column or offset frames, and sidecars that are damaged or stale fail naming the file and
 * field; the output may not be an input by another name. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

#define HASH "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* A table of rows (id, frame, x) and its one-part sidecar for frames first..last of movie. */
static void write_part(const char *name, const double *rows, int count, const char *movie,
                       int movie_frames, int first, int last) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "id", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_append_rows(t, rows, count));
    CHECK_OK(mumloc_table_write_csv(t, path_of(name)));
    mumloc_table_destroy(t);
    char sidecar[1200];
    snprintf(sidecar, sizeof sidecar, "%s.json", path_of(name));
    FILE *f = fopen(sidecar, "w");
    fprintf(f, "{\"mumloc_table\":1,\"rows\":%d,\"movies\":\"one\",\"parts\":[{\"mumloc\":\"0.1.0\","
               "\"model_sha256\":\"" HASH "\",\"optics\":{\"planes\":4,\"plane_depth_nm\":[200,600,"
               "1000,1400],\"pixel_nm\":192,\"psf_amplitude\":50000000,\"psf_w0_nm\":133.05,"
               "\"psf_d_nm\":302.38,\"psf_A\":0.000737,\"psf_B\":0.1225},\"threshold\":0.2,"
               "\"refine\":\"none\",\"merge_distance_nm\":100,\"movie\":\"%s\",\"movie_bytes\":1000,"
               "\"movie_frames\":%d,\"first_frame\":%d,\"last_frame\":%d,\"rows\":%d,"
               "\"movie_index\":1,\"frame_offset\":0}]}\n",
            count, movie, movie_frames, first, last, count);
    fclose(f);
}

static mumloc_table *merged(const char *const *names, int count, mumloc_merge_movies movies,
                            mumloc_merge_summary *summary) {
    const char *paths[4];
    char copies[4][1024];
    for (int i = 0; i < count; i++) paths[i] = strcpy(copies[i], path_of(names[i]));
    mumloc_merge_options o;
    mumloc_merge_options_default(&o);
    o.movies = movies;
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_merge_tables(paths, count, path_of("out.csv"), &o, summary));
    CHECK_OK(mumloc_table_read_csv(path_of("out.csv"), "id,frame,x", &t));
    return t;
}

int main(void) {
    test_dir_create("test_table_merge");
    /* movie A, frames 1-2 and 3-4; the x values say which row is which */
    const double a1[] = {1, 1, 10, 2, 2, 20, 3, 2, 21};
    const double a2[] = {1, 3, 30, 2, 4, 40, 3, 4, 41};
    const double b[] = {1, 1, 100, 2, 3, 300};
    write_part("a1.csv", a1, 3, "/movies/a.tif", 4, 1, 2);
    write_part("a2.csv", a2, 3, "/movies/a.tif", 4, 3, 4);
    write_part("b.csv", b, 2, "/movies/b.tif", 3, 1, 3);

    mumloc_merge_summary s;
    const char *parts[] = {"a2.csv", "a1.csv"};
    mumloc_table *t = merged(parts, 2, MUMLOC_MERGE_ONE_MOVIE, &s);
    const double expect_x[] = {10, 20, 21, 30, 40, 41};
    CHECK(mumloc_table_rows(t) == 6 && s.rows == 6 && s.movies == 1 && s.frames_missing == 0);
    for (int r = 0; r < 6 && mumloc_table_rows(t) == 6; r++) {
        CHECK(mumloc_table_column_data(t, 0)[r] == r + 1);
        CHECK(mumloc_table_column_data(t, 2)[r] == expect_x[r]);
    }
    mumloc_table_destroy(t);

    /* two movies: a movie column (b named first is movie 1), or b's frames after a's 4 */
    const char *movies[] = {"b.csv", "a1.csv", "a2.csv"};
    t = merged(movies, 3, MUMLOC_MERGE_MOVIE_COLUMN, &s);
    const double column_x[] = {100, 300, 10, 20, 21, 30, 40, 41};
    const double column_movie[] = {1, 1, 2, 2, 2, 2, 2, 2};
    int movie = mumloc_table_find_column(t, "movie", NULL);
    CHECK(s.movies == 2 && movie == 3 && mumloc_table_rows(t) == 8);
    for (int r = 0; r < 8 && movie == 3 && mumloc_table_rows(t) == 8; r++) {
        CHECK(mumloc_table_column_data(t, 2)[r] == column_x[r]);
        CHECK(mumloc_table_column_data(t, movie)[r] == column_movie[r]);
    }
    mumloc_table_destroy(t);
    const char *offset[] = {"a1.csv", "b.csv", "a2.csv"};
    t = merged(offset, 3, MUMLOC_MERGE_FRAME_OFFSET, &s);
    const double offset_frame[] = {1, 2, 2, 3, 4, 4, 5, 7}, offset_x[] = {10, 20, 21, 30, 40, 41, 100, 300};
    CHECK(mumloc_table_find_column(t, "movie", NULL) < 0 && mumloc_table_rows(t) == 8);
    for (int r = 0; r < 8 && mumloc_table_rows(t) == 8; r++) {
        CHECK(mumloc_table_column_data(t, 1)[r] == offset_frame[r]);
        CHECK(mumloc_table_column_data(t, 2)[r] == offset_x[r]);
    }
    mumloc_table_destroy(t);

    /* a gap is counted; a damaged sidecar fails naming its field */
    const char *gap[] = {"a1.csv"};
    mumloc_table_destroy(merged(gap, 1, MUMLOC_MERGE_ONE_MOVIE, &s));
    CHECK(s.frames_missing == 2);
    const char *itself[] = {path_of("a2.csv")};
    CHECK(mumloc_merge_tables(itself, 1, path_of("./a2.csv"), NULL, NULL) == MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "must not overwrite the input table") != NULL);
    FILE *f = fopen(path_of("a1.csv.json"), "w");
    fprintf(f, "{\"mumloc_table\":1,\"rows\":3,\"movies\":\"one\",\"parts\":[{\"mumloc\":7}]}");
    fclose(f);
    const char *damaged[] = {path_of("a1.csv")};
    CHECK(mumloc_merge_tables(damaged, 1, path_of("never.csv"), NULL, NULL) == MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "a1.csv.json': \"mumloc\" must be a string") != NULL);
    FILE *never = fopen(path_of("never.csv"), "r");
    CHECK(never == NULL);
    if (never) fclose(never);
    int failed = check_failures;
    test_dir_remove(failed);
    return CHECK_DONE("test_table_merge");
}
