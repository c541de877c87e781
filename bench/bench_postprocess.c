/* Speed of the steps after localization on 10^7 localizations (issue 14: "in seconds"):
 * merging blinks, an expression filter, a density filter and FRC.
 *
 *   usage: bench_postprocess [rows (default 10000000)] [threads (default 2)]
 *
 * The table is synthetic and in frame order, as a localizer writes it: 1,000 localizations per
 * frame over a 40.96 µm field, each from a blink of 1-5 frames (mean 3) of one of 200,000 fixed
 * sites (so the sites are seen again and again: a structure for FRC), with 10 nm lateral and 30 nm
 * axial errors; columns frame, x, y, z, intensity, uncertainty_xy, uncertainty_z. Each step prints its
 * wall time and the process CPU time (the machines are shared), and rows per second of wall time. */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_common.h"
#include "mumloc.h"

#define FIELD_NM 40960.0
#define PER_FRAME 1000
#define SITES 200000

/* Sum of 4 uniforms, centred and scaled: a cheap near-Gaussian of unit variance. */
static double noise(uint64_t *s) {
    return (bench_uniform(s) + bench_uniform(s) + bench_uniform(s) + bench_uniform(s) - 2.0) * 1.7320508075688772;
}

static mumloc_table *synthesize(int64_t rows) {
    const char *names[7] = {"frame", "x", "y", "z", "intensity", "uncertainty_xy", "uncertainty_z"};
    const char *units[7] = {"", "nm", "nm", "nm", "photon", "nm", "nm"};
    mumloc_table *t = NULL;
    if (mumloc_table_create(&t) != MUMLOC_OK) return NULL;
    for (int c = 0; c < 7; c++) mumloc_table_add_column(t, names[c], units[c], NULL);
    if (mumloc_table_set_rows(t, rows) != MUMLOC_OK) return NULL;
    double *col[7];
    for (int c = 0; c < 7; c++) col[c] = (double *)mumloc_table_column_data(t, c);
    double slot[PER_FRAME][4] = {{0}}; /* x, y, z, frames left */
    uint64_t s = 1;
    double *site = malloc(3 * SITES * sizeof *site);
    if (!site) return NULL;
    for (int i = 0; i < 3 * SITES; i++) site[i] = (i % 3 == 2 ? 1600.0 : FIELD_NM) * bench_uniform(&s);
    for (int64_t r = 0; r < rows; r++) {
        int k = (int)(r % PER_FRAME);
        if (slot[k][3] <= 0) {
            const double *at = site + 3 * (int64_t)(SITES * bench_uniform(&s));
            slot[k][0] = at[0];
            slot[k][1] = at[1];
            slot[k][2] = at[2];
            slot[k][3] = 1 + (int)(5 * bench_uniform(&s));
        }
        slot[k][3]--;
        col[0][r] = 1 + (double)(r / PER_FRAME);
        col[1][r] = slot[k][0] + 10 * noise(&s);
        col[2][r] = slot[k][1] + 10 * noise(&s);
        col[3][r] = slot[k][2] + 30 * noise(&s);
        col[4][r] = 200 + 2000 * bench_uniform(&s);
        col[5][r] = 5 + 25 * bench_uniform(&s);
        col[6][r] = 15 + 40 * bench_uniform(&s);
    }
    free(site);
    return t;
}

static void report(const char *what, int64_t rows, double wall, double cpu, const char *result) {
    printf("%-44s %6.2f s wall, %6.2f s CPU, %5.1f M rows/s; %s\n", what, wall, cpu, rows / wall / 1e6, result);
    fflush(stdout);
}

int main(int argc, char **argv) {
    int64_t rows = argc > 1 ? atoll(argv[1]) : 10000000;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    mumloc_set_threads(threads);
    printf("%lld localizations (%d per frame, blinks of 1-5 frames), %d threads\n", (long long)rows,
           PER_FRAME, threads);
    mumloc_table *t = synthesize(rows);
    if (!t) {
        fprintf(stderr, "bench_postprocess: out of memory\n");
        return 1;
    }
    char result[256];
    double w, c;

    mumloc_blink_merge_options mo;
    mumloc_blink_merge_options_default(&mo);
    mo.max_distance_xy_nm = 50;
    mo.max_distance_z_nm = 150;
    mumloc_table *merged = NULL;
    w = bench_seconds(CLOCK_MONOTONIC), c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    mumloc_status st = mumloc_merge_blinks(t, &mo, &merged, NULL, NULL);
    w = bench_seconds(CLOCK_MONOTONIC) - w, c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c;
    snprintf(result, sizeof result, "%s: %lld molecules", st ? mumloc_last_error() : "ok",
             (long long)mumloc_table_rows(merged));
    report("merge blinks (50 nm xy, 150 nm z, 1 dark frame)", rows, w, c, result);
    mumloc_table_destroy(merged);

    mumloc_filter_options fo;
    mumloc_filter_options_default(&fo);
    fo.expression = "intensity > 500 & uncertainty_xy < 20 & z > 100";
    mumloc_table *kept = NULL;
    w = bench_seconds(CLOCK_MONOTONIC), c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    st = mumloc_filter_table(t, &fo, &kept, NULL, NULL);
    w = bench_seconds(CLOCK_MONOTONIC) - w, c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c;
    snprintf(result, sizeof result, "%s: kept %lld", st ? mumloc_last_error() : "ok", (long long)mumloc_table_rows(kept));
    report("filter \"intensity > 500 & uncertainty_xy < 20 & z > 100\"", rows, w, c, result);
    mumloc_table_destroy(kept);

    mumloc_filter_options_default(&fo);
    fo.density_radius_nm = 50;
    fo.density_min_neighbors = 3;
    w = bench_seconds(CLOCK_MONOTONIC), c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    st = mumloc_filter_table(t, &fo, &kept, NULL, NULL);
    w = bench_seconds(CLOCK_MONOTONIC) - w, c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c;
    snprintf(result, sizeof result, "%s: kept %lld", st ? mumloc_last_error() : "ok", (long long)mumloc_table_rows(kept));
    report("density filter (3 neighbours within 50 nm, 2D)", rows, w, c, result);
    mumloc_table_destroy(kept);

    mumloc_frc *frc = NULL;
    w = bench_seconds(CLOCK_MONOTONIC), c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    st = mumloc_frc_compute(t, NULL, &frc, NULL, NULL);
    w = bench_seconds(CLOCK_MONOTONIC) - w, c = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c;
    mumloc_frc_summary fs = {0};
    if (st == MUMLOC_OK) mumloc_frc_get_summary(frc, &fs);
    snprintf(result, sizeof result, "%s: %d x %d image of %.1f nm pixels, resolution %.1f nm",
             st ? mumloc_last_error() : "ok", fs.image_size, fs.image_size, fs.pixel_nm, fs.resolution_nm);
    report("FRC (defaults: blocks of 50 frames, auto pixel)", rows, w, c, result);
    mumloc_frc_destroy(frc);
    mumloc_table_destroy(t);
    return 0;
}
