/* calibrate --psf spline: each camera's measured PSF (optics/spline_build.h) from the same bead
 * stack, after registration: the beads are cut from each camera's own images (so the spline lives
 * in that camera's pixels, as the mapped fits use it), in the depth frame the PSF curve fit set up
 * (each bead at z_b + i · z_step; the spline takes the beads' median z_b). Beads with a neighbour
 * within a patch are left out: its light would enter the average. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"
#include "optics/spline_build.h"

enum { MIN_HALF = 5, MAX_HALF = 12, MIN_SPLINE_BEADS = 4, GOOD_SPLINE_BEADS = 8 };
#define DEFOCUS_NM 800.0
/* Noise: a bead stack's fine grid has few beads per sub-pixel cell, so the nodes are kept about
 * 100 nm apart (oversample ceil(pixel / 100), 2 to 4: the pixel-integrated PSF of NA ≤ 1.4 has
 * little above that), and the per-step fits are smoothed along z with half response at a 500 nm
 * period (a widefield PSF's axial detail is slower: its OTF ends at periods λ / (n (1 − cos θ)),
 * ≥ 670 nm at NA 1.4). Chosen on the pupil bench (scripts/bench_pupil.sh): with oversample 4 and
 * no smoothing the spline's noise tripled the z RMSE over the CRLB. */
#define NODE_SPACING_NM 100.0
#define Z_SMOOTHING_NM 250.0

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Patch half-size: ±3 widths of the widest image a plane shows within DEFOCUS_NM of its focus,
 * in pixels (farther out a plane holds little information, and a wider patch needs sparser beads;
 * fit windows there are cut at the spline's extent). */
static int patch_half(const cal_input *in, const cal_result *r) {
    double widest = 0;
    const cal_psf_fit *f = &r->psf;
    for (int d = 0; d < in->cameras; d++)
        for (int side = -1; side <= 1; side += 2) {
            double t = side * DEFOCUS_NM / f->d_nm[d];
            double w = f->w0_nm[d] * sqrt(fmax(1 + t * t + f->A[d] * t * t * t + f->B[d] * t * t * t * t, 1));
            widest = fmax(widest, w);
        }
    int half = (int)ceil(3.0 * widest / in->pixel_nm);
    return half < MIN_HALF ? MIN_HALF : half > MAX_HALF ? MAX_HALF : half;
}

/* Beads used by the curve fit whose nearest other bead lies at least `spacing` reference pixels
 * away: their indices into which[], the count returned. */
static int isolated_beads(const cal_result *r, double spacing, int *which) {
    int n = 0;
    for (int b = 0; b < r->beads; b++) {
        if (!isfinite(r->ref_x[b]) || !isfinite(r->psf.bead_z_nm[b])) continue;
        double nearest = INFINITY;
        for (int c = 0; c < r->beads; c++)
            if (c != b && isfinite(r->ref_x[c]))
                nearest = fmin(nearest, hypot(r->ref_x[c] - r->ref_x[b], r->ref_y[c] - r->ref_y[b]));
        if (nearest >= spacing) which[n++] = b;
    }
    return n;
}

static int compare_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Camera d's background, photons per pixel: the median over the steps and the pixels farther than
 * `clear` pixels from every bead (a whole image's median also counts bright beads' wings); the
 * whole images' when too few pixels are clear. */
static mumloc_status far_background(const float *stack, const cal_input *in, const cal_result *r,
                                    int d, double clear, double *out) {
    const int W = in->width, H = in->height;
    unsigned char *far = malloc((size_t)W * H);
    float *values = malloc((size_t)W * H * sizeof *values);
    if (!far || !values) {
        free(far);
        free(values);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the spline PSF");
    }
    memset(far, 1, (size_t)W * H);
    size_t count = (size_t)W * H;
    for (int b = 0; b < r->beads; b++) {
        if (!isfinite(r->ref_x[b])) continue;
        double u, v;
        cal_affine_apply(r->affine[d], r->ref_x[b], r->ref_y[b], &u, &v);
        for (int j = (int)fmax(0, floor(v - clear)); j < H && j <= v + clear; j++)
            for (int i = (int)fmax(0, floor(u - clear)); i < W && i <= u + clear; i++)
                if (far[(size_t)j * W + i] && hypot(i + 0.5 - u, j + 0.5 - v) < clear)
                    far[(size_t)j * W + i] = 0, count--;
    }
    const int use_all = count < (size_t)W * H / 20 || count < 100;
    double sum = 0;
    for (int m = 0; m < in->steps; m++) {
        const float *img = stack + (size_t)m * W * H;
        size_t n = 0;
        for (size_t p = 0; p < (size_t)W * H; p++)
            if (use_all || far[p]) values[n++] = img[p];
        qsort(values, n, sizeof *values, compare_float);
        sum += n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
    *out = sum / in->steps;
    free(far);
    free(values);
    return MUMLOC_OK;
}

mumloc_status cal_spline_psf(const cal_input *in, const cal_result *r, spline_set *set) {
    memset(set, 0, sizeof *set);
    const int k = in->cameras, steps = in->steps, B = r->beads > 0 ? r->beads : 1;
    double *z = malloc(B * sizeof *z), *bx = malloc(B * sizeof *bx), *by = malloc(B * sizeof *by);
    int *which = malloc(B * sizeof *which);
    float *reversed = NULL;
    mumloc_status s = z && bx && by && which ? MUMLOC_OK
                                             : error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                                                           "out of memory for the spline PSF");
    int nz = 0;
    for (int b = 0; b < r->beads && s == MUMLOC_OK; b++)
        if (isfinite(r->psf.bead_z_nm[b])) z[nz++] = r->psf.bead_z_nm[b];
    if (s == MUMLOC_OK && nz == 0)
        s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                        "spline PSF: no bead has a fitted depth; use --psf gaussian or a stack "
                        "with more beads in focus");
    double z0 = 0;
    if (s == MUMLOC_OK) {
        qsort(z, nz, sizeof *z, compare_double);
        z0 = nz % 2 ? z[nz / 2] : 0.5 * (z[nz / 2 - 1] + z[nz / 2]);
    }
    /* the widest patch that still has enough beads without a neighbour inside (a neighbour's
     * light in a patch would join the average) */
    int half = s == MUMLOC_OK ? patch_half(in, r) : 0, n = 0;
    for (; s == MUMLOC_OK && half >= MIN_HALF; half--)
        if ((n = isolated_beads(r, 2 * half + 1, which)) >= GOOD_SPLINE_BEADS) break;
    if (s == MUMLOC_OK && half < MIN_HALF) {
        half = MIN_HALF;
        n = isolated_beads(r, 2 * half + 1, which);
        if (n < MIN_SPLINE_BEADS)
            s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                            "spline PSF: only %d beads lie %d pixels or more from their neighbours "
                            "(%d needed): use a sparser bead sample, or --psf gaussian",
                            n, 2 * half + 1, MIN_SPLINE_BEADS);
    }
    /* the spline's z nodes ascend: a stage that stepped the other way is read backwards */
    double first = z0, step = in->z_step_nm;
    const size_t image = (size_t)in->width * in->height;
    if (s == MUMLOC_OK && step < 0) {
        reversed = malloc((size_t)steps * image * sizeof *reversed);
        if (!reversed) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the spline PSF");
        first = z0 + (steps - 1) * step;
        step = -step;
    }
    int oversample = (int)ceil(in->pixel_nm / NODE_SPACING_NM);
    oversample = oversample < 2 ? 2 : oversample > 4 ? 4 : oversample;
    set->planes = k;
    for (int d = 0; d < k && s == MUMLOC_OK; d++) {
        const float *stack = in->photons[d];
        if (reversed) {
            for (int m = 0; m < steps; m++)
                memcpy(reversed + (size_t)m * image, stack + (size_t)(steps - 1 - m) * image,
                       image * sizeof *reversed);
            stack = reversed;
        }
        for (int i = 0; i < n; i++) { /* where camera d sees the bead, in its own nm */
            const int b = which[i];
            double u, v;
            cal_affine_apply(r->affine[d], r->ref_x[b], r->ref_y[b], &u, &v);
            bx[i] = u * in->pixel_nm;
            by[i] = v * in->pixel_nm;
        }
        double background = 0;
        s = far_background(stack, in, r, d, half + 2.0, &background);
        if (s != MUMLOC_OK) break;
        int used = 0;
        s = spline_psf_from_stack_at(stack, 1, 0, in->width, in->height, steps, first, step,
                                            bx, by, n, in->pixel_nm, oversample, half, background,
                                            Z_SMOOTHING_NM, &set->plane[d], &used);
        if (s == MUMLOC_OK && used < MIN_SPLINE_BEADS)
            s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                            "spline PSF: camera %d sees only %d isolated beads whole (%d needed); "
                            "use a sample with more beads away from the edges, or --psf gaussian",
                            d + 1, used, MIN_SPLINE_BEADS);
        else if (s != MUMLOC_OK) {
            char message[512];
            snprintf(message, sizeof message, "%s", mumloc_last_error());
            s = error_fail(s, "spline PSF of camera %d: %s", d + 1, message);
        }
    }
    if (s != MUMLOC_OK) spline_set_free(set);
    free(z);
    free(bx);
    free(by);
    free(which);
    free(reversed);
    return s;
}
