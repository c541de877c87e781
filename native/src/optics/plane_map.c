/* See plane_map.h. */
#include "optics/plane_map.h"

#include <string.h>

#include "rig/rig_internal.h"

void mumloc_plane_map_from_rig(const mumloc_rig *rig, mumloc_plane_map *map) {
    memset(map, 0, sizeof *map);
    map->planes = rig->optics.planes;
    const double p = rig->optics.pixel_nm;
    for (int d = 0; d < map->planes; d++) {
        const double *t = rig->camera[d].to_camera;
        map->jacobian[d][0] = t[0];
        map->jacobian[d][1] = t[1];
        map->jacobian[d][2] = t[3];
        map->jacobian[d][3] = t[4];
        /* pixel units scale both sides alike: only the shift needs nm */
        map->shift_nm[d][0] = t[2] * p;
        map->shift_nm[d][1] = t[5] * p;
        map->width_scale[d] = mumloc_rig_scale(t);
    }
}

void mumloc_plane_map_to_reference(const double *j, int n, double *gradient, double *matrix) {
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
