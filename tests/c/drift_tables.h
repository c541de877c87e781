/* Synthetic localization tables with a known stage drift for the drift-correction tests: blinking
 * sites along a few curved 3D filaments, each localization a random site plus Gaussian noise plus
 * the drift of its frame. */
#ifndef TESTS_DRIFT_TABLES_H
#define TESTS_DRIFT_TABLES_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mumloc.h"

typedef struct test_rng {
    uint64_t s;
} test_rng;

static double test_uniform(test_rng *r) {
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return ((double)(r->s >> 11) + 0.5) / 9007199254740992.0;
}

static double test_normal(test_rng *r) {
    return sqrt(-2.0 * log(test_uniform(r))) * cos(6.283185307179586 * test_uniform(r));
}

/* The true drift at frame f of `frames` (smooth, 100–200 nm laterally, ~100 nm axially). */
static void test_drift(int64_t f, int64_t frames, double *d) {
    double t = (double)(f - 1) / (double)frames;
    d[0] = 90.0 * sin(5.0 * t) + 60.0 * t;
    d[1] = -140.0 * t * t + 40.0 * sin(3.0 * t + 1.0);
    d[2] = 60.0 * sin(4.0 * t + 0.5) - 30.0 * t;
}

/* rows localizations over `frames` frames of sites in an 8 µm field: σxy, σz noise; beads > 0 adds
 * that many fiducials seen in every frame (σ = 3 nm). Drift added when `drift`. */
static mumloc_table *test_drift_table(int64_t rows, int64_t frames, double sigma_xy, double sigma_z,
                                      int beads, int drift, uint64_t seed) {
    test_rng r = {seed * 2654435761u + 88172645463325252ull};
    enum { SITES = 3000, FILAMENTS = 6 };
    static double sx[SITES], sy[SITES], sz[SITES];
    for (int i = 0; i < SITES; i++) {
        int f = i % FILAMENTS;
        double u = test_uniform(&r);
        double a = 0.7 * f + 0.3, c = cos(a), s = sin(a);
        double along = (u - 0.5) * 7000.0, bend = 800.0 * sin(u * 3.0 + f);
        sx[i] = 4000.0 + along * c - bend * s + 300.0 * f - 750.0;
        sy[i] = 4000.0 + along * s + bend * c - 200.0 * f + 500.0;
        sz[i] = 800.0 + 500.0 * sin(u * 4.0 + 2.0 * f);
    }
    mumloc_table *t = NULL;
    mumloc_table_create(&t);
    mumloc_table_add_column(t, "id", "", NULL);
    mumloc_table_add_column(t, "frame", "", NULL);
    mumloc_table_add_column(t, "x", "nm", NULL);
    mumloc_table_add_column(t, "y", "nm", NULL);
    mumloc_table_add_column(t, "z", "nm", NULL);
    mumloc_table_add_column(t, "intensity", "photon", NULL);
    int64_t total = rows + (int64_t)beads * frames;
    double *v = malloc((size_t)total * 6 * sizeof *v);
    int64_t k = 0;
    for (int64_t i = 0; i < rows; i++, k++) {
        int64_t f = 1 + (int64_t)(test_uniform(&r) * frames);
        int site = (int)(test_uniform(&r) * SITES);
        double d[3] = {0, 0, 0};
        if (drift) test_drift(f, frames, d);
        double *row = v + 6 * k;
        row[0] = (double)k + 1;
        row[1] = (double)f;
        row[2] = sx[site] + sigma_xy * test_normal(&r) + d[0];
        row[3] = sy[site] + sigma_xy * test_normal(&r) + d[1];
        row[4] = sz[site] + sigma_z * test_normal(&r) + d[2];
        row[5] = 1000.0 + i % 7;
    }
    for (int b = 0; b < beads; b++)
        for (int64_t f = 1; f <= frames; f++, k++) {
            double d[3] = {0, 0, 0};
            if (drift) test_drift(f, frames, d);
            double *row = v + 6 * k;
            row[0] = (double)k + 1;
            row[1] = (double)f;
            row[2] = 1000.0 + 2500.0 * b + 3.0 * test_normal(&r) + d[0];
            row[3] = 7000.0 - 1500.0 * b + 3.0 * test_normal(&r) + d[1];
            row[4] = 600.0 + 100.0 * b + 5.0 * test_normal(&r) + d[2];
            row[5] = 50000.0;
        }
    mumloc_table_append_rows(t, v, total);
    free(v);
    return t;
}

#endif
