/* Conventions end to end without a network: the output an ideal regression network would give for
 * a simulated frame (c = 1 in the voxel holding each molecule, ζ its place inside: science.md §4b)
 * decodes to the simulator's ground truth exactly; an ideal voxel-network volume (one voxel per
 * molecule) to within half a voxel; and measuring noise-free frames at the truth gives back the
 * photons of isolated molecules. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define SIDE 32
#define K 4
#define AREA (SIDE * SIDE)
#define MOLECULES 12

static int by_y(const void *a, const void *b) {
    const mumloc_emitter *p = a, *q = b;
    return (p->y_nm > q->y_nm) - (p->y_nm < q->y_nm);
}

/* Photometry at the truth on noise-free frames: exact for molecules that no other molecule's light
 * reaches (z in [200, 1400] keeps w ≤ 560 nm: fit window ±9 px, rendered PSF ±15 px, so 26 px
 * apart is enough). */
static void photometry(void) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = 64;
    sp.molecules = 3;
    sp.noise = MUMLOC_NOISE_NONE;
    sp.z_min_nm = 200;
    sp.z_max_nm = 1400;
    sp.seed = 23;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    if (!sim) return;
    static float frame[K * 64 * 64];
    int isolated = 0;
    for (int64_t f = 0; f < 50 && isolated < 8; f++) {
        mumloc_emitter e[3];
        int n = 0;
        double drift[2 * MUMLOC_MAX_PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, e, 3, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        for (int m = 0; m < n; m++) {
            int alone = 1;
            for (int q = 0; q < n; q++)
                if (q != m && fmax(fabs(e[q].x_nm - e[m].x_nm), fabs(e[q].y_nm - e[m].y_nm)) <
                                  26 * sp.optics.pixel_nm)
                    alone = 0;
            if (!alone) continue;
            isolated++;
            mumloc_localization l = {f, e[m].x_nm, e[m].y_nm, e[m].z_nm, 1, 0, {0}, 0, 0, 0, 0, 0};
            CHECK_OK(mumloc_localizations_measure(&sp.optics, &sp.camera, frame, 64, 64, drift, &l,
                                                  1));
            CHECK_NEAR(l.photons, e[m].photons, 1e-4 * e[m].photons);
            CHECK_NEAR(l.offset, sp.camera.background_photons, 1e-3);
        }
    }
    CHECK(isolated >= 8);
    mumloc_simulator_destroy(sim);
}

int main(void) {
    photometry();
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = SIDE;
    sp.molecules = MOLECULES;
    sp.noise = MUMLOC_NOISE_NONE;
    sp.seed = 17;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    if (!sim) return CHECK_DONE("test_decode_ideal");
    mumloc_emitter e[MOLECULES];
    int n = 0;
    CHECK_OK(mumloc_simulate_truth(sim, 0, e, MOLECULES, &n));
    qsort(e, (size_t)n, sizeof *e, by_y);
    const double p = sp.optics.pixel_nm;

    /* Ideal regression output: plane d's voxel layer is [400 d, 400 (d+1)) by default. */
    static float out[4 * K * AREA];
    memset(out, 0, sizeof out);
    for (int m = 0; m < n; m++) {
        int i = (int)floor(e[m].x_nm / p), j = (int)floor(e[m].y_nm / p);
        int d = (int)floor(e[m].z_nm / 400.0);
        if (d > K - 1) d = K - 1;
        int at = j * SIDE + i;
        out[d * AREA + at] = 1.0f;
        out[(K + 3 * d) * AREA + at] = (float)(e[m].x_nm / p - i);
        out[(K + 3 * d + 1) * AREA + at] = (float)(e[m].y_nm / p - j);
        out[(K + 3 * d + 2) * AREA + at] = (float)(e[m].z_nm / 400.0 - d);
    }
    mumloc_decode_options opts;
    mumloc_decode_options_default(&opts);
    opts.merge_distance_nm = 0; /* random molecules may be close: keep every voxel */
    static mumloc_localization locs[K * AREA];
    int count = 0;
    CHECK_OK(mumloc_decode_regression(&sp.optics, out, SIDE, SIDE, &opts, 0, locs, K * AREA, &count));
    CHECK(count == n);
    for (int m = 0; m < n && m < count; m++) {
        /* float offsets: ~1e-7 of a voxel */
        CHECK_NEAR(locs[m].x_nm, e[m].x_nm, 1e-3);
        CHECK_NEAR(locs[m].y_nm, e[m].y_nm, 1e-3);
        CHECK_NEAR(locs[m].z_nm, e[m].z_nm, 1e-3);
    }

    /* Ideal voxel volume: 32 slices of 50 nm, 24 nm pixels; the voxel holding each molecule is 1. */
    const int U = 8, S = 32, VS = SIDE * U;
    float *vol = calloc((size_t)S * VS * VS, sizeof *vol);
    CHECK(vol != NULL);
    if (vol) {
        for (int m = 0; m < n; m++) {
            int i = (int)floor(e[m].x_nm / 24.0), j = (int)floor(e[m].y_nm / 24.0);
            int s = (int)floor(e[m].z_nm / 50.0);
            if (s > S - 1) s = S - 1;
            vol[((size_t)s * VS + j) * VS + i] = 0.9f;
        }
        CHECK_OK(mumloc_decode_voxel(&sp.optics, vol, S, U, SIDE, SIDE, &opts, 0, locs, K * AREA,
                                     &count));
        CHECK(count == n);
        for (int m = 0; m < n && m < count; m++) {
            CHECK(fabs(locs[m].x_nm - e[m].x_nm) <= 12.0);
            CHECK(fabs(locs[m].y_nm - e[m].y_nm) <= 12.0);
            CHECK(fabs(locs[m].z_nm - e[m].z_nm) <= 25.0);
        }
        free(vol);
    }

    mumloc_simulator_destroy(sim);
    return CHECK_DONE("test_decode_ideal");
}
