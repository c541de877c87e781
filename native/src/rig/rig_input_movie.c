/* mumloc_rig_movie: a rig's raw frames in its layout (one hyperstack, one file per camera, or one
 * chip of tiles), read reference frame by reference frame with each camera's frame offset. Nothing
 * is converted or resampled here: camera d's image comes out in camera d's own pixel frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/tiff_read.h"

struct mumloc_rig_movie {
    int k, width, height;
    mumloc_rig_layout layout;
    int files;                                /* readers open: k for FILES, else 1 */
    tiff_reader *reader[MUMLOC_MAX_PLANES];
    int frame_offset[MUMLOC_MAX_PLANES];
    int tile_x[MUMLOC_MAX_PLANES], tile_y[MUMLOC_MAX_PLANES]; /* tile origins on the chip, pixels */
    int chip_width, chip_height;
    int64_t first, frames;
};

static mumloc_status check_rig(const mumloc_rig *rig) {
    ERROR_TRY(mumloc_rig_validate(rig));
    int columns, rows;
    ERROR_TRY(mumloc_rig_layout_grid(rig->layout, &columns, &rows));
    if (columns * rows > 1 && rig->optics.planes != columns * rows)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "layout %s holds %d cameras but the rig "
                           "has %d", mumloc_rig_layout_name(rig->layout), columns * rows,
                           rig->optics.planes);
    return MUMLOC_OK;
}

/* Camera frames each camera recorded, from the layout and the files' shapes. */
static mumloc_status open_layout(mumloc_rig_movie *m, const mumloc_rig *rig,
                                 const char *const *paths, int count, mumloc_plane_axis planes,
                                 int64_t camera_frames[MUMLOC_MAX_PLANES]) {
    const int k = m->k;
    const int wanted = m->layout == MUMLOC_RIG_FILES ? k : 1;
    if (count != wanted)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "layout %s needs %d file%s (%s), got %d", mumloc_rig_layout_name(m->layout),
                           wanted, wanted == 1 ? "" : "s",
                           wanted == 1 ? "one movie" : "one per camera, in camera order", count);
    for (int f = 0; f < count; f++)
        if (!paths[f] || !paths[f][0])
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "file %d of the rig's movie is "
                               "empty", f + 1);
    m->files = count;
    for (int f = 0; f < count; f++) ERROR_TRY(tiff_reader_open(paths[f], &m->reader[f]));
    int columns, rows;
    ERROR_TRY(mumloc_rig_layout_grid(m->layout, &columns, &rows));
    m->chip_width = rig->width * columns;
    m->chip_height = rig->height * rows;
    for (int f = 0; f < count; f++) {
        const tiff_info *info = tiff_reader_info(m->reader[f]);
        if (info->width != m->chip_width || info->height != m->chip_height)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "'%s' has %dx%d images but the rig's layout %s needs %dx%d (%s of "
                               "%dx%d); check --layout and the rig file",
                               paths[f], info->width, info->height, mumloc_rig_layout_name(m->layout),
                               m->chip_width, m->chip_height,
                               columns * rows > 1 ? "a chip of tiles" : "camera frames", rig->width,
                               rig->height);
    }
    const tiff_info *info = tiff_reader_info(m->reader[0]);
    if (m->layout == MUMLOC_RIG_HYPERSTACK) {
        char what[64 + 4096];
        snprintf(what, sizeof what, "'%.4096s'", paths[0]);
        mumloc_plane_axis axis;
        int64_t frames = 0;
        ERROR_TRY(mumloc_plane_layout(info->channels, info->slices, info->frames, k, planes, what,
                                       &axis, &frames));
        for (int d = 0; d < k; d++) camera_frames[d] = frames;
    } else if (m->layout == MUMLOC_RIG_FILES) {
        for (int d = 0; d < k; d++) camera_frames[d] = tiff_reader_info(m->reader[d])->images;
    } else {
        for (int d = 0; d < k; d++) {
            camera_frames[d] = info->images;
            m->tile_x[d] = (d % columns) * rig->width;
            m->tile_y[d] = (d / columns) * rig->height;
        }
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_rig_movie_open(const mumloc_rig *rig, const char *const *paths, int count,
                                    mumloc_plane_axis planes, mumloc_rig_movie **out) {
    if (!rig || !paths || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig_movie_open needs a rig, paths and out");
    *out = NULL;
    ERROR_TRY(check_rig(rig));
    mumloc_rig_movie *m = calloc(1, sizeof *m);
    if (!m) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a rig movie");
    m->k = rig->optics.planes;
    m->width = rig->width;
    m->height = rig->height;
    m->layout = rig->layout;
    int64_t camera_frames[MUMLOC_MAX_PLANES];
    mumloc_status st = open_layout(m, rig, paths, count, planes, camera_frames);
    if (st == MUMLOC_OK) {
        /* reference frame r is camera d's frame r − offset_d: every camera has it when
         * offset_d ≤ r < frames_d + offset_d */
        int64_t first = 0, end = INT64_MAX;
        int late = 0, short_d = 0;
        for (int d = 0; d < m->k; d++) {
            m->frame_offset[d] = rig->camera[d].frame_offset;
            if (m->frame_offset[d] > first) first = m->frame_offset[d], late = d;
            if (camera_frames[d] + m->frame_offset[d] < end)
                end = camera_frames[d] + m->frame_offset[d], short_d = d;
        }
        m->first = first;
        m->frames = end > first ? end - first : 0;
        if (m->frames < 1)
            st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                             "no frame was recorded by every camera: camera %d starts at reference "
                             "frame %lld (its frame offset) and camera %d ends before it (%lld "
                             "frames, offset %d); check the frame offsets in the rig file",
                             late + 1, (long long)first + 1, short_d + 1,
                             (long long)camera_frames[short_d], m->frame_offset[short_d]);
    }
    if (st != MUMLOC_OK) {
        mumloc_rig_movie_close(m);
        return st;
    }
    *out = m;
    return MUMLOC_OK;
}

void mumloc_rig_movie_close(mumloc_rig_movie *m) {
    if (!m) return;
    for (int f = 0; f < m->files; f++) tiff_reader_close(m->reader[f]);
    free(m);
}

void mumloc_rig_movie_frames(const mumloc_rig_movie *m, int64_t *first, int64_t *frames) {
    if (first) *first = m ? m->first : 0;
    if (frames) *frames = m ? m->frames : 0;
}

const char *mumloc_rig_movie_description(const mumloc_rig_movie *m) {
    return m && m->reader[0] ? tiff_reader_description(m->reader[0]) : "";
}

mumloc_status mumloc_rig_movie_read(const mumloc_rig_movie *m, int64_t frame, float *out) {
    if (!m || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig_movie_read needs a movie and out");
    if (frame < m->first || frame >= m->first + m->frames)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "reference frame %lld is not in the rig's movie (frames %lld..%lld)",
                           (long long)frame + 1, (long long)m->first + 1,
                           (long long)(m->first + m->frames));
    const size_t area = (size_t)m->width * m->height;
    if (m->layout == MUMLOC_RIG_HYPERSTACK || m->layout == MUMLOC_RIG_FILES) {
        for (int d = 0; d < m->k; d++) {
            const int64_t f = frame - m->frame_offset[d];
            const int files = m->layout == MUMLOC_RIG_FILES;
            ERROR_TRY(tiff_reader_read(m->reader[files ? d : 0],
                                               files ? f : f * m->k + d, out + d * area));
        }
        return MUMLOC_OK;
    }
    /* tiles: one chip image per camera frame; cameras on different frames read their own chip */
    float *chip = malloc(sizeof *chip * (size_t)m->chip_width * m->chip_height);
    if (!chip) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a %dx%d chip image",
                                  m->chip_width, m->chip_height);
    mumloc_status st = MUMLOC_OK;
    int64_t loaded = -1;
    for (int d = 0; d < m->k && st == MUMLOC_OK; d++) {
        const int64_t f = frame - m->frame_offset[d];
        if (f != loaded) st = tiff_reader_read(m->reader[0], f, chip);
        loaded = st == MUMLOC_OK ? f : -1;
        for (int r = 0; r < m->height && st == MUMLOC_OK; r++)
            memcpy(out + d * area + (size_t)r * m->width,
                   chip + (size_t)(m->tile_y[d] + r) * m->chip_width + m->tile_x[d],
                   sizeof *chip * (size_t)m->width);
    }
    free(chip);
    return st;
}

void mumloc_rig_to_photons(const mumloc_rig *rig, float *frame) {
    const size_t area = (size_t)rig->width * rig->height;
    for (int d = 0; d < rig->optics.planes; d++) {
        const mumloc_rig_camera *c = &rig->camera[d];
        const float scale = (float)(1.0 / (c->adu_per_electron * c->em_gain));
        const float offset = (float)c->offset_adu;
        float *p = frame + d * area;
        for (size_t i = 0; i < area; i++) p[i] = (p[i] - offset) * scale;
    }
}
