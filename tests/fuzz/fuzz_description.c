/* Fuzzes movie descriptions: the recorded optics (mumloc_optics_from_description, the "mumloc={...}"
 * line) and ImageJ's keys (images=, channels=, slices=, frames=, unit=, hyperstack=) as the TIFF
 * reader reads them from the first IFD of a small valid movie wrapped around the input.
 * Invariants and round trips:
 *   - recorded optics that read write a record that reads back to the same optics text;
 *   - nothing found leaves the optics untouched;
 *   - the reader returns the description verbatim, channels · slices · frames is the image count,
 *     and every image it announces can be read. */
#include "fuzz_common.h"
#include "optics/optics_json.h"
#include "io/text_buffer.h"
#include "io/tiff_read.h"
#include "tiff_build.h"

enum { WRAPPER_IMAGES = 16 }; /* 1 x 1 float images back to back: room for images=2..16 */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    fuzz_init_library();
    return 0;
}

static void compact_optics(const mumloc_optics *optics, text_buffer *out) {
    optics_write_json(out, optics, 0);
    FUZZ_ASSERT(text_status(out) == MUMLOC_OK, "writing optics failed");
}

static void recorded_optics(const char *description) {
    mumloc_optics optics, untouched;
    mumloc_optics_default(&optics);
    optics.pixel_nm = 123.25; /* not a default: "untouched" must mean untouched */
    untouched = optics;
    int found = -1;
    FUZZ_ASSERT(mumloc_optics_from_description(description, &found, &optics) == MUMLOC_OK,
                "reading a description failed");
    if (!found) {
        FUZZ_ASSERT(memcmp(&optics, &untouched, sizeof optics) == 0, "nothing found but optics changed");
        return;
    }
    FUZZ_ASSERT(found == 1, "found is %d", found);
    text_buffer first = {0}, record = {0}, second = {0};
    compact_optics(&optics, &first);
    text_printf(&record, "ImageJ=1.53t\nimages=1\nmumloc={\"optics\":%s}\n", first.data);
    FUZZ_ASSERT(text_status(&record) == MUMLOC_OK, "out of memory");
    mumloc_optics again;
    mumloc_optics_default(&again);
    FUZZ_ASSERT(mumloc_optics_from_description(record.data, &found, &again) == MUMLOC_OK && found,
                "a written record is not found: %s", record.data);
    compact_optics(&again, &second);
    FUZZ_ASSERT(strcmp(first.data, second.data) == 0, "optics record -> read -> write changed\n  %s\n  into\n  %s",
                first.data, second.data);
    text_free(&first);
    text_free(&record);
    text_free(&second);
}

static void wrapped_in_a_movie(const char *description) {
    tiff_spec spec = {0};
    spec.width = spec.height = 1;
    spec.bits = 32;
    spec.sample_format = 3;
    spec.images = WRAPPER_IMAGES;
    spec.one_ifd = 1;
    spec.description = description;
    tiff_bytes file = tiff_build(&spec);
    const char *path = fuzz_path(0, "description.tif");
    fuzz_write_file(path, file.data, file.len);
    size_t size = file.len;
    free(file.data);
    tiff_reader *r = NULL;
    if (tiff_reader_open(path, &r) != MUMLOC_OK) return; /* e.g. images= past the data */
    const tiff_info *info = tiff_reader_info(r);
    FUZZ_ASSERT(strcmp(tiff_reader_description(r), description) == 0,
                "the description did not come back verbatim");
    /* ImageJ's rule reads images=N back to back from the first strip: the IFD after the pixels
     * counts as image data too, but nothing past the end of the file */
    FUZZ_ASSERT(info->images >= 1 && info->images <= (int64_t)(size / sizeof(float)),
                "%lld images of 4 bytes in %zu bytes", (long long)info->images, size);
    FUZZ_ASSERT((int64_t)info->channels * info->slices * info->frames == info->images,
                "channels %d x slices %d x frames %d is not the %lld images", info->channels,
                info->slices, info->frames, (long long)info->images);
    for (int64_t i = 0; i < info->images; i++) {
        float pixel = 0;
        FUZZ_ASSERT(tiff_reader_read(r, i, &pixel) == MUMLOC_OK, "image %lld of %lld unreadable",
                    (long long)i, (long long)info->images);
    }
    tiff_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *description = fuzz_string(data, size);
    recorded_optics(description);
    wrapped_in_a_movie(description);
    free(description);
    return 0;
}
