/* Cost of maximum-likelihood refinement per molecule: mumloc_localizations_refine (positions) and
 * mumloc_localizations_refine_with_drift (positions and the frame's plane drift), on simulated
 * frames with physical noise and drift up to 48 nm, the records starting at the truth moved by the
 * frame's mean drift and a few tens of nm (what a drift-blind network leaves). LOCALIZE.md's cost
 * table comes from here.
 *
 *   usage: bench_refine [side (64)] [molecules per frame (50)] [frames (20)] [threads (1)]
 *
 * Times are CPU seconds per molecule (all threads together): on a shared machine wall-clock time
 * says more about the neighbours than about the code. Also prints the drift's RMS error against
 * the simulator's and the per-axis lateral RMSE of both refinements (pairs within 150 nm), so that
 * a faster build can be checked for the same answers.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mumloc.h"

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int arg(int argc, char **argv, int i, int fallback) {
    return argc > i ? atoi(argv[i]) : fallback;
}

/* Squared per-axis lateral error of a record within 150 nm of its truth (0 and no count else). */
static void lateral_error(const mumloc_localization *l, const mumloc_emitter *t, double *sum,
                          long *count) {
    const double ex = l->x_nm - t->x_nm, ey = l->y_nm - t->y_nm;
    if (fabs(ex) > 150 || fabs(ey) > 150) return;
    *sum += 0.5 * (ex * ex + ey * ey);
    (*count)++;
}

int main(int argc, char **argv) {
    const int side = arg(argc, argv, 1, 64), molecules = arg(argc, argv, 2, 50);
    const int frames = arg(argc, argv, 3, 20), threads = arg(argc, argv, 4, 1);
    if (side < 16 || molecules < 1 || frames < 1 || threads < 1) {
        fprintf(stderr, "usage: %s [side >= 16] [molecules >= 1] [frames >= 1] [threads >= 1]\n",
                argv[0]);
        return 2;
    }
    mumloc_set_threads(threads);
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = side;
    sp.molecules = molecules;
    sp.noise = MUMLOC_NOISE_PHYSICAL;
    sp.seed = 777;
    sp.drift_max_nm = 48;
    sp.weight_min = 0.3;
    mumloc_simulator *sim = NULL;
    if (mumloc_simulator_create(&sp, &sim) != MUMLOC_OK) {
        fprintf(stderr, "%s\n", mumloc_last_error());
        return 1;
    }
    const mumloc_sim_params *p = mumloc_simulator_params(sim);
    const int k = p->optics.planes, capacity = 2 * molecules;
    float *frame = malloc(sizeof *frame * (size_t)k * side * side);
    mumloc_emitter *truth = malloc(sizeof *truth * (size_t)capacity);
    mumloc_localization *joint = malloc(sizeof *joint * (size_t)capacity);
    mumloc_localization *alone = malloc(sizeof *alone * (size_t)capacity);
    if (!frame || !truth || !joint || !alone) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    double t_drift = 0, t_positions = 0, drift_se = 0, se_joint = 0, se_alone = 0;
    long records = 0, values = 0, n_joint = 0, n_alone = 0, updates = 0;
    for (int f = 0; f < frames; f++) {
        int n = 0;
        double drift[2 * MUMLOC_MAX_PLANES], mx = 0, my = 0;
        if (mumloc_simulate_truth(sim, f, truth, capacity, &n) != MUMLOC_OK ||
            mumloc_simulate_drift(sim, f, drift) != MUMLOC_OK ||
            mumloc_simulate_frames(sim, f, 1, frame) != MUMLOC_OK) {
            fprintf(stderr, "%s\n", mumloc_last_error());
            return 1;
        }
        for (int d = 0; d < k; d++) {
            mx -= drift[2 * d] / k;
            my -= drift[2 * d + 1] / k;
        }
        for (int m = 0; m < n; m++) {
            memset(&joint[m], 0, sizeof joint[m]);
            joint[m].frame = f;
            joint[m].x_nm = truth[m].x_nm + mx + (m % 3 - 1) * 20.0;
            joint[m].y_nm = truth[m].y_nm + my - (m % 2) * 20.0;
            joint[m].z_nm = truth[m].z_nm + 25.0;
            alone[m] = joint[m];
        }
        mumloc_frame_drift est;
        const double t0 = cpu_seconds();
        if (mumloc_localizations_refine_with_drift(&p->optics, &p->camera, frame, side, side, joint,
                                                   n, &est) != MUMLOC_OK) {
            fprintf(stderr, "%s\n", mumloc_last_error());
            return 1;
        }
        const double t1 = cpu_seconds();
        if (mumloc_localizations_refine(&p->optics, &p->camera, frame, side, side, NULL, alone,
                                        n) != MUMLOC_OK) {
            fprintf(stderr, "%s\n", mumloc_last_error());
            return 1;
        }
        t_drift += t1 - t0;
        t_positions += cpu_seconds() - t1;
        updates += est.iterations;
        for (int q = 2; q < 2 * k; q++, values++)
            drift_se += (est.dx_dy[q] - drift[q]) * (est.dx_dy[q] - drift[q]);
        for (int m = 0; m < n; m++) {
            lateral_error(&joint[m], &truth[m], &se_joint, &n_joint);
            lateral_error(&alone[m], &truth[m], &se_alone, &n_alone);
        }
        records += n;
    }
    printf("%dx%dx%d, %d molecules/frame, %d frames (%ld records), %d thread%s, CPU time:\n", side,
           side, k, molecules, frames, records, threads, threads == 1 ? "" : "s");
    printf("  refine (positions):  %.3f ms per molecule; lateral RMSE %.2f nm (%ld pairs)\n",
           1e3 * t_positions / records, sqrt(se_alone / (n_alone ? n_alone : 1)), n_alone);
    printf("  refine_with_drift:   %.3f ms per molecule (%.2f x positions); lateral RMSE %.2f nm "
           "(%ld pairs); drift RMS error %.2f nm; %.1f updates per frame\n",
           1e3 * t_drift / records, t_drift / t_positions, sqrt(se_joint / (n_joint ? n_joint : 1)),
           n_joint, sqrt(drift_se / values), (double)updates / frames);
    free(frame);
    free(truth);
    free(joint);
    free(alone);
    mumloc_simulator_destroy(sim);
    return 0;
}
