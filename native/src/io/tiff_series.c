/* OME-TIFF series over several files (see tiff_series.h). */
#define _FILE_OFFSET_BITS 64
#include "io/tiff_series.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "io/input_file.h"
#include "io/ome_xml.h"

enum { SERIES_OPEN_PARTS = 4 }; /* parallel reads across a part boundary need two; spare ones */

typedef struct open_part {
    int file;                   /* index into paths; -1 when the slot is empty */
    tiff_file *reader;
    uint64_t last_use;
} open_part;

struct tiff_series {
    char **paths;               /* path of each part; [0] is the first file */
    int part_count;
    int channels, slices, frames;
    int64_t images;
    int32_t *plane_file;        /* per OME plane (in the XML's dimension order): part and IFD */
    int64_t *plane_ifd;
    int64_t size[3];            /* sizes of the dimension order's letters, fastest first */
    int axis_of_c, axis_of_z, axis_of_t;
    tiff_info first;
    pthread_mutex_t lock;
    open_part open[SERIES_OPEN_PARTS];
    uint64_t uses;
};

/* The plane index, in the dimension order, of channel c, slice z, frame t. */
static int64_t plane_of(const tiff_series *s, int64_t c, int64_t z, int64_t t) {
    int64_t at[3];
    at[s->axis_of_c] = c;
    at[s->axis_of_z] = z;
    at[s->axis_of_t] = t;
    return at[0] + s->size[0] * (at[1] + s->size[1] * at[2]);
}

/* The folder part of path, with its slash ("" for a bare name). */
static size_t folder_length(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path + 1) : 0;
}

/* Paths of the files the XML names, beside the first file; a single name is the first file itself
 * (an OME-TIFF renamed after writing still names its old self). */
static mumloc_status part_paths(tiff_series *s, const char *first_path, const ome_pixels *px) {
    s->part_count = px->file_count > 1 ? px->file_count + 1 : 1;
    s->paths = calloc((size_t)s->part_count, sizeof *s->paths);
    if (!s->paths || !(s->paths[0] = strdup(first_path)))
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading an OME-TIFF series");
    size_t folder = folder_length(first_path);
    for (int k = 1; k < s->part_count; k++) {
        const char *base = px->files[k - 1]; /* a bare name: never outside the first file's folder */
        size_t n = folder + strlen(base) + 1;
        if (!(s->paths[k] = malloc(n)))
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading an OME-TIFF series");
        snprintf(s->paths[k], n, "%.*s%s", (int)folder, first_path, base);
    }
    return MUMLOC_OK;
}

/* Every part exists; the planes the files can hold bound the plane table (a hostile XML's sizes
 * cannot make it allocate more than the data could fill). */
static mumloc_status check_parts(const tiff_series *s, uint64_t *planes_room) {
    uint64_t plane_bytes = (uint64_t)s->first.width * s->first.height * (s->first.bits_per_sample / 8);
    *planes_room = 0;
    for (int k = 0; k < s->part_count; k++) {
        struct stat st;
        if (stat(s->paths[k], &st) == 0 && !S_ISREG(st.st_mode))
            return error_fail(MUMLOC_ERR_IO, "'%s' listed by the OME-XML of '%s' is %s, not a file",
                               s->paths[k], s->paths[0], file_kind(st.st_mode));
        if (stat(s->paths[k], &st) != 0) {
            const char *base = s->paths[k] + folder_length(s->paths[k]);
            size_t folder = folder_length(s->paths[0]);
            return error_fail(MUMLOC_ERR_IO,
                               "'%s' listed by the OME-XML of '%s' is missing next to it (in '%.*s'): "
                               "keep every file of the series in one folder with the names it was "
                               "written with",
                               base, s->paths[0], folder ? (int)folder : 1, folder ? s->paths[0] : ".");
        }
        *planes_room += (uint64_t)st.st_size / plane_bytes;
    }
    return MUMLOC_OK;
}

/* Fills the plane table from the TiffData blocks; 0 when they leave a plane out, or place one past
 * the first file's IFDs (the others are checked when opened). */
static int map_planes(tiff_series *s, const ome_pixels *px) {
    for (int64_t i = 0; i < s->images; i++) s->plane_file[i] = -1;
    for (int64_t b = 0; b < px->block_count; b++) {
        const ome_tiff_block *k = &px->blocks[b];
        if (k->first_c >= px->size_c || k->first_z >= px->size_z || k->first_t >= px->size_t) return 0;
        int64_t p0 = plane_of(s, k->first_c, k->first_z, k->first_t);
        int64_t n = k->planes < 0 ? s->images - p0 : k->planes;
        if (n > s->images - p0 || k->ifd > INT64_MAX - n) return 0;
        int32_t file = k->file < 0 || s->part_count == 1 ? 0 : k->file + 1;
        if (file != 0 && strcmp(s->paths[file], s->paths[0]) == 0) file = 0; /* it names itself */
        if (file == 0 && k->ifd + n > s->first.images) return 0;
        for (int64_t i = 0; i < n; i++) {
            s->plane_file[p0 + i] = file;
            s->plane_ifd[p0 + i] = k->ifd + i;
        }
    }
    for (int64_t i = 0; i < s->images; i++)
        if (s->plane_file[i] < 0) return 0;
    return 1;
}

/* 1 when the XML's sizes agree with the first file and each other; fills the dimensions. */
static int take_dimensions(tiff_series *s, const ome_pixels *px, const tiff_info *first,
                           uint64_t planes_room) {
    if (px->size_x != first->width || px->size_y != first->height || px->size_c > INT32_MAX ||
        px->size_z > INT32_MAX || px->size_t > INT32_MAX || px->block_count == 0)
        return 0;
    uint64_t c = (uint64_t)px->size_c, z = (uint64_t)px->size_z, t = (uint64_t)px->size_t;
    if (z > planes_room / c || t > planes_room / (c * z)) return 0; /* more planes than the files hold */
    s->channels = (int)c, s->slices = (int)z, s->frames = (int)t;
    s->images = (int64_t)(c * z * t);
    for (int a = 0; a < 3; a++) {
        char letter = px->order[a];
        s->size[a] = letter == 'C' ? px->size_c : letter == 'Z' ? px->size_z : px->size_t;
        if (letter == 'C') s->axis_of_c = a;
        if (letter == 'Z') s->axis_of_z = a;
        if (letter == 'T') s->axis_of_t = a;
    }
    return 1;
}

static mumloc_status build(tiff_series *s, const char *first_path, const char *xml, int *usable) {
    ome_pixels px;
    *usable = 0;
    mumloc_status st = ome_pixels_parse(xml, &px);
    if (st != MUMLOC_OK) { /* not a series mumloc can map: the first file alone */
        ome_pixels_free(&px);
        return st == MUMLOC_ERR_OUT_OF_MEMORY ? st : MUMLOC_OK;
    }
    uint64_t room = 0;
    st = part_paths(s, first_path, &px);
    if (st == MUMLOC_OK) st = check_parts(s, &room);
    if (st == MUMLOC_OK && take_dimensions(s, &px, &s->first, room)) {
        s->plane_file = malloc((size_t)s->images * sizeof *s->plane_file);
        s->plane_ifd = malloc((size_t)s->images * sizeof *s->plane_ifd);
        if (!s->plane_file || !s->plane_ifd)
            st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory indexing '%s'", first_path);
        else
            *usable = map_planes(s, &px);
    }
    ome_pixels_free(&px);
    return st;
}

mumloc_status tiff_series_open(const char *first_path, const char *xml, const tiff_info *first,
                               tiff_series **out) {
    *out = NULL;
    if (!ome_xml_is(xml)) return MUMLOC_OK;
    tiff_series *s = calloc(1, sizeof *s);
    if (!s) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening '%s'", first_path);
    s->first = *first;
    for (int k = 0; k < SERIES_OPEN_PARTS; k++) s->open[k].file = -1;
    pthread_mutex_init(&s->lock, NULL);
    int usable = 0;
    mumloc_status st = build(s, first_path, xml, &usable);
    if (st != MUMLOC_OK || !usable) {
        tiff_series_close(s);
        return st;
    }
    *out = s;
    return MUMLOC_OK;
}

void tiff_series_dimensions(const tiff_series *s, int *channels, int *slices, int *frames,
                            int64_t *images) {
    *channels = s->channels;
    *slices = s->slices;
    *frames = s->frames;
    *images = s->images;
}

/* A part must hold images like the first file's. */
static mumloc_status check_part(const tiff_series *s, const char *path, const tiff_info *in) {
    const tiff_info *f = &s->first;
    if (in->width != f->width || in->height != f->height || in->bits_per_sample != f->bits_per_sample ||
        in->sample_format != f->sample_format)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s', a part of the OME-TIFF series '%s', holds %dx%d %d-bit images but "
                           "the first file %dx%d %d-bit ones",
                           path, s->paths[0], in->width, in->height, in->bits_per_sample, f->width,
                           f->height, f->bits_per_sample);
    return MUMLOC_OK;
}

/* The open part `file`, opening it in the least recently used slot; called under the lock. */
static mumloc_status part_reader(tiff_series *s, int file, tiff_file **out) {
    open_part *slot = &s->open[0];
    for (int k = 0; k < SERIES_OPEN_PARTS; k++) {
        if (s->open[k].file == file) {
            s->open[k].last_use = ++s->uses;
            *out = s->open[k].reader;
            return MUMLOC_OK;
        }
        if (s->open[k].last_use < slot->last_use) slot = &s->open[k];
    }
    tiff_file_close(slot->reader);
    *slot = (open_part){-1, NULL, 0};
    tiff_file *r = NULL;
    ERROR_TRY(tiff_file_open(s->paths[file], 1, &r));
    mumloc_status st = check_part(s, s->paths[file], tiff_file_info(r));
    if (st != MUMLOC_OK) {
        tiff_file_close(r);
        return st;
    }
    *slot = (open_part){file, r, ++s->uses};
    *out = r;
    return MUMLOC_OK;
}

mumloc_status tiff_series_read(tiff_series *s, int64_t index, float *out) {
    int64_t c = index % s->channels, z = index / s->channels % s->slices,
            t = index / ((int64_t)s->channels * s->slices);
    int64_t plane = plane_of(s, c, z, t);
    int file = s->plane_file[plane];
    int64_t ifd = s->plane_ifd[plane];
    pthread_mutex_lock(&s->lock);
    tiff_file *r = NULL;
    mumloc_status st = part_reader(s, file, &r);
    if (st == MUMLOC_OK && ifd >= tiff_file_info(r)->images)
        st = error_fail(MUMLOC_ERR_FORMAT,
                         "'%s' has %lld images, but the OME-XML of '%s' puts image %lld (IFD %lld) "
                         "there (was the acquisition stopped early, or a part overwritten?)",
                         s->paths[file], (long long)tiff_file_info(r)->images, s->paths[0],
                         (long long)index + 1, (long long)ifd);
    if (st == MUMLOC_OK) st = tiff_file_read(r, ifd, out);
    pthread_mutex_unlock(&s->lock);
    return st;
}

void tiff_series_close(tiff_series *s) {
    if (!s) return;
    for (int k = 0; k < SERIES_OPEN_PARTS; k++) tiff_file_close(s->open[k].reader);
    for (int k = 0; s->paths && k < s->part_count; k++) free(s->paths[k]);
    free(s->paths);
    free(s->plane_file);
    free(s->plane_ifd);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
