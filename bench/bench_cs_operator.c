/* CS operator: the direct separable Hᵀ (cs_adjoint, what the solver uses) against an FFT route,
 * on the default optics' kernels, for the region sizes the solver meets (CS.md, "Operator").
 *
 *   usage: bench_cs_operator [repetitions (20)]
 *
 * The FFT route is the best-placed one for this operator: each plane's residual, zero-stuffed onto
 * the voxel grid (U_d), is transformed once; each slice's output is Σ_d share_d · U_d ⊛ K_dl, the
 * products summed in the frequency domain and inverted once per slice (k + D 2D transforms per
 * Hᵀ, kernel spectra precomputed and not timed; circular transforms of the next power of two
 * ≥ twice the grid, kernels cut to the offsets that connect two voxels of the grid). The transform is a plain iterative radix-2 complex FFT in
 * single precision (no FFTW here): a tuned library would be 2–4× faster, which the printed flop
 * counts allow for. Both routes are checked to agree; times are CPU seconds per Hᵀ, one thread. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cs/cs_grid.h"
#include "mumloc.h"

typedef float complex cf;

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* In-place radix-2 FFT of n (a power of two) values with stride; sign −1 forward, +1 inverse
 * (unscaled); tw holds exp(−2πi k/n) for k < n/2. */
static void fft(cf *a, int n, int stride, int sign, const cf *tw) {
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            cf t = a[i * stride];
            a[i * stride] = a[j * stride];
            a[j * stride] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        const int step = n / len, half = len >> 1;
        for (int i = 0; i < n; i += len)
            for (int k = 0; k < half; k++) {
                cf w = tw[k * step];
                if (sign > 0) w = conjf(w);
                cf u = a[(i + k) * stride], v = a[(i + k + half) * stride] * w;
                a[(i + k) * stride] = u + v;
                a[(i + k + half) * stride] = u - v;
            }
    }
}

static void fft2(cf *a, int n, int sign, const cf *tw) {
    for (int r = 0; r < n; r++) fft(a + (size_t)r * n, n, 1, sign, tw);
    for (int c = 0; c < n; c++) fft(a + c, n, n, sign, tw);
}

static void run(int side, int reps) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    cs_grid g;
    if (cs_grid_init(&g, &o, side, side, 8, 50.0, 2) != MUMLOC_OK) return;
    const int k = g.planes, D = g.slices, rows = g.rows, cols = g.cols;
    int lo = 0, hi = 0;
    for (int t = 0; t < k * D; t++) {
        if (g.lo[t] < lo) lo = g.lo[t];
        if (g.hi[t] > hi) hi = g.hi[t];
    }
    /* only kernel offsets within ±(rows + drift) reach an output voxel from an input voxel of the
     * grid, so a circular transform of n ≥ 2 (rows + drift) + 1 needs no more padding */
    const int reach = rows + g.max_drift;
    int n = 1;
    while (n < 2 * reach + 1) n <<= 1;
    const size_t nn = (size_t)n * n, px = cs_grid_pixels(&g), vox = cs_grid_voxels(&g);
    float *r = malloc(sizeof *r * px), *direct = malloc(sizeof *direct * vox);
    float *scratch = malloc(sizeof *scratch * cs_grid_scratch(&g));
    float *viafft = malloc(sizeof *viafft * vox);
    cf *spec = malloc(sizeof *spec * nn * (size_t)k * D), *U = malloc(sizeof *U * nn * (size_t)k);
    cf *acc = malloc(sizeof *acc * nn), *tw = malloc(sizeof *tw * (size_t)n / 2);
    srand(7);
    for (size_t i = 0; i < px; i++) r[i] = (float)rand() / RAND_MAX - 0.5f;
    for (int i = 0; i < n / 2; i++) tw[i] = cexpf(-2.0f * 3.14159265358979f * I * (float)i / (float)n);
    /* kernel spectra K_dl[a][b] = share_d m(a − dy) m(b − dx), indices mod n (not timed) */
    for (int d = 0; d < k; d++)
        for (int l = 0; l < D; l++) {
            cf *K = spec + ((size_t)d * D + l) * nn;
            memset(K, 0, sizeof *K * nn);
            const float *m = cs_grid_table(&g, d, l);
            const int a0 = g.lo[d * D + l], a1 = g.hi[d * D + l];
            for (int a = a0; a <= a1; a++)
                for (int b = a0; b <= a1; b++) {
                    if (abs(a) > reach || abs(b) > reach) continue;
                    const int ia = ((a + g.shift[d][1]) % n + n) % n;
                    const int ib = ((b + g.shift[d][0]) % n + n) % n;
                    K[(size_t)ia * n + ib] = (float)g.share[d] * m[a] * m[b];
                }
            fft2(K, n, -1, tw);
        }
    double t0 = cpu_seconds();
    for (int rep = 0; rep < reps; rep++) cs_adjoint(&g, r, direct, scratch);
    const double t_direct = (cpu_seconds() - t0) / reps;
    t0 = cpu_seconds();
    for (int rep = 0; rep < reps; rep++) {
        for (int d = 0; d < k; d++) { /* U_d: the residual on the voxel grid */
            cf *u = U + (size_t)d * nn;
            memset(u, 0, sizeof *u * nn);
            for (int pj = 0; pj < side; pj++)
                for (int pi = 0; pi < side; pi++)
                    u[(size_t)(8 * pj) * n + 8 * pi] = r[((size_t)d * side + pj) * side + pi];
            fft2(u, n, -1, tw);
        }
        for (int l = 0; l < D; l++) {
            memset(acc, 0, sizeof *acc * nn);
            for (int d = 0; d < k; d++) {
                const cf *K = spec + ((size_t)d * D + l) * nn, *u = U + (size_t)d * nn;
                for (size_t i = 0; i < nn; i++) acc[i] += u[i] * K[i];
            }
            fft2(acc, n, +1, tw);
            float *out = viafft + (size_t)l * rows * cols;
            for (int j = 0; j < rows; j++)
                for (int i = 0; i < cols; i++) out[(size_t)j * cols + i] = crealf(acc[(size_t)j * n + i]) / (float)nn;
        }
    }
    const double t_fft = (cpu_seconds() - t0) / reps;
    double err = 0, scale = 0;
    for (size_t v = 0; v < vox; v++) {
        err = fmax(err, fabs((double)direct[v] - viafft[v]));
        scale = fmax(scale, fabs((double)direct[v]));
    }
    /* flop counts: direct = 2 × multiply-adds of the two passes; FFT = 5 n² log2(n²) per 2D
     * transform (k + D of them) plus 8 per complex product (k·D·n²) */
    double direct_flops = 0;
    for (int d = 0; d < k; d++)
        for (int l = 0; l < D; l++) {
            const int band = g.hi[d * D + l] - g.lo[d * D + l] + 1;
            direct_flops += 2.0 * ((double)side * side * band + (double)rows * cols * band / 8.0);
        }
    const double fft_flops = (k + D) * 5.0 * nn * log2((double)nn) + 8.0 * k * D * nn;
    printf("%2dx%2dx%d region (%dx%dx%d voxels, kernel band up to %d, FFT %dx%d): direct %.2f ms "
           "(%.0f Mflop), FFT %.2f ms (%.0f Mflop); FFT / direct %.1fx; max |difference| %.1e of "
           "%.1e\n",
           side, side, k, cols, rows, D, hi - lo + 1, n, n, 1e3 * t_direct, direct_flops / 1e6,
           1e3 * t_fft, fft_flops / 1e6, t_fft / t_direct, err, scale);
    free(r);
    free(direct);
    free(scratch);
    free(viafft);
    free(spec);
    free(U);
    free(acc);
    free(tw);
    cs_grid_free(&g);
}

int main(int argc, char **argv) {
    const int reps = argc > 1 ? atoi(argv[1]) : 20;
    mumloc_set_threads(1);
    run(16, reps); /* the 2021 paper's frame */
    run(22, reps); /* the solver's default region: a 16-pixel tile with 3 pixels of margin */
    return 0;
}
