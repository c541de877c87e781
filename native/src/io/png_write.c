/* PNG output through libpng. libpng reports errors by longjmp: its error callback records the
 * message, and the setjmp below turns it into a mumloc status. */
#include "io/png_write.h"

#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

typedef struct png_failure {
    char message[256];
} png_failure;

static void on_png_error(png_structp png, png_const_charp message) {
    png_failure *f = png_get_error_ptr(png);
    snprintf(f->message, sizeof f->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message; /* the library never prints */
}

mumloc_status png_write_rgb(FILE *file, const char *label, int width, int height,
                                   double pixel_nm, png_row_fn row, void *user) {
    if (!file || !row || width <= 0 || height <= 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "PNG '%s': needs a file, a row source and a positive size (%d x %d)",
                           label, width, height);
    png_failure failure = {{0}};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, on_png_error,
                                              on_png_warning);
    if (!png) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "PNG '%s': out of memory", label);
    png_infop info = png_create_info_struct(png);
    unsigned char *volatile line = malloc((size_t)width * 3);
    if (!info || !line) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(line);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "PNG '%s': out of memory", label);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(line);
        return error_fail(MUMLOC_ERR_IO, "cannot write PNG '%s': %s", label, failure.message);
    }
    png_init_io(png, file);
    png_set_compression_level(png, 3);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (pixel_nm > 0.0) {
        double per_metre = 1e9 / pixel_nm;
        if (per_metre >= 1.0 && per_metre < 4294967295.0) {
            png_uint_32 ppm = (png_uint_32)lround(per_metre);
            png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
        }
    }
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        row(user, y, line);
        png_write_row(png, line);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(line);
    if (ferror(file))
        return error_fail(MUMLOC_ERR_IO, "cannot write PNG '%s' (disk full?)", label);
    return MUMLOC_OK;
}
