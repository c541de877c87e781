/* The public model handle: creation for both architectures, file round trip (byte-identical),
 * metadata validation on load, the optics check, info, and that forward normalises its input. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "model/model_handle.h"
#include "mumloc.h"
#include "nn/model_file.h"
#include "test_files.h"
#include "test_io_dir.h"

static void write_bytes(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void test_create_and_round_trip(void) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    /* the published parameter counts (science.md §4) */
    const struct { mumloc_arch arch; int64_t params; int channels, scale; } cases[] = {
        {MUMLOC_ARCH_REGRESSION, 206704, 16, 1}, {MUMLOC_ARCH_VOXEL, 265632, 32, 8}};
    for (int c = 0; c < 2; c++) {
        mumloc_model *m = NULL;
        CHECK_OK(mumloc_model_create(cases[c].arch, &optics, NULL, 1.0, 7, &m));
        if (!m) continue;
        CHECK(mumloc_model_arch(m) == cases[c].arch);
        CHECK(mumloc_model_parameter_count(m) == cases[c].params);
        int ch, w, h;
        mumloc_model_output_size(m, 12, 10, &ch, &w, &h);
        CHECK(ch == cases[c].channels && w == 12 * cases[c].scale && h == 10 * cases[c].scale);
        CHECK_NEAR(mumloc_model_threshold(m), cases[c].arch == MUMLOC_ARCH_VOXEL ? 0.1 : 0.5, 0);
        /* normalisation: background λ = 10 and the in-focus peak a'/(2π w0²) of weight 1 */
        CHECK_NEAR(atof(mumloc_model_metadata(m, "input_background_photons")), 10.0, 0);
        CHECK_NEAR(atof(mumloc_model_metadata(m, "input_scale_photons")),
                   5.0e7 / (2 * 3.14159265358979 * 133.05 * 133.05), 1e-4);
        const char *vs = mumloc_model_metadata(m, "voxel_size_nm");
        CHECK(vs && strcmp(vs, cases[c].arch == MUMLOC_ARCH_VOXEL ? "[24,24,50]" : "[192,192,400]") == 0);
        const char *a = path_of("a.safetensors"), *b = path_of("b.safetensors");
        CHECK_OK(mumloc_model_save(m, a));
        mumloc_model *loaded = NULL;
        CHECK_OK(mumloc_model_load(a, &loaded));
        if (loaded) {
            CHECK(mumloc_model_parameter_count(loaded) == cases[c].params);
            CHECK_OK(mumloc_model_save(loaded, b));
            CHECK(same_file(a, b));
            const char *text = mumloc_model_info_text(loaded);
            char expect[64];
            snprintf(expect, sizeof expect, "parameter_count: %lld\n", (long long)cases[c].params);
            CHECK(strstr(text, expect) != NULL);
            CHECK(strstr(text, "optics: {\"planes\":4,") != NULL);
            const char *json = mumloc_model_info_json(loaded);
            CHECK(json[0] == '{' && strstr(json, "\"optics\":{\"planes\":4") != NULL);
            CHECK(strstr(json, "\"architecture\":\"") != NULL);
        }
        mumloc_model_destroy(loaded);
        mumloc_model_destroy(m);
    }
}

static void test_optics_check(void) {
    mumloc_optics optics, other;
    mumloc_optics_default(&optics);
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &optics, NULL, 1.0, 1, &m));
    if (!m) return;
    CHECK_OK(mumloc_model_check_optics(m, &optics));
    other = optics;
    other.pixel_nm = 160;
    other.psf_w0_nm = 150;
    CHECK_STATUS(mumloc_model_check_optics(m, &other), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "pixel_nm 192 (model) vs 160") != NULL);
    CHECK(strstr(mumloc_last_error(), "psf_w0_nm 133.05 (model) vs 150") != NULL);
    mumloc_model_destroy(m);
}

/* A loaded model rejects files whose metadata does not describe a usable model. */
static void test_load_errors(void) {
    mumloc_model *m = NULL;
    CHECK_STATUS(mumloc_model_load(path_of("missing.safetensors"), &m), MUMLOC_ERR_IO);
    write_bytes(path_of("short.safetensors"), "\x10\0\0", 3);
    CHECK_STATUS(mumloc_model_load(path_of("short.safetensors"), &m), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "truncated") != NULL);
    /* an engine model file without the handle's metadata (no optics): refused, naming the key */
    nn_backend *be = NULL;
    CHECK_OK(nn_backend_cpu_create(&be));
    nn_model_config cfg;
    nn_model_config_default(&cfg, NN_ARCH_REGRESSION);
    nn_model *nn = NULL;
    CHECK_OK(nn_model_create(be, &cfg, &nn));
    if (nn) CHECK_OK(nn_model_save(nn, path_of("bare.safetensors"), 0));
    nn_model_destroy(nn);
    nn_backend_destroy(be);
    CHECK_STATUS(mumloc_model_load(path_of("bare.safetensors"), &m), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "'optics'") != NULL);
    CHECK(m == NULL);
}

/* forward(photons) equals the engine's forward of (photons − λ) / scale. */
static void test_forward_normalises(void) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    camera.background_photons = 25;
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &optics, &camera, 0.5, 3, &m));
    if (!m) return;
    const int w = 8, h = 6, n = 2, values = n * 4 * w * h, outs = n * 16 * w * h;
    float *photons = malloc(values * sizeof *photons), *scaled = malloc(values * sizeof *scaled);
    float *out = malloc(outs * sizeof *out), *ref = malloc(outs * sizeof *ref);
    const double scale = 0.5 * 5.0e7 / (2 * 3.14159265358979 * 133.05 * 133.05);
    for (int i = 0; i < values; i++) {
        photons[i] = (float)(25 + 40 * sin(0.37 * i) + (i % 11 == 0 ? 200 : 0));
        scaled[i] = (float)((photons[i] - 25.0) / scale);
    }
    CHECK_OK(mumloc_model_forward(m, photons, n, w, h, out));
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(m->nn, n, h, w, &x));
    CHECK_OK(m->be->upload(m->be, x, scaled));
    CHECK_OK(nn_model_forward(m->nn, x, NN_MODE_EVAL, &y));
    CHECK_OK(m->be->download(m->be, y, ref));
    double worst = 0;
    for (int i = 0; i < outs; i++) worst = fmax(worst, fabs(out[i] - ref[i]));
    CHECK(worst < 1e-4);
    free(photons);
    free(scaled);
    free(out);
    free(ref);
    mumloc_model_destroy(m);
}

static void test_arch_names(void) {
    mumloc_arch a;
    CHECK_OK(mumloc_arch_from_name("voxel", &a));
    CHECK(a == MUMLOC_ARCH_VOXEL);
    CHECK_STATUS(mumloc_arch_from_name("unet", &a), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "regression or voxel") != NULL);
    CHECK(mumloc_arch_name(5) == NULL);
}

int main(void) {
    mumloc_set_threads(1);
    test_dir_create("test_train_model");
    test_create_and_round_trip();
    test_optics_check();
    test_load_errors();
    test_forward_normalises();
    test_arch_names();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_train_model");
}
