/* Decoder of the `voxel` network (science.md §4a; contract in mumloc.h): threshold → 3D local maxima
 * (a plateau of equal values is one peak) → probability-weighted mean over the peak's window. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "decode/decode_common.h"
#include "optics/voxel_geometry.h"

/* Bits of the per-voxel mark: part of a plateau already handled; already summed into a window. */
#define MARK_PLATEAU 1u
#define MARK_WINDOW 2u

typedef struct volume {
    const float *p;
    int slices, rows, cols;
    unsigned char *mark;
} volume;

/* A growable list of voxel indices. */
typedef struct index_list {
    size_t *at;
    size_t n, cap;
} index_list;

static int push(index_list *l, size_t v) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        size_t *at = realloc(l->at, cap * sizeof *at);
        if (!at) return 0;
        l->at = at;
        l->cap = cap;
    }
    l->at[l->n++] = v;
    return 1;
}

/* A probability as a weight: NaN and negative values weigh nothing. */
static double weight(float v) { return v > 0.0f ? v : 0.0; }

static void coords(const volume *vol, size_t v, int *s, int *j, int *i) {
    size_t plane = (size_t)vol->rows * vol->cols;
    *s = (int)(v / plane);
    *j = (int)(v % plane / vol->cols);
    *i = (int)(v % vol->cols);
}

/* Result of scanning the 26 neighbours of a voxel of value `value`. */
enum { NONE_HIGHER = 0, SOME_HIGHER = 1 };

/* Whether a neighbour is higher; pushes equal neighbours not yet in the plateau onto `equal` (when
 * not NULL), marking them. Returns −1 when out of memory. */
static int scan_neighbours(volume *vol, size_t v, float value, index_list *equal) {
    int s, j, i;
    coords(vol, v, &s, &j, &i);
    int higher = NONE_HIGHER;
    for (int ds = -1; ds <= 1; ds++)
        for (int dj = -1; dj <= 1; dj++)
            for (int di = -1; di <= 1; di++) {
                int ss = s + ds, jj = j + dj, ii = i + di;
                if ((!ds && !dj && !di) || ss < 0 || ss >= vol->slices || jj < 0 ||
                    jj >= vol->rows || ii < 0 || ii >= vol->cols)
                    continue;
                size_t u = ((size_t)ss * vol->rows + jj) * vol->cols + ii;
                float q = vol->p[u];
                if (q > value) higher = SOME_HIGHER;
                else if (q == value && equal && !(vol->mark[u] & MARK_PLATEAU)) {
                    vol->mark[u] |= MARK_PLATEAU;
                    if (!push(equal, u)) return -1;
                }
            }
    return higher;
}

/* Collects the plateau containing v (marking it) into `plateau`; returns whether it is a peak (no
 * neighbour of any member is higher), or −1 when out of memory. */
static int grow_plateau(volume *vol, size_t v, index_list *plateau) {
    float value = vol->p[v];
    plateau->n = 0;
    vol->mark[v] |= MARK_PLATEAU;
    if (!push(plateau, v)) return -1;
    int peak = 1;
    for (size_t q = 0; q < plateau->n; q++) {
        int r = scan_neighbours(vol, plateau->at[q], value, plateau);
        if (r < 0) return -1;
        if (r == SOME_HIGHER) peak = 0;
    }
    return peak;
}

/* Probability-weighted mean of the voxel centres (in voxel units) over the plateau grown by r. */
static int window_mean(volume *vol, const index_list *plateau, int r, index_list *window,
                       double *ms, double *mj, double *mi) {
    double sw = 0, ss = 0, sj = 0, si = 0;
    window->n = 0;
    for (size_t q = 0; q < plateau->n; q++) {
        int s, j, i;
        coords(vol, plateau->at[q], &s, &j, &i);
        for (int a = s - r; a <= s + r; a++)
            for (int b = j - r; b <= j + r; b++)
                for (int c = i - r; c <= i + r; c++) {
                    if (a < 0 || a >= vol->slices || b < 0 || b >= vol->rows || c < 0 ||
                        c >= vol->cols)
                        continue;
                    size_t u = ((size_t)a * vol->rows + b) * vol->cols + c;
                    if (vol->mark[u] & MARK_WINDOW) continue;
                    vol->mark[u] |= MARK_WINDOW;
                    if (!push(window, u)) return 0;
                    double w = weight(vol->p[u]);
                    sw += w;
                    ss += w * a;
                    sj += w * b;
                    si += w * c;
                }
    }
    for (size_t q = 0; q < window->n; q++) vol->mark[window->at[q]] &= (unsigned char)~MARK_WINDOW;
    /* The peak is above τ ≥ 0, so the weights sum to more than 0. */
    *ms = ss / sw;
    *mj = sj / sw;
    *mi = si / sw;
    return 1;
}

static mumloc_status check_inputs(const mumloc_optics *optics, const float *probabilities,
                                  int slices, int upsampling, int width, int height,
                                  const mumloc_decode_options *options, int cap, int *count) {
    ERROR_TRY(mumloc_optics_validate(optics));
    ERROR_TRY(decode_options_check(options));
    if (!probabilities || !count)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "volume and count must not be NULL");
    if (slices < 1 || slices > 4096)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "depth slices must be between 1 and 4096 (got %d)", slices);
    if (upsampling < 1 || upsampling > 64)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "upsampling must be between 1 and 64 (got %d)", upsampling);
    if (width < 1 || height < 1 ||
        (double)slices * upsampling * width * (double)upsampling * height > (double)(1u << 31))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "input size must be at least 1x1 and the volume at most 2^31 voxels "
                           "(got %dx%d, %d slices, upsampling %d)", width, height, slices,
                           upsampling);
    if (cap < 0) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "cap must be >= 0 (got %d)", cap);
    return MUMLOC_OK;
}

mumloc_status mumloc_decode_voxel(const mumloc_optics *optics, const float *probabilities,
                                  int slices, int upsampling, int width, int height,
                                  const mumloc_decode_options *options, int64_t frame,
                                  mumloc_localization *out, int cap, int *count) {
    ERROR_TRY(check_inputs(optics, probabilities, slices, upsampling, width, height, options, cap,
                            count));
    double z0, z1;
    ERROR_TRY(voxel_slab(optics, &z0, &z1));
    const double lateral = optics->pixel_nm / upsampling, axial = (z1 - z0) / slices;
    volume vol = {probabilities, slices, upsampling * height, upsampling * width, NULL};
    const size_t total = (size_t)slices * vol.rows * vol.cols;

    vol.mark = calloc(total, 1);
    index_list plateau = {0}, window = {0};
    int found_cap = 64, n = 0;
    mumloc_localization *found = malloc((size_t)found_cap * sizeof *found);
    mumloc_status status = MUMLOC_OK;
    if (!vol.mark || !found) status = MUMLOC_ERR_OUT_OF_MEMORY;
    for (size_t v = 0; v < total && status == MUMLOC_OK; v++) {
        float value = probabilities[v];
        if (!((double)value > options->threshold) || (vol.mark[v] & MARK_PLATEAU)) continue;
        /* Most voxels above τ sit on a peak's flank: one look at the neighbours rejects them. */
        if (scan_neighbours(&vol, v, value, NULL) == SOME_HIGHER) continue;
        int peak = grow_plateau(&vol, v, &plateau);
        double ms, mj, mi;
        if (peak < 0 || (peak && !window_mean(&vol, &plateau, options->neighbourhood, &window,
                                                &ms, &mj, &mi))) {
            status = MUMLOC_ERR_OUT_OF_MEMORY;
            break;
        }
        if (!peak) continue;
        if (n == found_cap) {
            mumloc_localization *grown = realloc(found, 2 * (size_t)found_cap * sizeof *found);
            if (!grown) {
                status = MUMLOC_ERR_OUT_OF_MEMORY;
                break;
            }
            found = grown;
            found_cap *= 2;
        }
        found[n++] = localization_new(frame, (mi + 0.5) * lateral, (mj + 0.5) * lateral,
                                             z0 + (ms + 0.5) * axial, value);
    }
    if (status == MUMLOC_OK) status = decode_deliver(found, n, out, cap, count);
    else error_fail(status, "out of memory decoding a %dx%dx%d voxel volume", slices, vol.rows,
                     vol.cols);
    free(vol.mark);
    free(plateau.at);
    free(window.at);
    free(found);
    return status;
}
