/* Linear least squares of y = N·g·gain_d/k + b_d over each plane's window (see photon_fit.h; gain_d
 * is the plane's photons relative to an equal split, 1 for the papers' optics).
 *
 * With a_i = g_i · gain_d / k, eliminating b_d (b_d = (Σy − N Σa) / n_d) leaves one equation for N:
 *     N = Σ_d Σ (a − ā_d)(y − ȳ_d) / Σ_d Σ (a − ā_d)²,
 * computed from centred sums so that a large background does not cancel digits. Linear in y, hence
 * unbiased whenever the model is right, whatever the noise. */
#include "fit/photon_fit.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "optics/psf_model.h"

typedef struct plane_sums {
    int n;
    double mean_a, mean_y, saa, say;
} plane_sums;

static void sums(const psf_plane *pl, const float *image, int width, int k, plane_sums *s) {
    double sa = 0, sy = 0;
    s->n = pl->nx * pl->ny;
    for (int b = 0; b < pl->ny; b++)
        for (int a = 0; a < pl->nx; a++) {
            sa += psf_plane_value(pl, a, b) * pl->gain / k;
            sy += image[(size_t)(pl->j0 + b) * width + pl->i0 + a];
        }
    s->mean_a = sa / s->n;
    s->mean_y = sy / s->n;
    s->saa = s->say = 0;
    for (int b = 0; b < pl->ny; b++)
        for (int a = 0; a < pl->nx; a++) {
            double da = psf_plane_value(pl, a, b) * pl->gain / k - s->mean_a;
            double dy = image[(size_t)(pl->j0 + b) * width + pl->i0 + a] - s->mean_y;
            s->saa += da * da;
            s->say += da * dy;
        }
}

static double residual_squares(const psf_plane *pl, const float *image, int width, int k,
                               double photons, double background) {
    double rss = 0;
    for (int b = 0; b < pl->ny; b++)
        for (int a = 0; a < pl->nx; a++) {
            double model = psf_plane_scaled(pl, a, b, photons) * pl->gain / k + background;
            double r = image[(size_t)(pl->j0 + b) * width + pl->i0 + a] - model;
            rss += r * r;
        }
    return rss;
}

/* The part of an unclipped plane view that lies on the image (the window psf_plane_window
 * gives with the image size): the same pixels, so the same factor values. */
static int clip_to_image(const psf_plane *full, int width, int height, psf_plane *pl) {
    *pl = *full;
    int i1 = full->i0 + full->nx - 1, j1 = full->j0 + full->ny - 1;
    int i0 = full->i0 < 0 ? 0 : full->i0, j0 = full->j0 < 0 ? 0 : full->j0;
    if (i1 > width - 1) i1 = width - 1;
    if (j1 > height - 1) j1 = height - 1;
    pl->i0 = i0;
    pl->j0 = j0;
    pl->nx = i1 >= i0 ? i1 - i0 + 1 : 0;
    pl->ny = j1 >= j0 ? j1 - j0 + 1 : 0;
    if (!(pl->nx > 0 && pl->ny > 0)) return 0;
    const int a0 = i0 - full->i0, b0 = j0 - full->j0;
    if (pl->spline) { /* dense: the same rows, from the clipped window's first pixel */
        const size_t first = (size_t)b0 * pl->stride + a0;
        pl->g += first, pl->gx += first, pl->gy += first, pl->gz += first;
        return 1;
    }
    pl->mx += a0;
    pl->dmx += a0;
    pl->wmx += a0;
    pl->my += b0;
    pl->dmy += b0;
    pl->wmy += b0;
    return 1;
}

mumloc_status fit_photons_planes(const mumloc_optics *o, const float *frame, int width,
                                        int height, double x, double y, double z,
                                        const psf_plane *unclipped,
                                        photon_fit *out) {
    const int k = o->planes;
    const size_t area = (size_t)width * height;
    psf_plane pl[MUMLOC_MAX_PLANES];
    int inside[MUMLOC_MAX_PLANES];
    plane_sums s[MUMLOC_MAX_PLANES];
    double num = 0, den = 0;
    int pixels = 0, unknowns = 1;
    for (int d = 0; d < k; d++) {
        inside[d] = clip_to_image(&unclipped[d], width, height, &pl[d]);
        if (!inside[d]) continue;
        sums(&pl[d], frame + d * area, width, k, &s[d]);
        num += s[d].say;
        den += s[d].saa;
        pixels += s[d].n;
        unknowns++;
    }
    if (!(den > 0.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "no pixel of the %dx%d image sees the PSF of a molecule at (%g, %g, %g) "
                           "nm: is the position outside the image?", width, height, x, y, z);
    out->photons = num / den;
    double rss = 0;
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) out->background[d] = NAN;
    for (int d = 0; d < k; d++) {
        if (!inside[d]) continue;
        out->background[d] = s[d].mean_y - out->photons * s[d].mean_a;
        rss += residual_squares(&pl[d], frame + d * area, width, k, out->photons,
                                out->background[d]);
    }
    out->pixels = pixels;
    out->bkgstd = pixels > unknowns ? sqrt(rss / (pixels - unknowns)) : NAN;
    return MUMLOC_OK;
}

mumloc_status fit_photons(const mumloc_optics *o, const float *frame, int width, int height,
                                 double x, double y, double z, const double *dx_dy,
                                 const plane_map *map, photon_fit *out) {
    psf_plane pl[MUMLOC_MAX_PLANES];
    double *buffer = psf_planes_unclipped(o, x, y, z, dx_dy, map, pl);
    if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a photon fit");
    mumloc_status s = fit_photons_planes(o, frame, width, height, x, y, z, pl, out);
    free(buffer);
    return s;
}
