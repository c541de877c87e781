/* Linear least squares of y = N·g/k + b_d over each plane's window (see photon_fit.h).
 *
 * With a_i = g_i / k, eliminating b_d (b_d = (Σy − N Σa) / n_d) leaves one equation for N:
 *     N = Σ_d Σ (a − ā_d)(y − ȳ_d) / Σ_d Σ (a − ā_d)²,
 * computed from centred sums so that a large background does not cancel digits. Linear in y, hence
 * unbiased whenever the model is right, whatever the noise. */
#include "localize/photon_fit.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "optics/psf_model.h"

typedef struct plane_sums {
    int n;
    double mean_a, mean_y, saa, say;
} plane_sums;

static void sums(const mumloc_psf_plane *pl, const float *image, int width, int k, plane_sums *s) {
    double sa = 0, sy = 0;
    s->n = pl->nx * pl->ny;
    for (int b = 0; b < pl->ny; b++)
        for (int a = 0; a < pl->nx; a++) {
            sa += pl->mx[a] * pl->my[b] / k;
            sy += image[(size_t)(pl->j0 + b) * width + pl->i0 + a];
        }
    s->mean_a = sa / s->n;
    s->mean_y = sy / s->n;
    s->saa = s->say = 0;
    for (int b = 0; b < pl->ny; b++)
        for (int a = 0; a < pl->nx; a++) {
            double da = pl->mx[a] * pl->my[b] / k - s->mean_a;
            double dy = image[(size_t)(pl->j0 + b) * width + pl->i0 + a] - s->mean_y;
            s->saa += da * da;
            s->say += da * dy;
        }
}

static double residual_squares(const mumloc_psf_plane *pl, const float *image, int width, int k,
                               double photons, double background) {
    double rss = 0;
    for (int b = 0; b < pl->ny; b++)
        for (int a = 0; a < pl->nx; a++) {
            double model = photons * pl->mx[a] * pl->my[b] / k + background;
            double r = image[(size_t)(pl->j0 + b) * width + pl->i0 + a] - model;
            rss += r * r;
        }
    return rss;
}

mumloc_status mumloc_fit_photons(const mumloc_optics *o, const float *frame, int width, int height,
                                 double x, double y, double z, const double *dx_dy,
                                 mumloc_photon_fit *out) {
    const int k = o->planes;
    const size_t area = (size_t)width * height;
    mumloc_psf_plane pl[MUMLOC_MAX_PLANES];
    int inside[MUMLOC_MAX_PLANES];
    size_t need = 0;
    for (int d = 0; d < k; d++) {
        inside[d] = mumloc_psf_plane_window(o, d, x, y, z, dx_dy, width, height, &pl[d]);
        if (inside[d]) need += mumloc_psf_plane_buffer_size(&pl[d]);
    }
    double *buffer = malloc((need ? need : 1) * sizeof *buffer);
    if (!buffer) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a photon fit");
    plane_sums s[MUMLOC_MAX_PLANES];
    double num = 0, den = 0, *next = buffer;
    int pixels = 0, unknowns = 1;
    for (int d = 0; d < k; d++) {
        if (!inside[d]) continue;
        mumloc_psf_plane_eval(o, &pl[d], next);
        next += mumloc_psf_plane_buffer_size(&pl[d]);
        sums(&pl[d], frame + d * area, width, k, &s[d]);
        num += s[d].say;
        den += s[d].saa;
        pixels += s[d].n;
        unknowns++;
    }
    if (!(den > 0.0)) {
        free(buffer);
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "no pixel of the %dx%d image sees the PSF of a molecule at (%g, %g, %g) "
                           "nm: is the position outside the image?", width, height, x, y, z);
    }
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
    free(buffer);
    return MUMLOC_OK;
}
