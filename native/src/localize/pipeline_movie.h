/* The movie side of mumloc_localize_file: which axis holds the planes (the optics a movie records
 * are read by mumloc_optics_from_description). */
#ifndef MUMLOC_LOCALIZE_PIPELINE_MOVIE_H
#define MUMLOC_LOCALIZE_PIPELINE_MOVIE_H

#include "io/tiff_read.h"
#include "mumloc.h"

/* Resolves the plane axis for a movie and k planes: *axis gets CHANNELS or SLICES and *frames the
 * movie's frame count (image f·k + d is plane d of frame f in both layouts). The message of a
 * failure says what the movie has and what to pass. */
mumloc_status movie_planes(const mumloc_tiff_info *info, const char *path, int k,
                           mumloc_plane_axis requested, mumloc_plane_axis *axis, int64_t *frames);

#endif
