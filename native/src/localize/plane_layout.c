/* The plane layout of a movie: mumloc_plane_layout, the one rule the CLI and Fiji share. */
#include "core/enum_names.h"
#include "core/error.h"
#include "mumloc.h"

mumloc_status mumloc_plane_layout(int64_t channels, int64_t slices, int64_t frames, int planes,
                                  mumloc_plane_axis requested, const char *what,
                                  mumloc_plane_axis *axis, int64_t *movie_frames) {
    const long long c = channels, z = slices, t = frames;
    const int k = planes;
    if (!axis || !movie_frames || !what)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "plane layout: null argument");
    if (k < 1 || c < 1 || z < 1 || t < 1 || z > INT64_MAX / t)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s has C=%lld, Z=%lld, T=%lld: not a movie of %d-plane frames", what, c,
                           z, t, k);
    const long long images = z * t; /* per channel */
    const int channels_fit = c == k;
    const int slices_fit = c == 1 && z == k;
    const int plain_fit = c == 1 && images % k == 0; /* a plain stack, planes interleaved */
    if (requested == MUMLOC_PLANES_AUTO) {
        if (channels_fit) requested = MUMLOC_PLANES_CHANNELS;
        else if (slices_fit) requested = MUMLOC_PLANES_SLICES;
        else
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s has C=%lld channels, Z=%lld slices, T=%lld frames and the model "
                               "needs %d planes per frame: neither C nor Z is %d, so the planes "
                               "cannot be found; %s",
                               what, c, z, t, k, k,
                               plain_fit ? "pass planes=slices if its images go plane by plane, "
                                           "frame after frame, or re-save it as a hyperstack with "
                                           "the planes as channels"
                                         : "re-save it as a hyperstack with the planes as channels");
    }
    if (requested == MUMLOC_PLANES_CHANNELS) {
        if (!channels_fit)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s has %lld channel(s) but the model needs %d planes per frame%s",
                               what, c, k,
                               slices_fit || plain_fit ? " (its slices fit: pass planes=slices)" : "");
        *movie_frames = images;
    } else if (requested == MUMLOC_PLANES_SLICES) {
        if (!plain_fit)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s has C=%lld, Z=%lld, T=%lld but planes as slices need C=1 and "
                               "Z=%d, or a plain stack of a multiple of %d images%s",
                               what, c, z, t, k, k,
                               channels_fit ? " (its channels fit: pass planes=channels)" : "");
        *movie_frames = slices_fit ? t : images / k;
    } else {
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "planes of %s: axis %d is not auto (0), channels (1) or slices (2)",
                           what, (int)requested);
    }
    *axis = requested;
    return MUMLOC_OK;
}

static const char *const axis_names[] = {"auto", "channels", "slices"};

const char *mumloc_plane_axis_name(int axis) {
    return enum_name(axis_names, ENUM_COUNT(axis_names), axis);
}

mumloc_status mumloc_plane_axis_from_name(const char *name, mumloc_plane_axis *out) {
    int v = 0;
    mumloc_status status =
        enum_from_name(axis_names, ENUM_COUNT(axis_names), "plane axis", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_plane_axis)v;
    return status;
}
