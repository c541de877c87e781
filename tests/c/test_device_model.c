/* A model's device (mumloc_model_set_device) without a GPU: cpu and auto (→ CPU) move nothing and
 * keep the outputs bit-identical; auto reports the probe's reason; an explicit CUDA fails with
 * MUMLOC_ERR_UNSUPPORTED naming it and leaves the model as it was. The move itself (weights, BN
 * statistics, Adam's state, metadata) is checked by moving a partly trained model to a second CPU
 * backend: it must then train on and save exactly as the unmoved twin. Also the device fields of
 * the train and localize options. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gpu_parity.h"
#include "model/model_handle.h"
#include "nn/model_file.h"

static const mumloc_device CPU = {MUMLOC_DEVICE_CPU, 0}, CUDA0 = {MUMLOC_DEVICE_CUDA, 0};

static float *forward(mumloc_model *m, const float *photons, int n, int w, int h, int64_t *count) {
    int c, ow, oh;
    mumloc_model_output_size(m, w, h, &c, &ow, &oh);
    *count = (int64_t)n * c * ow * oh;
    float *out = calloc((size_t)*count, sizeof *out);
    CHECK_OK(mumloc_model_forward(m, photons, n, w, h, out));
    return out;
}

static void same_output(const char *what, mumloc_model *m, const float *photons, int n, int w,
                        int h, const float *expected) {
    int64_t count = 0;
    float *out = forward(m, photons, n, w, h, &count);
    if (memcmp(out, expected, (size_t)count * sizeof *out) != 0) {
        fprintf(stderr, "%s: outputs differ\n", what);
        check_failures++;
    }
    free(out);
}

/* `count` Adam steps on one fixed batch (x: n × k × h × w, targets made up). */
static void train_steps(mumloc_model *m, const float *x, int n, int h, int w, int count) {
    nn_backend *be = m->be;
    nn_tensor *in = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(m->nn, n, h, w, &in));
    CHECK_OK(be->upload(be, in, x));
    nn_shape os = nn_model_output_shape(m->nn, (nn_shape){n, m->nn->cfg.planes, h, w});
    float *t = calloc((size_t)nn_shape_count(os), sizeof *t);
    for (int64_t i = 0; i < nn_shape_count(os); i++) t[i] = (i * 13) % 31 == 0 ? 1.0f : 0.0f;
    nn_tensor *target = gpu_tensor(be, os, t);
    const nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
    double loss;
    for (int s = 0; s < count; s++) {
        CHECK_OK(nn_model_forward(m->nn, in, NN_MODE_TRAIN, &y));
        CHECK_OK(nn_model_loss(m->nn, target, &loss));
        CHECK_OK(nn_model_backward(m->nn, in, NULL));
        CHECK_OK(nn_model_adam_step(m->nn, &hp));
    }
    be->tensor_destroy(be, target);
    free(t);
}

static unsigned char *read_all(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    rewind(f);
    unsigned char *data = malloc((size_t)*size);
    if (data && fread(data, 1, (size_t)*size, f) != (size_t)*size) *size = -1;
    fclose(f);
    return data;
}

/* Two equal models, one moved to a fresh CPU backend after 2 steps: after 2 more steps each, the
 * same outputs and the same file (Adam's state included). */
static void move_keeps_state(mumloc_arch arch, int w, int h) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *a = NULL, *b = NULL;
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 7, &a));
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 7, &b));
    if (!a || !b) return;
    const int n = 2;
    const int64_t xc = (int64_t)n * optics.planes * h * w;
    float *x = malloc((size_t)xc * sizeof *x);
    gpu_random(x, xc, 99, 0, 5);
    train_steps(a, x, n, h, w, 2);
    train_steps(b, x, n, h, w, 2);
    nn_backend *second = NULL;
    CHECK_OK(nn_backend_cpu_create(&second));
    mumloc_device_choice c = {.device = CPU};
    snprintf(c.reason, sizeof c.reason, "CPU: test");
    const nn_backend *before = b->be;
    CHECK_OK(model_move(b, second, &c));
    CHECK(b->be == second && b->be != before);
    mumloc_device_choice now;
    mumloc_model_device(b, &now);
    CHECK(strcmp(now.reason, "CPU: test") == 0);
    CHECK(b->nn->adam_steps == 2);
    train_steps(a, x, n, h, w, 2);
    train_steps(b, x, n, h, w, 2);
    int64_t count = 0;
    float *expected = forward(a, x, n, w, h, &count);
    same_output(arch == MUMLOC_ARCH_VOXEL ? "voxel moved" : "regression moved", b, x, n, w, h,
                expected);
    char pa[64], pb[64];
    snprintf(pa, sizeof pa, "/tmp/test_device_model_%d_a.safetensors", (int)getpid());
    snprintf(pb, sizeof pb, "/tmp/test_device_model_%d_b.safetensors", (int)getpid());
    CHECK_OK(mumloc_model_save(a, pa));
    CHECK_OK(mumloc_model_save(b, pb));
    long sa = 0, sb = 0;
    unsigned char *da = read_all(pa, &sa), *db = read_all(pb, &sb);
    CHECK(da && db && sa > 0 && sa == sb && memcmp(da, db, (size_t)sa) == 0);
    free(da);
    free(db);
    remove(pa);
    remove(pb);
    free(expected);
    free(x);
    mumloc_model_destroy(a);
    mumloc_model_destroy(b);
}

int main(void) {
    CHECK_OK(mumloc_set_threads(1));
    const device_cuda_probe *probe = device_cuda_probe_cached();
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &optics, NULL, 1.0, 3, &m));
    if (!m) return 1;
    const int w = 16, h = 12, n = 2;
    const int64_t xc = (int64_t)n * optics.planes * h * w;
    float *photons = malloc((size_t)xc * sizeof *photons);
    gpu_random(photons, xc, 5, 0, 20);
    int64_t count = 0;
    float *expected = forward(m, photons, n, w, h, &count);
    const nn_backend *be = m->be;

    mumloc_device_choice c;
    mumloc_model_device(m, &c);
    CHECK(c.device.kind == MUMLOC_DEVICE_CPU);

    /* cpu: nothing moves */
    CHECK_OK(mumloc_model_set_device(m, &CPU, &c));
    CHECK(c.device.kind == MUMLOC_DEVICE_CPU && strcmp(c.reason, "CPU: requested") == 0);
    CHECK(m->be == be);
    same_output("cpu", m, photons, n, w, h, expected);

    if (probe->count < 1) {
        /* auto: the CPU, with the probe's reason */
        CHECK_OK(mumloc_model_set_device(m, NULL, &c));
        CHECK(c.device.kind == MUMLOC_DEVICE_CPU);
        CHECK(strstr(c.reason, "no CUDA device") && strstr(c.reason, probe->reason));
        CHECK(m->be == be);
        mumloc_device_choice now;
        mumloc_model_device(m, &now);
        CHECK(strcmp(now.reason, c.reason) == 0);
        same_output("auto", m, photons, n, w, h, expected);

        /* explicit cuda: refused with the reason; the model stays */
        CHECK_STATUS(mumloc_model_set_device(m, &CUDA0, &c), MUMLOC_ERR_UNSUPPORTED);
        CHECK(strstr(mumloc_last_error(), probe->reason) != NULL);
        CHECK(c.device.kind == MUMLOC_DEVICE_CPU && strstr(c.reason, probe->reason));
        CHECK(m->be == be);
        same_output("after refused cuda", m, photons, n, w, h, expected);

        /* a localizer asked for cuda fails the same way */
        mumloc_localize_options lo;
        mumloc_localize_options_default(&lo);
        lo.device = CUDA0;
        mumloc_localizer *l = NULL;
        CHECK_STATUS(mumloc_localizer_create(m, &lo, w, h, &l), MUMLOC_ERR_UNSUPPORTED);
        CHECK(l == NULL && strstr(mumloc_last_error(), probe->reason));
    } else {
        printf("test_device_model: a CUDA device exists (%s); fallback checks skipped\n",
               probe->reason);
    }
    CHECK_STATUS(mumloc_model_set_device(NULL, &CPU, &c), MUMLOC_ERR_INVALID_ARGUMENT);

    /* options: default auto; the kinds are checked */
    mumloc_localize_options lo;
    mumloc_localize_options_default(&lo);
    CHECK(lo.device.kind == MUMLOC_DEVICE_AUTO);
    lo.device = CUDA0;
    CHECK_OK(mumloc_localize_options_validate(&lo));
    lo.device.index = -1;
    CHECK_STATUS(mumloc_localize_options_validate(&lo), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_train_options to;
    mumloc_train_options_default(&to, MUMLOC_ARCH_REGRESSION);
    CHECK(to.device.kind == MUMLOC_DEVICE_AUTO);
    to.out_path = "unused.safetensors";
    CHECK_OK(mumloc_train_options_validate(&to));
    to.device.kind = (mumloc_device_kind)7;
    CHECK_STATUS(mumloc_train_options_validate(&to), MUMLOC_ERR_INVALID_ARGUMENT);

    move_keeps_state(MUMLOC_ARCH_REGRESSION, 16, 16);
    move_keeps_state(MUMLOC_ARCH_VOXEL, 8, 8);

    free(expected);
    free(photons);
    mumloc_model_destroy(m);
    return CHECK_DONE("test_device_model");
}
