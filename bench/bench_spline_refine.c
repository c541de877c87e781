/* Refinement alone, spline PSF vs Gaussian PSF, on a movie with ground truth (issue 13's table):
 * every true molecule starts displaced (uniform ±START_XY nm laterally, ±START_Z nm axially, what a
 * network leaves), is refined by the multi-emitter MLE on the rig's raw frames with the rig's
 * Gaussian curves and with its measured spline (the rig's "psf" file), and measured (photometry and
 * CRLB). Per 200 nm bin of true z: bias x, y, z (fit − truth), RMSE per axis, and the RMSE over the
 * CRLB-limited RMSE (sqrt of the mean CRLB²); fits the trust rule rejects keep their start and
 * count in the RMSE (as in the pipeline).
 *
 *   usage: bench_spline_refine RIG MOVIE TRUTH [frames (all)]
 * RIG: a rig file with "psf" spline (mumloc calibrate --psf spline) whose width and height are the
 * movie's; MOVIE: a k-channel hyperstack in the rig's ADU; TRUTH: ThunderSTORM CSV (frame 1-based,
 * x, y, z in nm). Prints the refinement's CPU time per molecule for both models (alternating frame
 * by frame, so a loaded machine slows both alike), then one table row per model and bin. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fit/mapped_fits.h"
#include "mumloc.h"
#include "optics/plane_map.h"
#include "rig/rig_psf.h"

#define START_XY 40.0
#define START_Z 80.0
#define BIN_NM 200.0
enum { BINS = 16, MAX_PER_FRAME = 256 };

typedef struct bin_sums {
    long n;
    double dx, dy, dz, dxx, dyy, dzz, cxy, cz; /* sums of errors, squares, CRLB² */
} bin_sums;

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double uniform(unsigned *s) {
    *s = *s * 1664525u + 1013904223u;
    return (*s >> 8) / 16777216.0 * 2.0 - 1.0;
}

static int fail(const char *what) {
    fprintf(stderr, "bench_spline_refine: %s: %s\n", what, mumloc_last_error());
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s RIG MOVIE TRUTH [frames]\n", argv[0]);
        return 2;
    }
    mumloc_set_threads(1);
    static mumloc_rig rig;
    if (mumloc_rig_load(argv[1], &rig) != MUMLOC_OK) return fail("rig");
    spline_set set;
    psf_model psf;
    if (rig_psf_model(&rig, &set, &psf) != MUMLOC_OK) return fail("spline PSF");
    if (psf.kind != MUMLOC_PSF_SPLINE) {
        fprintf(stderr, "bench_spline_refine: the rig has no spline PSF (calibrate --psf spline)\n");
        return 2;
    }
    mumloc_movie *movie = NULL;
    mumloc_table *truth = NULL;
    if (mumloc_movie_open(argv[2], &movie) != MUMLOC_OK) return fail("movie");
    if (mumloc_table_read_csv(argv[3], "frame,x,y,z", &truth) != MUMLOC_OK) return fail("truth");
    mumloc_movie_info info;
    mumloc_movie_get_info(movie, &info);
    const int k = rig.optics.planes, W = info.width, H = info.height;
    if (W != rig.width || H != rig.height || info.channels != k) {
        fprintf(stderr, "bench_spline_refine: the movie (%dx%d, %d channels) is not the rig's "
                        "(%dx%d, %d cameras)\n", W, H, info.channels, rig.width, rig.height, k);
        return 2;
    }
    int frames = (int)(info.images / k);
    if (argc > 4 && atoi(argv[4]) > 0 && atoi(argv[4]) < frames) frames = atoi(argv[4]);
    const double *tf = mumloc_table_column_data(truth, mumloc_table_find_column(truth, "frame", NULL));
    const double *tx = mumloc_table_column_data(truth, mumloc_table_find_column(truth, "x", NULL));
    const double *ty = mumloc_table_column_data(truth, mumloc_table_find_column(truth, "y", NULL));
    const double *tz = mumloc_table_column_data(truth, mumloc_table_find_column(truth, "z", NULL));
    const int64_t rows = mumloc_table_rows(truth);

    plane_map maps[2];
    plane_map_from_rig(&rig, &maps[0]);
    maps[1] = maps[0];
    maps[1].spline = psf.spline;
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    camera.read_noise_e = rig.camera[0].read_noise_e;
    camera.em_gain = rig.camera[0].em_gain;
    float *frame = malloc(sizeof(float) * k * W * H);
    mumloc_localization *locs = malloc(sizeof *locs * MAX_PER_FRAME);
    double (*start)[3] = malloc(sizeof *start * MAX_PER_FRAME), (*real)[3] = malloc(sizeof *real * MAX_PER_FRAME);
    static bin_sums sums[2][BINS];
    double seconds[2] = {0, 0};
    long fitted = 0;
    unsigned seed = 2026;
    int64_t row = 0;
    for (int f = 0; f < frames; f++) {
        for (int d = 0; d < k; d++) {
            if (mumloc_movie_read(movie, (int64_t)f * k + d, frame + (size_t)d * W * H) != MUMLOC_OK)
                return fail("movie read");
            const mumloc_rig_camera *c = &rig.camera[d];
            for (size_t i = 0; i < (size_t)W * H; i++)
                frame[(size_t)d * W * H + i] = (float)((frame[(size_t)d * W * H + i] - c->offset_adu) /
                                                       (c->adu_per_electron * c->em_gain));
        }
        int n = 0;
        for (; row < rows && tf[row] <= f + 1; row++)
            if (tf[row] == f + 1 && n < MAX_PER_FRAME) {
                real[n][0] = tx[row], real[n][1] = ty[row], real[n][2] = tz[row];
                start[n][0] = tx[row] + START_XY * uniform(&seed);
                start[n][1] = ty[row] + START_XY * uniform(&seed);
                start[n][2] = tz[row] + START_Z * uniform(&seed);
                n++;
            }
        for (int model = 0; model < 2 && n > 0; model++) {
            for (int m = 0; m < n; m++)
                locs[m] = (mumloc_localization){f, start[m][0], start[m][1], start[m][2], 1, 0, {0}, 0, 0, 0, 0, -1};
            const double t0 = cpu_seconds();
            const mumloc_status refined = localizations_refine_mapped(&rig.optics, &camera, &maps[model], frame, W, H, NULL, locs, n);
            seconds[model] += cpu_seconds() - t0;
            fitted += model ? n : 0;
            if (refined != MUMLOC_OK ||
                localizations_measure_mapped(&rig.optics, &camera, &maps[model], frame, W, H, NULL, locs, n) != MUMLOC_OK)
                return fail("refine");
            for (int m = 0; m < n; m++) {
                int b = (int)floor(real[m][2] / BIN_NM);
                if (b < 0 || b >= BINS || !isfinite(locs[m].uncertainty_z_nm)) continue;
                bin_sums *s = &sums[model][b];
                double ex = locs[m].x_nm - real[m][0], ey = locs[m].y_nm - real[m][1], ez = locs[m].z_nm - real[m][2];
                s->n++;
                s->dx += ex, s->dy += ey, s->dz += ez;
                s->dxx += ex * ex, s->dyy += ey * ey, s->dzz += ez * ez;
                s->cxy += locs[m].uncertainty_xy_nm * locs[m].uncertainty_xy_nm;
                s->cz += locs[m].uncertainty_z_nm * locs[m].uncertainty_z_nm;
            }
        }
    }
    /* The depth frame: calibration puts plane 1's focus at 200 nm by its Gaussian fit of the
     * beads, the simulator at its nominal focus; both models share the calibration's frame, so
     * their common offset (the spline's mean z error over all bins) is reported, and the z columns
     * marked * are about it. */
    double offset = 0;
    long all = 0;
    for (int b = 0; b < BINS; b++) offset += sums[1][b].dz, all += sums[1][b].n;
    offset = all ? offset / all : 0;
    printf("refinement CPU time (1 thread, multi-emitter MLE): Gaussian %.3f ms, spline %.3f ms per "
           "molecule; spline/Gaussian %.2f×\n", 1e3 * seconds[0] / (fitted ? fitted : 1),
           1e3 * seconds[1] / (fitted ? fitted : 1), seconds[1] / (seconds[0] > 0 ? seconds[0] : 1));
    printf("depth frame offset (calibration - simulator, the spline's mean z error): %.2f nm\n", offset);
    printf("%-8s %9s %5s %7s %7s %7s %7s %8s %8s %8s %8s %8s\n", "psf", "z bin", "n", "bias x",
           "bias y", "bias z", "bias z*", "RMSE xy", "RMSE z*", "xy/CRLB", "z/CRLB", "z*/CRLB");
    for (int model = 0; model < 2; model++)
        for (int b = 0; b < BINS; b++) {
            const bin_sums *s = &sums[model][b];
            if (s->n < 5) continue;
            double rxy = sqrt(0.5 * (s->dxx + s->dyy) / s->n), rz = sqrt(s->dzz / s->n);
            /* about the offset: Σ (e − o)² = Σ e² − 2 o Σ e + n o² */
            double rz_off = sqrt(fmax(s->dzz - 2 * offset * s->dz + s->n * offset * offset, 0) / s->n);
            double cz = sqrt(s->cz / s->n);
            printf("%-8s %4.0f-%-4.0f %5ld %7.2f %7.2f %7.2f %7.2f %8.2f %8.2f %8.2f %8.2f %8.2f\n",
                   model ? "spline" : "gaussian", b * BIN_NM, (b + 1) * BIN_NM, s->n, s->dx / s->n,
                   s->dy / s->n, s->dz / s->n, s->dz / s->n - offset, rxy, rz_off,
                   rxy / sqrt(s->cxy / s->n), rz / cz, rz_off / cz);
        }
    free(frame);
    free(locs);
    free(start);
    free(real);
    spline_set_free(&set);
    mumloc_table_destroy(truth);
    mumloc_movie_close(movie);
    return 0;
}
