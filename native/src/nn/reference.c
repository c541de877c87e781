/* TEST REFERENCE ONLY: see reference.h. Deliberately naive. */
#include "nn/reference.h"

#include <math.h>

void nn_ref_conv(const double *x, int n, int ci, int h, int w, const double *wt, const double *b,
                 int co, int k, double *y) {
    int pad = (k - 1) / 2;
    for (int b0 = 0; b0 < n; b0++)
        for (int o = 0; o < co; o++)
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++) {
                    double s = b ? b[o] : 0.0;
                    for (int i = 0; i < ci; i++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int yy = r + ky - pad, xx = c + kx - pad;
                                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                s += x[(((long)b0 * ci + i) * h + yy) * w + xx] *
                                     wt[(((long)o * ci + i) * k + ky) * k + kx];
                            }
                    y[(((long)b0 * co + o) * h + r) * w + c] = s;
                }
}

void nn_ref_tconv(const double *x, int n, int ci, int h, int w, const double *wt, const double *b,
                  int co, double *y) {
    int oh = 2 * h, ow = 2 * w;
    for (int b0 = 0; b0 < n; b0++)
        for (int o = 0; o < co; o++)
            for (int p = 0; p < oh * ow; p++) y[((long)b0 * co + o) * oh * ow + p] = b ? b[o] : 0.0;
    for (int b0 = 0; b0 < n; b0++)
        for (int i = 0; i < ci; i++)
            for (int iy = 0; iy < h; iy++)
                for (int ix = 0; ix < w; ix++) {
                    double v = x[(((long)b0 * ci + i) * h + iy) * w + ix];
                    for (int o = 0; o < co; o++)
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++) {
                                int oy = 2 * iy - 1 + ky, ox = 2 * ix - 1 + kx;
                                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                                y[(((long)b0 * co + o) * oh + oy) * ow + ox] +=
                                    v * wt[(((long)i * co + o) * 3 + ky) * 3 + kx];
                            }
                }
}

void nn_ref_bn(const double *x, int n, int c, int h, int w, const double *gamma, const double *beta,
               double eps, double *y, double *mean, double *var) {
    long hw = (long)h * w, count = (long)n * hw;
    for (int ch = 0; ch < c; ch++) {
        double s = 0.0, s2 = 0.0;
        for (int b = 0; b < n; b++)
            for (long p = 0; p < hw; p++) s += x[((long)b * c + ch) * hw + p];
        double mu = s / count;
        for (int b = 0; b < n; b++)
            for (long p = 0; p < hw; p++) {
                double d = x[((long)b * c + ch) * hw + p] - mu;
                s2 += d * d;
            }
        double va = s2 / count, inv = 1.0 / sqrt(va + eps);
        if (mean) mean[ch] = mu;
        if (var) var[ch] = va;
        for (int b = 0; b < n; b++)
            for (long p = 0; p < hw; p++) {
                long i = ((long)b * c + ch) * hw + p;
                y[i] = gamma[ch] * (x[i] - mu) * inv + beta[ch];
            }
    }
}

void nn_ref_random(double *out, long count, unsigned long long seed, double lo, double hi) {
    unsigned long long state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (long i = 0; i < count; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = lo + (hi - lo) * (double)(state >> 11) / 9007199254740992.0;
    }
}

double nn_ref_max_rel_diff(const double *a, const double *b, long count) {
    double worst = 0.0, scale = 0.0;
    for (long i = 0; i < count; i++) {
        double d = fabs(a[i] - b[i]);
        if (d > worst) worst = d;
        if (fabs(b[i]) > scale) scale = fabs(b[i]);
    }
    return worst / (scale > 0.0 ? scale : 1.0);
}
