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
 *
 * Using it: a movie to a ThunderSTORM table (link with -lmumloc).
 *
 *     mumloc_model *model = NULL;
 *     mumloc_localize_options options;
 *     mumloc_localize_options_default(&options);         // always start from the defaults
 *     options.camera.offset_adu = 100.0;                 // then change what differs
 *     mumloc_localize_summary summary;
 *     mumloc_status s = mumloc_model_load("model.safetensors", &model);
 *     if (s == MUMLOC_OK)
 *         s = mumloc_localize_file(model, "movie.tif", "table.csv", &options, &summary, NULL, NULL);
 *     if (s != MUMLOC_OK) fprintf(stderr, "%s\n", mumloc_last_error());
 *     mumloc_model_destroy(model);
 *
 * How the API grows. Option and parameter structs are filled by their _default function before use;
 * new fields are only ever appended at the end of a struct and default to the old behaviour, so a
 * caller that starts from _default keeps working unchanged. Removing or reordering a field, or
 * changing a default's meaning, is a new major version (MUMLOC_VERSION_MAJOR); adding functions or
 * appending fields is a new minor version. Enums only gain values at the end.
 *
 * Reading order: the first part declares what a program calls (errors, optics and camera,
 * simulation, models and training, tables, localization, rendering, evaluation, post-processing,
 * rigs); after it, marked "Building blocks", come the lower-level steps that localization is built
 * from (decoders, Cramér–Rao bounds, refinement, the CS solver), for programs that assemble their
 * own pipeline.
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

/* The version this header belongs to (CMake and the jar take theirs from here). */
#define MUMLOC_VERSION_MAJOR 0
#define MUMLOC_VERSION_MINOR 1
#define MUMLOC_VERSION_PATCH 0

/* Library version, "MAJOR.MINOR.PATCH": the header's, when header and library are the same build. */
MUMLOC_API const char *mumloc_version(void);

/* Threads used by every parallel part of the library, for calls from any thread (one OpenMP pool;
 * 0 = OpenMP's default: all cores, or OMP_NUM_THREADS). */
MUMLOC_API mumloc_status mumloc_set_threads(int threads);
MUMLOC_API int mumloc_get_threads(void);

/* How idle OpenMP threads wait: "passive" (sleep at once) unless the environment chose otherwise.
 * Spinning threads steal the core a descheduled sibling needs, so on a machine with other work a
 * spinning pool runs slower with more threads. The library sets OMP_WAIT_POLICY=passive when it is
 * loaded with dlopen (Fiji, Java, Python) and the variable is unset; a program linked against it at
 * start-up must set it before start (the mumloc CLI re-executes itself with it). Returns the policy
 * the OpenMP runtime read: the variable's value, or "spin, then sleep" when it was unset. */
MUMLOC_API const char *mumloc_omp_wait_policy(void);

/* Progress callback: called from the calling thread with done/total work units. Return non-zero to
 * cancel; the call then fails with MUMLOC_ERR_CANCELLED and leaves no partial output file. */
typedef int (*mumloc_progress_fn)(void *user, int64_t done, int64_t total);

/* ---------------------------------------------------------------------------------------------- */
/* Files a command reads and writes                                                                */
/* ---------------------------------------------------------------------------------------------- */

/* 1 when paths a and b name the same file: the same device and inode once symbolic links are
 * followed (so a hard link or a symbolic link to a file is that file), or, for paths that do not
 * exist yet, the same name in the same folder ("t.csv" and "./t.csv"). 0 otherwise, and for NULL. */
MUMLOC_API int mumloc_files_same(const char *a, const char *b);

/* One file named by a caller: what it is for in messages ("--in", "the movie") and whether the
 * command reads or writes it. A NULL path (not given) is skipped. */
typedef struct mumloc_file_role {
    const char *path;
    const char *label;
    int output;         /* 0: read, 1: written */
} mumloc_file_role;

/* Checks the files of one command before any work, so that a mistake costs nothing and loses no
 * data: an input that exists must be a regular file (a folder, FIFO or device is refused: reading a
 * FIFO would wait forever); an output must not be an existing folder, FIFO or device, nor the same file
 * (mumloc_files_same) as an input or as another output. A missing input is left to its reader. Fails
 * with MUMLOC_ERR_INVALID_ARGUMENT and a message naming both labels and paths. */
MUMLOC_API mumloc_status mumloc_check_files(const mumloc_file_role *files, int count);

/* ---------------------------------------------------------------------------------------------- */
/* Optics                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

#define MUMLOC_MAX_PLANES 8

/* One plane's own PSF, for rigs whose cameras differ (aberrations, splitter ratios). */
typedef struct mumloc_plane_psf {
    double w0_nm, d_nm, A, B;   /* the plane's defocus curve w(Δz) = w0·sqrt(1+t²+At³+Bt⁴), t=Δz/d */
    double transmission;        /* relative share of the molecule's photons this plane receives (> 0) */
} mumloc_plane_psf;

typedef struct mumloc_optics {
    int planes;                                  /* k, 1..MUMLOC_MAX_PLANES (default 4) */
    double plane_depth_nm[MUMLOC_MAX_PLANES];    /* depth each plane images (default 200, 600, ...) */
    double pixel_nm;                             /* camera pixel in the sample (default 192) */
    double psf_amplitude;                        /* a', integrated intensity, photon·nm² (5.00e7): the
                                                    per-plane amplitude of an equal split, so a
                                                    molecule of weight c emits k·c·a' photons in all */
    double psf_w0_nm;                            /* in-focus standard deviation w0 (133.05) */
    double psf_d_nm;                             /* defocus scale d (302.38) */
    double psf_A;                                /* cubic term A (7.37e-4) */
    double psf_B;                                /* quartic term B (0.1225) */
    /* Appended last so that older initialisers keep compiling. */
    int per_plane;                               /* 0 (default, the papers' model, what old files
                                                    mean): every plane uses psf_w0_nm, psf_d_nm,
                                                    psf_A, psf_B and equal transmission;
                                                    1: plane d uses plane_psf[d] */
    mumloc_plane_psf plane_psf[MUMLOC_MAX_PLANES]; /* default: the common values, transmission 1 */
} mumloc_optics;

/* Fills the documented defaults (science.md §2–3). */
MUMLOC_API void mumloc_optics_default(mumloc_optics *optics);
/* Checks every field (with per_plane, every plane's PSF and transmission, the message naming the
 * plane); the message names the first bad field and its accepted range. */
MUMLOC_API mumloc_status mumloc_optics_validate(const mumloc_optics *optics);
/* PSF standard deviation w(Δz) in nm of the common curve (psf_w0_nm, psf_d_nm, psf_A, psf_B). */
MUMLOC_API double mumloc_psf_width_nm(const mumloc_optics *optics, double dz_nm);
/* The values plane (0-based, < planes) uses: plane_psf[plane] when per_plane, else the common curve
 * with transmission 1. */
MUMLOC_API mumloc_plane_psf mumloc_optics_plane_psf(const mumloc_optics *optics, int plane);
/* t_d / Σ t over the k planes: the fraction of a molecule's total photons plane d receives (exactly
 * 1/k when per_plane is 0). */
MUMLOC_API double mumloc_optics_plane_share(const mumloc_optics *optics, int plane);
/* PSF standard deviation w(Δz) in nm of that plane's own curve. */
MUMLOC_API double mumloc_psf_plane_width_nm(const mumloc_optics *optics, int plane, double dz_nm);
/* Optics files are JSON objects with the field names above ("plane_depth_nm" an array whose length
 * is "planes"); missing fields keep their defaults, unknown fields are an error. Per-plane optics
 * add "plane_psf": [{"w0_nm":…, "d_nm":…, "A":…, "B":…, "transmission":…}, …] (one object per
 * plane, every member required), which sets per_plane 1; files without it mean per_plane 0. */
MUMLOC_API mumloc_status mumloc_optics_load(const char *path, mumloc_optics *optics);
MUMLOC_API mumloc_status mumloc_optics_save(const char *path, const mumloc_optics *optics);
/* The optics a movie records. description: a TIFF ImageDescription, or ImageJ's "Info" text, whose
 * lines may include mumloc's record "mumloc={...}" with an "optics" object (as
 * mumloc_simulate_to_files writes it). *found = 1 and optics filled when the record is there and its
 * optics read as valid optics (every field present); *found = 0 and optics untouched otherwise (a
 * foreign movie, or a record without readable optics: nothing to check). Fails only for NULL
 * found/optics or out of memory; a NULL description is "not found". Compare the result with
 * mumloc_model_check_optics before localizing. */
MUMLOC_API mumloc_status mumloc_optics_from_description(const char *description, int *found,
                                                        mumloc_optics *optics);

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

/* "physical", "none"; NULL for a value out of range. Every enum below has this pair: the CLI's
 * choice lists, Java's lists and the files are built from it. */
MUMLOC_API const char *mumloc_noise_name(int noise);
/* The noise model of that name; MUMLOC_ERR_INVALID_ARGUMENT listing the names otherwise. */
MUMLOC_API mumloc_status mumloc_noise_from_name(const char *name, mumloc_noise *out);

/* ---------------------------------------------------------------------------------------------- */
/* Simulation                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

typedef enum mumloc_sample {
    MUMLOC_SAMPLE_UNIFORM = 0,   /* independent molecules uniform in the field and z range */
    MUMLOC_SAMPLE_HELIX = 1,     /* blinking emitters along one 3D helix */
    MUMLOC_SAMPLE_FILAMENTS = 2  /* blinking emitters along a few curved 3D filaments */
} mumloc_sample;

/* "uniform", "helix", "filaments"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_sample_name(int sample);
MUMLOC_API mumloc_status mumloc_sample_from_name(const char *name, mumloc_sample *out);

typedef struct mumloc_sim_params {
    mumloc_optics optics;
    mumloc_camera camera;
    mumloc_noise noise;
    mumloc_sample sample;
    int width, height;            /* pixels per plane (default 64×64) */
    int64_t frames;               /* frames in the movie (default 100) */
    uint64_t seed;                /* default 1 */
    int molecules;                /* molecules per frame (default 10; the most, with molecules_min
                                     below); ignored if density > 0 */
    double density_per_um2;       /* if > 0: Poisson count per frame with mean density·area */
    double weight_min, weight_max;/* c uniform in [min, max] (default 0.3, 1.0) */
    double z_min_nm, z_max_nm;    /* molecule depth range (default 0, 1600) */
    double drift_max_nm;          /* max |drift| per axis of planes 2..k (default 48) */
    double drift_step_nm;         /* drift is a multiple of this (default 24); 0 = continuous */
    int filaments;                /* number of filaments for MUMLOC_SAMPLE_FILAMENTS (default 5) */
    int molecules_min;            /* if 0 < molecules_min <= molecules: each frame's count is uniform
                                     on {molecules_min, ..., molecules} (sparse and dense frames in
                                     one run); 0 (default) = always `molecules`. Ignored if
                                     density > 0. Added last so older initialisers keep working. */
    double stage_drift_nm;        /* sample (stage) drift: a smooth random 3D path over the movie,
                                     0 at the first frame, at most this far from it per axis (dz at
                                     most half); the camera sees molecules displaced by it, the
                                     truth keeps their true positions (default 0: none) */
    double camera_drift_nm;       /* slow camera drift of planes 2..k (a registration error that
                                     creeps): per plane and axis a constant offset plus a smooth
                                     random path over the movie (three slow harmonics), within
                                     ±camera_drift_nm; added to the per-frame draws of drift_max_nm
                                     (set that to 0 for slow drift alone). Default 0: none. */
} mumloc_sim_params;

MUMLOC_API void mumloc_sim_params_default(mumloc_sim_params *params);
/* Checks every field (optics and camera included); the message names the option and its range. */
MUMLOC_API mumloc_status mumloc_sim_params_validate(const mumloc_sim_params *params);
/* Writes the parameters as one line of JSON (no backslashes, no newlines) into buf. Fails with
 * MUMLOC_ERR_INVALID_ARGUMENT if cap is too small; *needed (if not NULL) gets the length + 1. */
MUMLOC_API mumloc_status mumloc_sim_params_to_json(const mumloc_sim_params *params, char *buf,
                                                    size_t cap, size_t *needed);
/* Reads such a record (a movie's description record, or the "simulation" member of a model's
 * "training" metadata) back into *params. Keys the record lacks keep their defaults
 * (mumloc_sim_params_default), so records written before a parameter existed read as they were meant
 * (e.g. no "molecules_min": 0, a fixed count); unknown keys such as "mumloc_version" are ignored.
 * Not JSON, a key of the wrong type: MUMLOC_ERR_FORMAT; a value out of range: the validation's
 * MUMLOC_ERR_INVALID_ARGUMENT. *params is unchanged on failure. */
MUMLOC_API mumloc_status mumloc_sim_params_from_json(const char *json, mumloc_sim_params *params);

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

/* Upper bound on the molecules any single frame can hold (for sizing truth buffers): `molecules`
 * (with or without molecules_min), or in density mode ceil(mean + 10·sqrt(mean) + 10) with
 * mean = density·area, where the Poisson count is capped (the cap changes the law by less than
 * 1e-20 in probability). */
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
/* Rigs: the cameras of a real multifocal microscope                                               */
/* ---------------------------------------------------------------------------------------------- */

/* How a rig's raw data are stored. */
typedef enum mumloc_rig_layout {
    MUMLOC_RIG_HYPERSTACK = 0, /* one stack, cameras as channels (C = k); or planes as the movie's plane axis */
    MUMLOC_RIG_FILES = 1,      /* one file per camera, each a T-stack in its camera's own pixel frame */
    MUMLOC_RIG_TILES2X2 = 2,   /* one chip; camera 1 top-left, 2 top-right, 3 bottom-left, 4 bottom-right */
    MUMLOC_RIG_TILES1X4 = 3,   /* one chip, one row of 4 tiles, camera 1 leftmost */
    MUMLOC_RIG_TILES4X1 = 4    /* one chip, one column of 4 tiles, camera 1 on top */
} mumloc_rig_layout;
#define MUMLOC_RIG_LAYOUT_COUNT 5

/* "hyperstack", "files", "tiles2x2", "tiles1x4", "tiles4x1" ("unknown" for other values). */
MUMLOC_API const char *mumloc_rig_layout_name(mumloc_rig_layout layout);
/* The layout of that name (case-insensitive); MUMLOC_ERR_INVALID_ARGUMENT listing the names. */
MUMLOC_API mumloc_status mumloc_rig_layout_from_name(const char *name, mumloc_rig_layout *layout);
/* Tiles across and down one chip: 2×2, 4×1 (tiles1x4: 4 columns, 1 row), 1×4 (tiles4x1); 1×1 for
 * hyperstack and files. Fails for an unknown layout. */
MUMLOC_API mumloc_status mumloc_rig_layout_grid(mumloc_rig_layout layout, int *columns, int *rows);

/* The largest "calibration" record a rig keeps (bytes, with the terminating NUL). */
#define MUMLOC_RIG_CALIBRATION_MAX 16384

/* The PSF model fits use (issue 13): the Gaussian of the optics' per-plane curves, or a spline
 * measured from beads per plane (mumloc_calibrate with psf MUMLOC_PSF_SPLINE), stored in a spline
 * PSF file beside the rig file (safetensors; the format is in the README). */
typedef enum mumloc_psf_kind { MUMLOC_PSF_GAUSSIAN = 0, MUMLOC_PSF_SPLINE = 1 } mumloc_psf_kind;
#define MUMLOC_PSF_KIND_COUNT 2
/* The longest spline PSF file name a rig keeps (bytes, with the terminating NUL). */
#define MUMLOC_RIG_PSF_FILE_MAX 1024

typedef struct mumloc_rig_camera {
    double to_camera[6];   /* reference → this camera, in pixel units where pixel (i, j) covers
                              [i, i+1) × [j, j+1) (so its centre is (i+0.5, j+0.5)):
                              u = t0·x + t1·y + t2,  v = t3·x + t4·y + t5.  Camera 1: identity.
                              Mirror flips and quarter turns are included. */
    int flip_x, flip_y, quarter_turns;   /* the discrete part found by matching (also inside
                              to_camera): D = R^quarter_turns · F, F = diag(flip_x ? −1 : 1,
                              flip_y ? −1 : 1) applied first, R(x, y) = (−y, x); to_camera's linear
                              part is D times a near-identity matrix (|rotation| < 10°, scale
                              within 20 %), which mumloc_rig_validate checks */
    double offset_adu, adu_per_electron, em_gain, read_noise_e;  /* this camera's model */
    int frame_offset;      /* camera frame f shows reference frame f + frame_offset (0 normally) */
    double residual_nm;    /* calibration: registration RMS residual in the sample, 0 = unknown */
    int beads;             /* calibration: beads matched in this camera, 0 = unknown */
} mumloc_rig_camera;

typedef struct mumloc_rig {
    int version;                 /* 1 */
    mumloc_rig_layout layout;
    int width, height;           /* one camera's frame (one tile) in pixels */
    mumloc_optics optics;        /* in the sample, in the reference camera's pixel_nm; optics.planes =
                                    number of cameras, camera d images plane d. A camera whose
                                    to_camera scales by s (sqrt|det|) records PSF widths s times
                                    as many of its own pixels. */
    mumloc_rig_camera camera[MUMLOC_MAX_PLANES];
    double z_step_nm;            /* calibration record (0 when made by hand) */
    int z_steps;
    char calibration[MUMLOC_RIG_CALIBRATION_MAX]; /* the file's free "calibration" object as compact
                                    JSON (inputs, fit quality), "" when none; kept, never needed */
    mumloc_psf_kind psf;         /* the PSF every fit with this rig uses (default gaussian) */
    char psf_file[MUMLOC_RIG_PSF_FILE_MAX]; /* spline: the spline PSF file as the rig file names it,
                                    relative to the rig file's folder (or absolute) */
    char psf_hash[65];           /* spline: the spline's content hash (64 hex digits: SHA-256 of
                                    its coefficients as the file stores them) */
    char psf_path[MUMLOC_RIG_PSF_FILE_MAX]; /* spline: where the file is, as mumloc_rig_load
                                    resolved psf_file against the rig file's folder ("": psf_file
                                    is used as it is) */
} mumloc_rig;

/* Identity registration, default optics with `planes` planes, default camera model
 * (mumloc_camera_default), layout hyperstack, version 1, no calibration record. */
MUMLOC_API void mumloc_rig_default(mumloc_rig *rig, int planes, int width, int height);
/* Checks every field; the message names the field (and camera, 1-based) and what to do. */
MUMLOC_API mumloc_status mumloc_rig_validate(const mumloc_rig *rig);
/* Rig files are JSON: {"mumloc_rig": 1, "layout": "hyperstack", "width": W, "height": H,
 * "optics": {optics object}, "cameras": [{"to_camera": [6 numbers], "flip_x": 0, "flip_y": 0,
 * "quarter_turns": 0, "offset_adu", "adu_per_electron", "em_gain", "read_noise_e", "frame_offset",
 * "residual_nm", "beads"}, …one per plane], "z_step_nm", "z_steps", "calibration": {…}}.
 * Optional "psf": {"model": "spline" | "gaussian", "file": "name.psf.safetensors", "hash": "<64
 * hex>"} (file and hash for spline only): loading a spline rig also loads the spline file (its path
 * relative to the rig file's folder) and checks it against the hash, the plane count and the pixel;
 * a missing or changed file fails naming it (MUMLOC_ERR_IO / MUMLOC_ERR_FORMAT).
 * Required: "mumloc_rig", "width", "height", "optics", "cameras" and each camera's "to_camera";
 * other fields keep mumloc_rig_default's values. Unknown keys, a version other than 1, wrong types:
 * MUMLOC_ERR_FORMAT; values that fail mumloc_rig_validate: MUMLOC_ERR_INVALID_ARGUMENT. *rig is
 * unchanged on failure. Saving validates first and writes atomically. */
MUMLOC_API mumloc_status mumloc_rig_load(const char *path, mumloc_rig *rig);
MUMLOC_API mumloc_status mumloc_rig_save(const char *path, const mumloc_rig *rig);
/* The spline PSF file that belongs beside the rig file rig_path: "DIR/NAME.json" →
 * "DIR/NAME.psf.safetensors" (any other name: the name + ".psf.safetensors"). Fails when cap is too
 * small. */
MUMLOC_API mumloc_status mumloc_rig_psf_sidecar_path(const char *rig_path, char *buf, size_t cap);
/* "gaussian" or "spline" (NULL for other values, so that a caller can list them all); and back
 * (case-insensitive; fails listing the names). */
MUMLOC_API const char *mumloc_psf_kind_name(int kind);
MUMLOC_API mumloc_status mumloc_psf_kind_from_name(const char *name, mumloc_psf_kind *kind);
/* The inverse map camera → reference, and mapping a point, for resampling and fits. Fails when the
 * linear part is singular (|det| < 1e-9) or a value is not finite. */
MUMLOC_API mumloc_status mumloc_rig_affine_invert(const double to_camera[6], double to_reference[6]);
/* (u, v) = affine applied to (x, y), pixel units. */
MUMLOC_API void mumloc_rig_affine_apply(const double affine[6], double x, double y, double *u,
                                        double *v);

/* Camera images ↔ one chip of tiles (layouts tiles2x2, tiles1x4, tiles4x1; mumloc_rig_layout_grid):
 * cameras holds planes × height × width floats (camera after camera, rig width × height each), chip
 * (columns · width) × (rows · height) floats, row-major, camera d's tile at column d mod columns,
 * row d / columns. Fails for the other layouts. */
MUMLOC_API mumloc_status mumloc_rig_tiles_split(const mumloc_rig *rig, const float *chip,
                                                float *cameras);
MUMLOC_API mumloc_status mumloc_rig_tiles_join(const mumloc_rig *rig, const float *cameras,
                                               float *chip);
/* The file of camera `camera` (1-based) in the files layout, from the one name a user gives:
 * "OUT.tif" → "OUT_cam1.tif", "OUT.tiff" → "OUT_cam1.tiff", "OUT" → "OUT_cam1.tif". */
MUMLOC_API mumloc_status mumloc_rig_camera_path(const char *path, int camera, char *buf, size_t cap);

/* Simulation for a rig: params' optics, width and height become the rig's (its other fields stay;
 * its camera model is replaced per camera by the rig's in the calls below). */
MUMLOC_API void mumloc_rig_sim_params(const mumloc_rig *rig, mumloc_sim_params *params);
/* What the rig's cameras record, frames [first, first + count) of a simulator made with
 * mumloc_rig_sim_params: per frame planes × height × width floats, camera d's image in its own pixel
 * frame. Camera d sees every molecule (after the plane drift of the simulator, in the reference frame)
 * at to_camera applied to its reference position, with PSF widths times sqrt|det| of to_camera's
 * linear part (exact for rotations; the slight ellipticity of a shear or unequal scales, ~1 % in real
 * rigs, is neglected); its frame f shows reference frame f + frame_offset (before frame 0: no
 * molecules); its own offset, ADU gain, EM gain and read noise, the simulator's background and noise
 * mode. The ground truth (mumloc_simulate_truth) stays in camera 1's frame. */
MUMLOC_API mumloc_status mumloc_simulate_rig_frames(const mumloc_simulator *sim,
                                                    const mumloc_rig *rig, int64_t first,
                                                    int64_t count, float *pixels);
/* mumloc_simulate_to_files for a rig: params as for mumloc_rig_sim_params, the movie in the rig's
 * layout — hyperstack: one TIFF, C = cameras, T = frames; files: one T-stack per camera named by
 * mumloc_rig_camera_path(movie_path); tiles*: one TIFF of chips. bits 32: float; 16: camera counts
 * rounded and clipped to 0..65535 as a 16-bit camera records them. Truth and drift tables as for
 * mumloc_simulate_to_files (truth in camera 1's frame). All files or none. */
MUMLOC_API mumloc_status mumloc_simulate_rig_to_files(const mumloc_sim_params *params,
                                                      const mumloc_rig *rig, int bits,
                                                      const char *movie_path,
                                                      const char *truth_path,
                                                      const char *drift_path,
                                                      mumloc_progress_fn progress, void *user);

/* A bead z-stack for calibration: beads fixed in the sample (at one height, as on a coverslip),
 * imaged by every camera of a rig while the stage steps through z. At step s the beads lie at depth
 * z_from_nm + s · z_step_nm in the reference frame's z convention (plane d in focus when that equals
 * plane_depth_nm[d]), displaced laterally by the scan's drift. */
typedef struct mumloc_bead_params {
    int beads;                  /* beads in the field (default 30) */
    double z_step_nm;           /* stage step (default 50) */
    double z_from_nm, z_to_nm;  /* bead depth at the first step and the last one reached (default
                                   −600 and 2200: every default plane's focus ±800 nm) */
    double photons;             /* expected photons of a bead per step, summed over all planes
                                   (default 20000; a 16-bit camera saturates where offset +
                                   gain·G·(peak + background) passes 65535) */
    double background_photons;  /* per pixel (default 10) */
    double drift_nm;            /* lateral drift of the scan: a straight line from 0 at the first
                                   step to this at the last, direction drawn from the seed (default
                                   0) */
    double margin_nm;           /* beads at least this far inside camera 1's field (default 1000) */
    double spacing_nm;          /* beads at least this far apart (default 2000) */
    mumloc_noise noise;         /* default physical */
    uint64_t seed;              /* default 1 */
} mumloc_bead_params;

MUMLOC_API void mumloc_bead_params_default(mumloc_bead_params *params);
/* Checks every field; the message names the option (as the CLI spells it) and its range. */
MUMLOC_API mumloc_status mumloc_bead_params_validate(const mumloc_bead_params *params);
/* Stage steps of the scan: floor((z_to − z_from) / z_step) + 1. */
MUMLOC_API int mumloc_bead_steps(const mumloc_bead_params *params);
/* Writes the bead z-stack the rig's cameras record, 16-bit (camera counts with each camera's offset,
 * gain, EM gain and read noise, clipped at 65535), in the rig's layout: hyperstack C = cameras,
 * Z = steps; files one Z-stack per camera (mumloc_rig_camera_path); tiles* one Z-stack of chips.
 * truth_path (or NULL): CSV "id","x [nm]","y [nm]","intensity [photon]" of the beads in camera 1's
 * frame at the first step; scan_path (or NULL): CSV "slice","z [nm]","dx [nm]","dy [nm]" per step
 * (slice 1-based; the beads' depth and lateral drift). Every camera records every step (frame
 * offsets do not apply to a z scan). Fails when the beads do not fit at the spacing. All files or
 * none. */
MUMLOC_API mumloc_status mumloc_simulate_beads(const mumloc_rig *rig, const mumloc_bead_params *params,
                                               const char *stack_path, const char *truth_path,
                                               const char *scan_path, mumloc_progress_fn progress,
                                               void *user);

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

/* ---------------------------------------------------------------------------------------------- */
/* Devices and backends                                                                           */
/* ---------------------------------------------------------------------------------------------- */

/* Where the networks run. The CPU is always there. CUDA lives in a separate shared object,
 * libmumloc_cuda.so (next to libmumloc.so, or named by the environment variable MUMLOC_CUDA_LIBRARY),
 * loaded on first use; it needs an NVIDIA driver, a GPU of compute capability 7.5 or newer and cuDNN 9
 * (libcudnn.so.9). Without any of these the library works as before on the CPU, and says why. */
typedef enum mumloc_device_kind {
    MUMLOC_DEVICE_AUTO = 0, /* CUDA device 0 when usable, else the CPU */
    MUMLOC_DEVICE_CPU = 1,
    MUMLOC_DEVICE_CUDA = 2
} mumloc_device_kind;

typedef struct mumloc_device {
    mumloc_device_kind kind;
    int index; /* CUDA device number (0-based); 0 for AUTO and CPU */
} mumloc_device;

/* Parses "auto", "cpu", "cuda" (= "cuda:0") or "cuda:N" (case-insensitive, surrounding blanks
 * ignored) — the CLI's --device and the Fiji dialogs' "Device" field. */
MUMLOC_API mumloc_status mumloc_device_parse(const char *text, mumloc_device *out);
/* Writes the canonical text ("auto", "cpu", "cuda:N"); buf needs 16 bytes. */
MUMLOC_API mumloc_status mumloc_device_format(mumloc_device device, char *buf, size_t cap);

/* The outcome of a selection: the device that will run (CPU or CUDA, never AUTO) and a sentence a user
 * can read, e.g. "CUDA:0: NVIDIA H100 80GB HBM3 (85.0 GB, compute 9.0)" or
 * "CPU: no CUDA device (CUDA driver missing or too old: CUDA driver version is insufficient for CUDA
 * runtime version)". */
typedef struct mumloc_device_choice {
    mumloc_device device;
    char reason[384];
} mumloc_device_choice;

/* Resolves a request. AUTO always succeeds (falling back to the CPU with the reason; should the GPU
 * then fail to start a backend, e.g. out of memory, the work also goes to the CPU). CPU always
 * succeeds. CUDA:N fails with MUMLOC_ERR_UNSUPPORTED when CUDA is unusable (message and out->reason
 * say why) and MUMLOC_ERR_INVALID_ARGUMENT when N is not a device; out->device is then the CPU. The
 * CUDA probe runs once per process; later calls reuse its answer. */
MUMLOC_API mumloc_status mumloc_device_resolve(mumloc_device requested, mumloc_device_choice *out);

typedef struct mumloc_device_info {
    mumloc_device device;
    char name[128];        /* "CPU" or the GPU's name */
    int64_t memory_bytes;  /* GPU memory; 0 for the CPU */
    int compute_major, compute_minor; /* CUDA compute capability; 0 for the CPU */
} mumloc_device_info;

/* Lists usable devices: the CPU first, then every CUDA device. Writes up to `capacity` entries and
 * the total into *count (call with capacity 0 to count). */
MUMLOC_API mumloc_status mumloc_device_list(mumloc_device_info *out, int capacity, int *count);

/* mumloc_simulate_frames on a chosen device (resolved as mumloc_device_resolve does). On CUDA the
 * emitters and drifts come from the CPU code and the GPU renders and adds noise to every pixel with the
 * same functions and random streams: the frames equal the CPU's up to the last bits of erf/log/exp. */
MUMLOC_API mumloc_status mumloc_simulate_frames_on(const mumloc_simulator *sim, mumloc_device device,
                                                   int64_t first, int64_t count, float *pixels);

/* ---------------------------------------------------------------------------------------------- */
/* Models and training                                                                            */
/* ---------------------------------------------------------------------------------------------- */

/* A model is one of the two published networks (science.md §4) with its weights and everything
 * needed to use it: the optics it was trained for, the input normalisation, the voxel geometry and
 * the training recipe. Files are safetensors (readable from Python) with that in the metadata map.
 *
 *   regression (2020): k×H×W photons → 4k×H×W: channel d (< k) the probability that the voxel of
 *     pixel (i, j) in plane d holds a molecule, channel k + 3·d + a its offset ζ_a in [0, 1] (a = x,
 *     y, z) — decode with mumloc_decode_regression. Any H, W.
 *   voxel (2021): k×H×W photons → D×8H×8W probabilities of 24×24×50 nm voxels (default optics; in
 *     general p/8 laterally and slab/D in depth) — decode with mumloc_decode_voxel, upsampling 8.
 *
 * Input normalisation is part of the model: the network sees (photons − background) / scale, where
 * background is the training camera's λ and scale the peak pixel of an in-focus molecule of the
 * largest training weight (c_max · a' / (2π w0²), photons). Pass photons (camera offset and gain
 * removed) to mumloc_model_forward; it normalises. */
typedef enum mumloc_arch {
    MUMLOC_ARCH_REGRESSION = 0,
    MUMLOC_ARCH_VOXEL = 1
} mumloc_arch;

/* "regression", "voxel"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_arch_name(int arch);
/* The architecture of that name; MUMLOC_ERR_INVALID_ARGUMENT listing the names otherwise. */
MUMLOC_API mumloc_status mumloc_arch_from_name(const char *name, mumloc_arch *out);
/* File name (no folder) of the bundled model of an architecture: "default-model.safetensors"
 * (regression), "voxel-model.safetensors" (voxel); NULL out of range. `localize --model NAME` and
 * Fiji's model=NAME take an architecture's name for its bundled model; whether the file is installed
 * is the caller's to check. */
MUMLOC_API const char *mumloc_bundled_model_file(int arch);

typedef struct mumloc_model mumloc_model;

/* A new model with random weights (PyTorch's initialisation, from seed) for these optics (planes k
 * from optics->planes; voxel: 32 depth slices) and the normalisation of this camera and largest
 * molecule weight (camera NULL: defaults; weight_max ≤ 0: 1). */
MUMLOC_API mumloc_status mumloc_model_create(mumloc_arch arch, const mumloc_optics *optics,
                                             const mumloc_camera *camera, double weight_max,
                                             uint64_t seed, mumloc_model **out);
/* Loads and validates a model file: a truncated or foreign file, an unknown format version, a wrong
 * architecture or tensor shape, a NaN or infinite weight, or missing/invalid metadata (an input
 * normalisation outside [1e-9, 1e12] photons included) fail with MUMLOC_ERR_FORMAT (or
 * MUMLOC_ERR_IO: not a regular file, unreadable) and a message naming the file and the problem.
 * Only the header is read before it is validated. */
MUMLOC_API mumloc_status mumloc_model_load(const char *path, mumloc_model **out);
/* mumloc_model_load straight onto a device's backend: the tensors go from the file to the device,
 * never through a model on the CPU. device NULL is the CPU, as mumloc_model_load; otherwise it is
 * resolved as mumloc_model_set_device resolves it (AUTO: CUDA where usable, else the CPU and why),
 * and the model is then as if loaded and moved there (bit-identical results). choice (may be NULL)
 * says where it went and why; an unusable CUDA:N fails as mumloc_model_set_device does. */
MUMLOC_API mumloc_status mumloc_model_load_on_device(const char *path, const mumloc_device *device,
                                                     mumloc_device_choice *choice,
                                                     mumloc_model **out);
/* Saves atomically (with Adam's state when the model has been trained, so training can resume from
 * it). A loaded model saves byte-identically. */
MUMLOC_API mumloc_status mumloc_model_save(mumloc_model *model, const char *path);
MUMLOC_API void mumloc_model_destroy(mumloc_model *model);

MUMLOC_API mumloc_arch mumloc_model_arch(const mumloc_model *model);
MUMLOC_API int64_t mumloc_model_parameter_count(const mumloc_model *model);
/* The optics the model was made for. */
MUMLOC_API void mumloc_model_optics(const mumloc_model *model, mumloc_optics *optics);
/* OK if optics equal the model's (relative difference ≤ 1e-9 per field, and per plane in each
 * plane's resolved curve w0_nm, d_nm, A, B and photon share, so per_plane 0 equals per_plane 1 with
 * every plane at the common values); otherwise MUMLOC_ERR_INVALID_ARGUMENT with a message naming
 * every differing field (and plane) and both values. */
MUMLOC_API mumloc_status mumloc_model_check_optics(const mumloc_model *model,
                                                   const mumloc_optics *optics);
/* The model's default decoding threshold τ (regression 0.5; voxel 0.1, science.md §4). */
MUMLOC_API double mumloc_model_threshold(const mumloc_model *model);
/* Output of one frame of width × height pixels: channels × out_height × out_width floats. */
MUMLOC_API void mumloc_model_output_size(const mumloc_model *model, int width, int height,
                                         int *channels, int *out_width, int *out_height);
/* Multiply-accumulates of one forward pass per frame of width × height pixels. */
MUMLOC_API double mumloc_model_macs(const mumloc_model *model, int width, int height);
/* Metadata value of key (NULL if absent); owned by the model. */
MUMLOC_API const char *mumloc_model_metadata(const mumloc_model *model, const char *key);
/* Everything about the model (architecture, parameter count, planes, every metadata entry) as one
 * JSON object (one line) or as text (one "key: value" line each). Owned by the model, valid until
 * its next change. */
MUMLOC_API const char *mumloc_model_info_json(mumloc_model *model);
MUMLOC_API const char *mumloc_model_info_text(mumloc_model *model);

/* Inference on count frames of photons (layout above: frame, plane, row, column) of width × height;
 * out receives count × mumloc_model_output_size floats (frame after frame). Normalises the input as
 * described above; batch norm folded, multithreaded. */
MUMLOC_API mumloc_status mumloc_model_forward(mumloc_model *model, const float *photons, int count,
                                              int width, int height, float *out);

/* Where the model computes. Created and loaded models start on the CPU (but see
 * mumloc_model_load_on_device). mumloc_model_set_device resolves requested (NULL = AUTO) as mumloc_device_resolve does and moves the weights, batch-norm
 * statistics and Adam's state to that device's backend. AUTO falls back to the CPU and says why in
 * choice->reason; an unusable CUDA:N fails (MUMLOC_ERR_UNSUPPORTED, or MUMLOC_ERR_INVALID_ARGUMENT
 * for a device number that does not exist) with the reason in the message and leaves the model
 * where it was. Choosing the device the model is on moves nothing (the results stay bit-identical).
 * choice may be NULL; it is filled on failure too (with the CPU and the reason). */
MUMLOC_API mumloc_status mumloc_model_set_device(mumloc_model *model, const mumloc_device *requested,
                                                 mumloc_device_choice *choice);
/* The device the model computes on, with the sentence of its last selection. */
MUMLOC_API void mumloc_model_device(const mumloc_model *model, mumloc_device_choice *choice);

/* Arithmetic of inference (mumloc_model_forward, localization; training stays fp32). BF16 rounds the
 * network's input, weights and activations to bfloat16 (8 significant bits) and accumulates in fp32:
 * on CPUs with AVX512_BF16 (or AMX) it runs faster (README, "Precision"). AUTO is the library's
 * measured choice for the model's device (README, "Precision"). */
typedef enum mumloc_precision {
    MUMLOC_PRECISION_AUTO = 0,
    MUMLOC_PRECISION_FP32 = 1,
    MUMLOC_PRECISION_BF16 = 2
} mumloc_precision;

/* "auto", "fp32", "bf16"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_precision_name(int precision);
/* The precision of that name; MUMLOC_ERR_INVALID_ARGUMENT listing the names otherwise. */
MUMLOC_API mumloc_status mumloc_precision_from_name(const char *name, mumloc_precision *out);

/* Sets the model's inference arithmetic (models start in FP32). AUTO resolves on the model's device;
 * BF16 where the device does not compute it fails (MUMLOC_ERR_UNSUPPORTED, saying what is missing)
 * and changes nothing. The request travels with mumloc_model_set_device: after a move an explicit
 * BF16 the new device lacks becomes FP32 (mumloc_model_precision tells). */
MUMLOC_API mumloc_status mumloc_model_set_precision(mumloc_model *model, mumloc_precision precision);
/* The arithmetic inference uses now: MUMLOC_PRECISION_FP32 or MUMLOC_PRECISION_BF16. */
MUMLOC_API mumloc_precision mumloc_model_precision(const mumloc_model *model);

/* Speed of the network alone (random input already on the device, no normalisation, no copies out):
 * forward passes on batch frames of width × height, two warm-up calls, then repeated for
 * min_seconds (at least 3 calls). training = 1 times training steps instead (forward, loss against
 * an empty target, backward, Adam; the weights change). */
typedef struct mumloc_bench_result {
    int calls;
    double best_seconds, median_seconds; /* per call (batch frames) */
    double frames_per_second;            /* batch / best */
    double gflops;                       /* 2·MACs·batch / best (training: ×3, forward + 2 backward) */
} mumloc_bench_result;

MUMLOC_API mumloc_status mumloc_model_benchmark(mumloc_model *model, int batch, int width,
                                                int height, int training, double min_seconds,
                                                mumloc_bench_result *result);

/* Training on frames simulated on the fly (science.md §4). Every step simulates `batch` fresh frames
 * of sim (its optics, camera, noise, size, molecules or density, weights, z range, drift; its seed
 * and frames are ignored) from the training seed at frame indices 2^40 + step·batch + b, builds the
 * targets from the ground truth, and makes one Adam step. A fixed validation set (validation_frames
 * frames 0..n−1 simulated with validation_seed: never the training frames) is scored at every
 * validation point: loss, and detection after decoding at the model's threshold against the truth
 * (Jaccard, lateral/axial RMSE at 150 nm tolerance, as mumloc_evaluate).
 *
 * Targets. regression: the voxel (pixel × plane layer) holding a molecule's true (x, y, z) gets c = 1
 * and ζ = its position inside the voxel; when two molecules fall into one voxel the brighter (larger
 * weight) is the target and the other is dropped (the network can report one per voxel). voxel: the
 * 24×24×50 nm voxel (p/8 × p/8 × slab/D) holding a molecule is 1, all others 0. Molecules outside
 * the slab or field are not targets. */
typedef struct mumloc_train_options {
    mumloc_arch arch;
    mumloc_sim_params sim;       /* what the frames look like (defaults: the paper's, see below) */
    int64_t steps;               /* > 0: train this many steps; 0: epochs × frames_per_epoch/batch */
    int epochs;                  /* regression 20, voxel 30 */
    int64_t frames_per_epoch;    /* regression 100000, voxel 90000 */
    int batch;                   /* regression 50, voxel 100 */
    double lr, beta1, beta2, eps;/* Adam: 1e-3, 0.9, 0.999 (regression) / 0.99 (voxel), 1e-8 */
    double lr_decay;             /* lr ← lr · lr_decay every lr_decay_steps steps (default 1: none) */
    int64_t lr_decay_steps;      /* default 0: none */
    uint64_t seed;               /* training frames and initial weights (default 1) */
    int validation_frames;       /* default 500 */
    uint64_t validation_seed;    /* default 1000003 */
    int64_t validation_interval; /* steps between validations; 0 = once per epoch (steps mode: at
                                    the end only) */
    const char *out_path;        /* the model file (required); written at the end and on
                                    cancellation (and at checkpoints without checkpoint_path),
                                    always atomically */
    const char *checkpoint_path; /* where intermediate saves go; NULL = out_path */
    int64_t checkpoint_interval; /* steps between intermediate saves; 0 = at every validation */
    const char *resume_path;     /* NULL, or a model file written by mumloc_train to continue from:
                                    the same options give the same model as uninterrupted training.
                                    A model made for other optics (same planes and architecture) is
                                    fine-tuned instead: its weights start the run, it takes these
                                    optics and camera, its step count restarts at 0 (metadata
                                    "fine_tuned_from" names the file) */
    double threshold;            /* the model's default decoding threshold τ, used by validation;
                                    0 = the architecture's (regression 0.5, voxel 0.1) */
    int tune_threshold;          /* 1: at the final validation, decode the validation set at
                                    thresholds from 0.01 to 0.9 and keep the one with the highest
                                    Jaccard as the model's threshold (the sweep is kept in the
                                    metadata "threshold_sweep"); 0 (default): keep `threshold` */
    mumloc_device device;        /* where training runs (mumloc_model_set_device; default AUTO:
                                    CUDA device 0 when usable, else the CPU) */
    const mumloc_rig *rig;       /* NULL (default), or a real rig to train for: sim.optics must be
                                    rig->optics (its per-plane curves and transmissions); every plane
                                    is recorded with its camera's offset, gain, EM gain and read
                                    noise and converted back to photons with them, in camera 1's
                                    geometry — the registered frames localize --rig gives the
                                    network; the model records the rig's optics and, in metadata
                                    "rig", the cameras' models. Not owned; read during the call. */
} mumloc_train_options;

/* Defaults per science.md §4 for arch: regression 64×64 frames with 50 molecules, voxel 16×16 with
 * K = 3; background λ = 10, physical noise, drift ±48 nm in 24 nm steps, weights [0.3, 1]. */
MUMLOC_API void mumloc_train_options_default(mumloc_train_options *options, mumloc_arch arch);
/* Checks every field; the message names the first bad one and its range. */
MUMLOC_API mumloc_status mumloc_train_options_validate(const mumloc_train_options *options);

/* Progress after each training step. validated = 1 at a validation point (then the val_* fields
 * hold the validation results, otherwise NaN). */
typedef struct mumloc_train_progress {
    int64_t step, steps;     /* steps done (1-based) and total */
    int epoch, epochs;       /* current epoch (1-based) and total (steps mode: epochs of the
                                validation interval) */
    double train_loss;       /* this step's loss per frame */
    double lr;
    int validated;
    double val_loss, val_jaccard, val_recall, val_precision, val_rmse_xy_nm, val_rmse_z_nm;
    double seconds;          /* since the start of this run */
    const char *device;      /* where training runs, as a sentence (mumloc_device_choice.reason),
                                e.g. "CPU: no CUDA device (...)"; valid during the call */
} mumloc_train_progress;

/* Return non-zero to stop: the model is saved to out_path and mumloc_train returns
 * MUMLOC_ERR_CANCELLED. */
typedef int (*mumloc_train_fn)(void *user, const mumloc_train_progress *progress);

/* Trains (see mumloc_train_options) and writes out_path. progress may be NULL. out (if not NULL)
 * receives the trained model, also when cancelled. The final validation metrics are in the model's
 * metadata ("validation") and in the last progress report. */
MUMLOC_API mumloc_status mumloc_train(const mumloc_train_options *options, mumloc_train_fn progress,
                                      void *user, mumloc_model **out);

/* ---------------------------------------------------------------------------------------------- */
/* Localization tables                                                                            */
/* ---------------------------------------------------------------------------------------------- */

/* An in-memory table of localizations (or ground truth): named columns of doubles, each with a unit
 * ("nm", "px", "photon", … or "" for none), all of the same length. This is what the localizer
 * produces, what evaluation and rendering consume, and what the Fiji plugin converts to and from an
 * ImageJ ResultsTable, so that CSV files are read and written by this library only.
 *
 * Column names follow ThunderSTORM: "id", "frame" (1-based), "x", "y", "z" (nm), "intensity"
 * (photon), "offset", "bkgstd", "sigma", "uncertainty_xy", "uncertainty_z" (nm), … Extra columns are
 * kept as they are. Names are unique (whatever their units) and hold no '"', ',' or line break;
 * units hold none of these nor '[' or ']'. Every such name and unit survives a CSV write → read →
 * write unchanged (see mumloc_table_read_csv for how a header field is split). */
typedef struct mumloc_table mumloc_table;

/* An empty table (no columns, no rows). */
MUMLOC_API mumloc_status mumloc_table_create(mumloc_table **out);
MUMLOC_API void mumloc_table_destroy(mumloc_table *table);
/* A new table with table's columns, units and rows (a deep copy). */
MUMLOC_API mumloc_status mumloc_table_copy(const mumloc_table *table, mumloc_table **out);

/* Appends a column; existing rows get NaN in it. unit NULL or "" = none. *index (if not NULL) gets
 * the new column's 0-based index. */
MUMLOC_API mumloc_status mumloc_table_add_column(mumloc_table *table, const char *name,
                                                 const char *unit, int *index);
/* Appends rows: values holds rows × columns numbers, row after row (row-major). */
MUMLOC_API mumloc_status mumloc_table_append_rows(mumloc_table *table, const double *values,
                                                  int64_t rows);
/* Sets the number of rows: new rows are NaN in every column, extra rows are dropped. */
MUMLOC_API mumloc_status mumloc_table_set_rows(mumloc_table *table, int64_t rows);
/* Copies count values into rows [first_row, first_row + count) of a column (the rows must exist). */
MUMLOC_API mumloc_status mumloc_table_set_column(mumloc_table *table, int column, int64_t first_row,
                                                 const double *values, int64_t count);

MUMLOC_API int64_t mumloc_table_rows(const mumloc_table *table);
MUMLOC_API int mumloc_table_columns(const mumloc_table *table);
/* Name and unit ("" when none) of a 0-based column; NULL if out of range. */
MUMLOC_API const char *mumloc_table_column_name(const mumloc_table *table, int column);
MUMLOC_API const char *mumloc_table_column_unit(const mumloc_table *table, int column);
/* Index of the column with this name, or -1. unit NULL: any unit; otherwise the unit must match too
 * ("" matches a column without unit). */
MUMLOC_API int mumloc_table_find_column(const mumloc_table *table, const char *name,
                                        const char *unit);
/* The column's rows() values; NULL if out of range. Valid until the table's next change of shape
 * (add_column, append_rows, set_rows, destroy). */
MUMLOC_API const double *mumloc_table_column_data(const mumloc_table *table, int column);

/* Reads a ThunderSTORM CSV (header "name [unit]" fields, quoted or not; comma separated). A header
 * field has a unit when it ends with a bracketed group holding no other '[' or ']' after a
 * non-empty name; one space before the group is a separator ("x [nm]", "x[nm]"); any other field
 * is all name ("[nm]", "a [x"); the writer adds an empty group to a name that would otherwise read
 * as "name [unit]" ("a [x] []" is the name "a [x]"). At most 4096 columns. Rows hold plain decimals
 * ("-12.5", "1e-9") or "NaN", "Infinity", "-Infinity" as ThunderSTORM writes them; anything else
 * ("0x10", "inf") fails naming the line and column. required: NULL, or a comma-separated list of
 * column names (units ignored) that must exist and hold a finite number in every row, e.g.
 * "frame,x,y,z"; a missing one fails naming it and listing the columns present, a NaN or infinity
 * fails naming its line. Errors: MUMLOC_ERR_IO (cannot open/read), MUMLOC_ERR_FORMAT (anything wrong
 * in the file). Time is linear in the file's length. */
MUMLOC_API mumloc_status mumloc_table_read_csv(const char *path, const char *required,
                                               mumloc_table **out);
/* mumloc_table_read_csv with progress and cancel: progress (may be NULL) is called every 65,536
 * rows with (bytes read, file size in bytes; 0 when unknown, e.g. a pipe); when it returns
 * non-zero the read stops with MUMLOC_ERR_CANCELLED and *out stays NULL. */
MUMLOC_API mumloc_status mumloc_table_read_csv_progress(const char *path, const char *required,
                                                        mumloc_table **out,
                                                        mumloc_progress_fn progress, void *user);
/* A column's header field as mumloc_table_write_csv writes it, without the quotes: "name [unit]",
 * "name", or "name []" for a name without unit that would otherwise read as "name [unit]". Fails
 * (MUMLOC_ERR_INVALID_ARGUMENT) for a name or unit a table cannot hold or when out (cap bytes) is
 * too small. For tables shown with headings elsewhere (ImageJ results tables). */
MUMLOC_API mumloc_status mumloc_table_heading(const char *name, const char *unit, char *out,
                                              size_t cap);
/* Splits a header field (quotes removed) into name and unit ("" when none) by the rule of
 * mumloc_table_read_csv; the inverse of mumloc_table_heading. Fails (MUMLOC_ERR_INVALID_ARGUMENT)
 * when a buffer is too small. */
MUMLOC_API mumloc_status mumloc_table_split_heading(const char *heading, char *name, size_t name_cap,
                                                    char *unit, size_t unit_cap);
/* Writes the table as ThunderSTORM CSV (quoted "name [unit]" header, plain decimals from
 * mumloc_format_number, '\n' line ends), atomically: a failure leaves no file. */
MUMLOC_API mumloc_status mumloc_table_write_csv(const mumloc_table *table, const char *path);

/* Converts length columns to nm in place: every column in "um" or "µm" is multiplied by 1000 and
 * every column in "px" by pixel_nm (ThunderSTORM's x, y, sigma, uncertainty exported in camera
 * pixels); their unit becomes "nm". pixel_nm must be > 0 if the table has a "px" column (it is
 * ignored otherwise; pass 0 when unknown). Evaluation needs x, y, z in nm and says so otherwise. */
MUMLOC_API mumloc_status mumloc_table_convert_to_nm(mumloc_table *table, double pixel_nm);

/* ---------------------------------------------------------------------------------------------- */
/* Localizations (the building blocks that make and refine them are at the end)                    */
/* ---------------------------------------------------------------------------------------------- */

/* One localization: a molecule found in one frame. Decoders fill frame, x, y, z and probability and
 * set the rest to NaN; mumloc_localizations_measure fills the photometry and the bounds. Written
 * (mumloc_localizations_to_table, after an "id" column) as ThunderSTORM CSV columns:
 *   "frame" (frame + 1), "x [nm]", "y [nm]", "z [nm]", "intensity [photon]" (photons),
 *   "offset [photon]" (offset), "bkgstd [photon]", "uncertainty_xy [nm]", "uncertainty_z [nm]",
 *   "probability". */
typedef struct mumloc_localization {
    int64_t frame;              /* 0-based frame index */
    double x_nm, y_nm, z_nm;    /* mumloc.h conventions (z in the target slab) */
    double probability;         /* the network's probability (voxel: the peak's value) */
    double photons;             /* expected photons summed over all k planes (as the ground truth) */
    double background[MUMLOC_MAX_PLANES]; /* photons per pixel in each plane (NaN beyond k) */
    double offset;              /* mean of background over the k planes */
    double bkgstd;              /* residual std of the photometry fit, photons per pixel */
    double uncertainty_xy_nm;   /* lateral CRLB sqrt((σx² + σy²) / 2) at photons and background */
    double uncertainty_z_nm;    /* axial CRLB σz */
    int unresolved;             /* 1: another record of the frame is closer than the two molecules'
                                   images can be told apart (Sparrow: 2 × their RMS width, in the
                                   plane where the pair is sharpest) — the refinement fitted both
                                   but cannot separate them; 0: resolved; -1: not assessed (no
                                   multi-emitter refinement: refine none, per-frame drift, CS).
                                   Table column "unresolved" (NaN for -1). */
} mumloc_localization;

/* Appends localizations to a table as ThunderSTORM columns, in this order: "id" (1-based row
 * number), "frame" (frame + 1), "x [nm]", "y [nm]", "z [nm]", "intensity [photon]",
 * "offset [photon]", "bkgstd [photon]", "uncertainty_xy [nm]", "uncertainty_z [nm]", "probability",
 * "unresolved" (1/0, NaN when not assessed: mumloc_localization.unresolved).
 * An empty table gets these columns; otherwise it must already have them (by name and unit; other
 * columns get NaN in the new rows), except "unresolved", which a table filled before it existed
 * gets added (NaN in its earlier rows). On failure the table is left as it was. */
MUMLOC_API mumloc_status mumloc_localizations_to_table(const mumloc_localization *locs,
                                                       int64_t count, mumloc_table *table);

/* Per-frame drift (science.md §1–2): planes 2..k of a frame are shifted laterally against plane 1 by
 * an unknown (dx, dy) that every molecule of the frame shares, so the frame's molecules can estimate
 * it. Why a plane's drift was or was not estimated: */
typedef enum mumloc_drift_outcome {
    MUMLOC_DRIFT_ESTIMATED = 0,        /* every plane 2..k estimated */
    MUMLOC_DRIFT_PARTIAL = 1,          /* some planes' bound exceeds 15 nm (values lean on the prior) */
    MUMLOC_DRIFT_TOO_FEW_MOLECULES = 2,/* no molecule the fit could use: all 0 */
    MUMLOC_DRIFT_TOO_LITTLE_INFORMATION = 3 /* no plane's bound within 15 nm (values lean on the prior) */
} mumloc_drift_outcome;

typedef struct mumloc_frame_drift {
    double dx_dy[2 * MUMLOC_MAX_PLANES];    /* layout of mumloc_simulate_drift: plane d at 2d, 2d+1;
                                               plane 1 is 0 (and all are when no molecule) */
    double sigma_nm[2 * MUMLOC_MAX_PLANES]; /* Cramér–Rao bound of each value given the molecules
                                               (their positions, photons, backgrounds estimated
                                               jointly, the prior included); 0 for plane 1,
                                               Infinity when no molecule */
    int estimated[MUMLOC_MAX_PLANES];       /* 1 where the plane's bound is within 15 nm */
    int molecules;                          /* localizations that informed the estimate */
    int iterations;                         /* drift updates made */
    int converged;                          /* 1: the last update moved every value < 0.1 nm */
    int clamped;                            /* 1: a value hit ±2 camera pixels (suspect) */
    mumloc_drift_outcome outcome;
    /* The posterior covariance of the P = 2(k − 1) values dx, dy of planes 2..k (P × P, row-major,
     * plane 2's dx first; sigma_nm holds the square roots of its diagonal); zeros when nothing was
     * estimated. The pipeline adds the drift's share to every position's bounds from it. */
    double covariance[4 * (MUMLOC_MAX_PLANES - 1) * (MUMLOC_MAX_PLANES - 1)];
} mumloc_frame_drift;

/* Appends one frame's plane drift to a table, a row per plane 1..planes: "frame" (frame + 1),
 * "plane" (1-based), "dx [nm]", "dy [nm]" (drift->dx_dy) and, when uncertainties is non-zero,
 * "uncertainty_dx [nm]", "uncertainty_dy [nm]" (drift->sigma_nm) and "molecules" — the columns of
 * `mumloc simulate`'s drift file (without) and of mumloc_localize_options.drift_path (with). Only
 * dx_dy (and, with uncertainties, sigma_nm and molecules) are read, so a simulated drift
 * (mumloc_simulate_drift) fits in a zeroed mumloc_frame_drift. An empty table gets these columns;
 * otherwise it must already have them (by name and unit; other columns get NaN in the new rows). On
 * failure the table is left as it was. */
MUMLOC_API mumloc_status mumloc_plane_drift_to_table(int64_t frame, int planes,
                                                     const mumloc_frame_drift *drift,
                                                     int uncertainties, mumloc_table *table);

/* A rectangle of camera 1's pixels: columns x0 .. x0 + width − 1, rows y0 .. y0 + height − 1 (the
 * part of a rig's field that every camera sees: mumloc_rig_common_field). */
typedef struct mumloc_rig_field {
    int x0, y0, width, height;
} mumloc_rig_field;

/* ---------------------------------------------------------------------------------------------- */
/* Localization pipeline                                                                          */
/* ---------------------------------------------------------------------------------------------- */

/* From movie frames to localizations: camera conversion, the network (tiled), decoding, optional
 * maximum-likelihood refinement (options.refine), and photometry with Cramér–Rao bounds. Two ways
 * in:
 *   - a streaming localizer: the caller pushes frames batch by batch (an ImageJ virtual stack, a
 *     camera) and takes the localizations found so far; memory is bounded by one batch;
 *   - mumloc_localize_file: a TIFF movie to a ThunderSTORM CSV, streamed in frame batches.
 *
 * Camera conversion: photons = (value − camera.offset_adu) / (camera.adu_per_electron ·
 * camera.em_gain). The default camera (offset 0, gain 1, EM gain 1) means "the values are photons".
 * camera.read_noise_e (and the EM gain) enter the Cramér–Rao bounds; background_photons is unused
 * (the photometry fits each molecule's background).
 *
 * Tiling. A frame wider or taller than `tile` pixels runs through the network as overlapping tiles of
 * tile × tile pixels. Neighbouring tiles overlap by twice the network's receptive-field radius
 * (mumloc_model_receptive_radius), and each tile contributes only its core — the part farther than
 * that radius from every tile edge that is not a frame edge — to one network output assembled for
 * the whole frame, which is then decoded once. Every output value therefore equals the whole-frame
 * network's (up to float summation order), and decoding (thresholds, border merges) sees no tile
 * borders: tiling neither loses nor duplicates molecules. The assembled output costs 4k floats per
 * pixel (regression) or D·64 floats per pixel (voxel: 8 KiB per input pixel at D = 32 — use small
 * frames with the voxel network; frames whose output would pass 2^31 floats are refused). */

typedef enum mumloc_plane_axis {
    MUMLOC_PLANES_AUTO = 0,     /* C = k → channels; else C = 1 and Z = k → slices; else an error */
    MUMLOC_PLANES_CHANNELS = 1, /* hyperstack channels are the planes (C = k; frames = Z·T) */
    MUMLOC_PLANES_SLICES = 2    /* slices are the planes (C = 1 and Z = k, frames = T), or a plain
                                   stack of frames × k images with the planes interleaved (C = 1,
                                   Z·T a multiple of k, frames = Z·T / k) */
} mumloc_plane_axis;

/* "auto", "channels", "slices"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_plane_axis_name(int axis);
MUMLOC_API mumloc_status mumloc_plane_axis_from_name(const char *name, mumloc_plane_axis *out);

/* The one rule, for the CLI and Fiji alike, for where the k planes of a C × Z × T movie are. In
 * either layout image f·k + d (0-based, ImageJ's order: C fastest, then Z, then T) is plane d of
 * frame f. On success *axis is CHANNELS or SLICES and *movie_frames the number of frames. AUTO picks
 * channels when C = k, slices when C = 1 and Z = k, and otherwise fails (a plain stack that could
 * hold the planes interleaved must be named SLICES: the message says so). what names the movie in
 * messages (a quoted path, "the image"). Failures: MUMLOC_ERR_INVALID_ARGUMENT, saying what the
 * movie has and what to pass. */
MUMLOC_API mumloc_status mumloc_plane_layout(int64_t channels, int64_t slices, int64_t frames,
                                             int planes, mumloc_plane_axis requested,
                                             const char *what, mumloc_plane_axis *axis,
                                             int64_t *movie_frames);

/* Maximum-likelihood refinement after decoding (before the photometry and bounds):
 *   NONE       the network's positions as decoded (the fastest);
 *   POSITIONS  mumloc_localizations_refine of every record (multi-emitter: each fit models its
 *              neighbours' light), no drift (default: on registered planes it brings the lateral
 *              RMSE from ~1.9-2.0x to 1.1-1.3x the CRLB-limited RMSE at 8-50 molecules per 64x64
 *              frame, removes the network's bias, Jaccard unchanged; ≈0.3-1 ms per molecule);
 *   DRIFT      mumloc_localizations_refine_with_drift per frame: the drift of planes 2..k and the
 *              positions jointly; the photometry and the uncertainty columns are then for the
 *              estimated drift, the bounds including the drift estimate's share (its covariance
 *              through each molecule's −A⁻¹B: the joint Cramér–Rao bound) (a few times the cost of
 *              POSITIONS); with drift_window ≥ 2 the drift is estimated over the whole movie. */
typedef enum mumloc_refine_mode {
    MUMLOC_REFINE_NONE = 0,
    MUMLOC_REFINE_POSITIONS = 1,
    MUMLOC_REFINE_DRIFT = 2
} mumloc_refine_mode;

/* "none", "positions", "drift"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_refine_mode_name(int mode);
/* The mode of that name; MUMLOC_ERR_INVALID_ARGUMENT listing the names otherwise. */
MUMLOC_API mumloc_status mumloc_refine_mode_from_name(const char *name, mumloc_refine_mode *out);

/* Receives each frame's estimated drift (refine DRIFT), once per frame in push order, after that
 * frame's localizations are pending; frame is 0-based. Called on the pushing thread. */
typedef void (*mumloc_drift_fn)(void *user, int64_t frame, const mumloc_frame_drift *drift);

/* Compressed sensing (science.md §5), the papers' reference solver, as a localizer needing no trained
 * model: per frame, minimise ½‖P(y − H(Δ) c)‖² + λ‖c‖₁ over c ≥ 0, c the photons of each voxel of a
 * high-resolution grid (lateral pixel/upsampling, depth slice_nm, over the networks' slab), y the
 * frame in photons, P the per-plane removal of the mean (an unpenalised background per plane), H(Δ)
 * the pixel-integrated PSF of every voxel with plane d shifted by its drift Δ_d (integer voxel steps
 * in [−max_drift, max_drift]², plane 1 the reference, shared by `frames` consecutive frames),
 * alternating the Lasso over c with a search over Δ. Peaks of c (greedy local maxima claiming the
 * voxels within merge_nm) become localizations at their photon-weighted mean. See cs/CS.md. */
typedef enum mumloc_localize_method {
    MUMLOC_METHOD_NETWORK = 0, /* the model's network (default) */
    MUMLOC_METHOD_CS = 1       /* the compressed-sensing solver (mumloc_cs_options) */
} mumloc_localize_method;

typedef struct mumloc_cs_options {
    double lambda;       /* λ in photons; 0 = automatic: sqrt(2 ln N) σ max‖h‖ (N voxels, σ the
                            pixel noise at the frame's median background; default 0) */
    int frames;          /* T: consecutive frames sharing one drift estimate (default 1, 1..1000) */
    int upsampling;      /* voxels per camera pixel laterally (default 8: 24 nm at 192 nm pixels) */
    double slice_nm;     /* voxel depth (default 50; the slab must hold 1..256 slices) */
    int max_drift;       /* drift search range in voxels per axis (default 2; 0 = no drift) */
    int known_count;     /* > 0: keep the known_count brightest localizations per frame (and
                            region); 0 = keep those of at least min_photons (default 0) */
    double min_photons;  /* least photons (Lasso estimate) of a localization (default 800: ghosts of a
                            drifted or noisy molecule stay below it) */
    double merge_nm;     /* voxels within this lateral distance and slice_nm·ceil(merge/slice)
                            axially join their peak (default 100) */
    int tile;            /* core edge of the regions solved separately, pixels (default 16) */
    int margin;          /* pixels each region extends past its core (default 3) */
    int max_iterations;  /* solver iterations per Lasso (default 3000) */
    double tolerance;    /* stop when every KKT violation is below tolerance·λ (default 1e-3) */
    int full_grid;       /* 1 = plain FISTA on the whole grid (reference, slow); 0 = FISTA on a
                            KKT-checked working set (default, the same optimum) */
} mumloc_cs_options;

MUMLOC_API void mumloc_cs_options_default(mumloc_cs_options *options);
MUMLOC_API mumloc_status mumloc_cs_options_validate(const mumloc_cs_options *options);
MUMLOC_API const char *mumloc_localize_method_name(int method); /* "network", "cs"; NULL otherwise */

typedef struct mumloc_localize_options {
    mumloc_camera camera;       /* conversion to photons and noise for the bounds (defaults: photons) */
    double threshold;           /* τ; 0 = the model's default (mumloc_model_threshold) */
    double merge_distance_nm;   /* regression duplicates merge distance (default 100; 0 = no merge) */
    int neighbourhood;          /* voxel peak averaging half-size (default 1) */
    mumloc_plane_axis planes;   /* files only: where the planes are (default AUTO) */
    int64_t first_frame;        /* files only: first frame to localize, 0-based (default 0) */
    int64_t frame_count;        /* files only: frames from first_frame; 0 = to the end (default 0) */
    int tile;                   /* tile edge in pixels; 0 = automatic (regression 512, voxel 64);
                                   must exceed twice the receptive radius */
    int threads;                /* > 0: mumloc_set_threads(threads) on create; 0: keep the setting */
    int measure;                /* 1 = photometry and CRLB columns (default); 0 = NaN there */
    int batch_frames;           /* frames per batch of mumloc_localize_file (default 0: automatic,
                                   about 2^20 pixels per batch) */
    mumloc_device device;       /* where the network runs (default AUTO): the localizer moves the
                                   model there (mumloc_model_set_device); an unusable explicit CUDA
                                   fails */
    mumloc_refine_mode refine;  /* refinement after decoding (default POSITIONS, see above) */
    mumloc_drift_fn drift_callback; /* refine DRIFT: each frame's drift (NULL: none) */
    void *drift_user;           /* passed to drift_callback */
    const char *drift_path;     /* files only, refine DRIFT: CSV of the drift, one row per frame
                                   and plane: "frame" (1-based), "plane" (1-based), "dx [nm]",
                                   "dy [nm]" (the columns of mumloc_simulate_to_files' drift file;
                                   0 where not estimated), "uncertainty_dx [nm]",
                                   "uncertainty_dy [nm]" (sigma_nm; Infinity where not estimated),
                                   "molecules"; written atomically with the table (NULL: none) */
    const mumloc_rig *rig;      /* NULL (default): the frames are registered planes. A rig: the
                                   frames are its k cameras' raw images (width × height = the rig's
                                   frame, camera values); each camera is converted to photons with
                                   its own offset and gains (camera above is then unused; the
                                   fits' noise model is camera 1's read noise and EM gain),
                                   resampled onto camera 1's grid over the field every camera sees
                                   (mumloc_rig_common_field) for the network, and the refinement,
                                   photometry and bounds fit each camera's raw image through the
                                   rig's exact affine. Positions are in camera 1's frame, the drift
                                   in its nm. Kept by pointer: keep it alive with the localizer. */
    mumloc_precision precision; /* the network's arithmetic (default AUTO): the localizer sets it on
                                   the model (mumloc_model_set_precision) */
    mumloc_localize_method method; /* NETWORK (default) or CS (no model: the solver below) */
    mumloc_cs_options cs;       /* method CS: the compressed-sensing solver's settings */
    const mumloc_optics *optics; /* method CS: the optics (NULL: the movie's record, which
                                    mumloc_localize_file then requires); unused by NETWORK */
    int drift_window;           /* refine DRIFT: 1 (default) = each frame's own drift (the papers'
                                   per-frame drift, for data that jump frame to frame); N ≥ 2 =
                                   windowed: the drift of planes 2..k is a smooth function of time,
                                   a cubic B-spline with a span every N frames (one constant when the
                                   frames localized number fewer than 1.5 N), estimated jointly from
                                   every molecule of the movie (each molecule's own parameters
                                   profiled out per frame), applied to every position (refitted
                                   with the drift held) and counted in the uncertainty columns
                                   (the drift estimate's share added in quadrature). The streaming
                                   localizer then holds the records and a spool of the frames (a
                                   temporary file, k × the frame in floats per frame) until
                                   mumloc_localizer_finish; mumloc_localize_file calls it.
                                   MUMLOC_DRIFT_WINDOW_SLOW suits a slow creep at ≥ 8 molecules a
                                   frame: its bound is ~11 nm / sqrt(N) per value. */
} mumloc_localize_options;

/* Frames per span of the windowed drift for a slow camera creep (drift_window). */
#define MUMLOC_DRIFT_WINDOW_SLOW 200
#define MUMLOC_MAX_DRIFT_WINDOW 1000000

MUMLOC_API void mumloc_localize_options_default(mumloc_localize_options *options);
/* Checks every field; the message names the first bad one and its accepted range. */
MUMLOC_API mumloc_status mumloc_localize_options_validate(const mumloc_localize_options *options);

/* Radius in input pixels beyond which a pixel cannot influence a network output (from the model's
 * layers: regression 10, voxel 5): the overlap each tile keeps on each inner side. */
MUMLOC_API int mumloc_model_receptive_radius(const mumloc_model *model);

typedef struct mumloc_localizer mumloc_localizer;

/* A localizer for frames of width × height pixels and the model's k planes. The model is used, not
 * owned: keep it alive and do not use it elsewhere until the localizer is destroyed. It is first
 * moved to options->device (mumloc_model_set_device; mumloc_model_device tells where it went).
 * options NULL = defaults. Fails (MUMLOC_ERR_INVALID_ARGUMENT) on bad options or sizes (1 to 65536
 * pixels a side), and as mumloc_model_set_device does for an unusable explicit CUDA device. */
MUMLOC_API mumloc_status mumloc_localizer_create(mumloc_model *model,
                                                 const mumloc_localize_options *options, int width,
                                                 int height, mumloc_localizer **out);
MUMLOC_API void mumloc_localizer_destroy(mumloc_localizer *localizer);

/* Localizes count frames of camera values (frame, plane, row, column; k planes of height × width
 * floats), numbered first_frame, first_frame + 1, … (0-based, as the localizations' frame). A NaN or
 * infinite value fails (MUMLOC_ERR_INVALID_ARGUMENT naming the frame, 1-based, and the plane) before
 * anything of the batch is localized. The localizations are kept until taken. */
MUMLOC_API mumloc_status mumloc_localizer_push(mumloc_localizer *localizer, const float *frames,
                                               int count, int64_t first_frame);
/* Ends the frames pushed so far. With refine DRIFT and drift_window ≥ 2 it estimates the drift over
 * every frame pushed since the last finish (in the order pushed, times = frame indices), refits
 * their positions with it held, measures them, makes them pending (none is before) and reports each
 * frame's drift to drift_callback in push order (sigma_nm: the bound of the drift at that frame from
 * the whole estimate; molecules: that frame's records that informed it); costs a few passes of the
 * refinement over the spooled frames. Otherwise nothing to do (MUMLOC_OK). */
MUMLOC_API mumloc_status mumloc_localizer_finish(mumloc_localizer *localizer);
/* Localizations found and not yet taken. */
MUMLOC_API int64_t mumloc_localizer_pending(const mumloc_localizer *localizer);
/* Moves up to cap pending localizations (in push order; within a frame sorted by y, x, z) into out;
 * *taken gets how many. */
MUMLOC_API mumloc_status mumloc_localizer_take(mumloc_localizer *localizer, mumloc_localization *out,
                                               int64_t cap, int64_t *taken);
/* The network output of the last frame pushed (channels × out_height × out_width
 * floats, mumloc_model_output_size), assembled from tiles: for checks and display. NULL before the
 * first push. */
MUMLOC_API const float *mumloc_localizer_last_output(const mumloc_localizer *localizer);

typedef struct mumloc_localize_summary {
    int64_t frames;           /* frames localized */
    int64_t localizations;    /* rows written */
    double seconds;           /* wall-clock time of the whole call */
    double network_seconds;   /* of which in the network's forward passes */
    int width, height, planes;
    mumloc_plane_axis planes_from; /* CHANNELS or SLICES: how the planes were found */
    mumloc_device_choice device;   /* where the network ran, and why there */
    mumloc_rig_field field;        /* with a rig: camera 1's pixels the network saw (the common
                                      field); else the whole frame */
    /* Wall-clock seconds per stage (each counted where it runs, on the calling thread): reading the
     * movie, camera values to photons, the network (= network_seconds), decoding, the likelihood
     * refinement, photometry and bounds, writing rows. The rest of `seconds` is set-up. */
    double read_seconds, convert_seconds, decode_seconds, refine_seconds, measure_seconds,
        write_seconds;
} mumloc_localize_summary;

/* Localizes a TIFF movie (8/16/32-bit, ImageJ hyperstack or plain stack; planes as options->planes
 * says) into a ThunderSTORM CSV (columns as mumloc_localizations_to_table), in frame batches with
 * bounded memory, rows streamed to the file. The movie's frames must hold the model's k planes (a
 * different count fails naming both); a movie without frames fails. When the movie's description
 * carries mumloc's record ("mumloc={...}" with "optics", as mumloc_simulate_to_files writes it),
 * its optics must equal the model's (mumloc_model_check_optics); otherwise the optics cannot be
 * checked and are trusted. progress gets (frames done, frames total) after each batch. The CSV is
 * written atomically, with its sidecar "<table>.json" (see "Table provenance and merging"): on any
 * failure or cancellation neither file is left. summary may be NULL. */
MUMLOC_API mumloc_status mumloc_localize_file(mumloc_model *model, const char *in_path,
                                              const char *out_csv_path,
                                              const mumloc_localize_options *options,
                                              mumloc_localize_summary *summary,
                                              mumloc_progress_fn progress, void *user);

/* mumloc_localize_file for a movie in several files: with options->rig of layout files, one file
 * per camera in camera order (count = k); with any other rig layout or without a rig, one file
 * (count 1). With a rig the frames localized are the rig movie's (mumloc_rig_movie_frames):
 * first_frame counts from its first, and the table's "frame" is the reference frame + 1. The
 * sidecar names the first file. */
MUMLOC_API mumloc_status mumloc_localize_files(mumloc_model *model, const char *const *in_paths,
                                               int count, const char *out_csv_path,
                                               const mumloc_localize_options *options,
                                               mumloc_localize_summary *summary,
                                               mumloc_progress_fn progress, void *user);

/* Movies read by the library's own TIFF reader (the one of mumloc_localize_file), for programs that
 * show or process the images themselves: the Fiji plugin opens files this way, not with ImageJ's
 * opener, which waits on an error dialog, loops or runs out of memory on some damaged files. Opening
 * checks the whole structure (header, the chain of IFDs, that every image lies inside the file), so
 * a foreign, truncated or damaged file, a folder or a missing path fails at once with a message
 * naming it (MUMLOC_ERR_IO, MUMLOC_ERR_FORMAT, MUMLOC_ERR_UNSUPPORTED), before any pixel is read;
 * memory stays small whatever the file declares. */
typedef struct mumloc_movie mumloc_movie;

typedef struct mumloc_movie_info {
    int width, height;
    int64_t images;                /* width x height images, channels * slices * frames of them */
    int channels, slices, frames;  /* ImageJ's: from an ImageJ description, else 1 x images x 1 */
    int bits_per_sample;           /* 8, 16, 32 or 64 (images are read as floats whatever the depth) */
    double pixel_width, pixel_height; /* the pixel size in `unit`; 0 when the file does not say */
    char unit[32];                 /* ImageJ's unit= ("micron", ...), else "inch"/"cm", else "" */
} mumloc_movie_info;

MUMLOC_API mumloc_status mumloc_movie_open(const char *path, mumloc_movie **out);
MUMLOC_API void mumloc_movie_close(mumloc_movie *movie);
MUMLOC_API void mumloc_movie_get_info(const mumloc_movie *movie, mumloc_movie_info *info);
/* The first image's TIFF ImageDescription ("" when none); valid until the movie is closed. */
MUMLOC_API const char *mumloc_movie_description(const mumloc_movie *movie);
/* Reads image `index` (0-based, in file order: in a hyperstack the channel varies fastest, then the
 * slice, then the frame) as width * height floats, row after row. Safe from several threads at once. */
MUMLOC_API mumloc_status mumloc_movie_read(const mumloc_movie *movie, int64_t index, float *out);

/* ---------------------------------------------------------------------------------------------- */
/* Evaluation against ground truth                                                                 */
/* ---------------------------------------------------------------------------------------------- */

/* Scores localizations against ground truth (science.md §7). Both tables need "frame", "x", "y", "z"
 * columns in nm (or without unit) holding finite numbers; see mumloc_table_convert_to_nm for px.
 *
 * Matching. Frame by frame (rows with equal "frame" values), each localization is paired with at most
 * one true molecule and vice versa. A pair is allowed when it is within the tolerance: 3D distance ≤
 * tolerance_nm, or, with separate tolerances, lateral distance ≤ tolerance_xy_nm AND |Δz| ≤
 * tolerance_z_nm. A distance exactly at the tolerance is allowed. Among all one-to-one matchings of
 * allowed pairs the evaluation takes one with the most pairs and, among those, the smallest sum of
 * squared 3D distances (an exact optimum: Kuhn–Munkres on each group of molecules linked by allowed
 * pairs). When several matchings are equally good (exact ties), the one taken is deterministic for the
 * tables' row order; TP, FP and FN never depend on the choice.
 *
 * Metrics. TP = pairs, FP = unpaired localizations, FN = unpaired truths; Jaccard = TP/(TP+FP+FN),
 * recall = TP/(TP+FN), precision = TP/(TP+FP); over the pairs, errors are localization − truth:
 * RMSE lateral = sqrt(mean(Δx² + Δy²)), RMSE axial = sqrt(mean(Δz²)), bias = mean Δx, Δy, Δz; median
 * CRLB = median over the pairs of the localizations' "uncertainty_xy" (or ThunderSTORM's
 * "uncertainty") and "uncertainty_z" columns, finite values only; CRLB-limited RMSE = the RMSE an
 * unbiased estimator at the bound would reach on the same pairs: lateral sqrt(mean(2·u_xy²)) (u_xy is
 * per axis, the lateral RMSE sums two), axial sqrt(mean(u_z²)), over the pairs with finite values.
 * Compare RMSE with it rather than with the median, which is smaller than the RMS of the bounds and
 * per axis. A ratio with nothing to average or divide is NaN (null in JSON).
 *
 * Depth bins. Truth z is cut into bins [k·bin_nm, (k+1)·bin_nm) from the lowest to the highest true z.
 * A bin counts the truths whose z falls in it (TP and FN, and the pairs' errors) and the unpaired
 * localizations whose own z falls in it (FP; an unpaired localization outside every bin counts only in
 * the overall FP). */
typedef struct mumloc_eval_options {
    double tolerance_nm;    /* 3D tolerance, > 0 (default 150); used unless the two below are set */
    double tolerance_xy_nm; /* lateral and axial tolerances: both > 0 (+Infinity allowed), or both 0 */
    double tolerance_z_nm;  /* (default 0, 0: the 3D tolerance applies) */
    double bin_nm;          /* depth-bin width, > 0 (default 200); at most 10000 bins */
} mumloc_eval_options;

MUMLOC_API void mumloc_eval_options_default(mumloc_eval_options *options);
MUMLOC_API mumloc_status mumloc_eval_options_validate(const mumloc_eval_options *options);

typedef struct mumloc_eval_metrics {
    int64_t truths, localizations;  /* rows scored; in a bin: its truths, and its TP + FP */
    int64_t tp, fp, fn;
    double jaccard, recall, precision;
    double rmse_xy_nm, rmse_z_nm;
    double bias_x_nm, bias_y_nm, bias_z_nm;
    double crlb_xy_median_nm, crlb_z_median_nm;
    double crlb_rmse_xy_nm, crlb_rmse_z_nm; /* the RMSE an efficient estimator reaches on the pairs */
} mumloc_eval_metrics;

typedef struct mumloc_eval_bin {
    double z_min_nm, z_max_nm; /* [z_min, z_max) of truth z */
    mumloc_eval_metrics metrics;
} mumloc_eval_bin;

typedef struct mumloc_evaluation mumloc_evaluation;

/* Matches and scores. options NULL = defaults. Fails with MUMLOC_ERR_INVALID_ARGUMENT naming the
 * table, column or row when a table lacks a column, has one in other units, or holds a NaN. */
MUMLOC_API mumloc_status mumloc_evaluate(const mumloc_table *truth, const mumloc_table *localizations,
                                         const mumloc_eval_options *options,
                                         mumloc_evaluation **out);
/* mumloc_evaluate with progress: (rows matched, truth + localization rows) after the frame that
 * completes another 65,536 rows (small tables: no call); non-zero cancels (MUMLOC_ERR_CANCELLED, *out
 * NULL). */
MUMLOC_API mumloc_status mumloc_evaluate_progress(const mumloc_table *truth,
                                                  const mumloc_table *localizations,
                                                  const mumloc_eval_options *options,
                                                  mumloc_evaluation **out,
                                                  mumloc_progress_fn progress, void *user);
MUMLOC_API void mumloc_evaluation_destroy(mumloc_evaluation *evaluation);

MUMLOC_API const mumloc_eval_metrics *mumloc_evaluation_overall(const mumloc_evaluation *evaluation);
MUMLOC_API int mumloc_evaluation_bin_count(const mumloc_evaluation *evaluation);
/* Bin i (0-based, increasing z); NULL if out of range. */
MUMLOC_API const mumloc_eval_bin *mumloc_evaluation_bin(const mumloc_evaluation *evaluation, int i);
/* For each localization row, the truth row it is paired with, or -1 (localizations' rows() values);
 * and for each truth row the paired localization row, or -1. */
MUMLOC_API const int64_t *mumloc_evaluation_localization_matches(const mumloc_evaluation *evaluation);
MUMLOC_API const int64_t *mumloc_evaluation_truth_matches(const mumloc_evaluation *evaluation);

/* The report as human-readable text (several lines, '\n' ends) and as one JSON object (one line, no
 * trailing newline): the same numbers the CLI and Fiji print. Owned by the evaluation. JSON:
 *   {"tolerance":{"mode":"3d","nm":150} or {"mode":"lateral_axial","xy_nm":…,"z_nm":…},
 *    "bin_nm":200, "overall":{METRICS}, "bins":[{"z_min_nm":…,"z_max_nm":…,METRICS}, …]}
 * where METRICS are the mumloc_eval_metrics fields by name; NaN and infinity are written as null. */
MUMLOC_API const char *mumloc_evaluation_text(const mumloc_evaluation *evaluation);
MUMLOC_API const char *mumloc_evaluation_json(const mumloc_evaluation *evaluation);
/* Writes the JSON report (with a final newline) to path atomically. */
MUMLOC_API mumloc_status mumloc_evaluation_save_json(const mumloc_evaluation *evaluation,
                                                     const char *path);

/* Pixel locking: a localizer biased towards (or away from) pixel centres piles its positions up at
 * some sub-pixel phases; an unbiased one spreads them evenly. The histogram of the sub-pixel phase
 * frac(x / pixel_nm) (and of y) of every row of a table (columns "x", "y" in nm or without unit;
 * rows with a non-finite position are skipped) in `bins` equal bins of a pixel, with Pearson's
 * χ² against the uniform distribution (bins − 1 degrees of freedom), its p-value (Wilson–Hilferty)
 * and the largest relative deviation of a bin from the expected count. */
#define MUMLOC_SUBPIXEL_MAX_BINS 100
typedef struct mumloc_subpixel_histogram {
    double pixel_nm;
    int bins;
    int64_t count;                            /* rows counted */
    int64_t x[MUMLOC_SUBPIXEL_MAX_BINS], y[MUMLOC_SUBPIXEL_MAX_BINS]; /* bin 0: phase [0, 1/bins) */
    double chi2_x, chi2_y;
    double p_x, p_y;                          /* P(χ² this large | uniform) */
    double max_deviation_x, max_deviation_y;  /* max over bins |count / expected − 1| */
} mumloc_subpixel_histogram;

/* Fills *out; bins 2..MUMLOC_SUBPIXEL_MAX_BINS, pixel_nm > 0; MUMLOC_ERR_INVALID_ARGUMENT for a table
 * without x and y, or no finite row. */
MUMLOC_API mumloc_status mumloc_subpixel_histogram_of(const mumloc_table *table, double pixel_nm,
                                                      int bins, mumloc_subpixel_histogram *out);
/* Writes the histogram as CSV ("bin" 1-based, "phase" the bin's centre as a fraction of a pixel,
 * "x", "y" counts), atomically; it reads back with mumloc_table_read_csv. */
MUMLOC_API mumloc_status mumloc_subpixel_histogram_write_csv(const mumloc_subpixel_histogram *h,
                                                             const char *path);
/* One line: "Sub-pixel positions (N rows, B bins of P nm): x chi2 C (p P), max deviation D%; y …". */
MUMLOC_API void mumloc_subpixel_histogram_text(const mumloc_subpixel_histogram *h, char *out,
                                               size_t cap);

/* ---------------------------------------------------------------------------------------------- */
/* Rendering                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

/* A 2D super-resolution image of localizations, depth encoded by colour (ThunderSTORM's rendering,
 * in the conventions above). The field is [0, W·p) × [0, H·p) nm with p the rendering pixel,
 * W = ceil(field_width_nm / p) and H likewise (at least 1), pixel (i, j) covering
 * [i·p, (i+1)·p) × [j·p, (j+1)·p): a localization exactly on a pixel border belongs to the pixel to
 * its right / below, and one at x = W·p (or y = H·p) is outside the field. Localizations
 * whose position is outside the field are counted and left out (what a kernel spreads past the edge
 * is cut off). A renderer is used from one thread at a time; it parallelises internally.
 *
 * Every pixel accumulates a weight (its density: localizations per pixel, fractional for Gaussian and
 * ASH) and weight × colour, where a localization's colour is the colour map at
 * t = (z − z_min)/(z_max − z_min), clamped to [0, 1]. The pixel's colour is therefore the weighted mean
 * colour of what it holds, and its brightness is min(1, density / S): S, the saturation density, is
 * the given percentile of the densities of the non-empty pixels (or a fixed value). RGB = mean colour ×
 * brightness, rounded to 8 bits.
 *
 * Methods (all conserve mass: each localization inside the field adds 1 to the image's sum, less what
 * its spread puts outside the field):
 *   HISTOGRAM  the pixel containing the localization gets 1.
 *   GAUSSIAN   a normalised 2D Gaussian of σ = the localization's uncertainty (or a fixed σ), clamped to
 *              [sigma_min_nm, sigma_max_nm], integrated over each pixel (normal CDF, tabulated to
 *              1e-8), truncated at ±4σ and renormalised so the truncated kernel has mass 1.
 *   ASH        averaged shifted histogram: the mean of n×n histograms with bins of n·p shifted by
 *              multiples of p; equivalently the histogram convolved with the separable triangle
 *              (n − |k|)/n², |k| < n (n = ash_shifts; n = 1 is the histogram).
 * The optional z-stack holds one grayscale density slice per z bin: slice s covers
 * [z_min + s·b, z_min + (s+1)·b), the last slice also holds z = z_max; localizations outside
 * [z_min, z_max] are in no slice. Slices use the same method as the image.
 *
 * Memory is bounded by the image: W·H ≤ MUMLOC_RENDER_MAX_PIXELS and W·H·slices ≤
 * MUMLOC_RENDER_MAX_VOXELS, whatever the number of localizations. Accumulation is multithreaded (row
 * bands owned by threads), and the result does not depend on the thread count. */

#define MUMLOC_RENDER_MAX_PIXELS ((int64_t)1 << 26)  /* 67,108,864 pixels (16 bytes each) */
#define MUMLOC_RENDER_MAX_VOXELS ((int64_t)1 << 28)  /* z-stack: 268,435,456 voxels (4 bytes each) */

typedef enum mumloc_render_method {
    MUMLOC_RENDER_HISTOGRAM = 0,
    MUMLOC_RENDER_GAUSSIAN = 1,
    MUMLOC_RENDER_ASH = 2
} mumloc_render_method;

/* "histogram", "gaussian", "ash"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_render_method_name(int method);
MUMLOC_API mumloc_status mumloc_render_method_from_name(const char *name,
                                                        mumloc_render_method *out);

/* Perceptually ordered colour maps, stored as control points interpolated linearly in sRGB. */
typedef enum mumloc_colormap {
    MUMLOC_COLORMAP_VIRIDIS = 0, /* dark blue → green → yellow (matplotlib's viridis) */
    MUMLOC_COLORMAP_TURBO = 1    /* dark blue → cyan → yellow → dark red (Google's turbo) */
} mumloc_colormap;
#define MUMLOC_COLORMAP_COUNT 2

/* "viridis", "turbo"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_colormap_name(int colormap);
/* The map of that name; MUMLOC_ERR_INVALID_ARGUMENT listing the names otherwise. */
MUMLOC_API mumloc_status mumloc_colormap_from_name(const char *name, mumloc_colormap *out);
/* Colour at t in [0, 1] (clamped; NaN is an error): t = 0 is the first control point, t = 1 the last. */
MUMLOC_API mumloc_status mumloc_colormap_color(mumloc_colormap colormap, double t,
                                               unsigned char rgb[3]);

typedef struct mumloc_render_params {
    double pixel_nm;              /* rendering pixel (default 10) */
    mumloc_render_method method;  /* default HISTOGRAM */
    double sigma_nm;              /* GAUSSIAN: fixed σ; 0 = each localization's uncertainty (default 0) */
    double sigma_min_nm;          /* GAUSSIAN: σ is clamped to [min, max] (default 2, 100) */
    double sigma_max_nm;
    int ash_shifts;               /* ASH: n, 1..16 (default 2) */
    double field_width_nm;        /* field size; 0 = from the data: W = floor(max x / p) + 1 */
    double field_height_nm;       /*   (and likewise for y); default 0, 0 */
    double z_min_nm, z_max_nm;    /* colour (and z-stack) range (default 0, 1600: the slab) */
    int z_from_data;              /* 1 = the range is the data's min and max z (default 0) */
    mumloc_colormap colormap;     /* default VIRIDIS */
    double saturation_percentile; /* S = this percentile of non-empty pixel densities (default 99.5) */
    double saturation_density;    /* > 0: S fixed to this density instead (default 0) */
    int colorbar;                 /* PNG / RGB output with the colour bar in a right margin (default 1) */
    int zstack;                   /* 1 = also accumulate the z-stack (default 0) */
    double z_bin_nm;              /* z-stack slice thickness (default 100) */
} mumloc_render_params;

MUMLOC_API void mumloc_render_params_default(mumloc_render_params *params);
/* Checks every field; the message names the first bad one and its accepted range. A field or z range
 * still "from the data" is accepted here (the renderer needs them resolved, see below). */
MUMLOC_API mumloc_status mumloc_render_params_validate(const mumloc_render_params *params);
/* Resolves what comes from the data: sets a zero field size and (if z_from_data) the z range from
 * count localizations (NaN and infinite values are an error naming the index). */
MUMLOC_API mumloc_status mumloc_render_params_fit(mumloc_render_params *params, int64_t count,
                                                  const double *x_nm, const double *y_nm,
                                                  const double *z_nm);

typedef struct mumloc_renderer mumloc_renderer;

/* Validates params (field and z range resolved) and allocates the image: fails with
 * MUMLOC_ERR_INVALID_ARGUMENT when it would pass the pixel limits (suggesting a larger pixel or bin). */
MUMLOC_API mumloc_status mumloc_renderer_create(const mumloc_render_params *params,
                                                mumloc_renderer **out);
MUMLOC_API void mumloc_renderer_destroy(mumloc_renderer *renderer);
/* Adds count localizations (nm). sigma_nm: per-localization σ for GAUSSIAN with sigma_nm = 0 (then
 * required), otherwise ignored and may be NULL. NaN or infinite values are an error naming the index;
 * nothing of the batch is added then. Fails once an output has been read (the image is final). */
MUMLOC_API mumloc_status mumloc_renderer_add(mumloc_renderer *renderer, int64_t count,
                                             const double *x_nm, const double *y_nm,
                                             const double *z_nm, const double *sigma_nm);

typedef struct mumloc_render_info {
    int width, height;             /* image pixels */
    int slices;                    /* z-stack slices (0 without z-stack) */
    int canvas_width, canvas_height; /* the RGB output: the image plus the colour bar margin */
    double pixel_nm, z_min_nm, z_max_nm;
    double saturation_density;     /* S used for brightness */
    int64_t rendered;              /* localizations inside the field */
    int64_t outside;               /* localizations outside it, left out */
} mumloc_render_info;

/* The functions below finish the image (ASH smoothing, saturation) on first use; add fails after. */
MUMLOC_API mumloc_status mumloc_renderer_info(mumloc_renderer *renderer, mumloc_render_info *info);
/* Density, width × height floats, row-major. */
MUMLOC_API mumloc_status mumloc_renderer_density(mumloc_renderer *renderer, float *out);
/* The colour image, canvas_width × canvas_height × 3 bytes (RGB, row-major); with the colour bar
 * margin iff params.colorbar (else the canvas is the image). */
MUMLOC_API mumloc_status mumloc_renderer_rgb(mumloc_renderer *renderer, unsigned char *out);
/* The z-stack, slices × height × width floats (slice-major); fails without params.zstack. */
MUMLOC_API mumloc_status mumloc_renderer_zstack(mumloc_renderer *renderer, float *out);

/* Writes the image: ".png" → 8-bit RGB PNG of the canvas (pixel size in its pHYs chunk); ".tif" or
 * ".tiff" → 32-bit float ImageJ hyperstack with 4 channels: density, red, green, blue (0–255), no
 * colour bar, calibrated in µm. Atomic: on failure no file is left. */
MUMLOC_API mumloc_status mumloc_renderer_write_image(mumloc_renderer *renderer, const char *path);
/* Writes the z-stack as a 32-bit float ImageJ hyperstack (Z = slices, calibrated, slice spacing the
 * bin). Atomic. */
MUMLOC_API mumloc_status mumloc_renderer_write_zstack(mumloc_renderer *renderer, const char *path);

/* A renderer filled with every row of an in-memory table (columns x, y, z in nm or without unit, and
 * "uncertainty_xy", else "uncertainty", for GAUSSIAN without a fixed σ): params are fitted to the
 * table's data where they say "from the data" (mumloc_render_params_fit), the renderer is created
 * and the rows added. Read or write its outputs, then destroy it. Row indices in error messages are
 * 0-based. */
MUMLOC_API mumloc_status mumloc_render_table(const mumloc_render_params *params,
                                             const mumloc_table *table, mumloc_renderer **out);

/* Renders a ThunderSTORM CSV (columns x, y, z in nm, or um, converted; "uncertainty_xy", else
 * "uncertainty", for GAUSSIAN without a fixed σ; other columns ignored), streaming it row by row in
 * bounded memory. A non-finite x, y, z (or σ when used) is an error naming the line. When the field
 * or z range comes from the data, a first pass finds the extent and keeps the parsed rows in an
 * anonymous temporary file (32 bytes a row, in the system's temporary folder; the table is read a
 * second time if that file cannot be written); giving both avoids that pass. image_path as
 * mumloc_renderer_write_image (required); zstack_path with params.zstack, or NULL. info may be NULL.
 * progress is called every 65,536 rows with (rows, 0) while the row count is unknown, and with
 * (rows, total) once it is. No file is written on failure or cancellation. */
MUMLOC_API mumloc_status mumloc_render_file(const mumloc_render_params *params, const char *table_path,
                                            const char *image_path, const char *zstack_path,
                                            mumloc_render_info *info, mumloc_progress_fn progress,
                                            void *user);

/* ---------------------------------------------------------------------------------------------- */
/* Table provenance and merging (cluster runs)                                                     */
/* ---------------------------------------------------------------------------------------------- */

/* What made a table lives in a sidecar "<table>.json" beside it (loc.csv → loc.csv.json), not in the
 * CSV: a comment or extra header line would break ThunderSTORM's import and every other CSV reader,
 * so the table itself stays plain ThunderSTORM. mumloc_localize_file writes the sidecar atomically
 * with the table; Fiji's MUMLoc Localize writes it when it writes csv=. The sidecar is one JSON
 * object {"mumloc_table": 1, "rows": N, "movies": "one" | "column" | "offset", "parts": [...]}, one
 * part per localization run that contributed, each:
 *   "mumloc"        version that localized;
 *   "model_sha256"  SHA-256 of the model file (as `sha256sum` prints it; null for a model made in
 *                   memory); "optics" the model's optics (mumloc_optics_save's fields);
 *   "threshold"     τ used (the model's when the options said 0); "refine" "none", "positions" or
 *                   "drift"; "merge_distance_nm";
 *   "movie"         absolute path of the movie; "movie_bytes" its size; "movie_frames" its frames;
 *   "first_frame", "last_frame"  the frames localized (1-based, inclusive, as the "frame" column);
 *   "rows"          rows this part contributed; "movie_index" (1-based) and "frame_offset": where
 *                   a merge of several movies put this part (1 and 0 for a single run). */

/* SHA-256 (64 hex digits) of the file the model was loaded from; "" for a model created in memory. */
MUMLOC_API const char *mumloc_model_sha256(const mumloc_model *model);

/* Where a table's rows came from: frames [first_frame, first_frame + frame_count) (0-based) of a
 * movie of movie_frames frames, giving rows rows. */
typedef struct mumloc_table_origin {
    const char *movie_path;
    int64_t movie_frames;
    int64_t first_frame;
    int64_t frame_count;
    int64_t rows;
} mumloc_table_origin;

/* The sidecar's path of a table ("<table_path>.json") into out (size bytes, NUL included): the one
 * naming rule for the CLI, Fiji and the library. MUMLOC_ERR_INVALID_ARGUMENT if it does not fit. */
MUMLOC_API mumloc_status mumloc_provenance_sidecar_path(const char *table_path, char *out,
                                                        size_t size);

/* Writes "<table_path>.json" (atomically) for a table that model and options (NULL = defaults)
 * made from origin: for callers that write the table themselves (Fiji). The movie must exist (its
 * size and absolute path are recorded). */
MUMLOC_API mumloc_status mumloc_provenance_write(const char *table_path, const mumloc_model *model,
                                                 const mumloc_localize_options *options,
                                                 const mumloc_table_origin *origin);

/* How mumloc_merge_tables combines tables of different movies (parts of one movie need none):
 *   ONE_MOVIE     every table must come from the same movie (else an error asking for a choice);
 *   MOVIE_COLUMN  a last column "movie" holds each row's movie: 1, 2, ... in the order the movies
 *                 first appear among the tables; rows sorted by movie, then frame (tables that all
 *                 come from one movie get no such column);
 *   FRAME_OFFSET  frames of later movies follow the earlier ones: a movie's frames are offset by
 *                 the frames (movie_frames) of the movies before it, as if they were one movie. */
typedef enum mumloc_merge_movies {
    MUMLOC_MERGE_ONE_MOVIE = 0,
    MUMLOC_MERGE_MOVIE_COLUMN = 1,
    MUMLOC_MERGE_FRAME_OFFSET = 2
} mumloc_merge_movies;

typedef struct mumloc_merge_options {
    mumloc_merge_movies movies;
    int force; /* 1: merge despite tables without a sidecar, from different models, optics,
                  thresholds or refinements, or with overlapping frames of one movie (the summary
                  says what was overridden); 0: refuse them (default) */
} mumloc_merge_options;

typedef struct mumloc_merge_summary {
    int tables;              /* tables merged */
    int movies;              /* distinct movies among them */
    int64_t rows;            /* rows written */
    int64_t frames_missing;  /* frames of those movies that no table covers (a failed task?) */
    int overridden;          /* problems let through by force */
    char first_overridden[512]; /* the first of them, as a sentence ("" if none) */
} mumloc_merge_summary;

MUMLOC_API void mumloc_merge_options_default(mumloc_merge_options *options);

/* Merges count ThunderSTORM tables (each with a "frame" column, all with the same columns in the
 * same order) into out_path: rows sorted by frame (by movie, then frame, for MOVIE_COLUMN), stably
 * (rows of one frame keep their order, and tables their order on the command line), "id" renumbered
 * 1..n, and the merged sidecar "<out_path>.json" listing every part. Each table's sidecar must be
 * there and agree with the table (its row count), and the parts must share model, optics,
 * threshold and refinement, and not overlap in frames of one movie, unless options->force. Both
 * files are written atomically; on failure neither exists. summary may be NULL. */
MUMLOC_API mumloc_status mumloc_merge_tables(const char *const *table_paths, int count,
                                             const char *out_path,
                                             const mumloc_merge_options *options,
                                             mumloc_merge_summary *summary);

/* ---------------------------------------------------------------------------------------------- */
/* After localization: merging blinks, filtering, resolution (FRC)                                 */
/* ---------------------------------------------------------------------------------------------- */

/* Each of these reads a localization table (x, y and, where used, z in nm or without unit; frame
 * 1-based) and gives a new table or result; the input is never changed. Row numbers in messages are
 * 1-based. progress (may be NULL) gets (work done, total) at least every 65,536 rows; returning
 * non-zero cancels with MUMLOC_ERR_CANCELLED and no output. All run in O(rows) memory and time (plus
 * FRC's image), multithreaded where it pays, with results independent of the thread count.
 *
 * Merging blinks (ThunderSTORM's "merging"). A dye that blinks on for several frames is localized once
 * per frame; merging joins those localizations into one molecule. Frame by frame (rows of one frame
 * in table order), each localization joins the nearest open molecule whose merged position is within
 * the distance (3D, or lateral and axial separately) and that has no localization in this frame yet,
 * or opens a new molecule. A molecule stays open while at most max_off_frames frames have passed since
 * its last localization (0 = consecutive frames only) and until it holds max_frames localizations
 * (0 = no limit). A merged row has: frame = the first frame; id = 1, 2, ... in order of first frame
 * (then of table order); x, y weighted by 1/uncertainty_xy² (or ThunderSTORM's "uncertainty") and z by
 * 1/uncertainty_z² when those columns exist, else by "intensity", else equally (a weight that is not
 * finite and > 0 counts as 0; all zero: equal weights); uncertainty_xy (uncertainty) and uncertainty_z
 * = 1/sqrt(Σ 1/u²), the bound of the weighted mean; "intensity" and "detections" summed (a table
 * without "detections" counts 1 per row: the column is added last, as ThunderSTORM writes it); every
 * other column is the mean of its rows. Rows come out in id order. Tables without z merge laterally. */
typedef struct mumloc_blink_merge_options {
    double max_distance_nm;    /* 3D distance, > 0 (default 20); used unless the two below are set */
    double max_distance_xy_nm; /* lateral and axial distances: both > 0, or both 0 (default 0, 0) */
    double max_distance_z_nm;
    int max_off_frames;        /* dark frames allowed inside a molecule's trace, >= 0 (default 1) */
    int max_frames;            /* most localizations per molecule, >= 0; 0 = no limit (default 0) */
} mumloc_blink_merge_options;

MUMLOC_API void mumloc_blink_merge_options_default(mumloc_blink_merge_options *options);
MUMLOC_API mumloc_status mumloc_blink_merge_options_validate(const mumloc_blink_merge_options *options);
/* Merges (options NULL = defaults) into *out (destroy it). Needs finite whole frames and finite x, y
 * (and z when the table has it). progress counts rows. */
MUMLOC_API mumloc_status mumloc_merge_blinks(const mumloc_table *table,
                                             const mumloc_blink_merge_options *options,
                                             mumloc_table **out, mumloc_progress_fn progress,
                                             void *user);

/* Filtering. A filter expression is a condition on each row's columns, ThunderSTORM's language:
 *   intensity > 500 & uncertainty_xy < 20 & (z > 100 | frame <= 10)
 * Column names stand for the row's value (without the unit: "x [nm]" is x); numbers as in C (1e-3).
 * Operators, from the loosest to the tightest binding: | (or "or", "||"); & (or "and", "&&");
 * ! (or "not"); comparisons < <= > >= = (or ==) != (one per operand pair); + -; * /; unary - +; ^
 * (power, right-associative); functions abs, sqrt, exp, log (natural), log10, floor, ceil, round (1
 * argument), min, max (2); parentheses. Comparisons and logic give 1 or 0; a value is true when it is
 * neither 0 nor NaN; NaN compares false (so a row with NaN in a tested column is dropped by a plain
 * comparison). The expression must compare or combine (a bare "x" or "x + 1" is refused). Errors name
 * the character position (1-based) and, for an unknown name, list the table's columns.
 *
 * Density filtering keeps the rows that have at least min_neighbors other rows within radius_nm
 * (distance ≤ radius; lateral, or 3D with use_z), counted among the rows the expression kept. */
typedef struct mumloc_filter_options {
    const char *expression;   /* NULL or "" = every row passes */
    double density_radius_nm; /* > 0 enables density filtering (default 0: off) */
    int density_min_neighbors;/* >= 1 with a radius (default 0) */
    int density_use_z;        /* 1 = 3D distance (needs z), 0 = lateral (default 0) */
} mumloc_filter_options;

MUMLOC_API void mumloc_filter_options_default(mumloc_filter_options *options);
/* Checks the numbers and parses the expression against the table's columns (table may be NULL: then
 * only the syntax and functions are checked, names are taken on trust). */
MUMLOC_API mumloc_status mumloc_filter_validate(const mumloc_filter_options *options,
                                                const mumloc_table *table);
/* The rows that pass, in table order, with every column, into *out (destroy it). progress counts rows
 * (expression, then density). */
MUMLOC_API mumloc_status mumloc_filter_table(const mumloc_table *table,
                                             const mumloc_filter_options *options,
                                             mumloc_table **out, mumloc_progress_fn progress,
                                             void *user);

/* Resolution by Fourier ring correlation (Nieuwenhuizen et al., Nat. Methods 10, 557, 2013). The table
 * is split in two halves: by default by alternate blocks of frames (frames 1..B in half 1, B+1..2B in
 * half 2, ...: a blink spanning a few frames mostly stays in one half, so its repeats do not pass for
 * structure), or at random per row (seeded). Each half is binned as a 2D histogram over the data's
 * lateral extent at pixel_nm (origin at the smallest x, y), zero-padded to a square power of two N
 * (at most MUMLOC_FRC_MAX_SIZE) and Fourier transformed. Ring k (frequencies in [k − 0.5, k + 0.5) / (N
 * pixel), k = 0 .. N/2) gives FRC(k) = Re Σ F1 F2* / sqrt(Σ|F1|² Σ|F2|²); the curve is smoothed by a
 * moving average over ±smooth_rings rings and the resolution is 1 / (the first frequency above zero
 * where the smoothed curve falls below the threshold, linearly interpolated). No correction for
 * spurious correlations (the paper's Q) is made: merge blinks first. When the curve never crosses,
 * the resolution is NaN and the text says what to change. z is ignored. */
#define MUMLOC_FRC_MAX_SIZE 8192

typedef enum mumloc_frc_split {
    MUMLOC_FRC_SPLIT_FRAME_BLOCKS = 0, /* odd / even blocks of block_frames frames */
    MUMLOC_FRC_SPLIT_RANDOM = 1        /* each row to a half at random (seed) */
} mumloc_frc_split;

typedef struct mumloc_frc_options {
    double pixel_nm;          /* histogram pixel, > 0; 0 = auto: 5 nm, or larger so that N <= 4096 */
    mumloc_frc_split split;   /* default FRAME_BLOCKS */
    int block_frames;         /* frames per block, >= 1 (default 50) */
    uint64_t seed;            /* RANDOM split (default 1) */
    double threshold;         /* in (0, 1) (default 1/7) */
    int smooth_rings;         /* moving-average half-width in rings, >= 0; -1 = auto: N / 256 (default) */
} mumloc_frc_options;

MUMLOC_API void mumloc_frc_options_default(mumloc_frc_options *options);
MUMLOC_API mumloc_status mumloc_frc_options_validate(const mumloc_frc_options *options);

typedef struct mumloc_frc mumloc_frc;

/* Computes the FRC (options NULL = defaults) into *out (destroy it). Needs finite frame (for the block
 * split), x and y, and at least one row in each half. progress counts rows, then image lines. */
MUMLOC_API mumloc_status mumloc_frc_compute(const mumloc_table *table,
                                            const mumloc_frc_options *options, mumloc_frc **out,
                                            mumloc_progress_fn progress, void *user);
MUMLOC_API void mumloc_frc_destroy(mumloc_frc *frc);

typedef struct mumloc_frc_summary {
    double resolution_nm;     /* NaN when the curve does not cross the threshold */
    double threshold;
    double pixel_nm;          /* the histogram pixel used */
    int image_size;           /* N */
    int rings;                /* points of the curve: N / 2 + 1 */
    int smooth_rings;         /* half-width used */
    int64_t rows_half1, rows_half2;
} mumloc_frc_summary;

MUMLOC_API mumloc_status mumloc_frc_get_summary(const mumloc_frc *frc, mumloc_frc_summary *summary);
/* The curve: rings values each, owned by the frc: spatial frequency (1/nm), FRC, smoothed FRC. */
MUMLOC_API const double *mumloc_frc_frequency(const mumloc_frc *frc);
MUMLOC_API const double *mumloc_frc_curve(const mumloc_frc *frc);
MUMLOC_API const double *mumloc_frc_smoothed(const mumloc_frc *frc);
/* One line of text (what the CLI prints), and one JSON object, owned by the frc:
 *   {"resolution_nm":…,"threshold":…,"pixel_nm":…,"image_size":…,"smooth_rings":…,
 *    "rows_half1":…,"rows_half2":…,"split":"frame_blocks" or "random"}   (NaN as null) */
MUMLOC_API const char *mumloc_frc_text(const mumloc_frc *frc);
MUMLOC_API const char *mumloc_frc_json(const mumloc_frc *frc);
/* The curve as CSV ("frequency [1/nm]","frc","frc_smoothed"), and as a PNG plot (the smoothed and
 * raw curves, the threshold, the resolution in the title). Atomic. */
MUMLOC_API mumloc_status mumloc_frc_write_curve(const mumloc_frc *frc, const char *path);
MUMLOC_API mumloc_status mumloc_frc_write_plot(const mumloc_frc *frc, const char *path);

/* ---------------------------------------------------------------------------------------------- */
/* Sample drift correction                                                                         */
/* ---------------------------------------------------------------------------------------------- */

/* Over a long acquisition the stage (the sample) drifts by 100 nm or more in x, y and z. The
 * estimate is a table with one row per frame from the table's first frame to its last, columns
 * exactly "frame", "dx [nm]", "dy [nm]", "dz [nm]": the sample moved by (dx, dy, dz) at that frame,
 * so a localization found there is corrected by subtracting it. The estimate is 0 at the first frame
 * (any constant offset is the user's choice of origin).
 *
 * RCC (redundant cross-correlation, Wang et al. 2014). The frames are cut into segments of
 * segment_frames frames; each segment's localizations are binned on a pixel_nm grid (laterally the
 * bin grows in steps of 1.25 until the field fits 512 bins per side: 10^7 localizations over 25 µm
 * take about 3 s of CPU). Every pair of
 * segments is cross-correlated (FFT): laterally the x–y histograms (all z), axially the z profiles of
 * 16·pixel_nm wide x–y cells after the lateral correction (1D correlations along z summed over the
 * cells). Each peak is located to sub-pixel precision (Gaussian through the 3 samples around the
 * maximum, per axis). The S·(S − 1)/2 measured shifts d_j − d_i give an over-determined system for
 * the S segment drifts, solved by least squares; pairs whose residual exceeds 3 robust standard
 * deviations (and half a pixel) are dropped and the system solved again, as RCC does. A peak on the
 * border of the ±max_drift_nm search window is no measurement (the pair is dropped); if that leaves a
 * segment unlinked the call fails naming the segments and the option to raise. The segment drifts are
 * placed at the segments' mean frames and interpolated per frame by a natural cubic spline (straight
 * lines beyond the first and last segment).
 *
 * FIDUCIAL. Beads: places where a localization is found in at least fiducial_presence of the frames.
 * Each is tracked frame by frame (the nearest localization within fiducial_radius_nm of its last
 * position); its displacement from its own mean position is its drift, and the drift of a frame is
 * the mean over the beads seen in it (bead means and drifts refined alternately, so beads missing in
 * some frames do not bias it). Frames where no bead is seen are interpolated linearly. */

typedef enum mumloc_drift_method {
    MUMLOC_DRIFT_RCC = 0,
    MUMLOC_DRIFT_FIDUCIAL = 1
} mumloc_drift_method;

/* "rcc", "fiducial"; NULL for a value out of range. */
MUMLOC_API const char *mumloc_drift_method_name(int method);
MUMLOC_API mumloc_status mumloc_drift_method_from_name(const char *name, mumloc_drift_method *out);

typedef struct mumloc_drift_options {
    mumloc_drift_method method;     /* default RCC */
    int64_t segment_frames;         /* RCC: frames per segment; 0 = automatic (default): about
                                       max(500, rows / 20) localizations per segment */
    double pixel_nm;                /* RCC: histogram bin, laterally and axially (default 20) */
    double max_drift_nm;            /* RCC: search range, the largest shift between two segments
                                       (default 1000) */
    int min_segment_localizations;  /* RCC: fewer in a segment is an error (default 200: fewer
                                       give unreliable correlations) */
    int correct_z;                  /* 1 = estimate dz too (default); 0 = dz is 0 */
    double fiducial_presence;       /* FIDUCIAL: fraction of frames a bead is seen in (default 0.5) */
    double fiducial_radius_nm;      /* FIDUCIAL: largest step of a bead between frames (default 150) */
} mumloc_drift_options;

typedef struct mumloc_drift_info {
    int segments;                   /* RCC segments (FIDUCIAL: 0) */
    int64_t segment_frames;         /* RCC: frames per segment used */
    int pairs, pairs_used;          /* RCC: segment pairs, and those left after rejection */
    double pixel_nm;                /* RCC: lateral bin used (raised for large fields) */
    int beads;                      /* FIDUCIAL: beads tracked */
    int64_t frames;                 /* rows of the estimate */
} mumloc_drift_info;

MUMLOC_API void mumloc_drift_options_default(mumloc_drift_options *options);
MUMLOC_API mumloc_status mumloc_drift_options_validate(const mumloc_drift_options *options);

/* Estimates the drift of a localization table (columns "frame", "x", "y" and, with correct_z, "z";
 * lengths in nm or without unit, finite values, integer frames ≥ 1) into a new table (*out, see
 * above). options NULL = defaults; info may be NULL. progress gets (steps done, steps total); the
 * work is multithreaded and the result does not depend on the thread count. Errors name what to
 * change: a segment with too few localizations ("use --segment-frames larger than N"), a drift beyond
 * the search range ("raise --max-drift"), no bead found ("lower --fiducial-presence"). */
MUMLOC_API mumloc_status mumloc_drift_estimate(const mumloc_table *table,
                                               const mumloc_drift_options *options,
                                               mumloc_drift_info *info, mumloc_progress_fn progress,
                                               void *user, mumloc_table **out);

/* Subtracts the drift of each row's frame from its x, y and z (z only if the table has it) in place;
 * every other column is unchanged. drift: a table as mumloc_drift_estimate makes (or one read from
 * its CSV). A row whose frame the drift table does not hold fails naming the row; nothing is changed
 * then. */
MUMLOC_API mumloc_status mumloc_drift_apply(mumloc_table *table, const mumloc_table *drift);

/* Draws the drift as a PNG plot (drift in nm vs frame, one line per axis: dx red, dy green, dz
 * blue), width × height pixels (0, 0 = 800 × 450), written atomically. */
MUMLOC_API mumloc_status mumloc_drift_plot_write(const mumloc_table *drift, int width, int height,
                                                 const char *path);

/* The stage drift of a simulated movie (params.stage_drift_nm > 0), dxyz[3] in nm at frame `frame`
 * (0-based): the camera sees every molecule at its true position plus this; the ground truth keeps
 * the true positions. */
MUMLOC_API mumloc_status mumloc_simulate_stage_drift(const mumloc_simulator *sim, int64_t frame,
                                                     double *dxyz);
/* Writes the simulated stage drift of every frame as a drift table CSV ("frame" 1-based, "dx [nm]",
 * "dy [nm]", "dz [nm]"), atomically. */
MUMLOC_API mumloc_status mumloc_simulate_write_stage_drift(const mumloc_sim_params *params,
                                                           const char *path);


/* ---------------------------------------------------------------------------------------------- */
/* Raw rig data: reading, photons, the registered field for the network                            */
/* ---------------------------------------------------------------------------------------------- */

/* A rig's raw movie: the k cameras' frames as the rig's layout stores them, read one reference frame
 * at a time as k images of rig->width × rig->height camera values, each in its own camera's pixel
 * frame (nothing resampled). Layouts:
 *   HYPERSTACK  one file; the cameras are the channels (C = k), or the planes found by
 *               mumloc_plane_layout with `planes` (slices, or a plain stack camera by camera);
 *   FILES       k files, file d a stack of camera d's frames (paths in camera order);
 *   TILES2X2, TILES1X4, TILES4X1  one file of chip images 2w × 2h, 4w × h or w × 4h (w × h the rig's
 *               frame), cut into the cameras' tiles as mumloc_rig_layout says.
 * Frame offsets: camera d's frame f shows reference frame f + frame_offset[d]; the movie holds the
 * reference frames every camera recorded, [first, first + frames). Failures name the file and what
 * its shape should be for the layout (MUMLOC_ERR_INVALID_ARGUMENT), or come from the reader. */
typedef struct mumloc_rig_movie mumloc_rig_movie;

MUMLOC_API mumloc_status mumloc_rig_movie_open(const mumloc_rig *rig, const char *const *paths,
                                               int count, mumloc_plane_axis planes,
                                               mumloc_rig_movie **out);
MUMLOC_API void mumloc_rig_movie_close(mumloc_rig_movie *movie);
/* The reference frames the movie holds: first (0-based, the table's frame − 1) and how many. */
MUMLOC_API void mumloc_rig_movie_frames(const mumloc_rig_movie *movie, int64_t *first,
                                        int64_t *frames);
/* The description of the (first) file ("" when none); valid until the movie is closed. */
MUMLOC_API const char *mumloc_rig_movie_description(const mumloc_rig_movie *movie);
/* Reads reference frame `frame` (first ≤ frame < first + frames) into out: k × height × width camera
 * values (camera, row, column). Safe from several threads at once. */
MUMLOC_API mumloc_status mumloc_rig_movie_read(const mumloc_rig_movie *movie, int64_t frame,
                                               float *out);

/* Camera values → photons in place, camera by camera: (value − offset_adu) / (adu_per_electron ·
 * em_gain) with camera d's own model; frame is k × height × width. */
MUMLOC_API void mumloc_rig_to_photons(const mumloc_rig *rig, float *frame);

/* The network's field: the largest rectangle of camera 1's pixels whose centres every camera sees
 * (each camera's to_camera maps the centre between the first and the last pixel centre of that
 * camera, so the interpolation below needs no pixel outside it). Coordinates of the registered
 * frame's pixel (i, j) are camera 1's pixel (x0 + i, y0 + j). Fails when the cameras share no pixel
 * (MUMLOC_ERR_INVALID_ARGUMENT, naming the camera that sees least). mumloc_rig_field is declared
 * with the localization pipeline, whose summary reports it. */
MUMLOC_API mumloc_status mumloc_rig_common_field(const mumloc_rig *rig, mumloc_rig_field *field);

/* Resamples a frame of k camera images (k × rig height × rig width, any unit) onto camera 1's grid
 * over field: plane d's pixel (i, j) is camera d sampled at to_camera(x0 + i + 0.5, y0 + j + 0.5) by
 * Keys' cubic convolution (a = −1/2: exact for quadratics, error O(h³) on smooth images), indices
 * clamped at the camera's border. out: k × field height × field width. Interpolation keeps each
 * pixel's mean but not its noise: a sample between pixels averages several, so its variance is
 * Σ w² (0.41 to 1) of a camera pixel's and neighbours correlate. The network reads these frames
 * only to detect and place molecules coarsely; fits and bounds use the raw camera frames. */
MUMLOC_API mumloc_status mumloc_rig_resample(const mumloc_rig *rig, const mumloc_rig_field *field,
                                             const float *cameras, float *out);

/* ---------------------------------------------------------------------------------------------- */
/* Rig calibration from a bead z-stack                                                             */
/* ---------------------------------------------------------------------------------------------- */

/* A bead z-stack as each camera recorded it: the stage stepped through every plane's focus, one
 * image per step and camera, in ADU, each camera in its own pixel frame. */
typedef struct mumloc_bead_stack {
    int cameras;                      /* k (1..MUMLOC_MAX_PLANES) */
    int width, height;                /* one camera's frame (one tile) in pixels */
    int steps;                        /* stage steps: images per camera */
    int bits_per_sample;              /* 8 or 16: 2^bits − 1 ADU is saturation; 32 (float): none */
    mumloc_rig_layout layout;         /* how the data came */
    float *pixels[MUMLOC_MAX_PLANES]; /* camera d: steps × height × width ADU (the stack owns them) */
} mumloc_bead_stack;

/* Reads a bead stack in a layout: HYPERSTACK one file (paths[0]) with the cameras as channels
 * (C = k, the steps along Z or T); FILES one file per camera (count files, each a stack of steps
 * images, all of one size); TILES2X2, TILES1X4, TILES4X1 one file (C = 1) whose images hold the 4
 * cameras as tiles (camera 1 top-left / leftmost / on top, then row by row). A stack whose shape does
 * not fit the layout fails naming the file, its shape and what to pass instead. */
MUMLOC_API mumloc_status mumloc_bead_stack_read(const char *const *paths, int count,
                                                mumloc_rig_layout layout, mumloc_bead_stack *stack);
/* The same from images in memory (ImageJ's order: channel fastest, then slice/frame), copied:
 * channels × images_per_channel images of width × height (for Fiji's current image; FILES needs
 * one stack per camera, so here channels = cameras and each channel is one camera). */
MUMLOC_API mumloc_status mumloc_bead_stack_from_images(const float *images, int width, int height,
                                                       int channels, int images_per_channel,
                                                       int bits_per_sample,
                                                       mumloc_rig_layout layout,
                                                       mumloc_bead_stack *stack);
MUMLOC_API void mumloc_bead_stack_free(mumloc_bead_stack *stack);

/* How to calibrate (mumloc_calibrate_options_default fills the defaults). */
typedef struct mumloc_calibrate_options {
    double z_step_nm;             /* stage step between images (required, ≠ 0): in image i the beads
                                     sit at depth z_b + i·z_step_nm (negative for a stage that moves
                                     the other way) */
    mumloc_optics optics;         /* pixel_nm (camera 1's pixel in the sample) and psf_amplitude are
                                     kept; psf_d_nm, psf_A, psf_B start the fits (default optics) */
    double offset_adu[MUMLOC_MAX_PLANES];       /* per camera (defaults: mumloc_camera_default) */
    double adu_per_electron[MUMLOC_MAX_PLANES];
    double em_gain[MUMLOC_MAX_PLANES];
    double read_noise_e[MUMLOC_MAX_PLANES];
    int min_beads;                /* beads a camera must share with camera 1 (default 5, at least 3) */
    const char *report_path;      /* PNG report to write, or NULL */
    const char *inputs;           /* what was read (file names), kept in the rig's calibration
                                     record; NULL: "" */
    mumloc_psf_kind psf;          /* the rig's PSF model (default gaussian, as before): spline
                                     also builds one cubic spline per plane from the registered
                                     beads and writes it to psf_path */
    const char *psf_path;         /* spline: where to write the spline PSF file, in the folder the
                                     rig file will be saved to (mumloc_rig_psf_sidecar_path); the
                                     rig names it by its file name */
} mumloc_calibrate_options;

MUMLOC_API void mumloc_calibrate_options_default(mumloc_calibrate_options *options);

/* What a calibration measured, for people: counts, residuals and fit quality, and `text`, the
 * report the CLI prints and Fiji logs (one line per camera and plane, then "warning: ..." lines). */
typedef struct mumloc_calibrate_summary {
    int beads_found[MUMLOC_MAX_PLANES];      /* unsaturated beads found in each camera */
    int beads_saturated[MUMLOC_MAX_PLANES];  /* beads left out because they saturate */
    int beads_matched[MUMLOC_MAX_PLANES];    /* beads in camera d's affine fit (camera 1: tracked) */
    double residual_nm[MUMLOC_MAX_PLANES];   /* registration RMS residual in the sample */
    double width_rms_nm[MUMLOC_MAX_PLANES];  /* RMS of the PSF width residuals per plane */
    int warnings;                            /* "warning:" lines in text */
    char text[4096];
} mumloc_calibrate_summary;

/* Calibrates a rig from a bead z-stack (the stage stepped through every plane's focus):
 *  - beads are found in each camera's max projection (after conversion to photons with that
 *    camera's offset and gains), saturated beads (2^bits − 1 ADU) left out;
 *  - each camera's beads are matched to camera 1's trying the 8 mirror flips and quarter turns,
 *    then a robust affine (outliers dropped) maps camera 1's pixels onto each camera's;
 *  - every bead is fitted in every image with the pixel-integrated Gaussian (maximum likelihood);
 *    the beads' common lateral drift during the scan is estimated and removed, and the final
 *    affines are fitted to the drift-free bead centres;
 *  - per plane, the focal depth (plane 1's is 200 nm: plane_depth_nm[0]), w0, d, A, B (one joint
 *    weighted least-squares fit of the beads' widths over all planes, each bead with its own depth)
 *    and the transmission (each plane's share of a bead's photons, mean 1).
 * Fills rig (layout from the stack, per-plane optics, cameras with affine, flips, camera model,
 * residual and bead count, z step, a "calibration" record) and summary (may be NULL); writes the
 * PNG report when asked. Errors name the camera or plane and what to do: too few beads matched,
 * saturated beads, a z range that misses a plane's focus, flips that cannot be resolved. */
MUMLOC_API mumloc_status mumloc_calibrate(const mumloc_bead_stack *stack,
                                          const mumloc_calibrate_options *options, mumloc_rig *rig,
                                          mumloc_calibrate_summary *summary);

/* ============================================================================================== */
/* Building blocks                                                                                 */
/*                                                                                                 */
/* The steps localization is made of, for programs that assemble their own pipeline: Cramér–Rao    */
/* bounds, the decoders of the networks' outputs, photometry and maximum-likelihood refinement,    */
/* and the compressed-sensing solver on one region. The first part's calls (mumloc_localizer_push, */
/* mumloc_localize_file) run them in this order with every argument filled in.                     */
/* ============================================================================================== */

/* ---------------------------------------------------------------------------------------------- */
/* Cramér–Rao bounds                                                                               */
/* ---------------------------------------------------------------------------------------------- */

/* Cramér–Rao lower bounds (science.md §7) of x, y and z for one molecule at (x, y, z) with `photons`
 * expected photons summed over all k planes (photons · mumloc_optics_plane_share in plane d, photons
 * / k for the papers' optics: k · c · a'/p² for weight c; each plane with its own PSF curve) on
 * background[d] photons per pixel in plane d (k values; NULL: camera->background_photons in every
 * plane). The Fisher matrix is over (x, y, z, photons, b_1 .. b_k): photons and one background per
 * plane are nuisance parameters, as in the photometry of mumloc_localizations_measure. Each plane
 * contributes the pixels of a ±ceil(3 w/p) window (at least ±2) around the molecule, on an unbounded
 * camera, without drift. Noise, in photons per pixel of expected value μ: variance F·μ + (σ/G)², where
 * σ is the read noise in electrons, G the EM gain, and F = 2 (the EM register's excess noise) when
 * G > 1, else 1; so the information is Σ (∂μ/∂θ)(∂μ/∂θ') / (F·μ + (σ/G)²) (the shifted-Poisson
 * approximation). A coordinate the data do not inform at all (z of a single plane at exact focus)
 * gets Infinity. */
MUMLOC_API mumloc_status mumloc_crlb(const mumloc_optics *optics, const mumloc_camera *camera,
                                     double x_nm, double y_nm, double z_nm, double photons,
                                     const double *background, double *sx_nm, double *sy_nm,
                                     double *sz_nm);

/* ---------------------------------------------------------------------------------------------- */
/* Decoding the networks' outputs                                                                  */
/* ---------------------------------------------------------------------------------------------- */

typedef struct mumloc_decode_options {
    double threshold;          /* τ: voxels with probability > τ count (default 0.5) */
    double merge_distance_nm;  /* regression: merge detections of neighbouring voxels closer than
                                  this in 3D (default 100; 0 disables merging) */
    int neighbourhood;         /* voxel: half-size r of the (2r+1)³ averaging window (default 1) */
} mumloc_decode_options;

MUMLOC_API void mumloc_decode_options_default(mumloc_decode_options *options);

/* Decodes one frame of the `regression` network (science.md §4b). output holds 4k channels of
 * height × width floats (channel-major, row-major): channel d (0 ≤ d < k) the probability c of plane
 * d's voxels, channel k + 3·d + a the offset ζ in [0, 1] along axis a (0 = x, 1 = y, 2 = z) — the
 * model's output tensor as it is. The voxel of pixel (i, j) in plane d spans [i·p, (i+1)·p) ×
 * [j·p, (j+1)·p) × [lo_d, hi_d), where lo_d/hi_d are the midpoints between plane d's depth and its
 * neighbours' (the outer planes extend by half their spacing: [0, 1600) nm in four 400 nm layers by
 * default; needs k ≥ 2). Each voxel with c > τ gives a molecule at its corner + ζ · size. Then
 * duplicates are merged: detections are taken in decreasing probability; one whose voxel neighbours
 * (26-neighbourhood in plane, row, column) the voxel of an earlier kept detection within
 * merge_distance_nm joins it. The merged position is the probability-weighted mean (a molecule on a
 * voxel border lights both voxels, each ζ biased towards its own voxel's inside by the sigmoid, so
 * the mean cancels most of that bias); the probability is the highest. Results are sorted by y, then
 * x, then z. *count gets how many there are; out NULL with cap 0 asks for that count only;
 * otherwise out receives them, and more than cap fails with MUMLOC_ERR_INVALID_ARGUMENT (call again
 * with a bigger buffer; k · width · height always suffices). */
MUMLOC_API mumloc_status mumloc_decode_regression(const mumloc_optics *optics, const float *output,
                                                  int width, int height,
                                                  const mumloc_decode_options *options,
                                                  int64_t frame, mumloc_localization *out, int cap,
                                                  int *count);

/* Decodes one frame of the `voxel` network (science.md §4a). volume holds depth_slices × (U·height)
 * × (U·width) probabilities (slice-major, row-major) for an input of width × height pixels and the
 * lateral upsampling U (8 for the published network): voxel (s, j, i) spans [i·p/U, (i+1)·p/U) ×
 * [j·p/U, (j+1)·p/U) × [z0 + s·t, z0 + (s+1)·t), with the slab [z0, z1) of mumloc_decode_regression's
 * voxels (lo of the first plane to hi of the last) and t = (z1 − z0) / depth_slices (50 nm by
 * default). Peaks are voxels above τ that no 26-neighbour exceeds; a plateau (26-connected voxels of
 * equal value) is one peak when no neighbour of it is higher. A peak's position is the
 * probability-weighted mean of the voxel centres in its window: the plateau grown by r voxels along
 * every axis (3×3×3 for a single voxel and r = 1), clipped to the volume, every voxel counted once
 * whatever its value; its probability is the peak value. Sorted and returned as by
 * mumloc_decode_regression (the voxel count of the volume always suffices). */
MUMLOC_API mumloc_status mumloc_decode_voxel(const mumloc_optics *optics, const float *volume,
                                             int depth_slices, int upsampling, int width,
                                             int height, const mumloc_decode_options *options,
                                             int64_t frame, mumloc_localization *out, int cap,
                                             int *count);

/* ---------------------------------------------------------------------------------------------- */
/* Photometry and refinement                                                                       */
/* ---------------------------------------------------------------------------------------------- */

/* Photometry and bounds of localizations found in one frame (k planes of height × width photons,
 * camera offset and gain already removed), with that frame's drift dx_dy (NULL: none). For each
 * record: photons and background per plane by linear least squares of the PSF model at the record's
 * position over the ±ceil(3 w/p) window of each plane (clipped to the image) — the image there is
 * photons · share_d · PSF_d + b_d (share_d = mumloc_optics_plane_share, 1/k for the papers'
 * optics), linear in (photons, b_1 .. b_k) — then bkgstd = the residual std
 * (sqrt(RSS / (pixels − unknowns))), offset = mean background, and the uncertainties: the bounds of
 * mumloc_crlb (with this drift) at the fitted photons and backgrounds. The fit is linear in the data,
 * hence unbiased; on noise it can give photons ≤ 0 (uncertainties then Infinity) or a negative
 * background (counted as 0 in the bound). A position whose windows miss the image fails with
 * MUMLOC_ERR_INVALID_ARGUMENT. Multithreaded over records. */
MUMLOC_API mumloc_status mumloc_localizations_measure(const mumloc_optics *optics,
                                                      const mumloc_camera *camera,
                                                      const float *frame, int width, int height,
                                                      const double *dx_dy,
                                                      mumloc_localization *locs, int count);

/* Refinement of decoded positions by maximum likelihood, before measuring: each record's x, y, z,
 * with photons and the k backgrounds as nuisance parameters, are fitted to the PSF model over the
 * same windows (Levenberg–Marquardt on the shifted-Poisson likelihood of the camera model of
 * mumloc_crlb), starting from the record. Multi-emitter: each fit holds the expected light of the
 * records whose windows overlap its own in its model, and the fits are repeated (Gauss–Seidel over
 * groups of records with disjoint windows) until none moves by 0.05 nm, at most 16 sweeps: the
 * joint optimum of the frame's likelihood. A fit replaces the position only when it stays within
 * one camera pixel laterally and half the plane spacing axially of the start (farther means it
 * was drawn to a neighbour or to noise); such a record keeps its position, and its photons and
 * backgrounds are fitted there so that its light in the neighbours' models is what the data leave
 * for it. Other fields are left as they are. Same frame, drift and failures as
 * mumloc_localizations_measure. Multithreaded over records. */
MUMLOC_API mumloc_status mumloc_localizations_refine(const mumloc_optics *optics,
                                                     const mumloc_camera *camera,
                                                     const float *frame, int width, int height,
                                                     const double *dx_dy,
                                                     mumloc_localization *locs, int count);

/* Joint maximum-likelihood refinement of one frame's localizations and its drift: from the
 * per-molecule fits of mumloc_localizations_refine at zero drift (windows fixed at the decoded
 * positions), Fisher-scoring steps on the drift of planes 2..k over the likelihood summed over
 * every usable molecule's windows, the molecules' own parameters profiled out (Schur complement of
 * the joint Fisher matrix); each molecule follows a step by its part of the joint Gauss–Newton
 * step (no refit; refitted only when no halving of that lowers the likelihood), halved while the
 * likelihood rises, until no value moves by 0.1 nm (at most 20 updates). Each fit models the other molecules' expected light as
 * known signal (overlapping windows would otherwise pull fits, and the drift, towards neighbours).
 * Usable molecules are those whose zero-drift fit converges within the trust region of
 * mumloc_localizations_refine with photons > 1; those whose own drift information disagrees with
 * the estimate (score test, χ² at p = 1e-3: blends, false detections) are dropped and the drift
 * re-estimated (two rounds at most). Each drift value has a N(0, (48 nm)²) prior (a residual of the
 * cameras' registration, science.md §2), so the estimate is the maximum a posteriori: a plane the
 * molecules hardly inform is shrunk towards 0 rather than fixed there, a well-informed one (bound
 * ~8 nm) by ~3 %. One usable molecule suffices (plane 1 anchors its position; outlier rejection
 * keeps at least 2). Guards: with no usable molecule nothing is estimated (all 0); a plane
 * whose bound (sigma_nm) exceeds 15 nm is reported (estimated = 0, outcome PARTIAL) but keeps its
 * estimate; values are clamped to ±2 camera pixels (clamped = 1). Each record then gets the position
 * fitted at the final drift under refine's trust rule (other fields untouched): pass drift->dx_dy
 * to mumloc_localizations_measure so the bounds are for that drift. The frame must be finite
 * (MUMLOC_ERR_INVALID_ARGUMENT naming the plane otherwise); count 0 gives outcome
 * TOO_FEW_MOLECULES. Failures otherwise as mumloc_localizations_refine. Multithreaded over records;
 * costs about 3-4 times mumloc_localizations_refine (native/src/localize/LOCALIZE.md, Costs). */
MUMLOC_API mumloc_status mumloc_localizations_refine_with_drift(const mumloc_optics *optics,
                                                                const mumloc_camera *camera,
                                                                const float *frame, int width,
                                                                int height,
                                                                mumloc_localization *locs,
                                                                int count,
                                                                mumloc_frame_drift *drift);

/* ---------------------------------------------------------------------------------------------- */
/* Compressed sensing on one region                                                                */
/* ---------------------------------------------------------------------------------------------- */

/* Localizes `frames` consecutive frames (frames × k × height × width photons) of one region with the
 * CS solver, no tiling (the pipeline tiles larger frames): all frames share one drift, written to
 * dx_dy (2 per plane, nm, the molecule appears at x − dx in that plane; NULL: not wanted). Records
 * (frame = first_frame + index) are sorted per frame as the decoders sort them; photons are the
 * Lasso's photons, the other measured fields NaN, probability 1 (the solver gives none). Cap rule
 * as mumloc_decode_voxel's (out NULL with cap 0: *count only). camera: noise for the automatic λ. */
MUMLOC_API mumloc_status mumloc_cs_localize(const mumloc_optics *optics, const mumloc_camera *camera,
                                            const mumloc_cs_options *options, const float *photons,
                                            int frames, int width, int height, int64_t first_frame,
                                            mumloc_localization *out, int cap, int *count,
                                            double *dx_dy);

#ifdef __cplusplus
}
#endif

#endif /* MUMLOC_H */
