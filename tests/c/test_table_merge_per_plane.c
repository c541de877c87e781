/* mumloc_merge_tables compares each plane's optics: parts made for a rig's per-plane optics and for
 * the papers' optics are refused, parts whose per-plane optics equal the common values everywhere
 * (the same optics written per plane) and parts whose transmissions differ only by a common factor
 * (the same shares) merge. Hand-made tables and sidecars, as test_table_merge. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

#define HASH "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define COMMON                                                                                     \
    "\"planes\":4,\"plane_depth_nm\":[200,600,1000,1400],\"pixel_nm\":192,"                        \
    "\"psf_amplitude\":50000000,\"psf_w0_nm\":133.05,\"psf_d_nm\":302.38,\"psf_A\":0.000737,"      \
    "\"psf_B\":0.1225"
#define PLANE(w0, t) "{\"w0_nm\":" #w0 ",\"d_nm\":302.38,\"A\":0.000737,\"B\":0.1225,\"transmission\":" #t "}"

/* A two-row table for frames first..first+1 of one movie, its sidecar holding these optics. */
static void write_part(const char *name, const char *optics, int first) {
    mumloc_table *t = NULL;
    const double rows[] = {1, first, 10, 2, first + 1, 20};
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "id", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_append_rows(t, rows, 2));
    CHECK_OK(mumloc_table_write_csv(t, path_of(name)));
    mumloc_table_destroy(t);
    char sidecar[1200];
    snprintf(sidecar, sizeof sidecar, "%s.json", path_of(name));
    FILE *f = fopen(sidecar, "w");
    fprintf(f, "{\"mumloc_table\":1,\"rows\":2,\"movies\":\"one\",\"parts\":[{\"mumloc\":\"0.1.0\","
               "\"model_sha256\":\"" HASH "\",\"optics\":{%s},\"threshold\":0.2,"
               "\"refine\":\"none\",\"merge_distance_nm\":100,\"movie\":\"/movies/a.tif\","
               "\"movie_bytes\":1000,\"movie_frames\":4,\"first_frame\":%d,\"last_frame\":%d,"
               "\"rows\":2,\"movie_index\":1,\"frame_offset\":0}]}\n",
            optics, first, first + 1);
    fclose(f);
}

static mumloc_status merge_two(const char *a, const char *b) {
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s", path_of(a));
    snprintf(pb, sizeof pb, "%s", path_of(b));
    const char *paths[] = {pa, pb};
    return mumloc_merge_tables(paths, 2, path_of("out.csv"), NULL, NULL);
}

int main(void) {
    test_dir_create("test_table_merge_per_plane");
    write_part("papers.csv", COMMON, 1);
    write_part("equal.csv",
               COMMON ",\"plane_psf\":[" PLANE(133.05, 1) "," PLANE(133.05, 1) "," PLANE(133.05, 1)
                      "," PLANE(133.05, 1) "]",
               3);
    write_part("rig.csv",
               COMMON ",\"plane_psf\":[" PLANE(133.05, 1) "," PLANE(150, 1) "," PLANE(133.05, 1)
                      "," PLANE(133.05, 1) "]",
               3);
    write_part("bright.csv",
               COMMON ",\"plane_psf\":[" PLANE(133.05, 1) "," PLANE(133.05, 2) "," PLANE(133.05, 1)
                      "," PLANE(133.05, 1) "]",
               3);
    write_part("bright2.csv",
               COMMON ",\"plane_psf\":[" PLANE(133.05, 2) "," PLANE(133.05, 4) "," PLANE(133.05, 2)
                      "," PLANE(133.05, 2) "]",
               1);

    CHECK_OK(merge_two("papers.csv", "equal.csv"));
    CHECK_STATUS(merge_two("papers.csv", "rig.csv"), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "rig.csv' was made for other optics") != NULL);
    CHECK_STATUS(merge_two("papers.csv", "bright.csv"), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "bright.csv' was made for other optics") != NULL);
    CHECK_OK(merge_two("bright2.csv", "bright.csv")); /* transmissions 2:4:2:2 = 1:2:1:1 */
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_table_merge_per_plane");
}
