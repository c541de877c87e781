/* Rendering with a measured PSF (optics/spline_eval.h): per emitter and plane, the spline's
 * pixel-integrated values over the pixels within its reach (±5 RMS widths at its depth, at most the
 * spline's extent), scaled to the plane's photons exactly as the Gaussian renderer scales its masses.
 * Each pixel's value depends only on the pixel, never on the band, so any split of the image gives
 * identical numbers — and the CUDA simulator computes each pixel with the same functions. */
#include <math.h>

#include "optics/plane_optics.h"
#include "optics/spline_eval.h"
#include "simulate/simulator.h"

void render_spline_rows(const mumloc_optics *optics, const spline_plane_psf *psf, int plane,
                               int width, int height, int row0, int row1, double dx_nm, double dy_nm,
                               const mumloc_emitter *emitters, int n, double *out) {
    const double p = optics->pixel_nm;
    /* the plane's photons per unit weight, as render_plane_rows: c · a' / p² · gain */
    const double photons_per_weight = optics->psf_amplitude / (p * p);
    const double gain = optics_plane_gain(optics, plane);
    for (int m = 0; m < n; m++) {
        const mumloc_emitter *e = &emitters[m];
        const double reach = spline_reach_nm(psf, e->z_nm);
        const double cx = e->x_nm - dx_nm, cy = e->y_nm - dy_nm;
        int j0, j1, i0, i1;
        if (!pixel_span(cy - reach, cy + reach, p, 0, height - 1, &j0, &j1)) continue;
        if (!pixel_span(cx - reach, cx + reach, p, 0, width - 1, &i0, &i1)) continue;
        /* located against the whole window's origin, as the CUDA kernel does, before the band cut */
        spline_at at;
        spline_locate(psf, cx, cy, e->z_nm, i0, j0, &at);
        const double amplitude = e->weight * photons_per_weight * gain;
        const int first = j0 < row0 ? row0 : j0, last = j1 > row1 - 1 ? row1 - 1 : j1;
        for (int j = first; j <= last; j++) {
            double *row = out + (size_t)(j - row0) * width;
            for (int i = i0; i <= i1; i++)
                row[i] += amplitude * spline_photon_share(psf, &at, i - i0, j - j0);
        }
    }
}
