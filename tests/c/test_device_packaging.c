/* Packaging: libmumloc.so links no CUDA/cuDNN/NVIDIA library (it must run where none exists), and the
 * CUDA object, when built, needs only libcudnn.so.9 among NVIDIA libraries (the CUDA runtime is
 * linked statically). Reads the NEEDED entries with readelf. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* Calls fn on every NEEDED library name of path; returns how many there were, -1 on failure. */
static int each_needed(const char *path, void (*fn)(const char *name)) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "readelf -d '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[512];
    int count = 0;
    while (fgets(line, sizeof line, p)) {
        char *a = strstr(line, "(NEEDED)");
        char *open = a ? strchr(a, '[') : NULL, *close = open ? strchr(open, ']') : NULL;
        if (!close) continue;
        *close = '\0';
        fn(open + 1);
        count++;
    }
    return pclose(p) == 0 ? count : -1;
}

static int is_nvidia(const char *name) {
    return strstr(name, "cuda") || strstr(name, "cudnn") || strstr(name, "cublas") ||
           strstr(name, "nvidia") || strstr(name, "nvrtc") || strstr(name, "cufft");
}

static void core_needed(const char *name) {
    printf("  libmumloc.so NEEDED %s\n", name);
    if (is_nvidia(name)) {
        fprintf(stderr, "libmumloc.so must not need %s\n", name);
        check_failures++;
    }
}

static void cuda_needed(const char *name) {
    static const char *allowed[] = {"libcudnn.so.9", "libc.so.6",       "libstdc++.so.6",
                                    "libm.so.6",     "libgcc_s.so.1",   "libdl.so.2",
                                    "libpthread.so.0", "librt.so.1",    "ld-linux-x86-64.so.2"};
    printf("  libmumloc_cuda.so NEEDED %s\n", name);
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcmp(name, allowed[i]) == 0) return;
    fprintf(stderr, "libmumloc_cuda.so must not need %s\n", name);
    check_failures++;
}

int main(void) {
    char dir[PATH_MAX], path[PATH_MAX + 64];
    ssize_t len = readlink("/proc/self/exe", dir, sizeof dir - 1);
    CHECK(len > 0);
    if (len <= 0) return CHECK_DONE("test_device_packaging");
    dir[len] = '\0';
    *strrchr(dir, '/') = '\0';

    snprintf(path, sizeof path, "%s/../lib/libmumloc.so", dir);
    CHECK(access(path, R_OK) == 0);
    CHECK(each_needed(path, core_needed) > 0);

    snprintf(path, sizeof path, "%s/../lib/libmumloc_cuda.so", dir);
#ifdef MUMLOC_CUDA_BUILT
    CHECK(access(path, R_OK) == 0);
    CHECK(each_needed(path, cuda_needed) > 0);
    /* The one exported entry point is there. */
    char cmd[PATH_MAX + 256];
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s' | grep -q ' T mumloc_cuda_api_get$'", path);
    CHECK(system(cmd) == 0);
#else
    printf("CUDA backend not built in this configuration (no toolkit or cuDNN): only libmumloc.so checked\n");
    CHECK(access(path, F_OK) != 0 || each_needed(path, cuda_needed) > 0);
#endif
    return CHECK_DONE("test_device_packaging");
}
