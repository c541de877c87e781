/* Voxel layers and slab from the optics' plane depths (see voxel_geometry.h). */
#include "optics/voxel_geometry.h"

#include "core/error.h"

mumloc_status voxel_layer(const mumloc_optics *o, int plane, double *lo_nm, double *hi_nm) {
    const int k = o->planes;
    if (k < 1 || plane < 0 || plane >= k)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "plane %d is outside 0..%d", plane, k - 1);
    const double *depth = o->plane_depth_nm;
    if (k == 1) { /* one plane (an engineered PSF): the default slab's depth around it */
        *lo_nm = depth[0] - SINGLE_PLANE_HALF_DEPTH_NM;
        *hi_nm = depth[0] + SINGLE_PLANE_HALF_DEPTH_NM;
        return MUMLOC_OK;
    }
    double below = plane > 0 ? depth[plane] - depth[plane - 1] : depth[1] - depth[0];
    double above = plane < k - 1 ? depth[plane + 1] - depth[plane] : depth[k - 1] - depth[k - 2];
    *lo_nm = depth[plane] - 0.5 * below;
    *hi_nm = depth[plane] + 0.5 * above;
    return MUMLOC_OK;
}

mumloc_status voxel_slab(const mumloc_optics *o, double *lo_nm, double *hi_nm) {
    double ignored;
    ERROR_TRY(voxel_layer(o, 0, lo_nm, &ignored));
    return voxel_layer(o, o->planes - 1, &ignored, hi_nm);
}
