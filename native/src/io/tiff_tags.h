/* TIFF 6.0 and BigTIFF constants shared by the TIFF writer and reader, and byte-order helpers. */
#ifndef IO_TIFF_TAGS_H
#define IO_TIFF_TAGS_H

#include <stdint.h>

enum {
    TIFF_TAG_NEW_SUBFILE_TYPE = 254,
    TIFF_TAG_IMAGE_WIDTH = 256,
    TIFF_TAG_IMAGE_LENGTH = 257,
    TIFF_TAG_BITS_PER_SAMPLE = 258,
    TIFF_TAG_COMPRESSION = 259,
    TIFF_TAG_PHOTOMETRIC = 262,
    TIFF_TAG_IMAGE_DESCRIPTION = 270,
    TIFF_TAG_STRIP_OFFSETS = 273,
    TIFF_TAG_SAMPLES_PER_PIXEL = 277,
    TIFF_TAG_ROWS_PER_STRIP = 278,
    TIFF_TAG_STRIP_BYTE_COUNTS = 279,
    TIFF_TAG_X_RESOLUTION = 282,
    TIFF_TAG_Y_RESOLUTION = 283,
    TIFF_TAG_PLANAR_CONFIGURATION = 284,
    TIFF_TAG_RESOLUTION_UNIT = 296,
    TIFF_TAG_PREDICTOR = 317,
    TIFF_TAG_TILE_WIDTH = 322,
    TIFF_TAG_SAMPLE_FORMAT = 339
};

enum { TIFF_BYTE = 1, TIFF_ASCII = 2, TIFF_SHORT = 3, TIFF_LONG = 4, TIFF_RATIONAL = 5,
       TIFF_SBYTE = 6, TIFF_UNDEFINED = 7, TIFF_SSHORT = 8, TIFF_SLONG = 9, TIFF_SRATIONAL = 10,
       TIFF_FLOAT = 11, TIFF_DOUBLE = 12, TIFF_IFD = 13,
       /* BigTIFF's 64-bit types */
       TIFF_LONG8 = 16, TIFF_SLONG8 = 17, TIFF_IFD8 = 18 };

enum { TIFF_CLASSIC_VERSION = 42, TIFF_BIG_VERSION = 43 };

enum { TIFF_SAMPLE_UINT = 1, TIFF_SAMPLE_INT = 2, TIFF_SAMPLE_FLOAT = 3 };

static inline void tiff_put16le(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static inline void tiff_put32le(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint32_t tiff_get16(const unsigned char *p, int big_endian) {
    return big_endian ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}
static inline uint32_t tiff_get32(const unsigned char *p, int big_endian) {
    return big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                      : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static inline void tiff_put64le(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint64_t tiff_get64(const unsigned char *p, int big_endian) {
    uint64_t first = tiff_get32(p, big_endian), second = tiff_get32(p + 4, big_endian);
    return big_endian ? first << 32 | second : second << 32 | first;
}
static inline int tiff_host_is_big_endian(void) {
    const uint16_t probe = 1;
    return *(const unsigned char *)&probe == 0;
}

#endif
