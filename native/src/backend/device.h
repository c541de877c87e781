/*
 * device.h — choosing where the engine runs, and handing nn/ the backend table for that device.
 *
 * The CUDA backend is a separate shared object (cuda/cuda_abi.h explains why); this side finds it,
 * dlopen()s it and probes it once per process. Everything that can go wrong on a user's machine —
 * object missing, cuDNN missing, no driver, driver too old, no GPU, wrong cuDNN major — becomes a
 * sentence in the probe's `reason`, never a crash.
 */
#ifndef BACKEND_DEVICE_H
#define BACKEND_DEVICE_H

#include <limits.h>

#include "backend/backend.h"
#include "backend/cuda/cuda_abi.h"
#include "mumloc.h"

/* Environment variable naming the CUDA object explicitly (tests point it at a missing path). */
#define CUDA_LIBRARY_ENV "MUMLOC_CUDA_LIBRARY"
#define CUDA_OBJECT_NAME "libmumloc_cuda.so"

typedef struct device_cuda_probe {
    int count;                  /* usable CUDA devices; 0 when CUDA is unusable */
    char reason[320];           /* why CUDA is unusable (count == 0), else a short summary */
    char path[PATH_MAX + 32];   /* the object tried ("" when none was found) */
    const cuda_api *api; /* the object's table when it loaded */
    void *handle;               /* dlopen handle, kept for the process's lifetime */
} device_cuda_probe;

/* Probes the object at `path` (NULL: the default search — $MUMLOC_CUDA_LIBRARY, else
 * libmumloc_cuda.so beside the library or in ../lib from it). Not cached: tests call it directly. */
void device_probe_cuda(const char *path, device_cuda_probe *out);

/* The process-wide probe, run once (thread-safe). */
const device_cuda_probe *device_cuda_probe_cached(void);

/* Resolves `requested` (mumloc_device_resolve) and creates the matching backend; choice may be NULL.
 * This is what the model/training code calls with the user's --device. */
mumloc_status nn_backend_create_for_device(mumloc_device requested, nn_backend **out,
                                           mumloc_device_choice *choice);

#endif
