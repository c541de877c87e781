/* Rendered images to files (PNG, TIFF, z-stack TIFF), each written atomically. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/png_write.h"
#include "io/tiff_write.h"
#include "render/render_internal.h"
#include "render/render_files.h"

static int ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcasecmp(text + n - m, suffix) == 0;
}

mumloc_status render_image_format(const char *path, render_format *format) {
    if (!path || !*path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: an output image path is required");
    if (ends_with(path, ".png")) *format = RENDER_FORMAT_PNG;
    else if (ends_with(path, ".tif") || ends_with(path, ".tiff")) *format = RENDER_FORMAT_TIFF;
    else
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: cannot tell the image format of '%s': name it .png (RGB with "
                           "colour bar) or .tif/.tiff (float density and RGB channels)",
                           path);
    return MUMLOC_OK;
}

static void png_row(void *user, int y, unsigned char *rgb) { render_canvas_row(user, y, rgb); }

/* The description line every rendered TIFF carries: what it is and how it was made. */
static void describe(const mumloc_renderer *r, const char *what, char *buf, size_t cap) {
    char pixel[64], zmin[64], zmax[64], bin[64], sat[64];
    mumloc_format_number(r->p.pixel_nm, pixel, sizeof pixel);
    mumloc_format_number(r->p.z_min_nm, zmin, sizeof zmin);
    mumloc_format_number(r->p.z_max_nm, zmax, sizeof zmax);
    mumloc_format_number(r->p.z_bin_nm / 1000.0, bin, sizeof bin);
    mumloc_format_number(r->saturation, sat, sizeof sat);
    int n = snprintf(buf, cap,
                     "mumloc={\"render\":\"%s\",\"method\":\"%s\",\"pixel_nm\":%s,\"z_min_nm\":%s,"
                     "\"z_max_nm\":%s,\"colormap\":\"%s\",\"saturation_density\":%s}",
                     what, mumloc_render_method_name((int)r->p.method), pixel, zmin, zmax,
                     mumloc_colormap_name(r->p.colormap), sat);
    if (r->stack && strcmp(what, "zstack") == 0 && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, "\nspacing=%s", bin); /* ImageJ's voxel depth, µm */
}

static mumloc_status write_tiff_body(mumloc_renderer *r, atomic_file *af, const char *path) {
    char description[512];
    describe(r, "image", description, sizeof description);
    tiff_write_options o = {r->width, r->height, 4, 1, 1, r->p.pixel_nm / 1000.0,
                                   description, TIFF_LAYOUT_AUTO, TIFF_FORMAT_AUTO, 32};
    tiff_writer *w = NULL;
    ERROR_TRY(tiff_writer_open(af->file, path, &o, &w));
    size_t pixels = (size_t)r->width * (size_t)r->height;
    float *plane = malloc(sizeof *plane * pixels);
    unsigned char *line = malloc((size_t)r->width * 3);
    mumloc_status s = MUMLOC_OK;
    if (!plane || !line) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory writing '%s'", path);
    /* Channel 1: density. Channels 2-4: the colour image's red, green, blue (no colour bar). */
    if (s == MUMLOC_OK) {
        for (size_t i = 0; i < pixels; i++) plane[i] = r->image[i * RENDER_CHANNELS];
        s = tiff_writer_append(w, plane, 1);
    }
    for (int c = 0; c < 3 && s == MUMLOC_OK; c++) {
        for (int y = 0; y < r->height; y++) {
            render_image_row(r, y, line);
            for (int x = 0; x < r->width; x++) plane[(size_t)y * r->width + x] = line[3 * x + c];
        }
        s = tiff_writer_append(w, plane, 1);
    }
    if (s == MUMLOC_OK) s = tiff_writer_finish(w);
    tiff_writer_free(w);
    free(plane);
    free(line);
    return s;
}

mumloc_status mumloc_renderer_write_image(mumloc_renderer *r, const char *path) {
    if (!r) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: renderer is NULL");
    render_format format;
    ERROR_TRY(render_image_format(path, &format));
    ERROR_TRY(render_finish(r));
    atomic_file af = {0};
    ERROR_TRY(atomic_open(&af, path));
    mumloc_status s;
    if (format == RENDER_FORMAT_PNG) {
        int w, h;
        render_canvas_size(r, &w, &h);
        s = png_write_rgb(af.file, path, w, h, r->p.pixel_nm, png_row, r);
    } else {
        s = write_tiff_body(r, &af, path);
    }
    if (s == MUMLOC_OK) return atomic_commit(&af);
    atomic_abort(&af);
    return s;
}

mumloc_status mumloc_renderer_write_zstack(mumloc_renderer *r, const char *path) {
    if (!r) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: renderer is NULL");
    if (!path || !*path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: a z-stack path is required");
    if (!r->stack)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: no z-stack was accumulated; set params.zstack = 1");
    ERROR_TRY(render_finish(r));
    char description[512];
    describe(r, "zstack", description, sizeof description);
    tiff_write_options o = {r->width, r->height, 1, r->slices, 1, r->p.pixel_nm / 1000.0,
                                   description, TIFF_LAYOUT_AUTO, TIFF_FORMAT_AUTO, 32};
    atomic_file af = {0};
    ERROR_TRY(atomic_open(&af, path));
    tiff_writer *w = NULL;
    mumloc_status s = tiff_writer_open(af.file, path, &o, &w);
    if (s == MUMLOC_OK) s = tiff_writer_append(w, r->stack, r->slices);
    if (s == MUMLOC_OK) s = tiff_writer_finish(w);
    tiff_writer_free(w);
    if (s == MUMLOC_OK) return atomic_commit(&af);
    atomic_abort(&af);
    return s;
}
