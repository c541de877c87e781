/* Spline PSF files: a measured PSF (one cubic spline per plane, optics/spline_psf.h) on disk, the
 * sidecar a rig file references ("psf": {"model": "spline", "file": ..., "hash": ...}).
 *
 * The format is safetensors (readable from Python's safetensors):
 *   8 bytes   little-endian u64 N, the header's length
 *   N bytes   JSON header, space-padded to a multiple of 8:
 *             {"__metadata__": {"format": "mumloc-spline-psf", "format_version": "1",
 *                               "planes": "k", "pixel_nm": "...", "sha256": "<64 hex>",
 *                               "plane1.oversample", "plane1.half", "plane1.z0_nm",
 *                               "plane1.z_step_nm", ... for every plane (all values strings)},
 *              "plane1.coef": {"dtype": "F32", "shape": [nz, n, n], "data_offsets": [b, e]}, ...}
 *   data      per plane the cubic B-spline coefficients [m][v][u] (u fastest), little-endian float32,
 *             plane after plane, no gaps.
 * "sha256" is the SHA-256 of the data section (every coefficient byte, exactly as stored; recompute
 * with `tail -c +$((9 + N)) file | sha256sum`): the spline's content hash, which rig files and models
 * record to name the PSF they were made with. Grid numbers are written as the shortest decimal text
 * that reads back to the same double, so a loaded-then-saved file is byte-identical.
 *
 * Loading reads the 8-byte length first, refuses a header over 1 MiB, checks every size against the
 * file's before allocating, and fails with MUMLOC_ERR_FORMAT naming the file for: a foreign or
 * truncated file, another format version, missing or extra tensors or metadata, a grid outside
 * spline_psf's limits, shapes that disagree with the grid, data offsets that leave gaps, overlap or
 * run past the end, a data hash that differs from the header's (a changed file), and a NaN or
 * infinite coefficient. */
#ifndef OPTICS_SPLINE_FILE_H
#define OPTICS_SPLINE_FILE_H

#include "mumloc.h"
#include "optics/spline_psf.h"

#define SPLINE_FILE_FORMAT "mumloc-spline-psf"
#define SPLINE_FILE_VERSION 1

/* A measured PSF: one spline per plane, all on the same camera pixel. */
typedef struct spline_set {
    int planes;                               /* 1..MUMLOC_MAX_PLANES */
    spline_plane_psf plane[MUMLOC_MAX_PLANES];
    char sha256[65];                          /* content hash (see above); filled by save and load */
} spline_set;

/* The content hash of the set's coefficients as a file stores them (64 lowercase hex digits). */
mumloc_status spline_set_hash(const spline_set *set, char hex[65]);

/* Writes the set atomically and stores its hash in set->sha256. Fails on an empty plane, planes
 * out of range or pixels that differ between planes. */
mumloc_status spline_set_save(const char *path, spline_set *set);

/* Reads a set (errors as above). *set is zeroed first; free it with spline_set_free. */
mumloc_status spline_set_load(const char *path, spline_set *set);

void spline_set_free(spline_set *set);

#endif
