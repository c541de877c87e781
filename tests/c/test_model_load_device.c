/* Models made or loaded straight onto their device (mumloc_model_load_on_device, model_create_on):
 * on the CPU they are the models mumloc_model_load and mumloc_model_create make, bit for bit (same
 * outputs, same file when saved, same digest), with the device's sentence as mumloc_model_set_device
 * gives it; without a GPU, auto lands on the CPU with the probe's reason and an explicit CUDA fails
 * naming it, leaving nothing behind. With a GPU, a model loaded onto it computes exactly as one loaded
 * on the CPU and then moved there (skipped here, with a message, where there is none). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gpu_parity.h"
#include "model/model_handle.h"
#include "test_files.h"

static const mumloc_device CPU = {MUMLOC_DEVICE_CPU, 0}, AUTO = {MUMLOC_DEVICE_AUTO, 0},
                           CUDA0 = {MUMLOC_DEVICE_CUDA, 0};
enum { W = 16, H = 12, N = 2 };

static float *forward(mumloc_model *m, const float *photons, int64_t *count) {
    int c, ow, oh;
    mumloc_model_output_size(m, W, H, &c, &ow, &oh);
    *count = (int64_t)N * c * ow * oh;
    float *out = calloc((size_t)*count, sizeof *out);
    CHECK_OK(mumloc_model_forward(m, photons, N, W, H, out));
    return out;
}

static void same_output(const char *what, mumloc_model *m, const float *photons,
                        const float *expected) {
    int64_t count = 0;
    float *out = forward(m, photons, &count);
    if (memcmp(out, expected, (size_t)count * sizeof *out) != 0) {
        fprintf(stderr, "%s: outputs differ\n", what);
        check_failures++;
    }
    free(out);
}

static void saved_alike(const char *what, mumloc_model *a, mumloc_model *b, const char *dir) {
    char pa[256], pb[256];
    snprintf(pa, sizeof pa, "%s/a.safetensors", dir);
    snprintf(pb, sizeof pb, "%s/b.safetensors", dir);
    CHECK_OK(mumloc_model_save(a, pa));
    CHECK_OK(mumloc_model_save(b, pb));
    if (!same_file(pa, pb)) {
        fprintf(stderr, "%s: saved files differ\n", what);
        check_failures++;
    }
    remove(pa);
    remove(pb);
}

int main(void) {
    CHECK_OK(mumloc_set_threads(1));
    const device_cuda_probe *probe = device_cuda_probe_cached();
    char dir[] = "/tmp/test_model_load_device.XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    mumloc_optics optics;
    mumloc_optics_default(&optics);

    /* made on a device: the same model as made on the CPU */
    mumloc_model *made = NULL, *made_on = NULL;
    mumloc_device_choice c;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &optics, NULL, 1.0, 3, &made));
    CHECK_OK(model_create_on(MUMLOC_ARCH_REGRESSION, &optics, NULL, 1.0, 3, &CPU, &c, &made_on));
    if (!made || !made_on) return 1;
    CHECK(c.device.kind == MUMLOC_DEVICE_CPU && strcmp(c.reason, "CPU: requested") == 0);
    mumloc_model_device(made_on, &c);
    CHECK(strcmp(c.reason, "CPU: requested") == 0);
    saved_alike("created on the CPU", made, made_on, dir);
    CHECK_OK(mumloc_model_save(made, path));
    mumloc_model_destroy(made_on);

    const int64_t xc = (int64_t)N * optics.planes * H * W;
    float *photons = malloc((size_t)xc * sizeof *photons);
    gpu_random(photons, xc, 5, 0, 20);
    mumloc_model *loaded = NULL;
    CHECK_OK(mumloc_model_load(path, &loaded));
    if (!loaded) return 1;
    int64_t count = 0;
    float *expected = forward(loaded, photons, &count);

    /* NULL device: mumloc_model_load itself */
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_load_on_device(path, NULL, &c, &m));
    CHECK(m && c.device.kind == MUMLOC_DEVICE_CPU && strcmp(c.reason, "CPU: where models start") == 0);
    if (m) {
        same_output("load, no device", m, photons, expected);
        CHECK(strcmp(mumloc_model_sha256(m), mumloc_model_sha256(loaded)) == 0);
        mumloc_model_destroy(m);
    }

    /* cpu: the loaded model, saying it was requested */
    m = NULL;
    CHECK_OK(mumloc_model_load_on_device(path, &CPU, &c, &m));
    CHECK(m && c.device.kind == MUMLOC_DEVICE_CPU && strcmp(c.reason, "CPU: requested") == 0);
    if (m) {
        mumloc_device_choice now;
        mumloc_model_device(m, &now);
        CHECK(strcmp(now.reason, "CPU: requested") == 0);
        same_output("load on cpu", m, photons, expected);
        saved_alike("loaded on the CPU", loaded, m, dir);
        CHECK(strcmp(mumloc_model_sha256(m), mumloc_model_sha256(loaded)) == 0 &&
              strlen(mumloc_model_sha256(m)) == 64);
        mumloc_model_destroy(m);
    }

    /* a bad file fails as mumloc_model_load does, with nothing left */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/missing.safetensors", dir);
    m = (mumloc_model *)1;
    CHECK(mumloc_model_load_on_device(missing, &CPU, &c, &m) != MUMLOC_OK && m == NULL);
    CHECK(strstr(mumloc_last_error(), "missing.safetensors") != NULL);

    if (probe->count < 1) {
        m = NULL;
        CHECK_OK(mumloc_model_load_on_device(path, &AUTO, &c, &m));
        CHECK(m && c.device.kind == MUMLOC_DEVICE_CPU && strstr(c.reason, probe->reason));
        if (m) same_output("load on auto (the CPU)", m, photons, expected);
        mumloc_model_destroy(m);
        m = (mumloc_model *)1;
        CHECK_STATUS(mumloc_model_load_on_device(path, &CUDA0, &c, &m), MUMLOC_ERR_UNSUPPORTED);
        CHECK(m == NULL && strstr(mumloc_last_error(), probe->reason));
        CHECK(c.device.kind == MUMLOC_DEVICE_CPU && strstr(c.reason, probe->reason));
        printf("test_model_load_device: skipped the GPU half: no CUDA device: %s\n", probe->reason);
    } else {
        /* loaded onto the GPU = loaded on the CPU and moved there, bit for bit */
        mumloc_model *moved = NULL;
        CHECK_OK(mumloc_model_load(path, &moved));
        CHECK_OK(mumloc_model_set_device(moved, &CUDA0, NULL));
        m = NULL;
        CHECK_OK(mumloc_model_load_on_device(path, &CUDA0, &c, &m));
        CHECK(m && c.device.kind == MUMLOC_DEVICE_CUDA);
        if (m && moved) {
            int64_t n = 0;
            float *want = forward(moved, photons, &n);
            same_output("load on cuda vs moved", m, photons, want);
            /* fp32, sums in cuDNN's order */
            gpu_compare("load on cuda vs the CPU", want, expected, n, 1e-3, 1e-4);
            free(want);
            saved_alike("loaded on cuda", moved, m, dir);
        }
        mumloc_model_destroy(m);
        mumloc_model_destroy(moved);
    }

    free(expected);
    free(photons);
    mumloc_model_destroy(loaded);
    mumloc_model_destroy(made);
    remove(path);
    rmdir(dir);
    return CHECK_DONE("test_model_load_device");
}
