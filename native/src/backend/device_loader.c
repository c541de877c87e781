/* Finding, loading and probing the CUDA backend object (see device.h). dlopen only: libmumloc.so
 * itself links no CUDA library, so it runs on machines without an NVIDIA driver. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/device.h"
#include "core/error.h"

static const cuda_abi_host host_table = {CUDA_ABI_VERSION, error_fail};

static int file_exists(const char *path) { return access(path, F_OK) == 0; }

/* $MUMLOC_CUDA_LIBRARY, else libmumloc_cuda.so in this library's folder, else in ../lib from it (the
 * CLI and the tests live in bin/ beside lib/). Returns 0 and a reason when nothing is there. */
static int find_object(char *path, size_t cap, char *reason, size_t rcap) {
    const char *env = getenv(CUDA_LIBRARY_ENV);
    if (env && *env) {
        snprintf(path, cap, "%s", env);
        if (file_exists(path)) return 1;
        snprintf(reason, rcap, "CUDA backend not found at %.200s (set by %s)", env,
                 CUDA_LIBRARY_ENV);
        return 0;
    }
    Dl_info info;
    if (!dladdr((void *)&device_probe_cuda, &info) || !info.dli_fname) {
        snprintf(reason, rcap, "CUDA backend not found (cannot locate libmumloc itself)");
        path[0] = '\0';
        return 0;
    }
    /* The main program's name may be relative (as typed); resolve it while the directory holds. */
    char dir[PATH_MAX - 32];
    char full[PATH_MAX];
    snprintf(dir, sizeof dir, "%.4000s", realpath(info.dli_fname, full) ? full : info.dli_fname);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, sizeof dir, ".");
    snprintf(path, cap, "%s/%s", dir, CUDA_OBJECT_NAME);
    if (file_exists(path)) return 1;
    snprintf(path, cap, "%s/../lib/%s", dir, CUDA_OBJECT_NAME);
    if (file_exists(path)) return 1;
    snprintf(reason, rcap, "CUDA backend not installed (no %s in %.200s)", CUDA_OBJECT_NAME, dir);
    path[0] = '\0';
    return 0;
}

void device_probe_cuda(const char *path, device_cuda_probe *out) {
    memset(out, 0, sizeof *out);
    if (path) {
        snprintf(out->path, sizeof out->path, "%s", path);
        if (!file_exists(path)) {
            snprintf(out->reason, sizeof out->reason, "CUDA backend not found at %.240s", path);
            return;
        }
    } else if (!find_object(out->path, sizeof out->path, out->reason, sizeof out->reason))
        return;

    dlerror();
    void *handle = dlopen(out->path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *err = dlerror();
        if (!err) err = "unknown dlopen error";
        if (strstr(err, "libcudnn"))
            snprintf(out->reason, sizeof out->reason, "cuDNN 9 not installed (%s)", err);
        else snprintf(out->reason, sizeof out->reason, "cannot load the CUDA backend (%s)", err);
        return;
    }
    cuda_api_get_fn get = NULL;
    *(void **)&get = dlsym(handle, CUDA_ENTRY);
    const cuda_api *api = get ? get(&host_table) : NULL;
    if (!api) {
        snprintf(out->reason, sizeof out->reason, "%.240s is not a mumloc CUDA backend", out->path);
        dlclose(handle);
        return;
    }
    if (api->abi_version != CUDA_ABI_VERSION) {
        snprintf(out->reason, sizeof out->reason,
                 "CUDA backend from another mumloc version (interface %d, this library %d)",
                 api->abi_version, CUDA_ABI_VERSION);
        dlclose(handle);
        return;
    }
    /* From here on the object stays loaded: the static CUDA runtime inside registers exit handlers,
     * and unloading it under them is not safe. */
    out->handle = handle;
    out->api = api;
    int count = 0;
    char why[256] = "";
    if (api->probe(&count, why, sizeof why) != MUMLOC_OK || count < 1) {
        snprintf(out->reason, sizeof out->reason, "%s", why[0] ? why : "no CUDA-capable GPU");
        return;
    }
    out->count = count;
    snprintf(out->reason, sizeof out->reason, "%d CUDA device%s", count, count == 1 ? "" : "s");
}

static device_cuda_probe cached;
static pthread_once_t cached_once = PTHREAD_ONCE_INIT;

static void probe_once(void) { device_probe_cuda(NULL, &cached); }

const device_cuda_probe *device_cuda_probe_cached(void) {
    pthread_once(&cached_once, probe_once);
    return &cached;
}
