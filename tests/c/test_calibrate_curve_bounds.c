/* The per-plane defocus-curve fit keeps (A, B) where optics are valid (B >= 0, |A| <= 2 sqrt B):
 * widths drawn from a curve outside that set (as an aberrated PSF's can look to the Gaussian model)
 * give a curve the optics validation accepts, close to the widths, instead of a failure after the
 * fit. */
#include <math.h>
#include <stdlib.h>

#include "calibrate/calibrate_internal.h"
#include "check.h"
#include "optics/psf.h"

#define BEADS 3
#define STEPS 100

int main(void) {
    const double pixel = 100.0, step = 20.0, w0 = 130.0, d = 600.0, A = -0.6, B = 0.05;
    CHECK(fabs(A) > 2.0 * sqrt(B)); /* the truth itself is outside the valid set */
    cal_spot *spots = calloc((size_t)BEADS * STEPS, sizeof *spots);
    int present[BEADS] = {1, 1, 1};
    for (int b = 0; b < BEADS; b++)
        for (int i = 0; i < STEPS; i++) {
            /* bead b's depth at slice 0 is −800 − 10 b nm; plane 1 images 200 nm */
            double dz = 200.0 - (-800.0 - 10.0 * b + i * step);
            cal_spot *s = &spots[b * STEPS + i];
            s->x = 10 + 5 * b;
            s->y = 10;
            s->w = psf_width(w0, d, A, B, dz) / pixel;
            s->sw = 0.005;
            s->photons = 5000;
            s->sphotons = 70;
            s->sx = s->sy = 0.01;
            s->valid = s->width_ok = 1;
        }
    cal_spot *rows[1] = {spots};
    const int *pres[1] = {present};
    mumloc_optics start;
    mumloc_optics_default(&start);
    start.planes = 1;
    cal_psf_fit fit = {0};
    CHECK_OK(cal_psf_curves(rows, pres, 1, BEADS, STEPS, step, &pixel, 200.0, &start, &fit));
    mumloc_optics o;
    mumloc_optics_default(&o);
    o.planes = 1;
    o.psf_w0_nm = fit.w0_nm[0];
    o.psf_d_nm = fit.d_nm[0];
    o.psf_A = fit.A[0];
    o.psf_B = fit.B[0];
    CHECK_OK(mumloc_optics_validate(&o));
    printf("fitted w0 %.1f d %.1f A %.3f B %.4f, width RMS %.2f nm\n", fit.w0_nm[0], fit.d_nm[0],
           fit.A[0], fit.B[0], fit.width_rms_nm[0]);
    /* the nearest valid curve to widths from an invalid one: about 0.1 w0 RMS over ±1 µm here */
    CHECK(fit.width_rms_nm[0] < 0.15 * w0);
    cal_psf_fit_free(&fit);
    free(spots);
    return CHECK_DONE("calibrate curve bounds");
}
