/*
 * cuda_abi.h — the one entry point between libmumloc.so (backend/device.c) and the CUDA backend's
 * separate shared object libmumloc_cuda.so. Plain C, included by both sides.
 *
 * Why a table instead of linking: libmumloc.so must load and run where no CUDA library exists, so it
 * never links the CUDA object; it dlopen()s it on demand and asks it for this table. The object in
 * turn never links libmumloc (whose internals are hidden): the host passes in what it needs (the
 * error reporter), so the object has no undefined mumloc symbols and errors land in the caller's
 * thread-local message.
 */
#ifndef BACKEND_CUDA_CUDA_ABI_H
#define BACKEND_CUDA_CUDA_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "optics/spline_psf.h"
#include "simulate/camera_noise.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever this header or backend.h changes shape: a stale object is refused, not run. */
#define CUDA_ABI_VERSION 5 /* 2: backend.h's asynchronous-transfer and memory hooks;
                                     3: per-plane optics in cuda_sim_job; 4: the backend's
                                     inference precision; 5: a measured PSF in the sim job */
#define CUDA_ENTRY "mumloc_cuda_api_get"

typedef struct cuda_abi_host {
    int abi_version;
    mumloc_status (*fail)(mumloc_status status, const char *fmt, ...);
} cuda_abi_host;

typedef struct cuda_device_props {
    char name[128];
    int64_t memory_bytes;
    int compute_major, compute_minor;
} cuda_device_props;

/* A batch of simulated frames for the GPU: everything random about the emitters and drifts is decided
 * on the host (cheap, and the CPU's own code); the GPU renders every pixel and draws its camera noise
 * with the single-source functions (optics/psf.h, simulate/camera_noise.h), keyed exactly as the CPU
 * does. camera.tables and camera.ziggurat are host pointers: the object copies them to the device. */
typedef struct cuda_sim_job {
    int width, height, planes;
    int64_t first_frame, frames;
    uint64_t seed;
    double pixel_nm, psf_amplitude;
    double depth_nm[MUMLOC_MAX_PLANES];
    mumloc_plane_psf plane_psf[MUMLOC_MAX_PLANES]; /* each plane's resolved curve (plane_optics.h) */
    double plane_gain[MUMLOC_MAX_PLANES];          /* photons relative to an equal split (1 default) */
    const double *drift;          /* frames × 2·planes: (dx, dy) per plane, nm */
    const int *emitter_count;     /* per frame */
    int emitter_stride;           /* frame f's emitters start at emitters[f · stride] */
    const mumloc_emitter *emitters;
    camera_noise_model camera;
    /* 1: plane d is drawn with spline[d] (optics/spline_eval.h), its coef and rms_nm host pointers
     * that the object copies to the device; 0: the Gaussian curves above. */
    int spline_psf;
    spline_plane_psf spline[MUMLOC_MAX_PLANES];
} cuda_sim_job;

typedef struct cuda_api {
    int abi_version;
    int cudnn_major_required; /* CUDNN_MAJOR the object was compiled against */
    /* Counts devices. On failure returns a non-OK status and writes why into reason (never calls
     * host->fail: a missing device is a normal answer, not an error). Checks the runtime cuDNN's major
     * version against the compiled one. */
    mumloc_status (*probe)(int *count, char *reason, size_t reason_size);
    mumloc_status (*device_props)(int device, cuda_device_props *out);
    /* Creates the CUDA backend on a device (errors through host->fail). */
    mumloc_status (*backend_create)(int device, nn_backend **out);
    /* Simulates job->frames frames into host pixels (frame, plane, row, column), float32. */
    mumloc_status (*simulate)(int device, const cuda_sim_job *job, float *pixels);
} cuda_api;

typedef const cuda_api *(*cuda_api_get_fn)(const cuda_abi_host *host);

#ifdef __cplusplus
}
#endif

#endif
