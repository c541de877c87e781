/* Neighbour counts within a radius through a grid of buckets (see filter_density.h). */
#include "postprocess/filter_density.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

/* Cells of the radius, relative to the smallest coordinates, map to buckets row-major modulo the
 * grid's size (wx × wy × wz, powers of two ≥ 4 each way; wz = 1 laterally): the data's cells map
 * one to one when the grid covers them, and the 3 cells of a neighbourhood row are 3 consecutive
 * buckets, stored contiguously, except where the row wraps. Cells far apart may share a bucket
 * (distances are checked); the 9 (27) buckets of a neighbourhood are always distinct. */
/* A point as stored in the grid: one 32-byte record, so that sorting it costs one cache miss. */
typedef struct grid_point {
    double x, y, z;
    int64_t index;         /* its number i */
} grid_point;

typedef struct density_grid {
    grid_point *points;    /* sorted by bucket */
    int64_t *start;        /* bucket b holds sorted points [start[b], start[b + 1]) */
    int64_t wx, wy, wz;
    double x0, y0, z0, radius;
    int use_z;
} density_grid;

static int64_t cell(double v, double origin, double radius) { return (int64_t)floor((v - origin) / radius); }

static int64_t bucket_of(const density_grid *g, int64_t cx, int64_t cy, int64_t cz) {
    return (cx & (g->wx - 1)) + g->wx * ((cy & (g->wy - 1)) + g->wy * (cz & (g->wz - 1)));
}

static int64_t pow2_at_least(int64_t n, int64_t low, int64_t high) {
    int64_t p = low;
    while (p < n && p < high) p *= 2;
    return p;
}

/* Other points within the radius of (x, y, z), counted up to `enough` (the point itself, at
 * distance 0, is found too and not counted). */
static int neighbours(const density_grid *g, double x, double y, double z, int enough) {
    int64_t cx = cell(x, g->x0, g->radius), cy = cell(y, g->y0, g->radius);
    int64_t cz = g->use_z ? cell(z, g->z0, g->radius) : 0;
    double r2 = g->radius * g->radius;
    int found = -1, dz_lo = g->use_z ? -1 : 0, dz_hi = -dz_lo;
    for (int dz = dz_lo; dz <= dz_hi; dz++)
        for (int dy = -1; dy <= 1; dy++) {
            int64_t first = bucket_of(g, cx - 1, cy + dy, cz + dz);
            int contiguous = ((cx - 1) & (g->wx - 1)) + 2 < g->wx;
            for (int dx = -1; dx <= (contiguous ? -1 : 1); dx++) {
                int64_t lo = contiguous ? first : bucket_of(g, cx + dx, cy + dy, cz + dz);
                int64_t hi = contiguous ? first + 3 : lo + 1;
                for (int64_t j = g->start[lo]; j < g->start[hi]; j++) {
                    const grid_point *q = &g->points[j];
                    double ex = q->x - x, ey = q->y - y, ez = q->z - z;
                    if (ex * ex + ey * ey + ez * ez <= r2 && ++found >= enough) return found;
                }
            }
        }
    return found;
}

/* The grid's origin and size for these points. */
static void grid_shape(density_grid *g, const double *x, const double *y, const double *z,
                       const int64_t *rows, int64_t count) {
    double hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    g->x0 = g->y0 = g->z0 = INFINITY;
    for (int64_t i = 0; i < count; i++) {
        int64_t r = rows[i];
        if (x[r] < g->x0) g->x0 = x[r];
        if (x[r] > hi[0]) hi[0] = x[r];
        if (y[r] < g->y0) g->y0 = y[r];
        if (y[r] > hi[1]) hi[1] = y[r];
        if (z && z[r] < g->z0) g->z0 = z[r];
        if (z && z[r] > hi[2]) hi[2] = z[r];
    }
    if (!z || count == 0) g->z0 = 0, hi[2] = 0;
    if (count == 0) g->x0 = g->y0 = 0, hi[0] = hi[1] = 0;
    int64_t buckets = pow2_at_least(count, 64, (int64_t)1 << 40);
    double cells[3];
    double origin[3] = {g->x0, g->y0, g->z0};
    for (int a = 0; a < 3; a++) cells[a] = floor((hi[a] - origin[a]) / g->radius) + 1;
    int64_t cap = (int64_t)1 << 40;
    g->wx = pow2_at_least(cells[0] < (double)cap ? (int64_t)cells[0] : cap, 4, buckets / (z ? 64 : 16));
    g->wy = pow2_at_least(cells[1] < (double)cap ? (int64_t)cells[1] : cap, 4,
                          buckets / g->wx / (z ? 4 : 1) > 4 ? buckets / g->wx / (z ? 4 : 1) : 4);
    g->wz = z ? pow2_at_least(cells[2] < (double)cap ? (int64_t)cells[2] : cap, 4,
                              buckets / g->wx / g->wy > 4 ? buckets / g->wx / g->wy : 4)
              : 1;
}

mumloc_status filter_density(const double *x, const double *y, const double *z, const int64_t *rows,
                             int64_t count, double radius, int min_neighbors, unsigned char *keep,
                             post_progress *progress, int64_t base, double scale) {
    density_grid g = {0};
    g.radius = radius;
    g.use_z = z != NULL;
    grid_shape(&g, x, y, z, rows, count);
    int64_t buckets = g.wx * g.wy * g.wz;
    size_t n = (size_t)(count > 0 ? count : 1);
    int64_t *bucket = malloc(n * sizeof *bucket);
    g.points = malloc(n * sizeof *g.points);
    g.start = calloc((size_t)buckets + 1, sizeof *g.start);
    mumloc_status s = MUMLOC_OK;
    if (!bucket || !g.points || !g.start)
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory for the density grid");
    if (s == MUMLOC_OK) { /* counting sort of the points by bucket */
        for (int64_t i = 0; i < count; i++) {
            int64_t r = rows[i];
            bucket[i] = bucket_of(&g, cell(x[r], g.x0, radius), cell(y[r], g.y0, radius),
                                  z ? cell(z[r], g.z0, radius) : 0);
            g.start[bucket[i] + 1]++;
        }
        for (int64_t b = 0; b < buckets; b++) g.start[b + 1] += g.start[b];
        for (int64_t i = 0; i < count; i++) {
            int64_t r = rows[i];
            g.points[g.start[bucket[i]]++] = (grid_point){x[r], y[r], z ? z[r] : 0.0, i};
        }
        for (int64_t b = buckets; b > 0; b--) g.start[b] = g.start[b - 1]; /* back to the starts */
        g.start[0] = 0;
    }
    /* in bucket order: neighbouring points are neighbours in memory and share their search */
    const int64_t chunk = POST_PROGRESS_STEP;
    for (int64_t lo = 0; s == MUMLOC_OK && lo < count; lo += chunk) {
        int64_t hi = lo + chunk < count ? lo + chunk : count;
#pragma omp parallel for schedule(dynamic, 1024)
        for (int64_t j = lo; j < hi; j++) {
            const grid_point *p = &g.points[j];
            keep[p->index] = neighbours(&g, p->x, p->y, p->z, min_neighbors) >= min_neighbors;
        }
        s = post_progress_report(progress, base + (int64_t)(hi * scale), 0);
    }
    free(bucket);
    free(g.points);
    free(g.start);
    return s;
}
