/* Plane layout of a movie (see pipeline_movie.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "localize/pipeline_movie.h"

mumloc_status movie_planes(const mumloc_tiff_info *info, const char *path, int k,
                           mumloc_plane_axis requested, mumloc_plane_axis *axis, int64_t *frames) {
    const int c = info->channels, z = info->slices, t = info->frames;
    const int channels_fit = c == k;
    const int slices_fit = c == 1 && z == k;
    const int plain_fit = c == 1 && t == 1 && z % k == 0; /* a plain stack, planes interleaved */
    if (requested == MUMLOC_PLANES_AUTO) {
        if (channels_fit) requested = MUMLOC_PLANES_CHANNELS;
        else if (slices_fit) requested = MUMLOC_PLANES_SLICES;
        else
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "'%s' has C=%d channels, Z=%d slices, T=%d frames and the model "
                               "needs %d planes per frame: neither C nor Z is %d, so the planes "
                               "cannot be found; pass planes=slices for a plain stack whose images "
                               "go plane by plane (%lld images), or re-save the movie as a "
                               "hyperstack with C=%d",
                               path, c, z, t, k, k, (long long)info->images, k);
    }
    if (requested == MUMLOC_PLANES_CHANNELS) {
        if (!channels_fit)
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "'%s' has %d channel(s) but the model needs %d planes per frame%s",
                               path, c, k,
                               slices_fit ? " (its Z slices fit: pass planes=slices)" : "");
        *frames = (int64_t)z * t;
    } else {
        if (!slices_fit && !plain_fit)
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "'%s' has C=%d, Z=%d, T=%d but planes as slices need C=1 and Z=%d "
                               "(or a plain stack of a multiple of %d images)%s",
                               path, c, z, t, k, k,
                               channels_fit ? " (its channels fit: pass planes=channels)" : "");
        *frames = slices_fit ? t : z / k;
    }
    *axis = requested;
    return MUMLOC_OK;
}
