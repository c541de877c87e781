/* Colour maps as tables of control points (see colormap.c), interpolated linearly in sRGB. */
#ifndef RENDER_COLORMAP_H
#define RENDER_COLORMAP_H

#include "mumloc.h"

/* Colour at t (clamped to [0, 1]; NaN gives the first colour) as floats in [0, 255]. The caller
 * checked that map is in range. */
void render_colormap_eval(mumloc_colormap map, double t, float rgb[3]);

#endif
