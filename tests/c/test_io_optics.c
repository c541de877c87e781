/* Optics files: save → load round trips exactly, partial files keep defaults, and every kind of bad
 * file fails with a message naming the field and line. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/json.h"
#include "mumloc.h"

static const char *write_text(const char *name, const char *text) {
    const char *path = path_of(name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    return path;
}

static int same_optics(const mumloc_optics *a, const mumloc_optics *b) {
    if (a->planes != b->planes) return 0;
    for (int d = 0; d < a->planes; d++)
        if (a->plane_depth_nm[d] != b->plane_depth_nm[d]) return 0;
    return a->pixel_nm == b->pixel_nm && a->psf_amplitude == b->psf_amplitude &&
           a->psf_w0_nm == b->psf_w0_nm && a->psf_d_nm == b->psf_d_nm && a->psf_A == b->psf_A &&
           a->psf_B == b->psf_B;
}

static void test_round_trip(void) {
    mumloc_optics defaults, loaded;
    mumloc_optics_default(&defaults);
    CHECK_OK(mumloc_optics_save(path_of("default.json"), &defaults));
    memset(&loaded, 0, sizeof loaded);
    CHECK_OK(mumloc_optics_load(path_of("default.json"), &loaded));
    CHECK(same_optics(&loaded, &defaults));

    mumloc_optics custom = defaults;
    custom.planes = 3;
    custom.plane_depth_nm[0] = 100;
    custom.plane_depth_nm[1] = 550.5;
    custom.plane_depth_nm[2] = 1000.125;
    custom.pixel_nm = 160.0 / 3.0;
    custom.psf_amplitude = 4.25e7;
    custom.psf_A = 1e-5;
    custom.psf_B = 0.2;
    CHECK_OK(mumloc_optics_save(path_of("custom.json"), &custom));
    CHECK_OK(mumloc_optics_load(path_of("custom.json"), &loaded));
    CHECK(same_optics(&loaded, &custom)); /* bit-exact: numbers written in round-trip form */

    /* the file is a JSON object with exactly the documented field names */
    FILE *f = fopen(path_of("custom.json"), "rb");
    char text[2048];
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f) fclose(f);
    text[n] = '\0';
    json_value *doc = NULL;
    CHECK_OK(json_parse(text, n, "custom.json", &doc));
    if (doc) {
        const char *names[] = {"planes", "plane_depth_nm", "pixel_nm", "psf_amplitude",
                               "psf_w0_nm", "psf_d_nm", "psf_A", "psf_B"};
        CHECK(doc->count == 8);
        for (int i = 0; i < 8; i++) CHECK(json_get(doc, names[i]) != NULL);
        const json_value *depths = json_get(doc, "plane_depth_nm");
        CHECK(depths && depths->count == 3);
        CHECK(json_get(doc, "planes")->number == 3);
    }
    json_free(doc);
}

static void test_partial_files(void) {
    mumloc_optics defaults, o;
    mumloc_optics_default(&defaults);

    CHECK_OK(mumloc_optics_load(write_text("pixel.json", "{\"pixel_nm\": 100}"), &o));
    mumloc_optics expected = defaults;
    expected.pixel_nm = 100;
    CHECK(same_optics(&o, &expected));

    CHECK_OK(mumloc_optics_load(write_text("empty.json", " { } \n"), &o));
    CHECK(same_optics(&o, &defaults));

    CHECK_OK(mumloc_optics_load(write_text("depths.json", "{\"plane_depth_nm\": [100, 500]}"), &o));
    CHECK(o.planes == 2 && o.plane_depth_nm[0] == 100 && o.plane_depth_nm[1] == 500);

    CHECK_OK(mumloc_optics_load(write_text("planes.json", "{\"planes\": 3}"), &o));
    CHECK(o.planes == 3 && o.plane_depth_nm[0] == 200 && o.plane_depth_nm[1] == 600 &&
          o.plane_depth_nm[2] == 1000);
}

static void expect_load_error(const char *name, const char *text, mumloc_status status,
                              const char *fragment) {
    mumloc_optics o, before;
    mumloc_optics_default(&o);
    o.pixel_nm = 123; /* must survive a failed load */
    before = o;
    const char *path = write_text(name, text);
    mumloc_status s = mumloc_optics_load(path, &o);
    const char *msg = mumloc_last_error();
    if (s != status || !strstr(msg, fragment) || !strstr(msg, name)) {
        fprintf(stderr, "load %s: %s \"%s\", expected %s with \"%s\"\n", name,
                mumloc_status_string(s), msg, mumloc_status_string(status), fragment);
        check_failures++;
    }
    CHECK(same_optics(&o, &before));
}

static void test_errors(void) {
    expect_load_error("unknown.json", "{\n  \"pixel_nm\": 100,\n  \"pixel_size\": 100\n}",
                      MUMLOC_ERR_FORMAT, "line 3: unknown field \"pixel_size\"");
    expect_load_error("type.json", "{\"pixel_nm\": \"192\"}", MUMLOC_ERR_FORMAT,
                      "\"pixel_nm\" must be a number, not a string");
    expect_load_error("planes-type.json", "{\"planes\": 2.5}", MUMLOC_ERR_FORMAT,
                      "\"planes\" must be a whole number");
    expect_load_error("depth-type.json", "{\"plane_depth_nm\": [1, null]}", MUMLOC_ERR_FORMAT,
                      "\"plane_depth_nm\" must be an array of numbers, not null");
    expect_load_error("count.json", "{\"planes\": 3, \"plane_depth_nm\": [100, 500]}",
                      MUMLOC_ERR_FORMAT, "\"plane_depth_nm\" has 2 values but \"planes\" is 3");
    expect_load_error("array.json", "[1, 2]", MUMLOC_ERR_FORMAT, "must hold a JSON object");
    expect_load_error("syntax.json", "{\n\"pixel_nm\": 100,\n}", MUMLOC_ERR_FORMAT,
                      "line 3, column 1: expected a member name");
    expect_load_error("range.json", "{\"pixel_nm\": -5}", MUMLOC_ERR_INVALID_ARGUMENT, "pixel");
    expect_load_error("order.json", "{\"plane_depth_nm\": [500, 100]}", MUMLOC_ERR_INVALID_ARGUMENT,
                      "increase");

    mumloc_optics o;
    CHECK_STATUS(mumloc_optics_load(path_of("does-not-exist.json"), &o), MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "does-not-exist.json") != NULL);

    /* saving invalid optics, or into a missing folder, fails and leaves no file */
    mumloc_optics bad;
    mumloc_optics_default(&bad);
    bad.pixel_nm = 0;
    CHECK_STATUS(mumloc_optics_save(path_of("bad-save.json"), &bad), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(access(path_of("bad-save.json"), F_OK) != 0);
    mumloc_optics_default(&o);
    CHECK_STATUS(mumloc_optics_save(path_of("no-such-folder/o.json"), &o), MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "no-such-folder") != NULL);
}

int main(void) {
    test_dir_create("io_optics");
    test_round_trip();
    test_partial_files();
    test_errors();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_optics");
}
