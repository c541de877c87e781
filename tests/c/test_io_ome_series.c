/* OME-TIFF series over several files, as Micro-Manager writes them (name_MMStack_Pos0.ome.tif,
 * _1, _2; OME-XML in the first file's first IFD beside an ImageJ description, an ImageJ description
 * in the others): read as one movie in mumloc's image order (channel fastest, then slice, then
 * frame) for two dimension orders and both TiffData styles (one per plane, one per file); a missing
 * part is an error naming it; an XML that does not cover the planes falls back to the first file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/tiff_read.h"
#include "mumloc.h"

enum { W = 3, H = 2, C = 2, Z = 1, T = 6, PLANES = C * Z * T, PARTS = 3, PER_PART = PLANES / PARTS };

/* The pixel every plane holds, from its channel, slice and frame alone. */
static unsigned pixel_value(int c, int z, int t, int p) { return (unsigned)(1000 * t + 100 * c + 10 * z + p); }

static const char *part_name(int k) {
    static char names[PARTS][64];
    if (k == 0) snprintf(names[k], sizeof names[k], "cells_MMStack_Pos0.ome.tif");
    else snprintf(names[k], sizeof names[k], "cells_MMStack_Pos0_%d.ome.tif", k);
    return names[k];
}

static void put(FILE *f, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; i++) fputc((int)(v >> (8 * i)) & 0xFF, f);
}
static void entry(FILE *f, uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    put(f, tag, 2), put(f, type, 2), put(f, count, 4), put(f, value, 4);
}

/* A little-endian classic TIFF of n W x H 16-bit images (pixels back to back after the header,
 * then the descriptions, then one IFD per image); the first IFD carries the descriptions given. */
static void write_part(const char *path, const uint16_t *pixels, int n, const char *first_text,
                       const char *second_text) {
    FILE *f = fopen(path, "wb");
    if (!f) return;
    uint32_t image_bytes = W * H * 2, data = 8;
    uint32_t text1 = data + (uint32_t)n * image_bytes;
    uint32_t len1 = first_text ? (uint32_t)strlen(first_text) + 1 : 0;
    uint32_t text2 = text1 + len1, len2 = second_text ? (uint32_t)strlen(second_text) + 1 : 0;
    uint32_t ifd = (text2 + len2 + 1) & ~1u;
    put(f, 'I' | 'I' << 8, 2), put(f, 42, 2), put(f, ifd, 4);
    for (int i = 0; i < n * W * H; i++) put(f, pixels[i], 2);
    if (len1) fwrite(first_text, 1, len1, f);
    if (len2) fwrite(second_text, 1, len2, f);
    if ((text2 + len2) & 1) fputc(0, f);
    for (int i = 0; i < n; i++) {
        uint32_t entries = 8 + (i == 0 && len1) + (i == 0 && len2);
        put(f, entries, 2);
        entry(f, 256, 3, 1, W);
        entry(f, 257, 3, 1, H);
        entry(f, 258, 3, 1, 16);
        entry(f, 259, 3, 1, 1);
        if (i == 0 && len1) entry(f, 270, 2, len1, text1);
        if (i == 0 && len2) entry(f, 270, 2, len2, text2);
        entry(f, 273, 4, 1, data + (uint32_t)i * image_bytes);
        entry(f, 277, 3, 1, 1);
        entry(f, 278, 3, 1, H);
        entry(f, 279, 4, 1, image_bytes);
        ifd += 2 + 12 * entries + 4;
        put(f, i + 1 < n ? ifd : 0, 4);
    }
    fclose(f);
}

static void append(char *xml, size_t cap, const char *text) {
    strncat(xml, text, cap - strlen(xml) - 1);
}

/* Writes the series in dimension order `order` (after "XY", fastest first); per_plane: one TiffData
 * per plane (Micro-Manager's style), else one per file with PlaneCount. sizeT_claimed is the SizeT
 * the XML states. */
static void write_series(const char *order, int per_plane, int size_t_claimed) {
    static char xml[65536];
    char line[512];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OME xmlns=\"http://www.openmicroscopy.org/"
             "Schemas/OME/2016-06\"><!-- <Pixels SizeX=\"9\"> in a comment --><Image ID=\"Image:0\" "
             "Name=\"cells &amp; beads\"><ome:Pixels BigEndian=\"false\" DimensionOrder=\"XY%s\" "
             "ID=\"Pixels:0\" SizeC=\"%d\" SizeT=\"%d\" SizeX=\"%d\" SizeY=\"%d\" SizeZ=\"%d\" "
             "Type=\"uint16\">",
             order, C, size_t_claimed, W, H, Z);
    int sizes[128] = {0};
    sizes['C'] = C, sizes['Z'] = Z, sizes['T'] = T;
    uint16_t pixels[PARTS][PER_PART * W * H];
    int at[128] = {0};
    for (int plane = 0; plane < PLANES; plane++) { /* the planes in the dimension order */
        int part = plane / PER_PART, ifd = plane % PER_PART;
        for (int p = 0; p < W * H; p++)
            pixels[part][ifd * W * H + p] = (uint16_t)pixel_value(at['C'], at['Z'], at['T'], p);
        if (per_plane || ifd == 0) {
            snprintf(line, sizeof line,
                     "<TiffData FirstC=\"%d\" FirstT=\"%d\" FirstZ=\"%d\" IFD=\"%d\" PlaneCount=\"%d\">"
                     "<UUID FileName=\"%s\">urn:uuid:%d</UUID></TiffData>",
                     at['C'], at['T'], at['Z'], ifd, per_plane ? 1 : PER_PART, part_name(part), part);
            append(xml, sizeof xml, line);
        }
        for (int a = 0; a < 3; a++) { /* odometer: the first letter turns fastest */
            if (++at[(int)order[a]] < sizes[(int)order[a]]) break;
            at[(int)order[a]] = 0;
        }
    }
    append(xml, sizeof xml, "</ome:Pixels></Image><Image ID=\"Image:1\"><Pixels DimensionOrder=\"XYCZT\" "
                            "SizeC=\"1\" SizeT=\"1\" SizeX=\"1\" SizeY=\"1\" SizeZ=\"1\"/></Image></OME>");
    char imagej[128];
    snprintf(imagej, sizeof imagej, "ImageJ=1.53t\nimages=%d\nchannels=%d\nframes=%d\n", PER_PART, C,
             PER_PART / C);
    for (int k = 0; k < PARTS; k++)
        write_part(path_of(part_name(k)), pixels[k], PER_PART, k == 0 ? xml : imagej,
                   k == 0 ? imagej : NULL);
}

static void check_movie(const char *what) {
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of(part_name(0)), &r));
    if (!r) return;
    const tiff_info *in = tiff_reader_info(r);
    if (in->images != PLANES || in->channels != C || in->slices != Z || in->frames != T) {
        fprintf(stderr, "%s: %lld images as %d x %d x %d, expected %d as %d x %d x %d\n", what,
                (long long)in->images, in->channels, in->slices, in->frames, PLANES, C, Z, T);
        check_failures++;
    }
    CHECK(in->width == W && in->height == H && in->bits_per_sample == 16);
    CHECK(strncmp(tiff_reader_description(r), "<?xml", 5) == 0); /* the OME-XML kept */
    float image[W * H];
    for (int i = PLANES - 1; i >= 0 && in->images == PLANES; i--) { /* any order, across files */
        int c = i % C, t = i / C;
        CHECK_OK(tiff_reader_read(r, i, image));
        for (int p = 0; p < W * H; p++)
            if (image[p] != (float)pixel_value(c, 0, t, p)) {
                fprintf(stderr, "%s: image %d pixel %d is %g, expected %u (c %d, t %d)\n", what, i, p,
                        image[p], pixel_value(c, 0, t, p), c, t);
                check_failures++;
            }
    }
    tiff_reader_close(r);
}

static void test_series(void) {
    write_series("CZT", 1, T); /* Micro-Manager's usual order and style */
    check_movie("XYCZT, a TiffData per plane");
    write_series("TZC", 0, T);
    check_movie("XYTZC, a TiffData per file");
}

static void test_missing_part(void) {
    write_series("CZT", 1, T);
    remove(path_of(part_name(2)));
    tiff_reader *r = NULL;
    CHECK_STATUS(tiff_reader_open(path_of(part_name(0)), &r), MUMLOC_ERR_IO);
    const char *m = mumloc_last_error();
    CHECK(strstr(m, "'cells_MMStack_Pos0_2.ome.tif' listed by the OME-XML") && strstr(m, "missing next to"));
    CHECK(r == NULL);
}

/* An XML claiming more frames than its TiffData place (one more; or 2e9, more than the files could
 * hold, refused before its plane table is allocated): the first file is read alone. */
static void test_inconsistent_xml(void) {
    const int claimed[] = {T + 1, 2000000000};
    for (int k = 0; k < 2; k++) {
        write_series("CZT", 1, claimed[k]);
        tiff_reader *r = NULL;
        CHECK_OK(tiff_reader_open(path_of(part_name(0)), &r));
        if (!r) return;
        const tiff_info *in = tiff_reader_info(r);
        CHECK(in->images == PER_PART);
        float image[W * H];
        CHECK_OK(tiff_reader_read(r, PER_PART - 1, image));
        CHECK(image[1] == (float)pixel_value(1, 0, 1, 1)); /* plane 3 in CZT order: c 1, t 1 */
        tiff_reader_close(r);
    }
}

/* One file whose XML (no UUID: the file itself) places 12 planes in its 4 IFDs: read alone. */
static void test_planes_past_the_file(void) {
    char xml[512];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?><OME><Image><Pixels DimensionOrder=\"XYCZT\" SizeC=\"%d\" "
             "SizeT=\"%d\" SizeX=\"%d\" SizeY=\"%d\" SizeZ=\"%d\"><TiffData/></Pixels></Image></OME>",
             C, T, W, H, Z);
    uint16_t pixels[PER_PART * W * H] = {0};
    write_part(path_of("alone.ome.tif"), pixels, PER_PART, xml, NULL);
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("alone.ome.tif"), &r));
    CHECK(r && tiff_reader_info(r)->images == PER_PART);
    tiff_reader_close(r);
}

int main(void) {
    test_dir_create("io_ome_series");
    test_series();
    test_inconsistent_xml();
    test_planes_past_the_file();
    test_missing_part();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_ome_series");
}
