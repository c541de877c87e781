/* Shared decoder pieces (see decode_common.h). */
#include "decode/decode_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void mumloc_decode_options_default(mumloc_decode_options *o) {
    if (!o) return;
    o->threshold = 0.5;           /* the 2020 paper's τ for the regression network */
    o->merge_distance_nm = 100.0; /* about a third of the 192 × 192 × 400 nm voxel's diagonal */
    o->neighbourhood = 1;         /* 3×3×3, as DeepSTORM3D's post-processing */
}

mumloc_status decode_options_check(const mumloc_decode_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "decode options must not be NULL");
    if (!(o->threshold >= 0.0 && o->threshold < 1.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "threshold must be at least 0 and below 1 (got %g)", o->threshold);
    if (!(o->merge_distance_nm >= 0.0 && o->merge_distance_nm <= 1e5))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "merge distance must be between 0 and 100000 nm (got %g)",
                           o->merge_distance_nm);
    if (o->neighbourhood < 0 || o->neighbourhood > 8)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "neighbourhood must be between 0 and 8 voxels (got %d)", o->neighbourhood);
    return MUMLOC_OK;
}

mumloc_localization localization_new(int64_t frame, double x, double y, double z,
                                            double probability) {
    mumloc_localization l;
    l.frame = frame;
    l.x_nm = x;
    l.y_nm = y;
    l.z_nm = z;
    l.probability = probability;
    l.photons = NAN;
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) l.background[d] = NAN;
    l.offset = NAN;
    l.bkgstd = NAN;
    l.uncertainty_xy_nm = NAN;
    l.uncertainty_z_nm = NAN;
    l.unresolved = -1; /* until a multi-emitter refinement assesses it */
    return l;
}

static int cmp_double(double a, double b) { return (a > b) - (a < b); }

static int by_position(const void *pa, const void *pb) {
    const mumloc_localization *a = pa, *b = pb;
    int c = cmp_double(a->y_nm, b->y_nm);
    if (!c) c = cmp_double(a->x_nm, b->x_nm);
    if (!c) c = cmp_double(a->z_nm, b->z_nm);
    if (!c) c = cmp_double(b->probability, a->probability);
    return c;
}

void localizations_sort(mumloc_localization *locs, int count) {
    if (count > 1) qsort(locs, (size_t)count, sizeof *locs, by_position);
}

mumloc_status decode_deliver(mumloc_localization *found, int n, mumloc_localization *out,
                                    int cap, int *count) {
    *count = n;
    if (!out && cap == 0) return MUMLOC_OK; /* a query for the size */
    if (n > cap)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the output holds %d localizations but %d were found: pass a buffer of "
                           "at least %d", cap, n, n);
    localizations_sort(found, n);
    if (n > 0) memcpy(out, found, (size_t)n * sizeof *out);
    return MUMLOC_OK;
}
