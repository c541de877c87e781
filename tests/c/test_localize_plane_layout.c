/* mumloc_plane_layout: the one rule the CLI and Fiji share for where a movie's k planes are. Each
 * case's expected axis and frame count follow from the layouts' definitions (image f·k + d is plane d
 * of frame f), written out by hand. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

typedef struct layout_case {
    int c, z, t, k;
    mumloc_plane_axis requested;
    mumloc_status status;
    mumloc_plane_axis axis;
    int64_t frames;
    const char *message_part; /* on failure, a phrase the message must hold */
} layout_case;

static const layout_case cases[] = {
    /* planes as channels: every Z·T image set is a frame */
    {4, 1, 6, 4, MUMLOC_PLANES_AUTO, MUMLOC_OK, MUMLOC_PLANES_CHANNELS, 6, NULL},
    {4, 2, 3, 4, MUMLOC_PLANES_CHANNELS, MUMLOC_OK, MUMLOC_PLANES_CHANNELS, 6, NULL},
    /* planes as slices: Z = k, frames = T */
    {1, 4, 5, 4, MUMLOC_PLANES_AUTO, MUMLOC_OK, MUMLOC_PLANES_SLICES, 5, NULL},
    {1, 4, 5, 4, MUMLOC_PLANES_SLICES, MUMLOC_OK, MUMLOC_PLANES_SLICES, 5, NULL},
    /* a plain stack, planes interleaved: only when named; Z·T / k frames (the bug: C=1, Z=2, T=2) */
    {1, 12, 1, 4, MUMLOC_PLANES_SLICES, MUMLOC_OK, MUMLOC_PLANES_SLICES, 3, NULL},
    {1, 2, 2, 4, MUMLOC_PLANES_SLICES, MUMLOC_OK, MUMLOC_PLANES_SLICES, 1, NULL},
    {1, 3, 8, 4, MUMLOC_PLANES_SLICES, MUMLOC_OK, MUMLOC_PLANES_SLICES, 6, NULL},
    {1, 2, 2, 4, MUMLOC_PLANES_AUTO, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "pass planes=slices"},
    {1, 12, 1, 4, MUMLOC_PLANES_AUTO, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "pass planes=slices"},
    /* k = 1 (a single-plane movie) and k = 2 (biplane) */
    {1, 1, 9, 1, MUMLOC_PLANES_AUTO, MUMLOC_OK, MUMLOC_PLANES_CHANNELS, 9, NULL},
    {2, 1, 9, 2, MUMLOC_PLANES_AUTO, MUMLOC_OK, MUMLOC_PLANES_CHANNELS, 9, NULL},
    /* misfits name what the movie has and what would fit */
    {3, 1, 2, 4, MUMLOC_PLANES_AUTO, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "C=3"},
    {1, 4, 5, 4, MUMLOC_PLANES_CHANNELS, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "pass planes=slices"},
    {4, 1, 2, 4, MUMLOC_PLANES_SLICES, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "pass planes=channels"},
    {1, 7, 1, 4, MUMLOC_PLANES_SLICES, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "multiple of 4"},
    {1, 7, 1, 4, MUMLOC_PLANES_AUTO, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "re-save"},
    {1, 0, 1, 4, MUMLOC_PLANES_AUTO, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "Z=0"},
    {4, 1, 6, 4, (mumloc_plane_axis)7, MUMLOC_ERR_INVALID_ARGUMENT, 0, 0, "not auto"},
};

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const layout_case *e = &cases[i];
        mumloc_plane_axis axis = MUMLOC_PLANES_AUTO;
        int64_t frames = -1;
        mumloc_status st = mumloc_plane_layout(e->c, e->z, e->t, e->k, e->requested, "'m.tif'",
                                               &axis, &frames);
        if (st != e->status) {
            fprintf(stderr, "case %zu (C=%d Z=%d T=%d k=%d): status %d, expected %d (%s)\n", i, e->c,
                    e->z, e->t, e->k, st, e->status, mumloc_last_error());
            check_failures++;
            continue;
        }
        if (st == MUMLOC_OK) {
            CHECK(axis == e->axis);
            CHECK(frames == e->frames);
        } else {
            const char *message = mumloc_last_error();
            if (!strstr(message, e->message_part) || !strstr(message, "'m.tif'")) {
                fprintf(stderr, "case %zu: message \"%s\" lacks \"%s\" or the movie's name\n", i,
                        message, e->message_part);
                check_failures++;
            }
        }
    }
    return CHECK_DONE("test_localize_plane_layout");
}
