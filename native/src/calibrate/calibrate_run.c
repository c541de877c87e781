/* The calibration's stages in order: beads per camera, flips and a coarse affine per camera, each
 * bead's fit in every slice, the scan's lateral drift, the final affines on the drift-free bead
 * centres, then the per-plane defocus curves and transmissions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"

void cal_result_free(cal_result *r) {
    cal_psf_fit_free(&r->psf);
    free(r->drift);
    free(r->ref_x);
    free(r->ref_y);
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) {
        free(r->res_x[d]);
        free(r->res_y[d]);
        free(r->spots[d]);
        free(r->present[d]);
    }
    memset(r, 0, sizeof *r);
}

/* Keeps the unsaturated beads; fails when most are saturated (then the PSF cannot be trusted). */
static mumloc_status drop_saturated(cal_beads *b, int camera, double level, int *dropped) {
    int kept = 0;
    for (int n = 0; n < b->count; n++) {
        if (b->saturated[n]) continue;
        b->x[kept] = b->x[n];
        b->y[kept] = b->y[n];
        b->peak[kept] = b->peak[n];
        b->saturated[kept] = 0;
        kept++;
    }
    *dropped = b->count - kept;
    if (*dropped > 0 && 2 * *dropped >= b->count)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "saturated beads in camera %d: %d of its %d beads reach %.0f ADU in some "
                           "slice; record the bead stack again with less laser power or a shorter "
                           "exposure (saturated beads have flat tops that bias widths and positions)",
                           camera, *dropped, b->count, level);
    b->count = kept;
    return MUMLOC_OK;
}

mumloc_status cal_run(const cal_input *in, cal_result *out) {
    memset(out, 0, sizeof *out);
    const int k = in->cameras, steps = in->steps;
    cal_beads beads[MUMLOC_MAX_PLANES];
    cal_match match[MUMLOC_MAX_PLANES];
    memset(beads, 0, sizeof beads);
    memset(match, 0, sizeof match);
    mumloc_status status = MUMLOC_OK;
    for (int d = 0; d < k && status == MUMLOC_OK; d++) {
        status = cal_beads_find(in->photons[d], in->raw[d], in->saturation_adu, in->width,
                                in->height, steps, &beads[d]);
        if (status == MUMLOC_OK)
            status = drop_saturated(&beads[d], d + 1, in->saturation_adu, &out->saturated[d]);
        out->found[d] = beads[d].count;
    }
    if (status == MUMLOC_OK && beads[0].count < in->min_beads)
        status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                             "too few beads in camera 1 (the reference): %d found, at least %d "
                             "needed; use a sample with more beads in the field, or check the "
                             "offset and gain",
                             beads[0].count, in->min_beads);
    for (int d = 1; d < k && status == MUMLOC_OK; d++)
        status = cal_match_beads(&beads[0], &beads[d], d + 1, in->min_beads, &match[d]);
    const int nb = beads[0].count;
    out->beads = nb;
    out->steps = steps;
    if (status == MUMLOC_OK) {
        out->drift = calloc((size_t)steps * 2, sizeof *out->drift);
        out->ref_x = malloc((size_t)nb * sizeof *out->ref_x);
        out->ref_y = malloc((size_t)nb * sizeof *out->ref_y);
        int ok = out->drift && out->ref_x && out->ref_y;
        for (int d = 0; d < k && ok; d++) {
            out->spots[d] = calloc((size_t)nb * steps, sizeof *out->spots[d]);
            out->present[d] = calloc((size_t)nb, sizeof *out->present[d]);
            out->res_x[d] = malloc((size_t)nb * sizeof *out->res_x[d]);
            out->res_y[d] = malloc((size_t)nb * sizeof *out->res_y[d]);
            ok = out->spots[d] && out->present[d] && out->res_x[d] && out->res_y[d];
        }
        if (!ok) status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the bead fits");
    }
    double linear[MUMLOC_MAX_PLANES][4];
    double *centres[MUMLOC_MAX_PLANES] = {0};
    if (status == MUMLOC_OK) {
        /* Each bead in each slice of each camera that sees it. */
        for (int d = 0; d < k; d++)
            for (int b = 0; b < nb; b++) out->present[d][b] = d == 0 || match[d].camera_bead[b] >= 0;
#pragma omp parallel for schedule(dynamic)
        for (int job = 0; job < k * nb; job++) {
            int d = job / nb, b = job % nb;
            if (!out->present[d][b]) continue;
            int j = d == 0 ? b : match[d].camera_bead[b];
            cal_track_bead(in->photons[d], in->width, in->height, steps, beads[d].x[j],
                           beads[d].y[j], cal_beads_isolation(&beads[d], j),
                           in->read_noise_photons[d],
                           out->spots[d] + (size_t)b * steps);
        }
        for (int d = 0; d < k; d++) {
            const double *a = d == 0 ? (const double[6]){1, 0, 0, 0, 1, 0} : match[d].affine;
            linear[d][0] = a[0];
            linear[d][1] = a[1];
            linear[d][2] = a[3];
            linear[d][3] = a[4];
            centres[d] = malloc((size_t)(nb > 0 ? nb : 1) * 2 * sizeof *centres[d]);
            if (!centres[d])
                status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the bead fits");
        }
    }
    if (status == MUMLOC_OK)
        status = cal_scan_drift(out->spots, (const int *const *)out->present, k, nb, steps,
                                (const double(*)[4])linear, out->drift, centres);
    /* Final affines on the drift-free centres. */
    double *buf = status == MUMLOC_OK ? malloc((size_t)(nb > 0 ? nb : 1) * 5 * sizeof *buf) : NULL;
    int *inlier = status == MUMLOC_OK ? malloc((size_t)(nb > 0 ? nb : 1) * sizeof *inlier) : NULL;
    if (status == MUMLOC_OK && (!buf || !inlier))
        status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the registration");
    for (int b = 0; b < nb && status == MUMLOC_OK; b++) {
        out->ref_x[b] = centres[0][2 * b];
        out->ref_y[b] = centres[0][2 * b + 1];
    }
    for (int d = 0; d < k && status == MUMLOC_OK; d++) {
        for (int b = 0; b < nb; b++) out->res_x[d][b] = out->res_y[d][b] = NAN;
        if (d == 0) {
            double id[6] = {1, 0, 0, 0, 1, 0};
            memcpy(out->affine[0], id, sizeof id);
            int n = 0;
            for (int b = 0; b < nb; b++) n += isfinite(out->ref_x[b]);
            out->matched[0] = n;
            out->nm_per_pixel[0] = in->pixel_nm;
            continue;
        }
        double *x = buf, *y = x + nb, *u = y + nb, *v = u + nb;
        int *which = (int *)(buf + 4 * (size_t)nb), n = 0;
        for (int b = 0; b < nb; b++) {
            if (!out->present[d][b] || !isfinite(out->ref_x[b]) || !isfinite(centres[d][2 * b]))
                continue;
            x[n] = out->ref_x[b];
            y[n] = out->ref_y[b];
            u[n] = centres[d][2 * b];
            v[n] = centres[d][2 * b + 1];
            which[n++] = b;
        }
        double a[6], rms;
        int kept = cal_affine_robust(x, y, u, v, n, 0.05, a, inlier, &rms);
        if (kept < in->min_beads) {
            status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "too few beads matched in camera %d: %d beads agree with one "
                                 "affine map from camera 1 (of %d matched), at least %d needed; use "
                                 "a sample with more beads spread over the field",
                                 d + 1, kept, n, in->min_beads);
            break;
        }
        memcpy(out->affine[d], a, sizeof a);
        out->dihedral[d] = match[d].dihedral;
        out->matched[d] = kept;
        double inv[6], sum = 0;
        cal_affine_invert(a, inv);
        for (int m = 0; m < n; m++) {
            if (!inlier[m]) continue;
            double pu, pv;
            cal_affine_apply(a, x[m], y[m], &pu, &pv);
            /* the residual seen in the reference frame (the sample) */
            double ex = inv[0] * (u[m] - pu) + inv[1] * (v[m] - pv);
            double ey = inv[3] * (u[m] - pu) + inv[4] * (v[m] - pv);
            out->res_x[d][which[m]] = ex;
            out->res_y[d][which[m]] = ey;
            sum += ex * ex + ey * ey;
        }
        out->residual_nm[d] = sqrt(sum / kept) * in->pixel_nm;
        out->nm_per_pixel[d] = in->pixel_nm / sqrt(fabs(a[0] * a[4] - a[1] * a[3]));
    }
    free(buf);
    free(inlier);
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) free(centres[d]);
    if (status == MUMLOC_OK)
        status = cal_psf_curves(out->spots, (const int *const *)out->present, k, nb, steps,
                                in->z_step_nm, out->nm_per_pixel, in->first_depth_nm, &in->start,
                                &out->psf);
    for (int d = 0; d < k; d++) {
        cal_beads_free(&beads[d]);
        cal_match_free(&match[d]);
    }
    if (status != MUMLOC_OK) cal_result_free(out);
    return status;
}
