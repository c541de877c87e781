/* Decoder of the `regression` network (science.md §4b; contract in mumloc.h): one candidate per
 * voxel above τ, then merging of the duplicates that molecules on voxel borders produce. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "decode/decode_common.h"
#include "optics/voxel_geometry.h"

typedef struct candidate {
    int plane, row, col;
    double x, y, z, p;
} candidate;

/* Decreasing probability, ties by voxel order, so the merge is deterministic. */
static int by_probability(const void *pa, const void *pb) {
    const candidate *a = pa, *b = pb;
    if (a->p != b->p) return a->p < b->p ? 1 : -1;
    if (a->plane != b->plane) return a->plane - b->plane;
    if (a->row != b->row) return a->row - b->row;
    return a->col - b->col;
}

/* Sums of a merged group: the probability-weighted position and the best probability. */
typedef struct group {
    const candidate *seed;
    double sum_p, sum_x, sum_y, sum_z, best;
} group;

static mumloc_status check_inputs(const mumloc_optics *optics, const float *output, int width,
                                  int height, const mumloc_decode_options *options, int cap,
                                  int *count) {
    ERROR_TRY(mumloc_optics_validate(optics));
    ERROR_TRY(decode_options_check(options));
    if (!output || !count)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "network output and count must not be NULL");
    if (width < 1 || height < 1 || (int64_t)width * height * optics->planes > (1 << 30))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "output size must be at least 1x1 and hold at most 2^30 voxels "
                           "(got %dx%d with %d planes)", width, height, optics->planes);
    if (cap < 0) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "cap must be >= 0 (got %d)", cap);
    return MUMLOC_OK;
}

/* Offsets outside [0, 1] (a network without a final sigmoid, or NaN) are clamped to the voxel. */
static double unit(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0) : 0.0; }

/* Collects the voxels with c > τ. */
static int collect(const mumloc_optics *o, const float *output, int width, int height, double tau,
                   const double *lo, const double *hi, candidate **out) {
    const int k = o->planes;
    const size_t area = (size_t)width * height;
    int n = 0;
    for (size_t v = 0; v < k * area; v++)
        if (output[v] > tau) n++;
    candidate *c = malloc((n ? n : 1) * sizeof *c);
    if (!c) return -1;
    n = 0;
    for (int d = 0; d < k; d++)
        for (int j = 0; j < height; j++)
            for (int i = 0; i < width; i++) {
                size_t at = (size_t)j * width + i;
                float p = output[d * area + at];
                if (!(p > tau)) continue;
                const float *zeta = output + (k + 3 * d) * area + at;
                candidate *e = &c[n++];
                e->plane = d;
                e->row = j;
                e->col = i;
                e->x = (i + unit(zeta[0])) * o->pixel_nm;
                e->y = (j + unit(zeta[area])) * o->pixel_nm;
                e->z = lo[d] + unit(zeta[2 * area]) * (hi[d] - lo[d]);
                e->p = p;
            }
    *out = c;
    return n;
}

/* Index of the group whose seed's voxel neighbours c's and lies within the distance, or −1. The
 * seed map holds, per voxel, the group seeded there (+1; 0 = none). */
static int find_group(const candidate *c, const int *seed_map, const group *groups, int k, int width,
                      int height, double distance) {
    for (int dd = -1; dd <= 1; dd++)
        for (int dj = -1; dj <= 1; dj++)
            for (int di = -1; di <= 1; di++) {
                int d = c->plane + dd, j = c->row + dj, i = c->col + di;
                if (d < 0 || d >= k || j < 0 || j >= height || i < 0 || i >= width) continue;
                int g = seed_map[((size_t)d * height + j) * width + i] - 1;
                if (g < 0) continue;
                const candidate *s = groups[g].seed;
                double ex = c->x - s->x, ey = c->y - s->y, ez = c->z - s->z;
                if (ex * ex + ey * ey + ez * ez < distance * distance) return g;
            }
    return -1;
}

mumloc_status mumloc_decode_regression(const mumloc_optics *optics, const float *output, int width,
                                       int height, const mumloc_decode_options *options,
                                       int64_t frame, mumloc_localization *out, int cap,
                                       int *count) {
    ERROR_TRY(check_inputs(optics, output, width, height, options, cap, count));
    const int k = optics->planes;
    double lo[MUMLOC_MAX_PLANES], hi[MUMLOC_MAX_PLANES];
    for (int d = 0; d < k; d++) ERROR_TRY(voxel_layer(optics, d, &lo[d], &hi[d]));

    candidate *cands = NULL;
    int n = collect(optics, output, width, height, options->threshold, lo, hi, &cands);
    if (n < 0) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory decoding a frame");
    qsort(cands, (size_t)n, sizeof *cands, by_probability);

    int *seed_map = calloc((size_t)k * width * height, sizeof *seed_map);
    group *groups = malloc((n ? n : 1) * sizeof *groups);
    mumloc_localization *found = malloc((n ? n : 1) * sizeof *found);
    if (!seed_map || !groups || !found) {
        free(cands);
        free(seed_map);
        free(groups);
        free(found);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory decoding a frame");
    }
    int groups_used = 0;
    for (int m = 0; m < n; m++) {
        const candidate *c = &cands[m];
        int g = options->merge_distance_nm > 0.0
                    ? find_group(c, seed_map, groups, k, width, height, options->merge_distance_nm)
                    : -1;
        if (g < 0) {
            g = groups_used++;
            groups[g] = (group){c, 0, 0, 0, 0, c->p};
            seed_map[((size_t)c->plane * height + c->row) * width + c->col] = g + 1;
        }
        group *gr = &groups[g];
        gr->sum_p += c->p;
        gr->sum_x += c->p * c->x;
        gr->sum_y += c->p * c->y;
        gr->sum_z += c->p * c->z;
    }
    for (int g = 0; g < groups_used; g++) {
        const group *gr = &groups[g];
        found[g] = localization_new(frame, gr->sum_x / gr->sum_p, gr->sum_y / gr->sum_p,
                                           gr->sum_z / gr->sum_p, gr->best);
    }
    mumloc_status status = decode_deliver(found, groups_used, out, cap, count);
    free(cands);
    free(seed_map);
    free(groups);
    free(found);
    return status;
}
