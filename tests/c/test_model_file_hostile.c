/* Hostile model files (the bundled model, edited): the loader checks the header before reading
 * anything else, so a huge foreign file costs nothing; and it refuses, as a format error naming the
 * file, what would load and then misbehave: a NaN or infinite weight, a negative running variance,
 * fractional data offsets, an absurd input normalisation, an out-of-range bn_eps, and more metadata
 * entries than a model can hold. Unedited and equivalently rewritten files still load. */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "test_files.h"
#include "test_io_dir.h"
#include "mumloc.h"

static char *bundled;     /* the whole file */
static long bundled_size;
static uint64_t header_len;
static char *header_text; /* its header as a string */

static void write_model(const char *path, const char *header, const unsigned char *data,
                        size_t data_size) {
    FILE *f = fopen(path, "wb");
    if (!f) return;
    const uint64_t n = strlen(header);
    for (int i = 0; i < 8; i++) fputc((int)((n >> (8 * i)) & 0xff), f);
    fwrite(header, 1, n, f);
    fwrite(data, 1, data_size, f);
    fclose(f);
}

static const unsigned char *bundled_data(void) { return (const unsigned char *)bundled + 8 + header_len; }
static size_t bundled_data_size(void) { return (size_t)(bundled_size - 8 - (long)header_len); }

/* The bundled header with `from` replaced by `to` (which may differ in length). */
static char *edited_header(const char *from, const char *to) {
    char *header = strdup(header_text);
    char *at = strstr(header, from);
    CHECK(at != NULL);
    if (!at) return header;
    char *out = malloc(header_len + strlen(to) + 1);
    size_t before = (size_t)(at - header);
    memcpy(out, header, before);
    strcpy(out + before, to);
    strcat(out, at + strlen(from));
    free(header);
    return out;
}

static void expect_format_error(const char *path, const char *fragment) {
    mumloc_model *model = NULL;
    CHECK_STATUS(mumloc_model_load(path, &model), MUMLOC_ERR_FORMAT);
    CHECK(model == NULL);
    mumloc_model_destroy(model);
    const char *message = mumloc_last_error();
    const int ok = strstr(message, path) != NULL && strstr(message, fragment) != NULL;
    if (!ok) fprintf(stderr, "message '%s' lacks the path or '%s'\n", message, fragment);
    CHECK(ok);
}

static void expect_header_refused(const char *from, const char *to, const char *fragment) {
    char *header = edited_header(from, to);
    const char *path = path_of("edited.safetensors");
    write_model(path, header, bundled_data(), bundled_data_size());
    free(header);
    expect_format_error(path, fragment);
}

static void expect_loads(const char *path) {
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_load(path, &model));
    mumloc_model_destroy(model);
}

/* The value text of a metadata entry, e.g. "449.531757" for "input_scale_photons". */
static void meta_value(const char *key, char *out, size_t cap) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = strstr(header_text, pattern);
    out[0] = '\0';
    if (!at) return;
    at += strlen(pattern);
    size_t n = (size_t)(strchr(at, '"') - at);
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), at);
}

/* The begin of a tensor's data, from its header entry. */
static long tensor_begin(const char *name, long *end) {
    char pattern[160];
    snprintf(pattern, sizeof pattern, "\"%s\":{", name);
    const char *at = strstr(header_text, pattern);
    long begin = -1;
    *end = -1;
    if (at) at = strstr(at, "\"data_offsets\":[");
    if (at) sscanf(at, "\"data_offsets\":[%ld,%ld]", &begin, end);
    return begin;
}

static void test_controls(void) {
    char path[1024];
    bundled_model_path(path, sizeof path);
    expect_loads(path);
    /* the same header, unpadded and with a number spelled differently, is still the same model */
    char *header = edited_header("\"bn_eps\":\"0.00001\"", "\"bn_eps\":\"1e-5\"");
    for (size_t n = strlen(header); n > 0 && header[n - 1] == ' '; n--) header[n - 1] = '\0';
    write_model(path_of("equivalent.safetensors"), header, bundled_data(), bundled_data_size());
    free(header);
    expect_loads(path_of("equivalent.safetensors"));
}

static void test_foreign_header_first(void) {
    /* a 1 TiB sparse file that starts like a TIFF: refused from its first 8 bytes, never allocated */
    const char *path = path_of("movie.tif");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const unsigned char tiff[8] = {'I', 'I', 42, 0, 8, 0, 0, 0};
    CHECK(fd >= 0 && write(fd, tiff, 8) == 8);
    const int sparse = fd >= 0 && ftruncate(fd, (off_t)1 << 40) == 0;
    if (fd >= 0) close(fd);
    if (!sparse) fprintf(stderr, "note: no 1 TiB sparse file here; checking an 8-byte one\n");
    expect_format_error(path, "is not a safetensors model file (it is a TIFF image)");
    unlink(path);
    /* a header length beyond the file */
    const char *liar = path_of("liar.safetensors");
    write_model(liar, "{}", NULL, 0);
    fd = open(liar, O_WRONLY);
    const unsigned char big[8] = {0, 0, 0, 0, 1, 0, 0, 0};
    CHECK(fd >= 0 && write(fd, big, 8) == 8);
    if (fd >= 0) close(fd);
    expect_format_error(liar, "is not a safetensors model file");
}

static void test_bad_values(void) {
    const float bad[3] = {NAN, INFINITY, -INFINITY};
    const char *path = path_of("poisoned.safetensors");
    char *header = strdup(header_text);
    size_t n = bundled_data_size();
    unsigned char *data = malloc(n);
    for (int k = 0; k < 3; k++) {
        memcpy(data, bundled_data(), n);
        size_t at = (size_t)k * (n / 3 / 4) * 4; /* start, a third in, two thirds in: different tensors */
        memcpy(data + at, &bad[k], 4);
        write_model(path, header, data, n);
        expect_format_error(path, "a NaN or infinite value");
    }
    /* a negative running variance (sqrt of it would be NaN) */
    long end, begin = tensor_begin("block1.bn.running_var", &end);
    CHECK(begin >= 0 && end > begin);
    if (begin >= 0) {
        memcpy(data, bundled_data(), n);
        const float negative = -1.0f;
        memcpy(data + begin, &negative, 4);
        write_model(path, header, data, n);
        expect_format_error(path, "tensor 'block1.bn.running_var' holds a negative variance");
    }
    free(data);
    free(header);
}

static void test_bad_header(void) {
    /* fractional offsets: [A.5, B.5] has the right length but names no byte */
    long end, begin = tensor_begin("block1.bn.running_var", &end);
    char from[96], to[96];
    snprintf(from, sizeof from, "\"data_offsets\":[%ld,%ld]", begin, end);
    snprintf(to, sizeof to, "\"data_offsets\":[%ld.5,%ld.5]", begin, end);
    expect_header_refused(from, to, "whole byte offsets");
    /* batch-norm epsilon out of range: a format error, not a bad argument */
    expect_header_refused("\"bn_eps\":\"0.00001\"", "\"bn_eps\":\"-1\"", "bn_eps must be in (0, 1]");
    /* input normalisation: tiny, zero, negative, huge */
    char scale[64], key_value[128];
    meta_value("input_scale_photons", scale, sizeof scale);
    snprintf(key_value, sizeof key_value, "\"input_scale_photons\":\"%s\"", scale);
    const char *scales[] = {"1e-300", "0", "-3", "1e300"};
    for (int i = 0; i < 4; i++) {
        snprintf(to, sizeof to, "\"input_scale_photons\":\"%s\"", scales[i]);
        expect_header_refused(key_value, to, "input_scale_photons' must be between");
    }
    char background[64];
    meta_value("input_background_photons", background, sizeof background);
    snprintf(key_value, sizeof key_value, "\"input_background_photons\":\"%s\"", background);
    expect_header_refused(key_value, "\"input_background_photons\":\"1e300\"",
                          "input_background_photons' must be between");
    /* more metadata entries than a model holds: refused before any per-entry work */
    size_t cap = 1000 * 24 + 64;
    char *many = malloc(cap);
    strcpy(many, "{\"__metadata__\":{");
    for (int i = 0; i < 1000; i++)
        snprintf(many + strlen(many), cap - strlen(many), "\"extra%d\":\"v\",", i);
    expect_header_refused("{\"__metadata__\":{", many, "metadata entries; a mumloc model has at most");
    free(many);
}

int main(void) {
    test_dir_create("model_file_hostile");
    char path[1024];
    bundled_model_path(path, sizeof path);
    bundled = slurp(path, &bundled_size);
    CHECK(bundled != NULL && bundled_size > 8);
    if (!bundled) return CHECK_DONE("test_model_file_hostile");
    for (int i = 0; i < 8; i++) header_len |= (uint64_t)(unsigned char)bundled[i] << (8 * i);
    CHECK(header_len > 2 && (long)(8 + header_len) < bundled_size);
    header_text = calloc(header_len + 1, 1);
    memcpy(header_text, bundled + 8, header_len);
    test_controls();
    test_foreign_header_first();
    test_bad_values();
    test_bad_header();
    free(header_text);
    free(bundled);
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_model_file_hostile");
}
