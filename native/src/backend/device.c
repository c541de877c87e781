/* Device selection: resolve auto/cpu/cuda:N into a backend and a sentence saying why. */
#include <stdio.h>
#include <string.h>

#include "backend/device.h"
#include "core/error.h"

/* The object carries code for compute capability 7.5 and newer only (CUDA 13 cannot target older). */
static int usable_capability(const cuda_device_props *p) {
    return p->compute_major > 7 || (p->compute_major == 7 && p->compute_minor >= 5);
}

static void describe(int index, const cuda_device_props *p, char *buf, size_t cap) {
    snprintf(buf, cap, "CUDA:%d: %s (%.1f GB, compute %d.%d)", index, p->name,
             (double)p->memory_bytes / 1e9, p->compute_major, p->compute_minor);
}

static mumloc_status cpu_choice(mumloc_device_choice *out, const char *fmt, const char *why) {
    out->device.kind = MUMLOC_DEVICE_CPU;
    out->device.index = 0;
    snprintf(out->reason, sizeof out->reason, fmt, why);
    return MUMLOC_OK;
}

mumloc_status mumloc_device_resolve(mumloc_device requested, mumloc_device_choice *out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device resolve: out is required");
    memset(out, 0, sizeof *out);
    out->device.kind = MUMLOC_DEVICE_CPU;
    switch (requested.kind) {
    case MUMLOC_DEVICE_CPU: return cpu_choice(out, "CPU: %s", "requested");
    case MUMLOC_DEVICE_AUTO:
    case MUMLOC_DEVICE_CUDA: break;
    default:
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device resolve: unknown kind %d",
                           (int)requested.kind);
    }
    const int want = requested.kind == MUMLOC_DEVICE_CUDA ? requested.index : 0;
    const device_cuda_probe *probe = device_cuda_probe_cached();
    char why[320]; /* leaves room in out->reason for the prefix */
    cuda_device_props props;
    memset(&props, 0, sizeof props);
    mumloc_status bad = MUMLOC_ERR_UNSUPPORTED;
    if (probe->count < 1) {
        snprintf(why, sizeof why, "%s", probe->reason);
    } else if (want < 0 || want >= probe->count) {
        snprintf(why, sizeof why, "cuda:%d does not exist (%d CUDA device%s)", want, probe->count,
                 probe->count == 1 ? "" : "s");
        bad = MUMLOC_ERR_INVALID_ARGUMENT;
    } else if (probe->api->device_props(want, &props) != MUMLOC_OK) {
        snprintf(why, sizeof why, "cuda:%d cannot be queried (%s)", want, mumloc_last_error());
    } else if (!usable_capability(&props)) {
        snprintf(why, sizeof why, "%s has compute capability %d.%d; this build needs 7.5 or newer",
                 props.name, props.compute_major, props.compute_minor);
    } else {
        out->device.kind = MUMLOC_DEVICE_CUDA;
        out->device.index = want;
        describe(want, &props, out->reason, sizeof out->reason);
        return MUMLOC_OK;
    }
    if (requested.kind == MUMLOC_DEVICE_AUTO) return cpu_choice(out, "CPU: no CUDA device (%s)", why);
    cpu_choice(out, "CPU: CUDA requested but unusable (%s)", why);
    return error_fail(bad, "CUDA requested but unusable: %s", why);
}

mumloc_status mumloc_device_list(mumloc_device_info *out, int capacity, int *count) {
    if (!count || capacity < 0 || (capacity > 0 && !out))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device list: count and a buffer are required");
    const device_cuda_probe *probe = device_cuda_probe_cached();
    int n = 0;
    if (n < capacity) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].device.kind = MUMLOC_DEVICE_CPU;
        snprintf(out[n].name, sizeof out[n].name, "CPU");
    }
    n++;
    for (int i = 0; i < probe->count; i++) {
        cuda_device_props p;
        if (probe->api->device_props(i, &p) != MUMLOC_OK || !usable_capability(&p)) continue;
        if (n < capacity) {
            memset(&out[n], 0, sizeof out[n]);
            out[n].device.kind = MUMLOC_DEVICE_CUDA;
            out[n].device.index = i;
            snprintf(out[n].name, sizeof out[n].name, "%s", p.name);
            out[n].memory_bytes = p.memory_bytes;
            out[n].compute_major = p.compute_major;
            out[n].compute_minor = p.compute_minor;
        }
        n++;
    }
    *count = n;
    return MUMLOC_OK;
}

mumloc_status nn_backend_create_for_device(mumloc_device requested, nn_backend **out,
                                           mumloc_device_choice *choice) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "backend: out is required");
    *out = NULL;
    mumloc_device_choice local;
    mumloc_device_choice *c = choice ? choice : &local;
    ERROR_TRY(mumloc_device_resolve(requested, c));
    if (c->device.kind == MUMLOC_DEVICE_CPU) return nn_backend_cpu_create(out);
    mumloc_status st = device_cuda_probe_cached()->api->backend_create(c->device.index, out);
    if (st == MUMLOC_OK || requested.kind != MUMLOC_DEVICE_AUTO) return st;
    /* AUTO promised a working backend: a GPU that cannot even start one (out of memory, cuDNN
     * failing to initialise) sends the work to the CPU, and the reason says so. */
    char why[320];
    snprintf(why, sizeof why, "%s", mumloc_last_error());
    cpu_choice(c, "CPU: CUDA device unusable (%s)", why);
    return nn_backend_cpu_create(out);
}
