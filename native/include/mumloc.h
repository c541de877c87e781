/*
 * mumloc.h — the one public C API of mumloc.
 *
 * mumloc localizes single molecules in 3D from multifocal-plane ("quad-plane") microscopy: k cameras
 * (default 4) image the same field at k focal depths 400 nm apart. This library does all the numerical
 * work; the Fiji plugin (through JNI) and the `mumloc` command-line tool are thin clients of this
 * header and nothing else.
 *
 * The model in one paragraph. A frame is k planes of W×H pixels, in photons. A molecule at (x, y, z)
 * with weight c puts into plane d the Gaussian PSF
 *     h(Δz) = c · a' / (2π w(Δz)²) · exp(−r² / (2 w(Δz)²)),   Δz = depth_d − z,
 *     w(Δz) = w0 · sqrt(1 + (Δz/d)² + A (Δz/d)³ + B (Δz/d)⁴),
 * integrated over each pixel's area and divided by the pixel area p² (so a plane holds c · a'/p²
 * photons whatever the defocus). Plane d ≥ 2 is shifted laterally by a per-frame drift (dx, dy): the
 * molecule appears at (x − dx, y − dy) there. Each pixel then receives Poisson(signal + background)
 * photo-electrons, optional EM multiplication, Gaussian read noise, and the ADU gain and offset.
 *
 * Conventions (users rely on them):
 *   - Lengths in nm. Origin at the top-left corner of the image; x along columns, y along rows; pixel
 *     (i, j) (column i, row j) is centred at ((i + 0.5)·p, (j + 0.5)·p) — ThunderSTORM's convention.
 *   - z in nm in the target slab [0, k·spacing): by default plane d (1-based) images depth
 *     (d − 1)·400 + 200 nm, so z = 0 is the bottom of the slab.
 *   - Frames and ids are 1-based in tables; frame indices in this API are 0-based.
 *   - Pixel buffers are frame-major, then plane, then row, then column (float32, row length W).
 *
 * Errors are values. Every call that can fail returns a mumloc_status; on failure a message naming the
 * problem and what to do is available from mumloc_last_error() on the same thread. The library never
 * aborts, exits or prints.
 *
 * Determinism. A simulated frame is a pure function of (seed, frame index, parameters): every random
 * number comes from a counter-based generator (Philox4x32-10) keyed by the seed and addressed by what
 * it is for, so output is bit-identical for any thread count.
 */
#ifndef MUMLOC_H
#define MUMLOC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MUMLOC_API __attribute__((visibility("default")))
#else
#define MUMLOC_API
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Status, errors, version, threads                                                                */
/* ---------------------------------------------------------------------------------------------- */

typedef enum mumloc_status {
    MUMLOC_OK = 0,
    MUMLOC_ERR_INVALID_ARGUMENT = 1, /* a parameter outside its accepted range (message names it) */
    MUMLOC_ERR_OUT_OF_MEMORY = 2,
    MUMLOC_ERR_IO = 3,               /* a file could not be opened, read or written */
    MUMLOC_ERR_FORMAT = 4,           /* a file is truncated, foreign or of an unknown version */
    MUMLOC_ERR_CANCELLED = 5,        /* the caller's progress callback asked to stop */
    MUMLOC_ERR_UNSUPPORTED = 6,      /* valid request this build or machine cannot do */
    MUMLOC_ERR_INTERNAL = 7          /* a bug: please report it with the message */
} mumloc_status;

/* Short constant name of a status, e.g. "invalid argument". Never NULL. */
MUMLOC_API const char *mumloc_status_string(mumloc_status status);

/* Message of the last failing call on the calling thread ("" if none). Valid until the next failing
 * call on this thread. */
MUMLOC_API const char *mumloc_last_error(void);

/* Library version, "MAJOR.MINOR.PATCH". */
MUMLOC_API const char *mumloc_version(void);

/* Threads used by every parallel part of the library, for calls from any thread (one OpenMP pool;
 * 0 = OpenMP's default: all cores, or OMP_NUM_THREADS). */
MUMLOC_API mumloc_status mumloc_set_threads(int threads);
MUMLOC_API int mumloc_get_threads(void);

/* Progress callback: called from the calling thread with done/total work units. Return non-zero to
 * cancel; the call then fails with MUMLOC_ERR_CANCELLED and leaves no partial output file. */
typedef int (*mumloc_progress_fn)(void *user, int64_t done, int64_t total);

/* ---------------------------------------------------------------------------------------------- */
/* Optics                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

#define MUMLOC_MAX_PLANES 8

typedef struct mumloc_optics {
    int planes;                                  /* k, 1..MUMLOC_MAX_PLANES (default 4) */
    double plane_depth_nm[MUMLOC_MAX_PLANES];    /* depth each plane images (default 200, 600, ...) */
    double pixel_nm;                             /* camera pixel in the sample (default 192) */
    double psf_amplitude;                        /* a', integrated intensity, photon·nm² (5.00e7) */
    double psf_w0_nm;                            /* in-focus standard deviation w0 (133.05) */
    double psf_d_nm;                             /* defocus scale d (302.38) */
    double psf_A;                                /* cubic term A (7.37e-4) */
    double psf_B;                                /* quartic term B (0.1225) */
} mumloc_optics;

/* Fills the documented defaults (science.md §2–3). */
MUMLOC_API void mumloc_optics_default(mumloc_optics *optics);
/* Checks every field; the message names the first bad field and its accepted range. */
MUMLOC_API mumloc_status mumloc_optics_validate(const mumloc_optics *optics);
/* PSF standard deviation w(Δz) in nm. */
MUMLOC_API double mumloc_psf_width_nm(const mumloc_optics *optics, double dz_nm);
/* Optics files are JSON objects with the field names above ("plane_depth_nm" an array whose length
 * is "planes"); missing fields keep their defaults, unknown fields are an error. */
MUMLOC_API mumloc_status mumloc_optics_load(const char *path, mumloc_optics *optics);
MUMLOC_API mumloc_status mumloc_optics_save(const char *path, const mumloc_optics *optics);

/* ---------------------------------------------------------------------------------------------- */
/* Camera and noise                                                                                */
/* ---------------------------------------------------------------------------------------------- */

typedef struct mumloc_camera {
    double background_photons;  /* λ: expected background photons per pixel (default 10) */
    double read_noise_e;        /* σ of Gaussian read noise, electrons (default 3) */
    double em_gain;             /* EM multiplication G, 1 = none (default 1) */
    double adu_per_electron;    /* ADU gain (default 1): ADU = offset + gain · electrons */
    double offset_adu;          /* baseline (default 0) */
} mumloc_camera;

MUMLOC_API void mumloc_camera_default(mumloc_camera *camera);
MUMLOC_API mumloc_status mumloc_camera_validate(const mumloc_camera *camera);

typedef enum mumloc_noise {
    MUMLOC_NOISE_PHYSICAL = 0, /* Poisson(signal + λ), EM gain, read noise, gain, offset */
    MUMLOC_NOISE_NONE = 1      /* the exact expectation: offset + gain·G·(signal + λ) */
} mumloc_noise;

/* ---------------------------------------------------------------------------------------------- */
/* Simulation                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

typedef enum mumloc_sample {
    MUMLOC_SAMPLE_UNIFORM = 0,   /* independent molecules uniform in the field and z range */
    MUMLOC_SAMPLE_HELIX = 1,     /* blinking emitters along one 3D helix */
    MUMLOC_SAMPLE_FILAMENTS = 2  /* blinking emitters along a few curved 3D filaments */
} mumloc_sample;

typedef struct mumloc_sim_params {
    mumloc_optics optics;
    mumloc_camera camera;
    mumloc_noise noise;
    mumloc_sample sample;
    int width, height;            /* pixels per plane (default 64×64) */
    int64_t frames;               /* frames in the movie (default 100) */
    uint64_t seed;                /* default 1 */
    int molecules;                /* molecules per frame (default 10); ignored if density > 0 */
    double density_per_um2;       /* if > 0: Poisson count per frame with mean density·area */
    double weight_min, weight_max;/* c uniform in [min, max] (default 0.3, 1.0) */
    double z_min_nm, z_max_nm;    /* molecule depth range (default 0, 1600) */
    double drift_max_nm;          /* max |drift| per axis of planes 2..k (default 48) */
    double drift_step_nm;         /* drift is a multiple of this (default 24); 0 = continuous */
    int filaments;                /* number of filaments for MUMLOC_SAMPLE_FILAMENTS (default 5) */
} mumloc_sim_params;

MUMLOC_API void mumloc_sim_params_default(mumloc_sim_params *params);
/* Checks every field (optics and camera included); the message names the option and its range. */
MUMLOC_API mumloc_status mumloc_sim_params_validate(const mumloc_sim_params *params);
/* Writes the parameters as one line of JSON (no backslashes, no newlines) into buf. Fails with
 * MUMLOC_ERR_INVALID_ARGUMENT if cap is too small; *needed (if not NULL) gets the length + 1. */
MUMLOC_API mumloc_status mumloc_sim_params_to_json(const mumloc_sim_params *params, char *buf,
                                                    size_t cap, size_t *needed);

/* One molecule of the ground truth. */
typedef struct mumloc_emitter {
    int64_t frame;     /* 0-based frame index */
    double x_nm, y_nm, z_nm;
    double weight;     /* c */
    double photons;    /* expected photons summed over all k planes: k · c · a' / p² */
} mumloc_emitter;

typedef struct mumloc_simulator mumloc_simulator;

/* Validates params and builds the sample's structure (helix, filaments) from the seed. */
MUMLOC_API mumloc_status mumloc_simulator_create(const mumloc_sim_params *params,
                                                 mumloc_simulator **out);
MUMLOC_API void mumloc_simulator_destroy(mumloc_simulator *sim);
MUMLOC_API const mumloc_sim_params *mumloc_simulator_params(const mumloc_simulator *sim);

/* Upper bound on the molecules any single frame can hold (for sizing truth buffers): `molecules`,
 * or in density mode ceil(mean + 10·sqrt(mean) + 10) with mean = density·area, where the Poisson
 * count is capped (the cap changes the law by less than 1e-20 in probability). */
MUMLOC_API int mumloc_simulator_max_emitters(const mumloc_simulator *sim);

/* Ground truth of frame `frame` (0-based): writes *count emitters into out (capacity cap).
 * Here and below a frame index may be any value in [0, 2^48), beyond params.frames too (training
 * draws an endless stream); each index is its own frame. */
MUMLOC_API mumloc_status mumloc_simulate_truth(const mumloc_simulator *sim, int64_t frame,
                                               mumloc_emitter *out, int cap, int *count);

/* Drift of every plane for frame `frame`: dx_dy[2·d], dx_dy[2·d + 1] for plane d (0-based; plane 0 is
 * always 0). The molecule appears at (x − dx, y − dy) in plane d. */
MUMLOC_API mumloc_status mumloc_simulate_drift(const mumloc_simulator *sim, int64_t frame,
                                               double *dx_dy);

/* Simulates frames [first, first + count) into pixels (count · k · H · W floats, layout above).
 * Multithreaded; output independent of the thread count. */
MUMLOC_API mumloc_status mumloc_simulate_frames(const mumloc_simulator *sim, int64_t first,
                                                int64_t count, float *pixels);

/* Simulates the whole movie to files, streaming in frame batches with bounded memory:
 *   movie_path   TIFF hyperstack ImageJ opens (C = k, Z = 1, T = frames, 32-bit float), with the
 *                parameters in its description; required.
 *   truth_path   ThunderSTORM CSV of the ground truth, or NULL.
 *   drift_path   CSV "frame","plane","dx [nm]","dy [nm]" for every frame and plane, or NULL.
 * Files are written under temporary names and renamed at the end: on any failure or cancellation no
 * output file is left behind. */
MUMLOC_API mumloc_status mumloc_simulate_to_files(const mumloc_sim_params *params,
                                                  const char *movie_path, const char *truth_path,
                                                  const char *drift_path,
                                                  mumloc_progress_fn progress, void *user);

/* ---------------------------------------------------------------------------------------------- */
/* Numbers in tables                                                                               */
/* ---------------------------------------------------------------------------------------------- */

/* Formats a number the way mumloc's CSV files do: plain decimal, never exponent notation, up to 9
 * significant digits, trailing zeros removed; "NaN", "Infinity", "-Infinity". buf needs 64 bytes at
 * least (returns MUMLOC_ERR_INVALID_ARGUMENT otherwise). In detail: integers below 10^15 are written
 * exactly; other values are rounded to 9 significant digits and to at most 45 decimals (so
 * |v| < 5e-46 writes "0", 1e-12 writes "0.000000000001"); magnitudes that round to 10^60 or more
 * are written as ±Infinity. The text never depends on the process locale. */
MUMLOC_API mumloc_status mumloc_format_number(double value, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* MUMLOC_H */
