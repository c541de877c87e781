/* Writes one small 32-bit hyperstack twice, with mumloc's TIFF writer: multi.tif (one IFD per image)
 * and single.tif (the single-IFD form ImageJ uses above 4 GiB). open_layouts.ijm then checks that
 * ImageJ reads both as the same hyperstack. Usage: tiff_layouts DIR */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/tiff_write.h"
#include "mumloc.h"

enum { W = 7, H = 5, C = 3, T = 4 };

static int write_one(const char *dir, const char *name, tiff_layout layout, const float *pixels) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    tiff_write_options o;
    memset(&o, 0, sizeof o);
    o.width = W;
    o.height = H;
    o.channels = C;
    o.slices = 1;
    o.frames = T;
    o.pixel_um = 0.192;
    o.extra_description = "mumloc={\"test\":1}";
    o.layout = layout;
    tiff_writer *w = NULL;
    mumloc_status st = tiff_writer_open(f, path, &o, &w);
    if (st == MUMLOC_OK) st = tiff_writer_append(w, pixels, C * T);
    if (st == MUMLOC_OK) st = tiff_writer_finish(w);
    if (st == MUMLOC_OK && tiff_writer_layout(w) != layout) {
        fprintf(stderr, "%s: layout %d requested, %d written\n", path, (int)layout,
                (int)tiff_writer_layout(w));
        st = MUMLOC_ERR_INTERNAL;
    }
    tiff_writer_free(w);
    if (fclose(f) != 0 && st == MUMLOC_OK) st = MUMLOC_ERR_IO;
    if (st != MUMLOC_OK) {
        fprintf(stderr, "%s: %s: %s\n", path, mumloc_status_string(st), mumloc_last_error());
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tiff_layouts DIR\n");
        return 2;
    }
    static float pixels[C * T * W * H];
    for (int i = 0; i < C * T * W * H; i++) pixels[i] = (float)(i * 0.25 - 3.0 + sin(i) * 1e-3);
    int rc = write_one(argv[1], "multi.tif", TIFF_LAYOUT_MULTI_IFD, pixels);
    rc |= write_one(argv[1], "single.tif", TIFF_LAYOUT_SINGLE_IFD, pixels);
    printf("lastPixel=%.9g\n", (double)pixels[C * T * W * H - 1]);
    return rc;
}
