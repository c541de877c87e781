/* The Gaussian-defocus PSF (science.md §2) as element-wise functions shared by the CPU and, later,
 * the CUDA simulator. */
#ifndef OPTICS_PSF_H
#define OPTICS_PSF_H

#include <math.h>

#include "core/hd.h"

/* w(Δz) = w0 · sqrt(1 + t² + A t³ + B t⁴), t = Δz / d. */
HD double psf_width(double w0, double d, double A, double B, double dz) {
    double t = dz / d;
    double t2 = t * t;
    return w0 * sqrt(1.0 + t2 + A * t2 * t + B * t2 * t2);
}

/* Value at a pixel edge of twice the 1D Gaussian CDF minus one: erf((edge − centre)/(√2 w)).
 * The fraction of a unit-mass Gaussian falling between two edges is half the difference. */
HD double psf_edge(double edge_nm, double centre_nm, double inv_sqrt2_w) {
    return erf((edge_nm - centre_nm) * inv_sqrt2_w);
}

/* Half-width of the window the PSF is integrated over, in widths: beyond it each axis loses less
 * than 6e-7 of the mass. */
#define PSF_WINDOW_WIDTHS 5.0

/* First and last pixel index (inclusive) whose extent [i·p, (i+1)·p) meets [lo, hi], clipped to
 * [first, last]; returns 0 when the range is empty. The simulators' window of a molecule. */
HD int pixel_span(double lo_nm, double hi_nm, double pixel_nm, int first, int last,
                                int *i0, int *i1) {
    double a = floor(lo_nm / pixel_nm), b = floor(hi_nm / pixel_nm);
    if (b < first || a > last) return 0;
    *i0 = a < first ? first : (int)a;
    *i1 = b > last ? last : (int)b;
    return 1;
}

#endif
