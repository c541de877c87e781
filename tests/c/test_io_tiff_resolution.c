/* The pixel size a movie carries (X/YResolution, pixels per µm as a rational): it reads back within
 * the 9 significant digits the writer keeps, and a movie read and written again has the same bytes
 * (fuzz_tiff found 1.2494109186 µm written as 10^9/1249410919, read back and rewritten as
 * 25000000/31235273). */
#include <math.h>

#include "check.h"
#include "io/tiff_read.h"
#include "io/tiff_write.h"
#include "test_files.h"
#include "test_io_dir.h"

static void write_one(const char *path, double pixel_um) {
    const float pixel = 1.5f;
    tiff_write_options o = {1, 1, 1, 1, 1, pixel_um, NULL, TIFF_LAYOUT_MULTI_IFD,
                                   TIFF_FORMAT_AUTO, 32};
    FILE *f = fopen(path, "wb");
    tiff_writer *w = NULL;
    CHECK(f != NULL);
    CHECK_OK(tiff_writer_open(f, path, &o, &w));
    if (w) CHECK_OK(tiff_writer_append(w, &pixel, 1));
    if (w) CHECK_OK(tiff_writer_finish(w));
    tiff_writer_free(w);
    if (f) fclose(f);
}

static double read_pixel_um(const char *path) {
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path, &r));
    double pixel_um = r ? tiff_reader_info(r)->pixel_um : NAN;
    tiff_reader_close(r);
    return pixel_um;
}

int main(void) {
    test_dir_create("io_tiff_resolution");
    /* a decimal pixel size is exact: 0.192 µm is 125/24 pixels per µm */
    write_one(path_of("exact.tif"), 0.192);
    CHECK(read_pixel_um(path_of("exact.tif")) == 1.0 / (125.0 / 24.0));

    const double sizes[] = {0.192, 0.1067, 1.2494109186, 1.249410919, 0.123456789123, 1.0 / 3.0, 0.0999999999987,
                            0.99999999996, 12.5, 6.02214076, 0.00123456789, 7e-10, 987654321.5};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const double p = sizes[i];
        write_one(path_of("first.tif"), p);
        double back = read_pixel_um(path_of("first.tif"));
        /* 9 significant digits, or 1e-9 µm below 0.01 µm */
        CHECK_NEAR(back, p, p >= 0.01 ? 5e-9 * p : 5e-10 + 1e-15);
        write_one(path_of("second.tif"), back);
        CHECK(same_file(path_of("first.tif"), path_of("second.tif")));
        if (!same_file(path_of("first.tif"), path_of("second.tif")))
            fprintf(stderr, "  pixel %.17g um read back as %.17g rewrites differently\n", p, back);
    }
    test_dir_remove(check_failures);
    CHECK_DONE("io_tiff_resolution");
}
