/* The voxel decoder on synthetic probability volumes with known answers: Gaussian blobs centred on a
 * voxel, between two voxels and at a corner of eight (exact sub-voxel positions), an off-centre blob
 * against a brute-force weighted mean, plateaus (saturated cubes, plateaus beside a higher voxel),
 * threshold edges, volume borders, two molecules, and the geometry taken from the optics. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define IN 4          /* input pixels per side */
#define U 8           /* lateral upsampling */
#define S 32          /* depth slices */
#define SIDE (IN * U) /* 32 */
#define N_VOX (S * SIDE * SIDE)

static float vol[N_VOX];
static mumloc_optics optics;
static mumloc_decode_options opts;
static mumloc_localization locs[N_VOX];

static float *at(int s, int j, int i) { return &vol[((size_t)s * SIDE + j) * SIDE + i]; }

/* Adds a Gaussian blob (σ in voxels) centred at (cs, cj, ci) in voxel-index units, where voxel v's
 * centre is v (so a centre of 3.5 lies on the border of voxels 3 and 4). */
static void blob(double cs, double cj, double ci, double peak, double sigma) {
    for (int s = 0; s < S; s++)
        for (int j = 0; j < SIDE; j++)
            for (int i = 0; i < SIDE; i++) {
                double r2 = (s - cs) * (s - cs) + (j - cj) * (j - cj) + (i - ci) * (i - ci);
                *at(s, j, i) += (float)(peak * exp(-r2 / (2 * sigma * sigma)));
            }
}

static int decode(void) {
    int n = -1;
    CHECK_OK(mumloc_decode_voxel(&optics, vol, S, U, IN, IN, &opts, 3, locs, N_VOX, &n));
    return n;
}

/* Voxel-index coordinates to nm under the default optics: 24 nm laterally, 50 nm slices from 0. */
static double lat(double v) { return (v + 0.5) * 24.0; }
static double ax(double v) { return (v + 0.5) * 50.0; }

static void centred_blobs(void) {
    /* On a voxel centre: the window is symmetric, the mean is the centre. */
    memset(vol, 0, sizeof vol);
    blob(10, 12, 14, 0.9, 1.0);
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, lat(14), 1e-6);
    CHECK_NEAR(locs[0].y_nm, lat(12), 1e-6);
    CHECK_NEAR(locs[0].z_nm, ax(10), 1e-6);
    CHECK_NEAR(locs[0].probability, 0.9, 1e-6);
    CHECK(locs[0].frame == 3 && isnan(locs[0].photons));

    /* Between two voxels along x: a two-voxel plateau, one peak, recovered within 1 nm. */
    memset(vol, 0, sizeof vol);
    blob(10, 12, 14.5, 0.8, 1.0);
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, lat(14.5), 1.0);
    CHECK_NEAR(locs[0].y_nm, lat(12), 1.0);
    CHECK_NEAR(locs[0].z_nm, ax(10), 1.0);

    /* At the corner of eight voxels. */
    memset(vol, 0, sizeof vol);
    blob(20.5, 7.5, 9.5, 0.7, 1.2);
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, lat(9.5), 1.0);
    CHECK_NEAR(locs[0].y_nm, lat(7.5), 1.0);
    CHECK_NEAR(locs[0].z_nm, ax(20.5), 1.0);
}

/* Off-centre: the position is the probability-weighted mean of the 27 voxel centres around the
 * peak, computed here directly; it lies on the blob's side of the peak voxel. */
static void off_centre(void) {
    memset(vol, 0, sizeof vol);
    blob(15.3, 16.2, 16.9, 0.95, 1.0); /* peak voxel (15, 16, 17) */
    CHECK(decode() == 1);
    double sw = 0, ss = 0, sj = 0, si = 0;
    for (int s = 14; s <= 16; s++)
        for (int j = 15; j <= 17; j++)
            for (int i = 16; i <= 18; i++) {
                double w = *at(s, j, i);
                sw += w;
                ss += w * s;
                sj += w * j;
                si += w * i;
            }
    CHECK_NEAR(locs[0].x_nm, lat(si / sw), 1e-6);
    CHECK_NEAR(locs[0].y_nm, lat(sj / sw), 1e-6);
    CHECK_NEAR(locs[0].z_nm, ax(ss / sw), 1e-6);
    CHECK(locs[0].x_nm < lat(17) && locs[0].x_nm > lat(16.5));
    CHECK(locs[0].z_nm > ax(15) && locs[0].z_nm < ax(15.5));
    CHECK(locs[0].probability == *at(15, 16, 17));

    /* r = 2: the 5×5×5 window, against the same direct sum. */
    opts.neighbourhood = 2;
    CHECK(decode() == 1);
    sw = si = 0;
    for (int s = 13; s <= 17; s++)
        for (int j = 14; j <= 18; j++)
            for (int i = 15; i <= 19; i++) {
                sw += *at(s, j, i);
                si += *at(s, j, i) * i;
            }
    CHECK_NEAR(locs[0].x_nm, lat(si / sw), 1e-6);
    opts.neighbourhood = 1;
}

static void plateaus(void) {
    /* A saturated 3×3×3 cube (sigmoid at exactly 1): one peak at the cube's centre. */
    memset(vol, 0, sizeof vol);
    for (int s = 4; s <= 6; s++)
        for (int j = 4; j <= 6; j++)
            for (int i = 20; i <= 22; i++) *at(s, j, i) = 1.0f;
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, lat(21), 1e-9);
    CHECK_NEAR(locs[0].y_nm, lat(5), 1e-9);
    CHECK_NEAR(locs[0].z_nm, ax(5), 1e-9);
    CHECK(locs[0].probability == 1.0f);

    /* A plateau touching a higher voxel is a flank, not a peak: only the higher voxel counts. */
    memset(vol, 0, sizeof vol);
    *at(8, 8, 8) = 0.7f;
    *at(8, 8, 9) = 0.7f;
    *at(8, 8, 10) = 0.7f;
    *at(8, 8, 11) = 0.9f;
    CHECK(decode() == 1);
    CHECK(locs[0].probability == 0.9f);
    /* window of (8,8,11): itself 0.9 and (8,8,10) 0.7 */
    CHECK_NEAR(locs[0].x_nm, lat((0.9f * 11 + 0.7f * 10) / (0.9f + 0.7f)), 1e-6);

    /* A curved plateau (V shape through a lower row) is still one peak. */
    memset(vol, 0, sizeof vol);
    int vx[] = {10, 11, 12, 13, 14}, vy[] = {10, 11, 11, 11, 10};
    for (int q = 0; q < 5; q++) *at(5, vy[q], vx[q]) = 0.8f;
    CHECK(decode() == 1);
}

static void thresholds_and_borders(void) {
    memset(vol, 0, sizeof vol);
    *at(3, 3, 3) = 0.5f;                       /* exactly τ */
    *at(9, 20, 20) = nextafterf(0.5f, 1.0f);   /* just above */
    CHECK(decode() == 1);
    CHECK_NEAR(locs[0].x_nm, lat(20), 1e-9);

    /* Corners of the volume: the window is clipped, each voxel counted once. */
    memset(vol, 0, sizeof vol);
    *at(0, 0, 0) = 0.9f;
    *at(0, 0, 1) = 0.3f;
    *at(1, 1, 1) = 0.3f;
    *at(S - 1, SIDE - 1, SIDE - 1) = 0.8f;
    CHECK(decode() == 2);
    CHECK_NEAR(locs[0].x_nm, lat((0.3f * 1 + 0.3f * 1) / (0.9f + 0.3f + 0.3f)), 1e-6);
    CHECK_NEAR(locs[0].y_nm, lat(0.3f / (0.9f + 0.3f + 0.3f)), 1e-6);
    CHECK_NEAR(locs[1].x_nm, lat(SIDE - 1), 1e-9);
    CHECK_NEAR(locs[1].z_nm, 1600 - 25.0, 1e-9);
}

static void two_molecules(void) {
    memset(vol, 0, sizeof vol);
    blob(8, 20, 5, 0.9, 1.0);
    blob(24, 6, 25, 0.6, 1.0);
    CHECK(decode() == 2);
    /* sorted by y: the second blob first */
    CHECK_NEAR(locs[0].y_nm, lat(6), 1e-3);
    CHECK_NEAR(locs[0].z_nm, ax(24), 1e-3);
    CHECK_NEAR(locs[1].x_nm, lat(5), 1e-3);
    CHECK_NEAR(locs[0].probability, 0.6, 1e-6);
}

/* The grid comes from the optics and the factors: 3 planes at 100/300/500 nm → slab [0, 600); 12
 * slices of 50 nm; 96 nm pixels with U = 4 → 24 nm laterally. */
static void geometry(void) {
    mumloc_optics o = optics;
    o.planes = 3;
    o.plane_depth_nm[0] = 100;
    o.plane_depth_nm[1] = 300;
    o.plane_depth_nm[2] = 500;
    o.pixel_nm = 96;
    static float v[12 * 8 * 8];
    memset(v, 0, sizeof v);
    v[(5 * 8 + 2) * 8 + 3] = 0.9f; /* slice 5, row 2, column 3 */
    int n = 0;
    CHECK_OK(mumloc_decode_voxel(&o, v, 12, 4, 2, 2, &opts, 0, locs, 10, &n));
    CHECK(n == 1);
    CHECK_NEAR(locs[0].x_nm, 3.5 * 24, 1e-9);
    CHECK_NEAR(locs[0].y_nm, 2.5 * 24, 1e-9);
    CHECK_NEAR(locs[0].z_nm, 5.5 * 50, 1e-9);

    CHECK_STATUS(mumloc_decode_voxel(&o, v, 12, 0, 2, 2, &opts, 0, locs, 10, &n),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_decode_voxel(&o, v, 12, 4, 2, 2, &opts, 0, locs, 0, &n),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(n == 1);
    CHECK_OK(mumloc_decode_voxel(&o, v, 12, 4, 2, 2, &opts, 0, NULL, 0, &n));
    CHECK(n == 1);
}

int main(void) {
    mumloc_optics_default(&optics);
    mumloc_decode_options_default(&opts);
    centred_blobs();
    off_centre();
    plateaus();
    thresholds_and_borders();
    two_molecules();
    geometry();
    return CHECK_DONE("test_decode_voxel");
}
