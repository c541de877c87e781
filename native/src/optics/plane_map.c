/* See plane_map.h. */
#include "optics/plane_map.h"

#include <string.h>

void plane_map_to_reference(const double *j, int n, double *gradient, double *matrix) {
    if (!j) return;
    if (gradient) {
        const double gu = gradient[0], gv = gradient[1];
        gradient[0] = j[0] * gu + j[2] * gv;
        gradient[1] = j[1] * gu + j[3] * gv;
    }
    if (!matrix) return;
    /* rows 0, 1 then columns 0, 1: F' = Mᵀ F M with M = diag(J, I) */
    for (int c = 0; c < n; c++) {
        const double fu = matrix[c], fv = matrix[n + c];
        matrix[c] = j[0] * fu + j[2] * fv;
        matrix[n + c] = j[1] * fu + j[3] * fv;
    }
    for (int r = 0; r < n; r++) {
        const double fu = matrix[r * n], fv = matrix[r * n + 1];
        matrix[r * n] = j[0] * fu + j[2] * fv;
        matrix[r * n + 1] = j[1] * fu + j[3] * fv;
    }
}
