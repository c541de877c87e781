/* Model files (safetensors): round trip of every tensor and the metadata, byte-identical re-save,
 * optimiser state restored so resumed training continues exactly, and precise format errors for
 * truncated, foreign, unknown-version, wrong-architecture and misshapen files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/backend.h"
#include "check.h"
#include "nn/network.h"
#include "nn/model_file.h"
#include "nn/reference.h"

static nn_backend *be;
static char dir[512];

static void path_of(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

static unsigned char *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc(*size + 1);
    if (fread(d, 1, *size, f) != (size_t)*size) *size = -1;
    fclose(f);
    return d;
}

static void spit(const char *path, const unsigned char *d, long size) {
    FILE *f = fopen(path, "wb");
    fwrite(d, 1, size, f);
    fclose(f);
}

static void upload_random(nn_tensor *t, unsigned long long seed) {
    long count = (long)nn_shape_count(be->tensor_shape(t));
    double *d = malloc(count * sizeof *d);
    float *f = malloc(count * sizeof *f);
    nn_ref_random(d, count, seed, 0, 3);
    for (long i = 0; i < count; i++) f[i] = (float)d[i];
    CHECK_OK(be->upload(be, t, f));
    free(d);
    free(f);
}

/* A few training steps on a fixed batch (so running statistics and Adam state are non-trivial). */
static void train(nn_model *m, int steps) {
    nn_tensor *x = NULL, *target = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(m, 2, 6, 5, &x));
    upload_random(x, 7);
    nn_shape os = nn_model_output_shape(m, (nn_shape){2, m->cfg.planes, 6, 5});
    CHECK_OK(be->tensor_create(be, os, &target));
    long count = (long)nn_shape_count(os);
    float *t = calloc(count, sizeof *t);
    for (long i = 0; i < count; i += 17) t[i] = 1.0f;
    CHECK_OK(be->upload(be, target, t));
    free(t);
    nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
    double loss;
    for (int s = 0; s < steps; s++) {
        CHECK_OK(nn_model_forward(m, x, NN_MODE_TRAIN, &y));
        CHECK_OK(nn_model_loss(m, target, &loss));
        CHECK_OK(nn_model_backward(m, x, NULL));
        CHECK_OK(nn_model_adam_step(m, &hp));
    }
    be->tensor_destroy(be, target);
}

static int tensors_equal(const nn_tensor *a, const nn_tensor *b) {
    long count = (long)nn_shape_count(be->tensor_shape(a));
    float *x = malloc(count * sizeof *x), *y = malloc(count * sizeof *y);
    CHECK_OK(be->download(be, a, x));
    CHECK_OK(be->download(be, b, y));
    int same = memcmp(x, y, count * sizeof *x) == 0;
    free(x);
    free(y);
    return same;
}

static int models_equal(const nn_model *a, const nn_model *b, int optimizer) {
    int same = a->param_count == b->param_count && a->layer_count == b->layer_count;
    for (int i = 0; same && i < a->param_count; i++) {
        same = tensors_equal(a->params[i].value, b->params[i].value);
        if (same && optimizer)
            same = tensors_equal(a->params[i].m, b->params[i].m) &&
                   tensors_equal(a->params[i].v, b->params[i].v);
    }
    for (int i = 0; same && i < a->layer_count; i++)
        if (a->layers[i].batch_norm)
            same = tensors_equal(a->layers[i].running_mean, b->layers[i].running_mean) &&
                   tensors_equal(a->layers[i].running_var, b->layers[i].running_var);
    return same;
}

static void round_trip(nn_arch arch) {
    nn_model_config cfg;
    nn_model_config_default(&cfg, arch);
    cfg.planes = 3;
    cfg.depth_slices = 8;
    cfg.negative_ratio = 2.5f;
    nn_model *m = NULL, *back = NULL, *again = NULL;
    CHECK_OK(nn_model_create(be, &cfg, &m));
    train(m, 2);
    CHECK_OK(nn_model_set_meta(m, "optics", "{\"pixel_nm\":192}"));
    CHECK_OK(nn_model_set_meta(m, "note", "ünïcode \"quoted\" \\ text"));
    CHECK_STATUS(nn_model_set_meta(m, "format", "x"), MUMLOC_ERR_INVALID_ARGUMENT);
    char a[600], b[600];
    path_of(a, sizeof a, arch == NN_ARCH_VOXEL ? "voxel.safetensors" : "regression.safetensors");
    path_of(b, sizeof b, "resaved.safetensors");
    CHECK_OK(nn_model_save(m, a, 0));
    CHECK_OK(nn_model_load(be, a, &back));
    if (!back) return;
    CHECK(back->cfg.arch == arch && back->cfg.planes == 3 && back->cfg.depth_slices == 8);
    CHECK(back->cfg.negative_ratio == 2.5f && back->cfg.bn_eps == cfg.bn_eps);
    CHECK(models_equal(m, back, 0));
    CHECK(back->meta.count == 2);
    CHECK(nn_model_get_meta(back, "note") && strcmp(nn_model_get_meta(back, "note"), "ünïcode \"quoted\" \\ text") == 0);
    CHECK(nn_model_get_meta(back, "optics") && strcmp(nn_model_get_meta(back, "optics"), "{\"pixel_nm\":192}") == 0);
    /* same inference output */
    nn_tensor *x1 = NULL, *x2 = NULL;
    const nn_tensor *y1 = NULL, *y2 = NULL;
    CHECK_OK(nn_model_input(m, 1, 4, 4, &x1));
    CHECK_OK(nn_model_input(back, 1, 4, 4, &x2));
    upload_random(x1, 9);
    upload_random(x2, 9);
    CHECK_OK(nn_model_forward(m, x1, NN_MODE_INFER, &y1));
    CHECK_OK(nn_model_forward(back, x2, NN_MODE_INFER, &y2));
    CHECK(tensors_equal(y1, y2));
    /* loaded-then-saved is byte-identical */
    CHECK_OK(nn_model_save(back, b, 0));
    long sa, sb;
    unsigned char *da = slurp(a, &sa), *db = slurp(b, &sb);
    CHECK(da && db && sa == sb && memcmp(da, db, sa) == 0);
    /* the header is what safetensors readers expect: u64 length, JSON, 8-byte aligned data */
    unsigned long long hl = 0;
    for (int i = 0; i < 8; i++) hl |= (unsigned long long)da[i] << (8 * i);
    CHECK(hl % 8 == 0 && da[8] == '{' && (long)(8 + hl) < sa);
    free(da);
    free(db);
    /* again through the loaded model */
    CHECK_OK(nn_model_load(be, b, &again));
    CHECK(again && models_equal(m, again, 0));
    nn_model_destroy(again);
    nn_model_destroy(back);
    nn_model_destroy(m);
}

/* Checkpoint with the optimiser state: resumed training equals uninterrupted training. */
static void resume(void) {
    nn_model_config cfg;
    nn_model_config_default(&cfg, NN_ARCH_REGRESSION);
    nn_model *m = NULL, *r = NULL;
    CHECK_OK(nn_model_create(be, &cfg, &m));
    train(m, 2);
    char p[600];
    path_of(p, sizeof p, "checkpoint.safetensors");
    CHECK_OK(nn_model_save(m, p, 1));
    CHECK_OK(nn_model_load(be, p, &r));
    if (!r) return;
    CHECK(r->adam_steps == 2);
    CHECK(models_equal(m, r, 1));
    train(m, 1);
    train(r, 1);
    CHECK(r->adam_steps == 3);
    CHECK(models_equal(m, r, 1));
    nn_model_destroy(r);
    nn_model_destroy(m);
}

/* Rewrites bytes of a saved file (same length) and expects a format error naming the problem. */
static void corrupted(const char *from, const char *to, const char *expect_in_message) {
    char a[600], b[600];
    path_of(a, sizeof a, "regression.safetensors");
    path_of(b, sizeof b, "corrupt.safetensors");
    long size;
    unsigned char *d = slurp(a, &size);
    if (!d) {
        CHECK(0);
        return;
    }
    d[size] = 0;
    char *at = strstr((char *)d + 8, from);
    CHECK(at != NULL && strlen(from) == strlen(to));
    if (at) memcpy(at, to, strlen(to));
    spit(b, d, size);
    free(d);
    nn_model *m = NULL;
    CHECK_STATUS(nn_model_load(be, b, &m), MUMLOC_ERR_FORMAT);
    CHECK(m == NULL);
    if (!strstr(mumloc_last_error(), expect_in_message))
        fprintf(stderr, "message '%s' lacks '%s'\n", mumloc_last_error(), expect_in_message);
    CHECK(strstr(mumloc_last_error(), expect_in_message) != NULL);
}

static void errors(void) {
    char a[600], b[600];
    path_of(a, sizeof a, "regression.safetensors");
    path_of(b, sizeof b, "truncated.safetensors");
    long size;
    unsigned char *d = slurp(a, &size);
    if (!d) {
        CHECK(0);
        return;
    }
    /* truncated anywhere: in the length, in the header, in the data */
    long cuts[] = {0, 5, 8, 100, size / 2, size - 1};
    for (int i = 0; i < 6; i++) {
        spit(b, d, cuts[i]);
        nn_model *m = NULL;
        CHECK_STATUS(nn_model_load(be, b, &m), MUMLOC_ERR_FORMAT);
        CHECK(m == NULL);
    }
    /* trailing bytes after the last tensor */
    unsigned char *longer = malloc(size + 4);
    memcpy(longer, d, size);
    memset(longer + size, 0, 4);
    spit(b, longer, size + 4);
    nn_model *m = NULL;
    CHECK_STATUS(nn_model_load(be, b, &m), MUMLOC_ERR_FORMAT);
    free(longer);
    free(d);
    /* a foreign safetensors file (valid, but not ours) */
    const char foreign_header[] = "{\"weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    unsigned char foreign[8 + sizeof foreign_header - 1 + 8] = {0};
    foreign[0] = (unsigned char)(sizeof foreign_header - 1);
    memcpy(foreign + 8, foreign_header, sizeof foreign_header - 1);
    spit(b, foreign, sizeof foreign);
    CHECK_STATUS(nn_model_load(be, b, &m), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "not a mumloc model") != NULL);
    corrupted("\"format\":\"mumloc-model\"", "\"format\":\"mumloc-mode1\"", "not a mumloc model");
    corrupted("\"format_version\":\"1\"", "\"format_version\":\"7\"", "format version 7");
    corrupted("\"architecture\":\"regression\"", "\"architecture\":\"regressiom\"", "unknown architecture");
    corrupted("\"planes\":\"3\"", "\"planes\":\"2\"", "must have shape");
    corrupted("\"dtype\":\"F32\"", "\"dtype\":\"F16\"", "dtype F32");
    corrupted("block3.conv.bias", "block3.conv.bXas", "lacks tensor 'block3.conv.bias'");
    /* missing file: an I/O error */
    path_of(b, sizeof b, "no-such-model.safetensors");
    CHECK_STATUS(nn_model_load(be, b, &m), MUMLOC_ERR_IO);
}

/* Random corruption of the length and header bytes: always a clean status, never a crash (run
 * under AddressSanitizer to make "never" mean something). */
static void fuzz(void) {
    char a[600], b[600];
    path_of(a, sizeof a, "regression.safetensors");
    path_of(b, sizeof b, "fuzzed.safetensors");
    long size;
    unsigned char *d = slurp(a, &size);
    if (!d) {
        CHECK(0);
        return;
    }
    unsigned long long hl = 0;
    for (int i = 0; i < 8; i++) hl |= (unsigned long long)d[i] << (8 * i);
    unsigned long long state = 99;
    int clean = 1;
    for (int round = 0; round < 300; round++) {
        unsigned char *copy = malloc(size);
        memcpy(copy, d, size);
        for (int k = 0; k < 1 + round % 3; k++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            long at = (long)((state >> 33) % (8 + hl));
            copy[at] = (unsigned char)(state >> 17);
        }
        spit(b, copy, size);
        free(copy);
        nn_model *m = NULL;
        mumloc_status st = nn_model_load(be, b, &m);
        clean &= st == MUMLOC_OK ? m != NULL : (st == MUMLOC_ERR_FORMAT && m == NULL);
        nn_model_destroy(m);
    }
    CHECK(clean);
    free(d);
}

int main(void) {
    const char *tmp = getenv("MUMLOC_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/nn_model_file", tmp ? tmp : "/tmp");
    if (tmp) mkdir(tmp, 0777);
    mkdir(dir, 0777);
    CHECK_OK(mumloc_set_threads(1)); /* many tiny steps: see test_nn_model */
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    round_trip(NN_ARCH_VOXEL);
    round_trip(NN_ARCH_REGRESSION);
    resume();
    errors();
    fuzz();
    nn_backend_destroy(be);
    return CHECK_DONE("test_nn_model_file");
}
