/* Data movement of the transposed-convolution identity (see cpu_conv.c): the 3×3 kernel's taps
 * rearranged into the four phase kernels, the phase gradients gathered back onto the taps, and the
 * depth-to-space interleave and its inverse. All arrays channels-last. */
#include <string.h>

#include "backend/cpu/cpu_backend.h"
#include "backend/kernels.h"

void cpu_tconv_phase_weights(const float *w, int ci, int co, float *const wp[4]) {
    for (int ph = 0; ph < 4; ph++) {
        int a = ph / 2, b = ph % 2, kh = 1 + a, kw = 1 + b;
        for (int o = 0; o < co; o++)
            for (int dy = 0; dy < kh; dy++)
                for (int dx = 0; dx < kw; dx++) {
                    int ky = nn_tconv_tap(a, dy), kx = nn_tconv_tap(b, dx);
                    float *dst = wp[ph] + ((size_t)(o * kh + dy) * kw + dx) * ci;
                    for (int i = 0; i < ci; i++) dst[i] = w[((size_t)(i * 3 + ky) * 3 + kx) * co + o];
                }
    }
}

void cpu_tconv_gather_gradient(float *const dwp[4], float *const dbp[4], int ci, int co, float *dw,
                               float *db) {
    /* Every 3×3 tap belongs to exactly one phase kernel (nn_tconv_tap is one-to-one onto 0..2). */
    for (int ph = 0; ph < 4; ph++) {
        int a = ph / 2, b = ph % 2, kh = 1 + a, kw = 1 + b;
        for (int o = 0; o < co; o++)
            for (int dy = 0; dy < kh; dy++)
                for (int dx = 0; dx < kw; dx++) {
                    int ky = nn_tconv_tap(a, dy), kx = nn_tconv_tap(b, dx);
                    const float *src = dwp[ph] + ((size_t)(o * kh + dy) * kw + dx) * ci;
                    for (int i = 0; i < ci; i++) dw[((size_t)(i * 3 + ky) * 3 + kx) * co + o] = src[i];
                }
    }
    for (int o = 0; o < co; o++) db[o] = dbp[0][o] + dbp[1][o] + dbp[2][o] + dbp[3][o];
}

void cpu_depth_to_space(float *const zp[4], int n, int h, int w, int co, float *y) {
#pragma omp parallel for collapse(2) schedule(static)
    for (int b = 0; b < n; b++)
        for (int r = 0; r < h; r++)
            for (int a = 0; a < 2; a++)
                for (int q = 0; q < w; q++)
                    for (int bb = 0; bb < 2; bb++)
                        memcpy(y + (((size_t)b * 2 * h + 2 * r + a) * 2 * w + 2 * q + bb) * co,
                               zp[a * 2 + bb] + (((size_t)b * h + r) * w + q) * co,
                               (size_t)co * sizeof(float));
}

void cpu_space_to_depth(const float *y, int n, int h, int w, int co, float *const zp[4]) {
#pragma omp parallel for collapse(2) schedule(static)
    for (int b = 0; b < n; b++)
        for (int r = 0; r < h; r++)
            for (int a = 0; a < 2; a++)
                for (int q = 0; q < w; q++)
                    for (int bb = 0; bb < 2; bb++)
                        memcpy(zp[a * 2 + bb] + (((size_t)b * h + r) * w + q) * co,
                               y + (((size_t)b * 2 * h + 2 * r + a) * 2 * w + 2 * q + bb) * co,
                               (size_t)co * sizeof(float));
}
