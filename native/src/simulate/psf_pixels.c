/* Pixel-integrated PSF rendering: per emitter and plane, the 1D pixel integrals of the Gaussian along
 * x and along y in a ±5w window (erf at the pixel edges), then their outer product. Separable, so a
 * window of n×n pixels costs 2n erf calls and n² multiply-adds. */
#include <math.h>

#include "optics/plane_optics.h"
#include "optics/psf.h"
#include "simulate/simulator.h"

/* mass[i − i0] = the fraction of a unit 1D Gaussian (centre, width) on pixel i, for i in [i0, i1];
 * each pixel's value depends only on i, so any split of the image gives identical numbers. */
static void pixel_masses(double centre_nm, double width_nm, double pixel_nm, int i0, int i1,
                         double *mass) {
    double k = 1.0 / (sqrt(2.0) * width_nm);
    double left = psf_edge(i0 * pixel_nm, centre_nm, k);
    for (int i = i0; i <= i1; i++) {
        double right = psf_edge((i + 1) * pixel_nm, centre_nm, k);
        mass[i - i0] = 0.5 * (right - left);
        left = right;
    }
}

void render_plane_rows(const mumloc_optics *optics, int plane, int width, int height,
                              int row0, int row1, double depth_nm, double dx_nm, double dy_nm,
                              const mumloc_emitter *emitters, int n, double *out, double *scratch) {
    const double p = optics->pixel_nm;
    /* Integrated over a pixel and divided by its area, a plane holds c · a' / p² photons for an
     * equal split, times the plane's gain (its share of the k·c·a'/p² total relative to 1/k; 1.0,
     * so no change to a single bit, for the papers' optics). */
    const double photons_per_weight = optics->psf_amplitude / (p * p);
    const double gain = optics_plane_gain(optics, plane);
    const mumloc_plane_psf curve = mumloc_optics_plane_psf(optics, plane);
    double *mass_x = scratch;
    double *mass_y = scratch + width + 1;
    for (int m = 0; m < n; m++) {
        const mumloc_emitter *e = &emitters[m];
        double w = psf_width(curve.w0_nm, curve.d_nm, curve.A, curve.B, depth_nm - e->z_nm);
        double reach = PSF_WINDOW_WIDTHS * w;
        /* A drift (dx, dy) of the plane shows the molecule at (x − dx, y − dy). */
        double cx = e->x_nm - dx_nm, cy = e->y_nm - dy_nm;
        int j0, j1, i0, i1;
        /* Rows are decided on the whole image first so that a band sees exactly the rows the whole
         * image would give it. */
        if (!pixel_span(cy - reach, cy + reach, p, 0, height - 1, &j0, &j1)) continue;
        if (j0 < row0) j0 = row0;
        if (j1 > row1 - 1) j1 = row1 - 1;
        if (j0 > j1) continue;
        if (!pixel_span(cx - reach, cx + reach, p, 0, width - 1, &i0, &i1)) continue;
        pixel_masses(cx, w, p, i0, i1, mass_x);
        pixel_masses(cy, w, p, j0, j1, mass_y);
        double amplitude = e->weight * photons_per_weight * gain;
        int span = i1 - i0 + 1;
        for (int j = j0; j <= j1; j++) {
            double row_factor = amplitude * mass_y[j - j0];
            double *row = out + (size_t)(j - row0) * width + i0;
            for (int i = 0; i < span; i++) row[i] += row_factor * mass_x[i];
        }
    }
}
