/* The regression decoder on synthetic network outputs with hand-computed answers: one molecule,
 * threshold edges, neighbours kept apart, border duplicates merged (laterally and axially) to the
 * probability-weighted mean, chains, image borders, the output order and the buffer rules. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define W 16
#define H 12
#define K 4
#define AREA (W * H)

static float out[4 * K * AREA];
static mumloc_optics optics;
static mumloc_decode_options opts;
static mumloc_localization locs[K * AREA];

/* Sets voxel (plane d, column i, row j) to probability c and offsets ζ. */
static void voxel(int d, int i, int j, float c, float zx, float zy, float zz) {
    int at = j * W + i;
    out[d * AREA + at] = c;
    out[(K + 3 * d + 0) * AREA + at] = zx;
    out[(K + 3 * d + 1) * AREA + at] = zy;
    out[(K + 3 * d + 2) * AREA + at] = zz;
}

static int decode(void) {
    int n = -1;
    CHECK_OK(mumloc_decode_regression(&optics, out, W, H, &opts, 7, locs, K * AREA, &n));
    return n;
}

static void clear(void) {
    memset(out, 0, sizeof out);
    /* Below-threshold voxels carry arbitrary offsets: they must not matter. */
    for (int i = K * AREA; i < 4 * K * AREA; i++) out[i] = 0.37f;
    for (int i = 0; i < K * AREA; i++) out[i] = 0.1f;
}

static void single(void) {
    clear();
    voxel(1, 5, 7, 0.9f, 0.25f, 0.75f, 0.5f);
    CHECK(decode() == 1);
    /* corner (5·192, 7·192, 400) + ζ · (192, 192, 400) */
    CHECK_NEAR(locs[0].x_nm, 5.25 * 192, 1e-9);
    CHECK_NEAR(locs[0].y_nm, 7.75 * 192, 1e-9);
    CHECK_NEAR(locs[0].z_nm, 600.0, 1e-9);
    CHECK(locs[0].probability == 0.9f);
    CHECK(locs[0].frame == 7);
    CHECK(isnan(locs[0].photons) && isnan(locs[0].offset) && isnan(locs[0].uncertainty_xy_nm));
    /* Last plane, ζ at the limits: z in [1200, 1600]; offsets beyond [0, 1] are clamped. */
    clear();
    voxel(3, 2, 3, 0.6f, 1.0f, 0.0f, 1.5f);
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, 3 * 192, 1e-9);
    CHECK_NEAR(locs[0].y_nm, 3 * 192, 1e-9);
    CHECK_NEAR(locs[0].z_nm, 1600.0, 1e-9);
}

static void threshold_edges(void) {
    clear();
    voxel(0, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f);                     /* exactly τ: not above it */
    voxel(2, 9, 9, nextafterf(0.5f, 1.0f), 0.5f, 0.5f, 0.5f);   /* just above: counts */
    voxel(1, 12, 2, NAN, 0.5f, 0.5f, 0.5f);                     /* NaN never counts */
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, 9.5 * 192, 1e-9);
    CHECK_NEAR(locs[0].z_nm, 1000.0, 1e-9);
    opts.threshold = 0.95;
    CHECK(decode() == 0);
    opts.threshold = 0.5;
}

/* Neighbouring voxels, molecules 1.8 px apart: two localizations, sorted by y then x. */
static void two_close(void) {
    clear();
    voxel(0, 6, 4, 0.7f, 0.9f, 0.5f, 0.5f);
    voxel(0, 5, 4, 0.8f, 0.1f, 0.5f, 0.5f);
    voxel(2, 5, 3, 0.9f, 0.5f, 0.5f, 0.5f); /* smaller y: first */
    CHECK(decode() == 3);
    CHECK_NEAR(locs[0].y_nm, 3.5 * 192, 1e-9);
    CHECK_NEAR(locs[1].x_nm, 5.1 * 192, 1e-4);
    CHECK_NEAR(locs[2].x_nm, 6.9 * 192, 1e-4);
}

/* A molecule on the border between two voxels lights both: one localization at the
 * probability-weighted mean, with the higher probability. */
static void border_duplicates(void) {
    clear();
    voxel(1, 5, 7, 0.8f, 0.95f, 0.4f, 0.3f);
    voxel(1, 6, 7, 0.6f, 0.02f, 0.42f, 0.32f);
    CHECK(decode() == 1);
    double x1 = 5.95 * 192, x2 = 6.02 * 192, w1 = 0.8f, w2 = 0.6f;
    CHECK_NEAR(locs[0].x_nm, (w1 * x1 + w2 * x2) / (w1 + w2), 1e-3);
    CHECK_NEAR(locs[0].y_nm, (w1 * 7.4 * 192 + w2 * 7.42 * 192) / (w1 + w2), 1e-3);
    CHECK_NEAR(locs[0].z_nm, (w1 * 520 + w2 * 528) / (w1 + w2), 1e-3);
    CHECK(locs[0].probability == 0.8f);

    /* Axially: plane 1 near its top, plane 2 near its bottom (392 and 412 nm). */
    clear();
    voxel(0, 3, 3, 0.7f, 0.5f, 0.5f, 0.98f);
    voxel(1, 3, 3, 0.9f, 0.5f, 0.5f, 0.03f);
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].z_nm, (0.7f * 392.0 + 0.9f * 412.0) / (0.7f + 0.9f), 1e-3);
    CHECK(locs[0].probability == 0.9f);

    /* Diagonal neighbours (other plane, row and column) merge too. */
    clear();
    voxel(2, 8, 8, 0.9f, 0.99f, 0.99f, 0.99f);
    voxel(3, 9, 9, 0.85f, 0.01f, 0.01f, 0.01f);
    CHECK(decode() == 1);
    /* Merging off: both stay. */
    opts.merge_distance_nm = 0;
    CHECK(decode() == 2);
    opts.merge_distance_nm = 100;

    /* Voxels two apart never merge, however large the merge distance. */
    clear();
    voxel(0, 4, 4, 0.9f, 0.99f, 0.5f, 0.5f);
    voxel(0, 6, 4, 0.9f, 0.01f, 0.5f, 0.5f);
    opts.merge_distance_nm = 1000;
    CHECK(decode() == 2);
    opts.merge_distance_nm = 100;
}

/* A chain A–B–C with |AB|, |BC| < 100 nm but |AC| > 100 nm: B joins A (the stronger); C is not next
 * to A's voxel so it stays alone. */
static void chain(void) {
    clear();
    voxel(0, 4, 4, 0.9f, 0.99f, 0.5f, 0.5f);  /* x = 958.08 */
    voxel(0, 5, 4, 0.8f, 0.495f, 0.5f, 0.5f); /* x = 1055.04: 96.96 from A */
    voxel(0, 6, 4, 0.7f, 0.0f, 0.5f, 0.5f);   /* x = 1152: 96.96 from B, 193.92 from A */
    CHECK(decode() == 2);
    CHECK_NEAR(locs[0].x_nm, (0.9f * 958.08 + 0.8f * 1055.04) / (0.9f + 0.8f), 1e-3);
    CHECK_NEAR(locs[1].x_nm, 1152.0, 1e-9);
}

/* Image borders: corners decode where they are and merging near them reads nothing outside. */
static void borders(void) {
    clear();
    voxel(0, 0, 0, 0.9f, 0.0f, 0.0f, 0.0f);
    voxel(3, W - 1, H - 1, 0.9f, 0.02f, 1.0f, 1.0f);
    voxel(3, W - 2, H - 1, 0.8f, 0.99f, 0.99f, 0.99f); /* merges with the corner one */
    CHECK(decode() == 2);
    CHECK_NEAR(locs[0].x_nm, 0.0, 1e-9);
    CHECK_NEAR(locs[0].y_nm, 0.0, 1e-9);
    CHECK_NEAR(locs[0].z_nm, 0.0, 1e-9);
    CHECK_NEAR(locs[1].x_nm, (0.9f * (W - 0.98) * 192.0 + 0.8f * (W - 1.01) * 192.0) / (0.9f + 0.8f), 1e-3);
}

/* Plane depths other than the default: the voxel layers follow them (midpoints between planes). */
static void custom_planes(void) {
    mumloc_optics o = optics;
    o.planes = 3;
    o.plane_depth_nm[0] = 100;
    o.plane_depth_nm[1] = 300;
    o.plane_depth_nm[2] = 700; /* layers [0, 200), [200, 500), [500, 900) */
    static float small[4 * 3 * 4];
    memset(small, 0, sizeof small);
    small[1 * 4 + 2] = 0.9f;                   /* plane 1, pixel 2 (1×4 image) */
    small[(3 + 3 * 1 + 2) * 4 + 2] = 0.5f;     /* ζz */
    small[2 * 4 + 0] = 0.9f;                   /* plane 2, pixel 0 */
    small[(3 + 3 * 2 + 2) * 4 + 0] = 0.25f;
    int n = 0;
    CHECK_OK(mumloc_decode_regression(&o, small, 4, 1, &opts, 0, locs, 12, &n));
    CHECK(n == 2);
    CHECK_NEAR(locs[0].z_nm, 600.0, 1e-9);
    CHECK_NEAR(locs[1].z_nm, 350.0, 1e-9);
    /* one plane (an engineered PSF): its layer is ±800 nm around its depth, [-700, 900) */
    o.planes = 1;
    memset(small, 0, sizeof small);
    small[2] = 0.9f;          /* detection, pixel 2 */
    small[3 * 4 + 2] = 0.25f; /* ζz (channel k + 2) */
    CHECK_OK(mumloc_decode_regression(&o, small, 4, 1, &opts, 0, locs, 12, &n));
    CHECK(n == 1);
    CHECK_NEAR(locs[0].z_nm, -700.0 + 0.25 * 1600.0, 1e-9);
}

static void buffer_rules(void) {
    clear();
    voxel(0, 1, 1, 0.9f, 0.5f, 0.5f, 0.5f);
    voxel(0, 9, 9, 0.9f, 0.5f, 0.5f, 0.5f);
    int n = 0;
    CHECK_OK(mumloc_decode_regression(&optics, out, W, H, &opts, 0, NULL, 0, &n));
    CHECK(n == 2);
    CHECK_STATUS(mumloc_decode_regression(&optics, out, W, H, &opts, 0, locs, 1, &n),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(n == 2 && strstr(mumloc_last_error(), "at least 2") != NULL);
    mumloc_decode_options bad = opts;
    bad.threshold = 1.0;
    CHECK_STATUS(mumloc_decode_regression(&optics, out, W, H, &bad, 0, locs, 10, &n),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_decode_regression(&optics, out, 0, H, &opts, 0, locs, 10, &n),
                 MUMLOC_ERR_INVALID_ARGUMENT);
}

int main(void) {
    mumloc_optics_default(&optics);
    mumloc_decode_options_default(&opts);
    CHECK(opts.threshold == 0.5 && opts.merge_distance_nm == 100 && opts.neighbourhood == 1);
    single();
    threshold_edges();
    two_close();
    border_duplicates();
    chain();
    borders();
    custom_planes();
    buffer_rules();
    return CHECK_DONE("test_decode_regression");
}
