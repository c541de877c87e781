/* Rig files: save → load round trips exactly (optics, every camera field, calibration record), a
 * minimal hand-written file keeps the defaults, and bad files fail with messages naming the field
 * and camera. Also the affine inverse against a hand-computed one and the layout names. */
#include <string.h>

#include "check.h"
#include "test_io_dir.h"
#include "mumloc.h"
#include "rig/rig_internal.h"

#define RIG_TEST_PI 3.14159265358979323846

static const char *write_text(const char *name, const char *text) {
    const char *path = path_of(name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    return path;
}

/* A flipped camera turned by 0.5° and scaled by 1 %, with a shift: [s R(θ) F | t]. */
static void flipped_affine(double theta_deg, double scale, double tx, double ty, double t[6]) {
    double c = scale * cos(theta_deg * RIG_TEST_PI / 180), s = scale * sin(theta_deg * RIG_TEST_PI / 180);
    /* F = diag(−1, 1) applied first */
    t[0] = -c;
    t[1] = -s;
    t[2] = tx;
    t[3] = -s;
    t[4] = c;
    t[5] = ty;
}

static void custom_rig(mumloc_rig *rig) {
    mumloc_rig_default(rig, 4, 96, 80);
    rig->layout = MUMLOC_RIG_TILES2X2;
    rig->optics.plane_depth_nm[1] = 611.25;
    rig->optics.psf_w0_nm = 140.5;
    rig->optics.pixel_nm = 110;
    flipped_affine(0.5, 1.01, 95.5, 1.25, rig->camera[1].to_camera);
    rig->camera[1].flip_x = 1;
    double *t = rig->camera[2].to_camera; /* a quarter turn, 0.3° and 0.99 */
    double c = 0.99 * cos(0.3 * RIG_TEST_PI / 180), s = 0.99 * sin(0.3 * RIG_TEST_PI / 180);
    /* R(q = 1) = (x, y) → (−y, x), times a small rotation */
    t[0] = -s;
    t[1] = -c;
    t[2] = 79.0;
    t[3] = c;
    t[4] = -s;
    t[5] = 0.5;
    rig->camera[2].quarter_turns = 1;
    for (int d = 0; d < 4; d++) {
        rig->camera[d].offset_adu = 100 + d;
        rig->camera[d].adu_per_electron = 0.5 + 0.125 * d;
        rig->camera[d].em_gain = d == 3 ? 100 : 1;
        rig->camera[d].read_noise_e = 1.5 + d;
        rig->camera[d].residual_nm = d ? 7.25 * d : 0;
        rig->camera[d].beads = d ? 40 + d : 0;
    }
    rig->camera[3].frame_offset = -2;
    rig->z_step_nm = 50;
    rig->z_steps = 41;
    strcpy(rig->calibration, "{\"beads\":\"b.tif\",\"fit\":{\"chi2\":1.5}}");
    rig->optics.per_plane = 1;
    for (int d = 0; d < 4; d++) {
        mumloc_plane_psf psf = {130.25 + d, 300.5 - d, 1e-3 * d, 0.1 + 0.01 * d, 0.75 + 0.125 * d};
        rig->optics.plane_psf[d] = psf;
    }
}

static void test_round_trip(void) {
    mumloc_rig rig, loaded;
    custom_rig(&rig);
    CHECK_OK(mumloc_rig_validate(&rig));
    CHECK_OK(mumloc_rig_save(path_of("rig.json"), &rig));
    memset(&loaded, 0, sizeof loaded);
    CHECK_OK(mumloc_rig_load(path_of("rig.json"), &loaded));
    CHECK(loaded.version == 1 && loaded.layout == MUMLOC_RIG_TILES2X2);
    CHECK(loaded.width == 96 && loaded.height == 80);
    CHECK(memcmp(&loaded.optics, &rig.optics, sizeof rig.optics) == 0);
    for (int d = 0; d < 4; d++) CHECK(memcmp(&loaded.camera[d], &rig.camera[d], sizeof rig.camera[d]) == 0);
    CHECK(loaded.z_step_nm == 50 && loaded.z_steps == 41);
    CHECK(strcmp(loaded.calibration, rig.calibration) == 0);
    /* a second save writes the same bytes */
    CHECK_OK(mumloc_rig_save(path_of("rig2.json"), &loaded));
    char a[8192] = {0}, b[8192] = {0};
    FILE *fa = fopen(path_of("rig.json"), "rb"), *fb = fopen(path_of("rig2.json"), "rb");
    size_t na = fa ? fread(a, 1, sizeof a - 1, fa) : 0, nb = fb ? fread(b, 1, sizeof b - 1, fb) : 1;
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    CHECK(na == nb && memcmp(a, b, na) == 0);
    CHECK(strstr(a, "\"mumloc_rig\": 1") != NULL);
    CHECK(strstr(a, "\"plane_psf\"") != NULL);

    /* the papers' optics (one curve, equal shares): loads back as per_plane 0, no plane_psf written */
    custom_rig(&rig);
    mumloc_optics_default(&rig.optics);
    CHECK_OK(mumloc_rig_save(path_of("common.json"), &rig));
    CHECK_OK(mumloc_rig_load(path_of("common.json"), &loaded));
    CHECK(loaded.optics.per_plane == 0);
    CHECK(memcmp(&loaded.optics, &rig.optics, sizeof rig.optics) == 0);
}

/* The smallest file a person writes by hand: defaults fill the rest (camera model, flips 0). */
static void test_minimal_file(void) {
    mumloc_rig rig;
    CHECK_OK(mumloc_rig_load(write_text("min.json",
                                        "{\"mumloc_rig\": 1, \"width\": 64, \"height\": 32,\n"
                                        " \"optics\": {\"planes\": 2, \"plane_depth_nm\": [200, 650]},\n"
                                        " \"cameras\": [{\"to_camera\": [1,0,0,0,1,0]},\n"
                                        "  {\"to_camera\": [1,0,0.5,0,-1,31], \"flip_y\": 1}]}"),
                             &rig));
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    CHECK(rig.optics.planes == 2 && rig.optics.plane_depth_nm[1] == 650);
    CHECK(rig.layout == MUMLOC_RIG_HYPERSTACK && rig.width == 64 && rig.height == 32);
    CHECK(rig.camera[1].flip_y == 1 && rig.camera[1].to_camera[5] == 31);
    CHECK(rig.camera[1].offset_adu == camera.offset_adu && rig.camera[1].em_gain == camera.em_gain);
    CHECK(rig.camera[1].read_noise_e == camera.read_noise_e);
    CHECK(rig.calibration[0] == '\0' && rig.z_steps == 0);
    CHECK(rig.optics.per_plane == 0);
    CHECK_OK(mumloc_rig_load(write_text("min_pp.json",
                                        "{\"mumloc_rig\": 1, \"width\": 64, \"height\": 32,\n"
                                        " \"optics\": {\"planes\": 2, \"plane_depth_nm\": [200, 650],\n"
                                        "  \"plane_psf\": [{\"w0_nm\": 120, \"d_nm\": 280, \"A\": 0, \"B\": 0.1,"
                                        " \"transmission\": 1},\n  {\"w0_nm\": 140, \"d_nm\": 320, \"A\": 0.01,"
                                        " \"B\": 0.12, \"transmission\": 0.7}]},\n"
                                        " \"cameras\": [{\"to_camera\": [1,0,0,0,1,0]},\n"
                                        "  {\"to_camera\": [1,0,0.5,0,-1,31], \"flip_y\": 1}]}"),
                             &rig));
    CHECK(rig.optics.per_plane == 1 && rig.optics.plane_psf[1].w0_nm == 140);
    CHECK(rig.optics.plane_psf[1].transmission == 0.7);
}

/* load must fail with `status` and a message holding every one of the fragments. */
static void expect_failure(const char *name, const char *text, mumloc_status status,
                           const char *fragment1, const char *fragment2) {
    mumloc_rig rig;
    mumloc_rig_default(&rig, 3, 7, 7);
    mumloc_rig before = rig;
    mumloc_status s = mumloc_rig_load(write_text(name, text), &rig);
    CHECK(s == status);
    const char *message = mumloc_last_error();
    if (!strstr(message, fragment1) || (fragment2 && !strstr(message, fragment2))) {
        fprintf(stderr, "%s: message lacks '%s'/'%s': %s\n", name, fragment1,
                fragment2 ? fragment2 : "", message);
        check_failures++;
    }
    CHECK(memcmp(&rig, &before, sizeof rig) == 0); /* untouched */
}

#define HEAD "{\"mumloc_rig\": 1, \"width\": 8, \"height\": 8, \"optics\": {\"planes\": 2, " \
             "\"plane_depth_nm\": [200, 600]}, "
#define CAM1 "{\"to_camera\": [1,0,0,0,1,0]}"

static void test_bad_files(void) {
    expect_failure("unknown.json", HEAD "\"cameras\": [" CAM1 "," CAM1 "], \"colour\": 3}",
                   MUMLOC_ERR_FORMAT, "unknown field \"colour\"", "a rig file knows");
    expect_failure("unknown_cam.json", HEAD "\"cameras\": [" CAM1 ", {\"to_camera\": [1,0,0,0,1,0], "
                   "\"gain\": 2}]}", MUMLOC_ERR_FORMAT, "camera 2: unknown field \"gain\"",
                   "adu_per_electron");
    expect_failure("version.json", "{\"mumloc_rig\": 2, \"width\": 8}", MUMLOC_ERR_FORMAT,
                   "version 2", "reads version 1");
    expect_failure("optics_file.json", "{\"planes\": 4}", MUMLOC_ERR_FORMAT, "not a rig file",
                   "mumloc_rig");
    expect_failure("singular.json", HEAD "\"cameras\": [" CAM1 ", {\"to_camera\": [1,2,0,2,4,0]}]}",
                   MUMLOC_ERR_INVALID_ARGUMENT, "camera 2: to_camera", "cannot be inverted");
    expect_failure("planes.json", HEAD "\"cameras\": [" CAM1 "]}", MUMLOC_ERR_FORMAT,
                   "lists 1 cameras but \"optics\" has 2 planes", "one camera per plane");
    expect_failure("no_affine.json", HEAD "\"cameras\": [" CAM1 ", {\"flip_x\": 1}]}",
                   MUMLOC_ERR_FORMAT, "camera 2 lacks \"to_camera\"", NULL);
    expect_failure("short_affine.json", HEAD "\"cameras\": [" CAM1 ", {\"to_camera\": [1,0,0]}]}",
                   MUMLOC_ERR_FORMAT, "camera 2: \"to_camera\" must be an array of 6", NULL);
    expect_failure("reference.json", HEAD "\"cameras\": [{\"to_camera\": [1,0,3,0,1,0]}," CAM1 "]}",
                   MUMLOC_ERR_INVALID_ARGUMENT, "camera 1 is the reference", "identity");
    /* a mirrored affine whose flags say "no flip": the message names the flags that fit */
    expect_failure("flip.json", HEAD "\"cameras\": [" CAM1 ", {\"to_camera\": [-1,0,7,0,1,0]}]}",
                   MUMLOC_ERR_INVALID_ARGUMENT, "camera 2: flip_x 0, flip_y 0, quarter_turns 0 do not match",
                   "flip_x 1, flip_y 0, quarter_turns 0 describe it");
    expect_failure("gain.json", HEAD "\"cameras\": [" CAM1 ", {\"to_camera\": [1,0,0,0,1,0], "
                   "\"adu_per_electron\": 0}]}", MUMLOC_ERR_INVALID_ARGUMENT, "camera 2: gain",
                   "adu_per_electron");
    expect_failure("layout.json", HEAD "\"layout\": \"tiles3x3\", \"cameras\": [" CAM1 "," CAM1 "]}",
                   MUMLOC_ERR_FORMAT, "unknown \"layout\" \"tiles3x3\"", "tiles2x2");
    expect_failure("tiles.json", HEAD "\"layout\": \"tiles2x2\", \"cameras\": [" CAM1 "," CAM1 "]}",
                   MUMLOC_ERR_INVALID_ARGUMENT, "tiles2x2 holds 4 cameras", "2 planes");
    expect_failure("type.json", "{\"mumloc_rig\": 1, \"width\": \"eight\"}", MUMLOC_ERR_FORMAT, "\"width\" must be a whole number",
                   NULL);
    expect_failure("missing.json", "{\"mumloc_rig\": 1, \"width\": 8, \"height\": 8}", MUMLOC_ERR_FORMAT,
                   "lacks \"optics\"", NULL);
    expect_failure("calibration.json", HEAD "\"cameras\": [" CAM1 "," CAM1 "], \"calibration\": 5}",
                   MUMLOC_ERR_FORMAT, "\"calibration\" must be an object", NULL);
}

static void test_affine(void) {
    double t[6], inv[6], back[6];
    flipped_affine(0.5, 1.01, 95.5, 1.25, t);
    CHECK_OK(mumloc_rig_affine_invert(t, inv));
    /* round trip of points, and the inverse of the inverse */
    for (int k = 0; k < 4; k++) {
        double x = 3.5 + 17 * k, y = 60 - 11 * k, u, v, x2, y2;
        mumloc_rig_affine_apply(t, x, y, &u, &v);
        mumloc_rig_affine_apply(inv, u, v, &x2, &y2);
        CHECK_NEAR(x2, x, 1e-12);
        CHECK_NEAR(y2, y, 1e-12);
    }
    CHECK_OK(mumloc_rig_affine_invert(inv, back));
    for (int i = 0; i < 6; i++) CHECK_NEAR(back[i], t[i], 1e-12);
    /* by hand: u = 2x + 1, v = 4y − 8  →  x = u/2 − 1/2, y = v/4 + 2 */
    const double simple[6] = {2, 0, 1, 0, 4, -8};
    CHECK_OK(mumloc_rig_affine_invert(simple, inv));
    const double expected[6] = {0.5, 0, -0.5, 0, 0.25, 2};
    for (int i = 0; i < 6; i++) CHECK_NEAR(inv[i], expected[i], 1e-15);
    const double singular[6] = {1, 2, 0, 2, 4, 0};
    CHECK_STATUS(mumloc_rig_affine_invert(singular, inv), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_NEAR(rig_scale(t), 1.01, 1e-12);
}

static void test_layouts(void) {
    const char *names[] = {"hyperstack", "files", "tiles2x2", "tiles1x4", "tiles4x1"};
    const int grid[5][2] = {{1, 1}, {1, 1}, {2, 2}, {4, 1}, {1, 4}};
    for (int i = 0; i < 5; i++) {
        mumloc_rig_layout layout;
        CHECK(strcmp(mumloc_rig_layout_name((mumloc_rig_layout)i), names[i]) == 0);
        CHECK_OK(mumloc_rig_layout_from_name(names[i], &layout));
        CHECK(layout == (mumloc_rig_layout)i);
        int columns = 0, rows = 0;
        CHECK_OK(mumloc_rig_layout_grid(layout, &columns, &rows));
        CHECK(columns == grid[i][0] && rows == grid[i][1]);
    }
    mumloc_rig_layout layout;
    CHECK_STATUS(mumloc_rig_layout_from_name("tiles3x3", &layout), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "tiles2x2") != NULL);
    /* every flip and turn is found again from its own matrix */
    for (int fx = 0; fx < 2; fx++)
        for (int fy = 0; fy < 2; fy++)
            for (int q = 0; q < 4; q++) {
                mumloc_rig rig;
                mumloc_rig_default(&rig, 2, 16, 16);
                double m[4];
                rig_discrete_part(fx, fy, q, m);
                double *t = rig.camera[1].to_camera;
                t[0] = 1.01 * m[0];
                t[1] = 1.01 * m[1];
                t[3] = 1.01 * m[2];
                t[4] = 1.01 * m[3];
                rig.camera[1].flip_x = fx;
                rig.camera[1].flip_y = fy;
                rig.camera[1].quarter_turns = q;
                CHECK_OK(mumloc_rig_validate(&rig));
                /* D with q = 1 maps (1, 0) to (0, 1) before any flip */
                if (!fx && !fy && q == 1) CHECK(m[0] == 0 && m[2] == 1);
            }
}

int main(void) {
    test_dir_create("test_rig_file");
    test_round_trip();
    test_minimal_file();
    test_bad_files();
    test_affine();
    test_layouts();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_rig_file");
}
