/* mumloc_optics_from_description: the optics a simulated movie records come back exactly from its
 * TIFF description (and from ImageJ's Info form of the record); descriptions without a usable
 * record say "not found" and leave the optics alone. */
#include <string.h>

#include "check.h"
#include "io/tiff_read.h"
#include "mumloc.h"
#include "test_io_dir.h"

static int same_optics(const mumloc_optics *a, const mumloc_optics *b) {
    if (a->planes != b->planes) return 0;
    for (int d = 0; d < a->planes; d++)
        if (a->plane_depth_nm[d] != b->plane_depth_nm[d]) return 0;
    return a->pixel_nm == b->pixel_nm && a->psf_amplitude == b->psf_amplitude &&
           a->psf_w0_nm == b->psf_w0_nm && a->psf_d_nm == b->psf_d_nm && a->psf_A == b->psf_A &&
           a->psf_B == b->psf_B;
}

/* Other optics than the defaults: 3 planes, 160 nm pixels, a wider PSF. */
static void other_params(mumloc_sim_params *p) {
    mumloc_sim_params_default(p);
    p->optics.planes = 3;
    p->optics.plane_depth_nm[0] = 250;
    p->optics.plane_depth_nm[1] = 700.5;
    p->optics.plane_depth_nm[2] = 1150.25;
    p->optics.pixel_nm = 160;
    p->optics.psf_w0_nm = 140.125;
    p->width = 12;
    p->height = 10;
    p->frames = 2;
    p->molecules = 2;
}

static void test_movie_file(void) {
    mumloc_sim_params p;
    other_params(&p);
    const char *movie = path_of("other optics.tif");
    CHECK_OK(mumloc_simulate_to_files(&p, movie, NULL, NULL, NULL, NULL));
    tiff_reader *reader = NULL;
    CHECK_OK(tiff_reader_open(movie, &reader));
    if (!reader) return;
    mumloc_optics read;
    mumloc_optics_default(&read);
    int found = -1;
    CHECK_OK(mumloc_optics_from_description(tiff_reader_description(reader), &found, &read));
    CHECK(found == 1);
    CHECK(same_optics(&read, &p.optics)); /* bit-exact: the record's numbers round-trip */
    tiff_reader_close(reader);
}

static void test_info_forms(void) {
    mumloc_sim_params p;
    other_params(&p);
    char json[4096];
    CHECK_OK(mumloc_sim_params_to_json(&p, json, sizeof json, NULL));
    char text[4200];
    mumloc_optics read;
    int found = 0;

    /* ImageJ's Info text: the record alone, without a final newline, or among other lines (CRLF). */
    snprintf(text, sizeof text, "mumloc=%s", json);
    mumloc_optics_default(&read);
    CHECK_OK(mumloc_optics_from_description(text, &found, &read));
    CHECK(found == 1 && same_optics(&read, &p.optics));
    snprintf(text, sizeof text, "Title: x\r\nmumloc=%s\r\nother=1\r\n", json);
    mumloc_optics_default(&read);
    CHECK_OK(mumloc_optics_from_description(text, &found, &read));
    CHECK(found == 1 && same_optics(&read, &p.optics));
    CHECK(read.pixel_nm == 160);
}

static void test_not_found(void) {
    mumloc_optics untouched, read;
    memset(&untouched, 0x5a, sizeof untouched);
    const char *descriptions[] = {
        "",
        "ImageJ=1.53t\nimages=8\nchannels=4\n",                     /* a foreign movie */
        "ImageJ=1.53t\nmumloc={not json\n",                          /* a broken record */
        "mumloc={\"seed\":1,\"frames\":3}",                          /* a record without optics */
        "mumloc={\"optics\":{\"planes\":4,\"pixel_nm\":160}}",       /* optics missing fields */
        "mumloc={\"optics\":{\"planes\":0,\"plane_depth_nm\":[],\"pixel_nm\":160,"
        "\"psf_amplitude\":1,\"psf_w0_nm\":1,\"psf_d_nm\":1,\"psf_A\":0,\"psf_B\":0}}", /* invalid */
        "mumloc=[1,2]",                                              /* not an object */
        "xmumloc={\"optics\":{}}",                                   /* another key */
    };
    for (size_t i = 0; i < sizeof descriptions / sizeof descriptions[0]; i++) {
        read = untouched;
        int found = -1;
        CHECK_OK(mumloc_optics_from_description(descriptions[i], &found, &read));
        if (found != 0) fprintf(stderr, "description %zu: found = %d\n", i, found);
        CHECK(found == 0);
        CHECK(memcmp(&read, &untouched, sizeof read) == 0);
    }
    int found = -1;
    CHECK_OK(mumloc_optics_from_description(NULL, &found, &read));
    CHECK(found == 0);
    CHECK_STATUS(mumloc_optics_from_description("", NULL, &read), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_optics_from_description("", &found, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
}

int main(void) {
    test_dir_create("io_description_optics");
    test_movie_file();
    test_info_forms();
    test_not_found();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_description_optics");
}
