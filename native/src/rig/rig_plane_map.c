/* The rig's registration as the PSF model's plane map (optics/plane_map.h): the affine's linear part
 * as each plane's Jacobian, its shift in nm, its width scale sqrt|det|. */
#include <string.h>

#include "optics/plane_map.h"
#include "rig/rig_internal.h"

void plane_map_from_rig(const mumloc_rig *rig, plane_map *map) {
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
        map->width_scale[d] = rig_scale(t);
    }
}
