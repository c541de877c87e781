/* 8-bit RGB PNG writer (libpng), fed one row at a time so that large images need no full RGB copy. */
#ifndef IO_PNG_WRITE_H
#define IO_PNG_WRITE_H

#include <stdio.h>

#include "mumloc.h"

/* Fills row y (0 = top) as width × 3 bytes. */
typedef void (*png_row_fn)(void *user, int y, unsigned char *rgb);

/* Writes a width × height RGB PNG to file (opened "wb", not closed here); label names it in error
 * messages. pixel_nm > 0 is recorded in the pHYs chunk (pixels per metre). Uses a fast zlib level:
 * super-resolution images are large and mostly black. */
mumloc_status png_write_rgb(FILE *file, const char *label, int width, int height,
                                   double pixel_nm, png_row_fn row, void *user);

#endif
