/* Natural cubic spline (second derivative 0 at both ends) through the segment drifts, evaluated per
 * frame; beyond the ends the spline continues as a straight line with its end slope. */
#include <stdlib.h>

#include "core/error.h"
#include "postprocess/drift_internal.h"

mumloc_status drift_spline_eval(const double *t, const double *v, int n, int64_t first, int64_t count,
                                double *out) {
    double *m = calloc((size_t)n, sizeof *m);   /* second derivatives at the knots */
    double *c = malloc((size_t)n * sizeof *c);  /* tridiagonal sweep scratch */
    double *r = malloc((size_t)n * sizeof *r);
    if (!m || !c || !r) {
        free(m);
        free(c);
        free(r);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    }
    /* Interior equations h_{i−1} m_{i−1} + 2 (h_{i−1} + h_i) m_i + h_i m_{i+1} = 6 (s_i − s_{i−1}),
     * s_i the slope of interval i; Thomas algorithm. */
    c[0] = 0.0;
    r[0] = 0.0;
    for (int i = 1; i < n - 1; i++) {
        double h0 = t[i] - t[i - 1], h1 = t[i + 1] - t[i];
        double rhs = 6.0 * ((v[i + 1] - v[i]) / h1 - (v[i] - v[i - 1]) / h0);
        double diag = 2.0 * (h0 + h1) - h0 * c[i - 1];
        c[i] = h1 / diag;
        r[i] = (rhs - h0 * r[i - 1]) / diag;
    }
    for (int i = n - 2; i >= 1; i--) m[i] = r[i] - c[i] * m[i + 1];

    int seg = 0;
    for (int64_t k = 0; k < count; k++) {
        double x = (double)(first + k);
        if (x <= t[0]) {
            double h = t[1] - t[0];
            double slope = (v[1] - v[0]) / h - h * (2.0 * m[0] + m[1]) / 6.0;
            out[k] = v[0] + slope * (x - t[0]);
            continue;
        }
        if (x >= t[n - 1]) {
            double h = t[n - 1] - t[n - 2];
            double slope = (v[n - 1] - v[n - 2]) / h + h * (m[n - 2] + 2.0 * m[n - 1]) / 6.0;
            out[k] = v[n - 1] + slope * (x - t[n - 1]);
            continue;
        }
        while (seg < n - 2 && x > t[seg + 1]) seg++;
        double h = t[seg + 1] - t[seg];
        double a = (t[seg + 1] - x) / h, b = (x - t[seg]) / h;
        out[k] = a * v[seg] + b * v[seg + 1] +
                 ((a * a * a - a) * m[seg] + (b * b * b - b) * m[seg + 1]) * h * h / 6.0;
    }
    free(m);
    free(c);
    free(r);
    return MUMLOC_OK;
}
