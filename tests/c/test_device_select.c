/* Device selection without a GPU: parsing, the probe's failure reasons, `auto` falling back to the CPU
 * with a reason, and the CPU backend handed out for it. Runs everywhere (no GPU needed). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend/device.h"
#include "check.h"
#include "mumloc.h"

static void test_parse(void) {
    mumloc_device d;
    char buf[16];
    CHECK_OK(mumloc_device_parse("auto", &d));
    CHECK(d.kind == MUMLOC_DEVICE_AUTO && d.index == 0);
    CHECK_OK(mumloc_device_parse(" CPU\n", &d));
    CHECK(d.kind == MUMLOC_DEVICE_CPU);
    CHECK_OK(mumloc_device_parse("cuda", &d));
    CHECK(d.kind == MUMLOC_DEVICE_CUDA && d.index == 0);
    CHECK_OK(mumloc_device_parse("Cuda:3", &d));
    CHECK(d.kind == MUMLOC_DEVICE_CUDA && d.index == 3);
    CHECK_OK(mumloc_device_format(d, buf, sizeof buf));
    CHECK(strcmp(buf, "cuda:3") == 0);
    const char *bad[] = {"", "  ", "gpu", "cuda:", "cuda:x", "cuda:1x", "cuda:-1", "cuda0",
                         "cpu:0", "auto ,", "cuda:99999999999", "cudaa"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_STATUS(mumloc_device_parse(bad[i], &d), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strstr(mumloc_last_error(), "cuda") != NULL);
    }
    CHECK_STATUS(mumloc_device_parse(NULL, &d), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_device_format(d, buf, 4), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_OK(mumloc_device_format((mumloc_device){MUMLOC_DEVICE_CPU, 0}, buf, sizeof buf));
    CHECK(strcmp(buf, "cpu") == 0);
}

/* The probe's answers for objects that cannot work: missing, not an ELF object. */
static void test_probe_failures(void) {
    device_cuda_probe p;
    device_probe_cuda("/nonexistent/libmumloc_cuda.so", &p);
    CHECK(p.count == 0 && p.api == NULL);
    CHECK(strstr(p.reason, "not found") != NULL);

    /* A file that exists but is no shared object: dlopen fails and dlerror() is passed on. */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/tmp/mumloc_not_an_object_%ld.so", (long)getpid());
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("not an ELF file\n", f);
    fclose(f);
    device_probe_cuda(path, &p);
    CHECK(p.count == 0 && p.api == NULL);
    CHECK(strstr(p.reason, "cannot load the CUDA backend") != NULL);
    printf("probe of a non-object: %s\n", p.reason);
    remove(path);
}

#ifdef MUMLOC_CUDA_BUILT
/* A machine without cuDNN 9: a copy of the object whose NEEDED entry names libcudnn.so.0 instead
 * (same length, patched in .dynstr) fails in dlopen, and the reason says cuDNN is missing. */
static void test_probe_without_cudnn(const char *object) {
    FILE *f = fopen(object, "rb");
    CHECK(f != NULL);
    if (!f) return;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *bytes = malloc((size_t)size);
    CHECK(bytes && fread(bytes, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    if (!bytes) return;
    static const char needle[] = "libcudnn.so.9"; /* with its terminating NUL */
    int patched = 0;
    for (long i = 0; i + (long)sizeof needle <= size; i++)
        if (memcmp(bytes + i, needle, sizeof needle) == 0) {
            bytes[i + sizeof needle - 2] = '0';
            patched++;
        }
    CHECK(patched >= 1);
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "/tmp/mumloc_cuda_nocudnn_%ld.so", (long)getpid());
    f = fopen(copy, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(bytes, 1, (size_t)size, f) == (size_t)size);
        fclose(f);
        device_cuda_probe p;
        device_probe_cuda(copy, &p);
        printf("probe without cuDNN 9: %s\n", p.reason);
        CHECK(p.count == 0 && p.api == NULL);
        CHECK(strncmp(p.reason, "cuDNN 9 not installed (", 23) == 0);
        CHECK(strstr(p.reason, "libcudnn.so.0") != NULL);
        remove(copy);
    }
    free(bytes);
}
#endif

/* The real object, when this build made one: it loads (cuDNN is installed with the toolkit) and
 * reports either devices or why there are none (here: no driver). */
static void test_probe_real(void) {
#ifdef MUMLOC_CUDA_BUILT
    char exe[PATH_MAX], path[PATH_MAX + 64];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    CHECK(len > 0);
    if (len <= 0) return;
    exe[len] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(path, sizeof path, "%s/../lib/libmumloc_cuda.so", exe);
    device_cuda_probe p;
    device_probe_cuda(path, &p);
    printf("probe of %s: %d device(s): %s\n", path, p.count, p.reason);
    CHECK(p.api != NULL); /* loaded: the table came back */
    if (p.api) CHECK(p.api->cudnn_major_required == 9);
    if (p.count == 0) CHECK(p.reason[0] != '\0');
    test_probe_without_cudnn(path);
#else
    printf("CUDA backend not built in this configuration: skipping the real-object probe\n");
#endif
}

static void test_resolve(void) {
    mumloc_device_choice c;
    CHECK_OK(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_CPU, 0}, &c));
    CHECK(c.device.kind == MUMLOC_DEVICE_CPU);
    CHECK(strcmp(c.reason, "CPU: requested") == 0);

    CHECK_OK(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_AUTO, 0}, &c));
    printf("auto resolves to: %s\n", c.reason);
    const device_cuda_probe *probe = device_cuda_probe_cached();
    if (probe->count == 0) {
        CHECK(c.device.kind == MUMLOC_DEVICE_CPU);
        CHECK(strncmp(c.reason, "CPU: no CUDA device (", 21) == 0);
        CHECK(strstr(c.reason, probe->reason) != NULL);
        /* Asking for CUDA explicitly is an error that says why, and leaves a CPU choice behind. */
        CHECK_STATUS(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_CUDA, 0}, &c),
                     MUMLOC_ERR_UNSUPPORTED);
        CHECK(c.device.kind == MUMLOC_DEVICE_CPU);
        CHECK(strstr(mumloc_last_error(), probe->reason) != NULL);
    } else {
        CHECK(c.device.kind == MUMLOC_DEVICE_CUDA && c.device.index == 0);
        CHECK_STATUS(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_CUDA, probe->count}, &c),
                     MUMLOC_ERR_INVALID_ARGUMENT);
    }
    CHECK_STATUS(mumloc_device_resolve((mumloc_device){MUMLOC_DEVICE_AUTO, 0}, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
}

static void test_list_and_backend(void) {
    int count = -1;
    CHECK_OK(mumloc_device_list(NULL, 0, &count));
    CHECK(count == 1 + device_cuda_probe_cached()->count);
    mumloc_device_info info[4];
    CHECK_OK(mumloc_device_list(info, 4, &count));
    CHECK(info[0].device.kind == MUMLOC_DEVICE_CPU && strcmp(info[0].name, "CPU") == 0);

    nn_backend *be = NULL;
    mumloc_device_choice c;
    CHECK_OK(nn_backend_create_for_device((mumloc_device){MUMLOC_DEVICE_CPU, 0}, &be, &c));
    CHECK(be && strcmp(be->name, "cpu") == 0);
    nn_backend_destroy(be);
    be = NULL;
    CHECK_OK(nn_backend_create_for_device((mumloc_device){MUMLOC_DEVICE_AUTO, 0}, &be, NULL));
    CHECK(be != NULL);
    if (be)
        CHECK(strcmp(be->name, device_cuda_probe_cached()->count ? "cuda" : "cpu") == 0);
    nn_backend_destroy(be);
}

int main(void) {
    test_parse();
    test_probe_failures();
    test_probe_real();
    test_resolve();
    test_list_and_backend();
    return CHECK_DONE("test_device_select");
}
