/* Tables and the separable operator H(Δ) (see cs_grid.h). */
#include "cs/cs_grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "optics/voxel_geometry.h"
#include "optics/psf.h"
#include "optics/psf_model.h"

/* The plane's own PSF width at defocus dz and its share of a molecule's photons (per-plane optics). */
static double plane_width(const mumloc_optics *o, int plane, double dz_nm) {
    return mumloc_psf_plane_width_nm(o, plane, dz_nm);
}

static double plane_share(const mumloc_optics *o, int plane) {
    return mumloc_optics_plane_share(o, plane);
}

void cs_grid_free(cs_grid *g) {
    free(g->mass);
    free(g->lo);
    free(g->hi);
    memset(g, 0, sizeof *g);
}

mumloc_status cs_grid_init(cs_grid *g, const mumloc_optics *o, int width, int height, int up,
                           double slice_nm, int max_drift) {
    memset(g, 0, sizeof *g);
    double z0, z1;
    ERROR_TRY(voxel_slab(o, &z0, &z1));
    const int slices = (int)floor((z1 - z0) / slice_nm + 0.5);
    if (slices < 1 || slices > 256)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "a CS slice of %g nm cuts the %g nm slab into %d slices; use 1..256",
                           slice_nm, z1 - z0, slices);
    g->width = width;
    g->height = height;
    g->planes = o->planes;
    g->up = up;
    g->slices = slices;
    g->cols = width * up;
    g->rows = height * up;
    g->pixel_nm = o->pixel_nm;
    g->voxel_nm = o->pixel_nm / up;
    g->slice_nm = (z1 - z0) / slices;
    g->z0_nm = z0;
    g->max_drift = max_drift;
    const int n = width > height ? width : height;
    g->span = up * n + max_drift + 1;
    g->len = 2 * g->span + 1;
    const size_t tables = (size_t)g->planes * slices;
    g->mass = calloc(tables * g->len, sizeof *g->mass);
    g->lo = malloc(tables * sizeof *g->lo);
    g->hi = malloc(tables * sizeof *g->hi);
    if (!g->mass || !g->lo || !g->hi) {
        cs_grid_free(g);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the CS operator's tables");
    }
    const double s = g->voxel_nm, p = g->pixel_nm;
    for (int d = 0; d < g->planes; d++) {
        g->share[d] = plane_share(o, d);
        for (int l = 0; l < slices; l++) {
            const double z = z0 + (l + 0.5) * g->slice_nm;
            const double w = plane_width(o, d, o->plane_depth_nm[d] - z);
            const double reach = PSF_WINDOW_WIDTHS * w; /* the simulator's cut-off */
            float *m = g->mass + ((size_t)d * slices + l) * g->len + g->span;
            int lo = g->span + 1, hi = -g->span - 1;
            for (int off = -g->span; off <= g->span; off++) {
                const double centre = (off + 0.5) * s; /* from the pixel's left edge */
                if (centre - p > reach || -centre > reach) continue; /* the pixel is beyond 5w */
                double mass;
                psf_masses(centre, w, p, 0, 1, &mass, NULL, NULL);
                m[off] = (float)mass;
                if (off < lo) lo = off;
                if (off > hi) hi = off;
            }
            g->lo[(size_t)d * slices + l] = lo;
            g->hi[(size_t)d * slices + l] = hi;
        }
    }
    return MUMLOC_OK;
}

static inline int max_i(int a, int b) { return a > b ? a : b; }
static inline int min_i(int a, int b) { return a < b ? a : b; }

void cs_forward(const cs_grid *g, const float *c, float *y, float *scratch) {
    const int W = g->width, H = g->height, up = g->up, cols = g->cols, rows = g->rows;
    memset(y, 0, cs_grid_pixels(g) * sizeof *y);
    float *a = scratch; /* rows × W: each voxel row's masses per pixel column */
    unsigned char *live = (unsigned char *)(scratch + (size_t)rows * W);
    for (int l = 0; l < g->slices; l++) {
        const float *cl = c + (size_t)l * rows * cols;
        int any = 0;
        for (int j = 0; j < rows; j++) {
            live[j] = 0;
            for (int i = 0; i < cols && !live[j]; i++) live[j] = cl[i + (size_t)j * cols] != 0.0f;
            any |= live[j];
        }
        if (!any) continue;
        for (int d = 0; d < g->planes; d++) {
            if (g->share[d] == 0.0) continue;
            const float *m = cs_grid_table(g, d, l);
            const int lo = g->lo[(size_t)d * g->slices + l], hi = g->hi[(size_t)d * g->slices + l];
            const int dx = g->shift[d][0], dy = g->shift[d][1];
            for (int j = 0; j < rows; j++) {
                if (!live[j]) continue;
                const float *row = cl + (size_t)j * cols;
                for (int pi = 0; pi < W; pi++) {
                    const int base = up * pi + dx; /* i = base + o */
                    const int i0 = max_i(0, base + lo), i1 = min_i(cols - 1, base + hi);
                    float sum = 0.0f;
                    for (int i = i0; i <= i1; i++) sum += row[i] * m[i - base];
                    a[(size_t)j * W + pi] = sum;
                }
            }
            float *yd = y + (size_t)d * H * W;
            for (int pj = 0; pj < H; pj++) {
                const int base = up * pj + dy;
                const int j0 = max_i(0, base + lo), j1 = min_i(rows - 1, base + hi);
                for (int j = j0; j <= j1; j++) {
                    if (!live[j]) continue;
                    const float f = (float)g->share[d] * m[j - base];
                    const float *aj = a + (size_t)j * W;
                    for (int pi = 0; pi < W; pi++) yd[(size_t)pj * W + pi] += f * aj[pi];
                }
            }
        }
    }
}

/* The adjoint is most of the solver's time: AVX2 + FMA where the CPU has them (a clone chosen at load
 * time; the library itself targets the baseline x86-64). The clone is named by ISA level, not by
 * CPU: GCC dispatches "arch=haswell" on the processor's model, so AMD CPUs got the baseline clone
 * (1.5× slower CS on the Table 3 frames, measured on an EPYC). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CS_HOT __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CS_HOT
#endif

CS_HOT void cs_adjoint(const cs_grid *g, const float *r, float *out, float *b) {
    const int W = g->width, H = g->height, up = g->up, cols = g->cols, rows = g->rows;
    for (int l = 0; l < g->slices; l++) {
        float *gl = out + (size_t)l * rows * cols;
        memset(gl, 0, sizeof(float) * (size_t)rows * cols);
        for (int d = 0; d < g->planes; d++) {
            if (g->share[d] == 0.0) continue; /* a plane left out (the drift search's refits) */
            const float *m = cs_grid_table(g, d, l);
            const int lo = g->lo[(size_t)d * g->slices + l], hi = g->hi[(size_t)d * g->slices + l];
            const int dx = g->shift[d][0], dy = g->shift[d][1];
            const float *rd = r + (size_t)d * H * W;
            /* b[pj][i] = Σ_pi r[pj][pi] m(i − up·pi − dx): the rows spread onto voxel columns */
            memset(b, 0, sizeof(float) * (size_t)H * cols);
            for (int pj = 0; pj < H; pj++) {
                float *bj = b + (size_t)pj * cols;
                for (int pi = 0; pi < W; pi++) {
                    const float v = rd[(size_t)pj * W + pi];
                    if (v == 0.0f) continue;
                    const int base = up * pi + dx;
                    const int i0 = max_i(0, base + lo), i1 = min_i(cols - 1, base + hi);
                    const float *mb = m - base;
#pragma omp simd
                    for (int i = i0; i <= i1; i++) bj[i] += v * mb[i];
                }
            }
            /* gl[j][i] += share Σ_pj m(j − up·pj − dy) b[pj][i] */
            const float share = (float)g->share[d];
            for (int j = 0; j < rows; j++) {
                /* pixels pj with lo ≤ j − up·pj − dy ≤ hi */
                int pj0 = (int)ceil((double)(j - dy - hi) / up), pj1 = (int)floor((double)(j - dy - lo) / up);
                pj0 = max_i(pj0, 0);
                pj1 = min_i(pj1, H - 1);
                float *gj = gl + (size_t)j * cols;
                for (int pj = pj0; pj <= pj1; pj++) {
                    const float f = share * m[j - up * pj - dy];
                    const float *bj = b + (size_t)pj * cols;
#pragma omp simd
                    for (int i = 0; i < cols; i++) gj[i] += f * bj[i];
                }
            }
        }
    }
}

void cs_voxel_factors(const cs_grid *g, size_t v, int d, float *mx, float *my) {
    const size_t plane = (size_t)g->rows * g->cols;
    const int l = (int)(v / plane), j = (int)(v % plane / g->cols), i = (int)(v % g->cols);
    const float *m = cs_grid_table(g, d, l);
    const int lo = g->lo[(size_t)d * g->slices + l], hi = g->hi[(size_t)d * g->slices + l];
    for (int pi = 0; pi < g->width; pi++) {
        const int o = i - g->up * pi - g->shift[d][0];
        mx[pi] = o >= lo && o <= hi ? m[o] : 0.0f;
    }
    for (int pj = 0; pj < g->height; pj++) {
        const int o = j - g->up * pj - g->shift[d][1];
        my[pj] = o >= lo && o <= hi ? m[o] : 0.0f;
    }
}

void cs_center_planes(const cs_grid *g, float *y) {
    const size_t n = (size_t)g->width * g->height;
    for (int d = 0; d < g->planes; d++) {
        float *yd = y + d * n;
        double sum = 0.0;
        for (size_t i = 0; i < n; i++) sum += yd[i];
        const float mean = (float)(sum / (double)n);
        for (size_t i = 0; i < n; i++) yd[i] -= mean;
    }
}
