/* Radix-2 FFT of rows, transpose, rows again (see frc_fft.h). */
#include "postprocess/frc_fft.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

/* In-place forward FFT of one row of n complex values; tw holds e^{-2πik/n}, k < n/2. */
static void fft_row(float *a, int n, const float *tw) {
    for (int i = 1, j = 0; i < n; i++) { /* bit-reversal permutation */
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j |= bit;
        if (i < j) {
            float re = a[2 * i], im = a[2 * i + 1];
            a[2 * i] = a[2 * j];
            a[2 * i + 1] = a[2 * j + 1];
            a[2 * j] = re;
            a[2 * j + 1] = im;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        int half = len >> 1, stride = n / len;
        for (int start = 0; start < n; start += len)
            for (int k = 0; k < half; k++) {
                float wr = tw[2 * k * stride], wi = tw[2 * k * stride + 1];
                float *u = a + 2 * (start + k), *v = a + 2 * (start + k + half);
                float vr = v[0] * wr - v[1] * wi, vi = v[0] * wi + v[1] * wr;
                v[0] = u[0] - vr;
                v[1] = u[1] - vi;
                u[0] += vr;
                u[1] += vi;
            }
    }
}

static void transpose(float *a, int n) {
    const int block = 32;
#pragma omp parallel for schedule(dynamic, 1)
    for (int bi = 0; bi < n; bi += block)
        for (int bj = bi; bj < n; bj += block)
            for (int i = bi; i < bi + block && i < n; i++)
                for (int j = (bi == bj ? i + 1 : bj); j < bj + block && j < n; j++) {
                    float *p = a + 2 * ((size_t)i * n + j), *q = a + 2 * ((size_t)j * n + i);
                    float re = p[0], im = p[1];
                    p[0] = q[0];
                    p[1] = q[1];
                    q[0] = re;
                    q[1] = im;
                }
}

static mumloc_status rows_pass(float *a, int n, const float *tw, post_progress *progress,
                               int64_t done) {
    const int chunk = 256;
    for (int lo = 0; lo < n; lo += chunk) {
        int hi = lo + chunk < n ? lo + chunk : n;
#pragma omp parallel for schedule(static)
        for (int r = lo; r < hi; r++) fft_row(a + 2 * (size_t)r * n, n, tw);
        ERROR_TRY(post_progress_report(progress, done + hi, 1)); /* few, slow steps: each reported */
    }
    return MUMLOC_OK;
}

mumloc_status frc_fft2d(float *data, int n, post_progress *progress, int64_t done) {
    float *tw = malloc((size_t)n * sizeof *tw);
    if (!tw) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "frc: out of memory");
    for (int k = 0; k < n / 2; k++) {
        double angle = -2.0 * 3.14159265358979323846 * k / n;
        tw[2 * k] = (float)cos(angle);
        tw[2 * k + 1] = (float)sin(angle);
    }
    mumloc_status s = rows_pass(data, n, tw, progress, done);
    if (s == MUMLOC_OK) {
        transpose(data, n);
        s = rows_pass(data, n, tw, progress, done + n);
    }
    free(tw);
    return s;
}
