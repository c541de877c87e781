/* Parameter defaults, validation (every bad field is rejected with a message that starts with its
 * CLI option name) and the one-line JSON record. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

/* The call fails with INVALID_ARGUMENT and the message starts with "<option> ". */
static void expect_bad(const mumloc_sim_params *p, const char *option, int line) {
    mumloc_status s = mumloc_sim_params_validate(p);
    const char *msg = mumloc_last_error();
    size_t n = strlen(option);
    if (s != MUMLOC_ERR_INVALID_ARGUMENT || strncmp(msg, option, n) != 0 || msg[n] != ' ') {
        fprintf(stderr, "line %d: expected a rejection naming '%s', got %s: '%s'\n", line, option,
                mumloc_status_string(s), msg);
        check_failures++;
    }
    /* The simulator refuses the same parameters with the same message. */
    mumloc_simulator *sim = (mumloc_simulator *)1;
    CHECK_STATUS(mumloc_simulator_create(p, &sim), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(sim == NULL);
    CHECK(strncmp(mumloc_last_error(), option, n) == 0);
}

#define BAD(field, value, option)                                                                  \
    do {                                                                                           \
        mumloc_sim_params p_ = base;                                                               \
        p_.field = value;                                                                          \
        expect_bad(&p_, option, __LINE__);                                                         \
    } while (0)

int main(void) {
    mumloc_sim_params base;
    mumloc_sim_params_default(&base);

    /* Documented defaults (science.md §2–3 and mumloc.h). */
    CHECK(base.optics.planes == 4);
    for (int d = 0; d < 4; d++) CHECK(base.optics.plane_depth_nm[d] == 200.0 + 400.0 * d);
    CHECK(base.optics.pixel_nm == 192.0);
    CHECK(base.optics.psf_amplitude == 5e7);
    CHECK(base.optics.psf_w0_nm == 133.05);
    CHECK(base.optics.psf_d_nm == 302.38);
    CHECK(base.optics.psf_A == 7.37e-4);
    CHECK(base.optics.psf_B == 0.1225);
    CHECK(base.camera.background_photons == 10.0);
    CHECK(base.camera.read_noise_e == 3.0);
    CHECK(base.camera.em_gain == 1.0);
    CHECK(base.camera.adu_per_electron == 1.0);
    CHECK(base.camera.offset_adu == 0.0);
    CHECK(base.noise == MUMLOC_NOISE_PHYSICAL && base.sample == MUMLOC_SAMPLE_UNIFORM);
    CHECK(base.width == 64 && base.height == 64 && base.frames == 100 && base.seed == 1);
    CHECK(base.molecules == 10 && base.density_per_um2 == 0.0 && base.molecules_min == 0);
    CHECK(base.weight_min == 0.3 && base.weight_max == 1.0);
    CHECK(base.z_min_nm == 0.0 && base.z_max_nm == 1600.0);
    CHECK(base.drift_max_nm == 48.0 && base.drift_step_nm == 24.0 && base.filaments == 5);
    CHECK_OK(mumloc_sim_params_validate(&base));
    CHECK_OK(mumloc_optics_validate(&base.optics));
    CHECK_OK(mumloc_camera_validate(&base.camera));

    /* Every field, out of range or NaN. */
    BAD(frames, 0, "frames");
    BAD(frames, 2000000000LL, "frames");
    BAD(width, 0, "size");
    BAD(width, 16385, "size");
    BAD(height, -4, "size");
    BAD(molecules, -3, "molecules");
    BAD(molecules, 100001, "molecules");
    BAD(molecules_min, -1, "molecules-min");
    BAD(molecules_min, 11, "molecules-min"); /* above molecules */
    BAD(density_per_um2, -0.5, "density");
    BAD(density_per_um2, NAN, "density");
    BAD(density_per_um2, 1e6, "density");
    BAD(noise, (mumloc_noise)7, "noise");
    BAD(sample, (mumloc_sample)3, "sample");
    BAD(drift_max_nm, -1.0, "drift");
    BAD(drift_max_nm, 1e9, "drift");
    BAD(drift_step_nm, -24.0, "drift-step");
    BAD(drift_step_nm, NAN, "drift-step");
    BAD(filaments, 0, "filaments");
    BAD(filaments, 1000, "filaments");
    BAD(weight_min, -0.1, "weight-min");
    BAD(weight_max, NAN, "weight-max");
    BAD(z_min_nm, NAN, "z-min");
    BAD(z_min_nm, 2000.0, "z-min"); /* above z_max */
    BAD(z_max_nm, INFINITY, "z-max");
    BAD(camera.background_photons, -1.0, "background");
    BAD(camera.background_photons, NAN, "background");
    BAD(camera.read_noise_e, -3.0, "read-noise");
    BAD(camera.em_gain, 0.5, "em-gain");
    BAD(camera.adu_per_electron, 0.0, "gain");
    BAD(camera.adu_per_electron, -2.0, "gain");
    BAD(camera.offset_adu, NAN, "offset");
    BAD(optics.planes, 0, "planes");
    BAD(optics.planes, MUMLOC_MAX_PLANES + 1, "planes");
    BAD(optics.plane_depth_nm[2], 500.0, "plane-depth"); /* not increasing */
    BAD(optics.plane_depth_nm[0], NAN, "plane-depth");
    BAD(optics.pixel_nm, 0.0, "pixel");
    BAD(optics.pixel_nm, NAN, "pixel");
    BAD(optics.psf_amplitude, 0.0, "psf-amplitude");
    BAD(optics.psf_amplitude, -5e7, "psf-amplitude");
    BAD(optics.psf_w0_nm, 0.0, "psf-w0");
    BAD(optics.psf_d_nm, -302.0, "psf-d");
    BAD(optics.psf_A, 1.0, "psf-A"); /* |A| > 2 sqrt(B) = 0.7 would make w² negative somewhere */
    BAD(optics.psf_A, NAN, "psf-A");
    BAD(optics.psf_B, -0.1, "psf-B");
    {
        mumloc_sim_params p = base;
        p.weight_max = 0.8;
        p.weight_min = 0.9;
        expect_bad(&p, "weight-min", __LINE__);
    }
    /* The message says the accepted range and the value given. */
    {
        mumloc_sim_params p = base;
        p.molecules = -3;
        mumloc_sim_params_validate(&p);
        CHECK(strcmp(mumloc_last_error(), "molecules must be between 0 and 100000 (got -3)") == 0);
    }

    /* Edge values that are valid: no drift with the default step, equal z bounds and weights, one
     * plane, density mode, EM gain. */
    {
        mumloc_sim_params p = base;
        p.drift_max_nm = 0.0;
        p.z_min_nm = p.z_max_nm = 700.0;
        p.weight_min = p.weight_max = 0.5;
        p.optics.planes = 1;
        p.density_per_um2 = 0.2;
        p.camera.em_gain = 300.0;
        p.molecules = 0;
        CHECK_OK(mumloc_sim_params_validate(&p));
    }
    /* Optics and camera validate on their own too (optics files, camera setup). */
    {
        mumloc_optics o = base.optics;
        o.psf_B = 0.0;
        o.psf_A = 0.01;
        CHECK_STATUS(mumloc_optics_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strncmp(mumloc_last_error(), "psf-A ", 6) == 0);
        o = base.optics;
        o.planes = 2;
        o.plane_depth_nm[2] = -1e300; /* beyond `planes`: ignored */
        CHECK_OK(mumloc_optics_validate(&o));
        mumloc_camera c = base.camera;
        c.em_gain = NAN;
        CHECK_STATUS(mumloc_camera_validate(&c), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strncmp(mumloc_last_error(), "em-gain ", 8) == 0);
    }
    CHECK_STATUS(mumloc_sim_params_validate(NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_optics_validate(NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_camera_validate(NULL), MUMLOC_ERR_INVALID_ARGUMENT);

    /* JSON: one line, no backslash, every parameter, the version, words for the enums. */
    {
        mumloc_sim_params p = base;
        p.seed = 18446744073709551615ull;
        p.sample = MUMLOC_SAMPLE_FILAMENTS;
        p.noise = MUMLOC_NOISE_NONE;
        p.optics.psf_w0_nm = 0.1 + 133.0;
        size_t needed = 0;
        CHECK_STATUS(mumloc_sim_params_to_json(&p, NULL, 0, &needed), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(needed > 100);
        char small[16];
        CHECK_STATUS(mumloc_sim_params_to_json(&p, small, sizeof small, NULL),
                     MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(small[0] == '\0');
        char json[4096];
        CHECK_OK(mumloc_sim_params_to_json(&p, json, needed, NULL));
        CHECK(strlen(json) + 1 == needed);
        CHECK(!strchr(json, '\\') && !strchr(json, '\n'));
        CHECK(json[0] == '{' && json[strlen(json) - 1] == '}');
        char version[64];
        snprintf(version, sizeof version, "\"mumloc_version\":\"%s\"", mumloc_version());
        CHECK(strstr(json, version) != NULL);
        const char *keys[] = {"\"planes\":4", "\"plane_depth_nm\":[200,600,1000,1400]",
                              "\"pixel_nm\":192", "\"psf_amplitude\":50000000",
                              "\"psf_w0_nm\":133.1", "\"psf_d_nm\":302.38", "\"psf_A\":0.000737",
                              "\"psf_B\":0.1225", "\"background_photons\":10", "\"read_noise_e\":3",
                              "\"em_gain\":1", "\"adu_per_electron\":1", "\"offset_adu\":0",
                              "\"noise\":\"none\"", "\"sample\":\"filaments\"", "\"width\":64",
                              "\"height\":64", "\"frames\":100", "\"seed\":18446744073709551615",
                              "\"molecules\":10", "\"density_per_um2\":0", "\"weight_min\":0.3",
                              "\"weight_max\":1", "\"z_min_nm\":0", "\"z_max_nm\":1600",
                              "\"drift_max_nm\":48", "\"drift_step_nm\":24", "\"filaments\":5",
                              "\"molecules_min\":0"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!strstr(json, keys[i])) {
                fprintf(stderr, "json lacks %s: %s\n", keys[i], json);
                check_failures++;
            }
        /* Invalid parameters give no JSON. */
        p.molecules = -1;
        CHECK_STATUS(mumloc_sim_params_to_json(&p, json, sizeof json, NULL),
                     MUMLOC_ERR_INVALID_ARGUMENT);
    }
    return CHECK_DONE("test_sim_params");
}
