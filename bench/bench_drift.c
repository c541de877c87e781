/* Drift-correction speed (issue 14: "each step's speed on 10^7 localizations").
 *
 *   usage: bench_drift [rows (default 10000000)] [threads (default 2)]
 *
 * A table of `rows` localizations in memory (frame, x, y, z: blinking sites along curved filaments
 * over a 24.576 µm field, 30,000 frames, 10 nm / 25 nm localization noise, a smooth 3D drift of
 * ~150 nm) is drift-corrected with RCC at the default segment size (estimate, then apply), and with
 * fiducial beads (10 beads in every frame). Printed: wall and CPU seconds, rows per second, and the
 * RMS error of the estimate against the true drift (constant offset removed).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_common.h"
#include "mumloc.h"

#define FRAMES 30000
#define BEADS 10

static double normal(uint64_t *state) {
    return sqrt(-2.0 * log(bench_uniform(state))) * cos(6.283185307179586 * bench_uniform(state));
}

static void true_drift(int64_t frame, double *d) {
    double t = (double)(frame - 1) / FRAMES;
    d[0] = 90.0 * sin(5.0 * t) + 60.0 * t;
    d[1] = -140.0 * t * t + 40.0 * sin(3.0 * t + 1.0);
    d[2] = 60.0 * sin(4.0 * t + 0.5) - 30.0 * t;
}

static mumloc_table *make_table(int64_t rows, int beads) {
    uint64_t state = 42;
    mumloc_table *t = NULL;
    if (mumloc_table_create(&t) != MUMLOC_OK) return NULL;
    const char *names[4] = {"frame", "x", "y", "z"};
    for (int c = 0; c < 4; c++) mumloc_table_add_column(t, names[c], c ? "nm" : "", NULL);
    int64_t total = rows + (int64_t)beads * FRAMES;
    if (mumloc_table_set_rows(t, total) != MUMLOC_OK) {
        mumloc_table_destroy(t);
        return NULL;
    }
    enum { CHUNK = 1 << 16 };
    double *v[4];
    for (int c = 0; c < 4; c++) v[c] = malloc(CHUNK * sizeof(double));
    for (int64_t first = 0; first < total; first += CHUNK) {
        int64_t n = total - first < CHUNK ? total - first : CHUNK;
        for (int64_t i = 0; i < n; i++) {
            int64_t row = first + i;
            double d[3], x, y, z, sxy = 10.0, sz = 25.0;
            int64_t frame;
            if (row < rows) {
                frame = 1 + (int64_t)(bench_uniform(&state) * FRAMES);
                int filament = (int)(bench_uniform(&state) * 12);
                double u = bench_uniform(&state), a = 0.5 * filament;
                double along = (u - 0.5) * 20000.0, bend = 1500.0 * sin(3.0 * u + filament);
                x = 12288.0 + along * cos(a) - bend * sin(a);
                y = 12288.0 + along * sin(a) + bend * cos(a);
                z = 800.0 + 600.0 * sin(4.0 * u + filament);
            } else {
                int b = (int)((row - rows) / FRAMES);
                frame = 1 + (row - rows) % FRAMES;
                x = 2000.0 + 2000.0 * b;
                y = 3000.0 + 1800.0 * b;
                z = 700.0;
                sxy = 3.0;
                sz = 5.0;
            }
            true_drift(frame, d);
            v[0][i] = (double)frame;
            v[1][i] = x + d[0] + sxy * normal(&state);
            v[2][i] = y + d[1] + sxy * normal(&state);
            v[3][i] = z + d[2] + sz * normal(&state);
        }
        for (int c = 0; c < 4; c++) mumloc_table_set_column(t, c, first, v[c], n);
    }
    for (int c = 0; c < 4; c++) free(v[c]);
    return t;
}

static void report_error(const mumloc_table *drift) {
    int64_t n = mumloc_table_rows(drift);
    const double *f = mumloc_table_column_data(drift, 0);
    double rms[3];
    for (int a = 0; a < 3; a++) {
        const double *d = mumloc_table_column_data(drift, a + 1);
        double mean = 0.0, sq = 0.0, truth[3];
        for (int64_t k = 0; k < n; k++) {
            true_drift((int64_t)f[k], truth);
            mean += (d[k] - truth[a]) / (double)n;
        }
        for (int64_t k = 0; k < n; k++) {
            true_drift((int64_t)f[k], truth);
            sq += pow(d[k] - truth[a] - mean, 2) / (double)n;
        }
        rms[a] = sqrt(sq);
    }
    printf("  rms error of the estimate: x %.2f, y %.2f, z %.2f nm\n", rms[0], rms[1], rms[2]);
}

static int run(const char *label, int64_t rows, int beads, mumloc_drift_method method) {
    mumloc_table *table = make_table(rows, beads);
    if (!table) {
        fprintf(stderr, "bench_drift: out of memory for %lld rows\n", (long long)rows);
        return 1;
    }
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);
    o.method = method;
    mumloc_drift_info info;
    mumloc_table *drift = NULL;
    double w0 = bench_seconds(CLOCK_MONOTONIC), c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    mumloc_status s = mumloc_drift_estimate(table, &o, &info, NULL, NULL, &drift);
    double w1 = bench_seconds(CLOCK_MONOTONIC), c1 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (s == MUMLOC_OK) s = mumloc_drift_apply(table, drift);
    double w2 = bench_seconds(CLOCK_MONOTONIC), c2 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (s != MUMLOC_OK) {
        fprintf(stderr, "bench_drift: %s\n", mumloc_last_error());
        mumloc_table_destroy(table);
        return 1;
    }
    int64_t total = mumloc_table_rows(table);
    printf("%s: %lld localizations, %d frames", label, (long long)total, FRAMES);
    if (method == MUMLOC_DRIFT_RCC)
        printf(" (%d segments of %lld frames, bin %g nm, %d/%d pairs)\n", info.segments,
               (long long)info.segment_frames, info.pixel_nm, info.pairs_used, info.pairs);
    else
        printf(" (%d beads)\n", info.beads);
    printf("  estimate: %.2f s wall, %.2f s CPU (%.2g rows/s); apply: %.3f s wall\n", w1 - w0,
           c1 - c0, (double)total / (w1 - w0), w2 - w1);
    (void)c2;
    report_error(drift);
    mumloc_table_destroy(drift);
    mumloc_table_destroy(table);
    return 0;
}

int main(int argc, char **argv) {
    int64_t rows = argc > 1 ? atoll(argv[1]) : 10000000;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    mumloc_set_threads(threads);
    printf("threads: %d\n", threads);
    if (run("rcc", rows, 0, MUMLOC_DRIFT_RCC)) return 1;
    return run("fiducial", rows, BEADS, MUMLOC_DRIFT_FIDUCIAL);
}
