/* The simulation record read back (mumloc_sim_params_from_json): every field survives a round trip
 * (the largest seed too), records from before molecules_min read as a fixed count, and bad records
 * give precise errors without touching the output. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

static void to_json(const mumloc_sim_params *p, char *buf, size_t cap) {
    CHECK_OK(mumloc_sim_params_to_json(p, buf, cap, NULL));
}

/* Replaces the first `from` in text by `to` (the test's records are small). */
static void replace(char *text, const char *from, const char *to) {
    char *at = strstr(text, from);
    CHECK(at != NULL);
    if (!at) return;
    size_t n = strlen(from), m = strlen(to);
    memmove(at + m, at + n, strlen(at + n) + 1);
    memcpy(at, to, m);
}

static void expect_error(const char *json, mumloc_status status, const char *fragment) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.frames = 4242; /* untouched on failure */
    CHECK_STATUS(mumloc_sim_params_from_json(json, &p), status);
    CHECK(p.frames == 4242);
    if (!strstr(mumloc_last_error(), fragment)) {
        fprintf(stderr, "message '%s' lacks '%s'\n", mumloc_last_error(), fragment);
        check_failures++;
    }
}

int main(void) {
    /* Every field away from its default. */
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.optics.planes = 3;
    p.optics.plane_depth_nm[0] = 100.0;
    p.optics.plane_depth_nm[1] = 450.5;
    p.optics.plane_depth_nm[2] = 900.0;
    p.optics.pixel_nm = 160.0;
    p.optics.psf_w0_nm = 0.1 + 140.0;
    p.camera.background_photons = 12.5;
    p.camera.read_noise_e = 1.5;
    p.camera.em_gain = 200.0;
    p.camera.adu_per_electron = 0.25;
    p.camera.offset_adu = 100.0;
    p.noise = MUMLOC_NOISE_NONE;
    p.sample = MUMLOC_SAMPLE_HELIX;
    p.width = 40;
    p.height = 30;
    p.frames = 1234567;
    p.seed = 18446744073709551615ull;
    p.molecules = 50;
    p.molecules_min = 5;
    p.density_per_um2 = 0.0;
    p.weight_min = 0.1;
    p.weight_max = 0.7;
    p.z_min_nm = -200.0;
    p.z_max_nm = 1300.0;
    p.drift_max_nm = 30.0;
    p.drift_step_nm = 0.0;
    p.filaments = 7;

    char json[4096], again[4096];
    to_json(&p, json, sizeof json);
    CHECK(strstr(json, "\"molecules_min\":5") != NULL);
    mumloc_sim_params r;
    CHECK_OK(mumloc_sim_params_from_json(json, &r));
    CHECK(r.optics.planes == 3 && r.optics.plane_depth_nm[1] == 450.5);
    CHECK(r.optics.pixel_nm == 160.0 && r.optics.psf_w0_nm == 0.1 + 140.0);
    CHECK(r.camera.background_photons == 12.5 && r.camera.read_noise_e == 1.5);
    CHECK(r.camera.em_gain == 200.0 && r.camera.adu_per_electron == 0.25);
    CHECK(r.camera.offset_adu == 100.0);
    CHECK(r.noise == MUMLOC_NOISE_NONE && r.sample == MUMLOC_SAMPLE_HELIX);
    CHECK(r.width == 40 && r.height == 30 && r.frames == 1234567);
    CHECK(r.seed == 18446744073709551615ull);
    CHECK(r.molecules == 50 && r.molecules_min == 5 && r.density_per_um2 == 0.0);
    CHECK(r.weight_min == 0.1 && r.weight_max == 0.7);
    CHECK(r.z_min_nm == -200.0 && r.z_max_nm == 1300.0);
    CHECK(r.drift_max_nm == 30.0 && r.drift_step_nm == 0.0 && r.filaments == 7);
    to_json(&r, again, sizeof again);
    CHECK(strcmp(json, again) == 0);

    /* A record written before molecules_min existed: a fixed count. The other sample and noise
     * words, a density, and keys spread over several lines read too. */
    replace(json, ",\"molecules_min\":5", "");
    CHECK(strstr(json, "molecules_min") == NULL);
    CHECK_OK(mumloc_sim_params_from_json(json, &r));
    CHECK(r.molecules_min == 0 && r.molecules == 50 && r.seed == 18446744073709551615ull);
    CHECK_OK(mumloc_sim_params_from_json(
        "{\"sample\":\"filaments\",\n \"noise\":\"physical\",\n \"seed\":\n 9007199254740993,"
        "\"density_per_um2\":0.25}", &r));
    CHECK(r.sample == MUMLOC_SAMPLE_FILAMENTS && r.noise == MUMLOC_NOISE_PHYSICAL);
    CHECK(r.seed == 9007199254740993ull); /* 2^53 + 1: beyond a double */
    CHECK(r.density_per_um2 == 0.25 && r.molecules == 10 && r.width == 64); /* defaults */

    /* An empty record is the defaults. */
    mumloc_sim_params d;
    mumloc_sim_params_default(&d);
    CHECK_OK(mumloc_sim_params_from_json("{\"mumloc_version\":\"0.0.0\",\"later_key\":[1]}", &r));
    to_json(&d, json, sizeof json);
    to_json(&r, again, sizeof again);
    CHECK(strcmp(json, again) == 0);

    /* Bad records. */
    expect_error("{\"molecules\":", MUMLOC_ERR_FORMAT, "simulation record");
    expect_error("[1,2]", MUMLOC_ERR_FORMAT, "must be an object");
    expect_error("{\"molecules\":\"many\"}", MUMLOC_ERR_FORMAT, "\"molecules\" must be a whole number");
    expect_error("{\"molecules_min\":2.5}", MUMLOC_ERR_FORMAT, "\"molecules_min\" must be a whole");
    expect_error("{\"weight_min\":null}", MUMLOC_ERR_FORMAT, "\"weight_min\" must be a number");
    expect_error("{\"noise\":\"loud\"}", MUMLOC_ERR_FORMAT, "\"noise\" must be \"physical\" or");
    expect_error("{\"seed\":-1}", MUMLOC_ERR_FORMAT, "\"seed\" must be a whole number from 0");
    expect_error("{\"seed\":18446744073709551616}", MUMLOC_ERR_FORMAT, "\"seed\"");
    expect_error("{\"camera\":{\"em_gain\":\"x\"}}", MUMLOC_ERR_FORMAT, "\"em_gain\" must be");
    expect_error("{\"optics\":{\"lens\":1}}", MUMLOC_ERR_FORMAT, "unknown field \"lens\"");
    expect_error("{\"molecules\":5,\"molecules_min\":6}", MUMLOC_ERR_INVALID_ARGUMENT,
                 "molecules-min");
    expect_error("{\"molecules\":1e12}", MUMLOC_ERR_INVALID_ARGUMENT, "molecules must be between");
    CHECK_STATUS(mumloc_sim_params_from_json(NULL, &r), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_sim_params_from_json("{}", NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    return CHECK_DONE("test_sim_params_json");
}
