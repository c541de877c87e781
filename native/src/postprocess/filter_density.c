/* Neighbour counts within a radius through a hashed grid (see filter_density.h). */
#include "postprocess/filter_density.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

static uint64_t bucket_of(int64_t cx, int64_t cy, int64_t cz, uint64_t mask) {
    uint64_t h = (uint64_t)cx * 0x9E3779B97F4A7C15ull ^ (uint64_t)cy * 0xC2B2AE3D27D4EB4Full ^
                 (uint64_t)cz * 0x165667B19E3779F9ull;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return h & mask;
}

typedef struct density_grid {
    double *px, *py, *pz;  /* points sorted by bucket */
    int64_t *index;        /* the sorted point's number i */
    int64_t *start;        /* bucket b holds sorted points [start[b], start[b + 1]) */
    uint64_t mask;
    double radius;
    int use_z;
} density_grid;

static int64_t cell(double v, double radius) { return (int64_t)floor(v / radius); }

/* Other points within the radius of (x, y, z), counted up to `enough` (the point itself excluded by
 * subtracting it: it is always within the radius of itself). */
static int neighbours(const density_grid *g, double x, double y, double z, int enough) {
    int64_t cx = cell(x, g->radius), cy = cell(y, g->radius), cz = g->use_z ? cell(z, g->radius) : 0;
    uint64_t seen[27];
    int buckets = 0, found = -1;
    double r2 = g->radius * g->radius;
    int dz_lo = g->use_z ? -1 : 0, dz_hi = g->use_z ? 1 : 0;
    for (int dz = dz_lo; dz <= dz_hi; dz++)
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                uint64_t b = bucket_of(cx + dx, cy + dy, cz + dz, g->mask);
                int repeat = 0;
                for (int k = 0; k < buckets; k++) repeat |= seen[k] == b;
                if (repeat) continue;
                seen[buckets++] = b;
                for (int64_t j = g->start[b]; j < g->start[b + 1]; j++) {
                    double ex = g->px[j] - x, ey = g->py[j] - y, ez = g->use_z ? g->pz[j] - z : 0.0;
                    if (ex * ex + ey * ey + ez * ez <= r2 && ++found >= enough) return found;
                }
            }
    return found;
}

mumloc_status filter_density(const double *x, const double *y, const double *z, const int64_t *rows,
                             int64_t count, double radius, int min_neighbors, unsigned char *keep,
                             post_progress *progress, int64_t base, double scale) {
    uint64_t buckets = 16;
    while (buckets < (uint64_t)count) buckets *= 2;
    density_grid g = {NULL, NULL, NULL, NULL, NULL, buckets - 1, radius, z != NULL};
    uint64_t *bucket = malloc((size_t)(count > 0 ? count : 1) * sizeof *bucket);
    g.px = malloc((size_t)(count > 0 ? count : 1) * sizeof *g.px);
    g.py = malloc((size_t)(count > 0 ? count : 1) * sizeof *g.py);
    g.pz = malloc((size_t)(count > 0 ? count : 1) * sizeof *g.pz);
    g.index = malloc((size_t)(count > 0 ? count : 1) * sizeof *g.index);
    g.start = calloc(buckets + 1, sizeof *g.start);
    mumloc_status s = MUMLOC_OK;
    if (!bucket || !g.px || !g.py || !g.pz || !g.index || !g.start)
        s = mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory for the density grid");
    if (s == MUMLOC_OK) {
        /* counting sort of the points by bucket */
        for (int64_t i = 0; i < count; i++) {
            int64_t r = rows[i];
            bucket[i] = bucket_of(cell(x[r], radius), cell(y[r], radius), z ? cell(z[r], radius) : 0, g.mask);
            g.start[bucket[i] + 1]++;
        }
        for (uint64_t b = 0; b < buckets; b++) g.start[b + 1] += g.start[b];
        int64_t *fill = malloc((size_t)buckets * sizeof *fill);
        if (!fill) s = mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory for the density grid");
        for (uint64_t b = 0; fill && b < buckets; b++) fill[b] = g.start[b];
        for (int64_t i = 0; fill && i < count; i++) {
            int64_t r = rows[i], j = fill[bucket[i]]++;
            g.px[j] = x[r];
            g.py[j] = y[r];
            g.pz[j] = z ? z[r] : 0.0;
            g.index[j] = i;
        }
        free(fill);
    }
    /* in bucket order: the points of one cell are neighbours in memory and share their search */
    const int64_t chunk = POST_PROGRESS_STEP;
    for (int64_t lo = 0; s == MUMLOC_OK && lo < count; lo += chunk) {
        int64_t hi = lo + chunk < count ? lo + chunk : count;
#pragma omp parallel for schedule(dynamic, 1024)
        for (int64_t j = lo; j < hi; j++)
            keep[g.index[j]] = neighbours(&g, g.px[j], g.py[j], g.pz[j], min_neighbors) >= min_neighbors;
        s = post_progress_report(progress, base + (int64_t)(hi * scale), 0);
    }
    free(bucket);
    free(g.px);
    free(g.py);
    free(g.pz);
    free(g.index);
    free(g.start);
    return s;
}
