/* Per-plane optics: defaults, shares, validation naming the plane, and JSON (files, embedded
 * members, movie descriptions): round trips are exact, files without "plane_psf" (every file
 * written before it) load as per_plane 0 and the papers' optics are still written as before. */
#include <string.h>

#include "check.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "io/text_buffer.h"
#include "mumloc.h"
#include "test_io_dir.h"

static const char *write_text(const char *name, const char *text) {
    const char *path = path_of(name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    return path;
}

static size_t read_text(const char *path, char *text, size_t cap) {
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(text, 1, cap - 1, f) : 0;
    if (f) fclose(f);
    text[n] = '\0';
    return n;
}

static int same_optics(const mumloc_optics *a, const mumloc_optics *b) {
    if (a->planes != b->planes || a->per_plane != b->per_plane) return 0;
    for (int d = 0; d < a->planes; d++) {
        if (a->plane_depth_nm[d] != b->plane_depth_nm[d]) return 0;
        if (a->per_plane && memcmp(&a->plane_psf[d], &b->plane_psf[d], sizeof a->plane_psf[d]) != 0)
            return 0;
    }
    return a->pixel_nm == b->pixel_nm && a->psf_amplitude == b->psf_amplitude &&
           a->psf_w0_nm == b->psf_w0_nm && a->psf_d_nm == b->psf_d_nm && a->psf_A == b->psf_A &&
           a->psf_B == b->psf_B;
}

/* Three planes whose PSFs and transmissions differ from each other and from the common values. */
static void rig_optics(mumloc_optics *o) {
    mumloc_optics_default(o);
    o->planes = 3;
    o->per_plane = 1;
    o->plane_psf[0] = (mumloc_plane_psf){128.5, 290.25, 0.01, 0.2, 1.0};
    o->plane_psf[1] = (mumloc_plane_psf){141.0 / 3.0 * 3.1, 315.0, -0.05, 0.09, 0.85};
    o->plane_psf[2] = (mumloc_plane_psf){150.0, 333.125, 0.0, 0.0, 1.3};
}

static void test_defaults_and_shares(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    CHECK(o.per_plane == 0);
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) {
        CHECK(o.plane_psf[d].w0_nm == 133.05 && o.plane_psf[d].d_nm == 302.38 &&
              o.plane_psf[d].A == 7.37e-4 && o.plane_psf[d].B == 0.1225 &&
              o.plane_psf[d].transmission == 1.0);
    }
    for (int d = 0; d < o.planes; d++) {
        mumloc_plane_psf psf = mumloc_optics_plane_psf(&o, d);
        CHECK(psf.w0_nm == o.psf_w0_nm && psf.d_nm == o.psf_d_nm && psf.A == o.psf_A &&
              psf.B == o.psf_B && psf.transmission == 1.0);
        CHECK(mumloc_optics_plane_share(&o, d) == 0.25);
        CHECK(mumloc_psf_plane_width_nm(&o, d, 350.0) == mumloc_psf_width_nm(&o, 350.0));
    }
    /* per_plane 0 ignores plane_psf entirely */
    o.plane_psf[1].w0_nm = 500;
    o.plane_psf[1].transmission = 7;
    CHECK(mumloc_optics_plane_psf(&o, 1).w0_nm == o.psf_w0_nm);
    CHECK(mumloc_optics_plane_share(&o, 1) == 0.25);

    mumloc_optics r;
    rig_optics(&r);
    CHECK_OK(mumloc_optics_validate(&r));
    double total = 1.0 + 0.85 + 1.3;
    CHECK_NEAR(mumloc_optics_plane_share(&r, 0), 1.0 / total, 1e-15);
    CHECK_NEAR(mumloc_optics_plane_share(&r, 1), 0.85 / total, 1e-15);
    CHECK_NEAR(mumloc_optics_plane_share(&r, 2), 1.3 / total, 1e-15);
    CHECK(mumloc_optics_plane_psf(&r, 2).w0_nm == 150.0);
    /* plane 3's own curve: w0·sqrt(1 + t²) with A = B = 0, t = Δz/d */
    double t = 400.0 / 333.125;
    CHECK_NEAR(mumloc_psf_plane_width_nm(&r, 2, 400.0), 150.0 * sqrt(1.0 + t * t), 1e-12);
}

static void expect_invalid(const mumloc_optics *o, const char *f1, const char *f2) {
    mumloc_status s = mumloc_optics_validate(o);
    const char *msg = mumloc_last_error();
    if (s != MUMLOC_ERR_INVALID_ARGUMENT || !strstr(msg, f1) || !strstr(msg, f2)) {
        fprintf(stderr, "validate: %s \"%s\", expected \"%s\" and \"%s\"\n",
                mumloc_status_string(s), msg, f1, f2);
        check_failures++;
    }
}

static void test_validation(void) {
    mumloc_optics o;
    rig_optics(&o);
    o.plane_psf[2].w0_nm = 0.5;
    expect_invalid(&o, "plane 3", "psf-w0");
    rig_optics(&o);
    o.plane_psf[1].transmission = 0;
    expect_invalid(&o, "plane 2", "transmission");
    rig_optics(&o);
    o.plane_psf[0].A = 1.0; /* |A| > 2 sqrt(B) */
    expect_invalid(&o, "plane 1", "psf-A");
    rig_optics(&o);
    o.plane_psf[1].d_nm = NAN;
    expect_invalid(&o, "plane 2", "psf-d");
    rig_optics(&o);
    o.per_plane = 2;
    expect_invalid(&o, "per-plane", "0 or 1");
    /* planes beyond k are not looked at; nor is plane_psf when per_plane is 0 */
    rig_optics(&o);
    o.plane_psf[5].w0_nm = -1;
    CHECK_OK(mumloc_optics_validate(&o));
    o.per_plane = 0;
    o.plane_psf[0].transmission = -3;
    CHECK_OK(mumloc_optics_validate(&o));
}

static void test_file_round_trip(void) {
    mumloc_optics r, loaded;
    rig_optics(&r);
    CHECK_OK(mumloc_optics_save(path_of("rig.json"), &r));
    mumloc_optics_default(&loaded);
    CHECK_OK(mumloc_optics_load(path_of("rig.json"), &loaded));
    CHECK(same_optics(&loaded, &r)); /* bit-exact */

    /* the file holds "plane_psf" with one object of the five documented members per plane */
    char text[8192];
    size_t n = read_text(path_of("rig.json"), text, sizeof text);
    json_value *doc = NULL;
    CHECK_OK(json_parse(text, n, "rig.json", &doc));
    const json_value *planes = doc ? json_get(doc, "plane_psf") : NULL;
    CHECK(planes && planes->type == JSON_ARRAY && planes->count == 3);
    if (planes && planes->count == 3) {
        const char *names[] = {"w0_nm", "d_nm", "A", "B", "transmission"};
        for (int d = 0; d < 3; d++) {
            CHECK(planes->items[d].count == 5);
            for (int f = 0; f < 5; f++) CHECK(json_get(&planes->items[d], names[f]) != NULL);
        }
        CHECK(json_get(&planes->items[2], "transmission")->number == 1.3);
    }
    json_free(doc);
}

/* What optics files held before per-plane optics, byte for byte: they still load (per_plane 0),
 * and the papers' optics are still written exactly so. */
static void test_old_files(void) {
    const char *old_text = "{\n"
                           "  \"planes\": 4,\n"
                           "  \"plane_depth_nm\": [200, 600, 1000, 1400],\n"
                           "  \"pixel_nm\": 192,\n"
                           "  \"psf_amplitude\": 50000000,\n"
                           "  \"psf_w0_nm\": 133.05,\n"
                           "  \"psf_d_nm\": 302.38,\n"
                           "  \"psf_A\": 0.000737,\n"
                           "  \"psf_B\": 0.1225\n"
                           "}\n";
    mumloc_optics o, defaults;
    mumloc_optics_default(&defaults);
    rig_optics(&o); /* per_plane 1 on entry: a load replaces it */
    CHECK_OK(mumloc_optics_load(write_text("old.json", old_text), &o));
    CHECK(o.per_plane == 0);
    CHECK(same_optics(&o, &defaults));

    CHECK_OK(mumloc_optics_save(path_of("default.json"), &defaults));
    char text[4096];
    read_text(path_of("default.json"), text, sizeof text);
    CHECK(strcmp(text, old_text) == 0);

    /* per_plane 1 with every plane at the common values is still per_plane 1 after a round trip */
    mumloc_optics same = defaults;
    same.per_plane = 1;
    CHECK_OK(mumloc_optics_save(path_of("same.json"), &same));
    CHECK_OK(mumloc_optics_load(path_of("same.json"), &o));
    CHECK(same_optics(&o, &same));
}

static void expect_load_error(const char *name, const char *text, mumloc_status status,
                              const char *f1, const char *f2) {
    mumloc_optics o, before;
    mumloc_optics_default(&o);
    before = o;
    mumloc_status s = mumloc_optics_load(write_text(name, text), &o);
    const char *msg = mumloc_last_error();
    if (s != status || !strstr(msg, f1) || !strstr(msg, f2) || !strstr(msg, name)) {
        fprintf(stderr, "load %s: %s \"%s\", expected %s with \"%s\", \"%s\"\n", name,
                mumloc_status_string(s), msg, mumloc_status_string(status), f1, f2);
        check_failures++;
    }
    CHECK(same_optics(&o, &before));
}

#define PLANE(w0, tr) "{\"w0_nm\": " #w0 ", \"d_nm\": 300, \"A\": 0, \"B\": 0.1, \"transmission\": " #tr "}"

static void test_file_errors(void) {
    expect_load_error("pp-count.json", "{\"planes\": 2, \"plane_psf\": [" PLANE(130, 1) "]}",
                      MUMLOC_ERR_FORMAT, "\"plane_psf\" has 1 planes", "\"planes\" is 2");
    expect_load_error("pp-type.json", "{\"plane_psf\": {\"w0_nm\": 1}}", MUMLOC_ERR_FORMAT,
                      "plane_psf", "an array");
    expect_load_error("pp-item.json", "{\"planes\": 2, \"plane_psf\": [" PLANE(130, 1) ", 3]}",
                      MUMLOC_ERR_FORMAT, "plane 2", "must be an object");
    expect_load_error("pp-lacks.json",
                      "{\"planes\": 2, \"plane_psf\": [" PLANE(130, 1)
                      ", {\"w0_nm\": 130, \"d_nm\": 300, \"A\": 0, \"B\": 0.1}]}",
                      MUMLOC_ERR_FORMAT, "plane 2", "lacks \"transmission\"");
    expect_load_error("pp-unknown.json",
                      "{\"planes\": 1, \"plane_depth_nm\": [200], \"plane_psf\": [{\"w0_nm\": 130, "
                      "\"d_nm\": 300, \"A\": 0, \"B\": 0.1, \"transmission\": 1, \"w1\": 2}]}",
                      MUMLOC_ERR_FORMAT, "unknown field \"w1\"", "plane 1");
    expect_load_error("pp-number.json",
                      "{\"planes\": 1, \"plane_depth_nm\": [200], \"plane_psf\": [{\"w0_nm\": \"130\", "
                      "\"d_nm\": 300, \"A\": 0, \"B\": 0.1, \"transmission\": 1}]}",
                      MUMLOC_ERR_FORMAT, "\"w0_nm\" of plane 1", "must be a number");
    expect_load_error("pp-range.json",
                      "{\"planes\": 2, \"plane_depth_nm\": [200, 600], \"plane_psf\": [" PLANE(130, 1)
                      ", " PLANE(130, -1) "]}",
                      MUMLOC_ERR_INVALID_ARGUMENT, "plane 2", "transmission");
}

/* The members writer inside another object (as a rig file embeds its optics), pretty and compact,
 * read back with the shared reader from the parsed object. */
static void test_embedded(void) {
    mumloc_optics r;
    rig_optics(&r);
    for (int indent = -1; indent <= 4; indent += 5) {
        text_buffer t = {0};
        text_puts(&t, "{\"mumloc_rig\": 1, \"optics\": {");
        optics_write_json_members(&t, &r, indent);
        text_puts(&t, "}, \"width\": 64}");
        CHECK_OK(text_status(&t));
        json_value *doc = NULL;
        CHECK_OK(json_parse(t.data, t.len, "embedded", &doc));
        const json_value *optics = doc ? json_get(doc, "optics") : NULL;
        CHECK(optics != NULL);
        if (optics) {
            mumloc_optics read;
            mumloc_optics_default(&read);
            CHECK_OK(optics_from_json(optics, "embedded", 1, &read));
            CHECK(same_optics(&read, &r));
            /* a complete record without plane_psf means per_plane 0, whatever was there before */
            mumloc_optics papers;
            mumloc_optics_default(&papers);
            text_buffer u = {0};
            optics_write_json(&u, &papers, 0);
            json_value *pdoc = NULL;
            CHECK_OK(json_parse(u.data, u.len, "papers", &pdoc));
            if (pdoc) CHECK_OK(optics_from_json(pdoc, "papers", 1, &read));
            CHECK(read.per_plane == 0 && same_optics(&read, &papers));
            json_free(pdoc);
            text_free(&u);
        }
        if (indent < 0) CHECK(strchr(t.data, '\n') == NULL);
        json_free(doc);
        text_free(&t);
    }
}

/* A simulated movie records its per-plane optics; mumloc_optics_from_description reads them back. */
static void test_description(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    rig_optics(&p.optics);
    p.width = p.height = 8;
    p.frames = 1;
    p.molecules = 1;
    char record[8192];
    CHECK_OK(mumloc_sim_params_to_json(&p, record, sizeof record, NULL));
    char description[8300];
    snprintf(description, sizeof description, "ImageJ=1.54f\nmumloc=%s\n", record);
    mumloc_optics read;
    mumloc_optics_default(&read);
    int found = 0;
    CHECK_OK(mumloc_optics_from_description(description, &found, &read));
    CHECK(found == 1 && same_optics(&read, &p.optics));
    mumloc_sim_params back;
    CHECK_OK(mumloc_sim_params_from_json(record, &back));
    CHECK(same_optics(&back.optics, &p.optics));
}

int main(void) {
    test_dir_create("io_optics_per_plane");
    test_defaults_and_shares();
    test_validation();
    test_file_round_trip();
    test_old_files();
    test_file_errors();
    test_embedded();
    test_description();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_optics_per_plane");
}
