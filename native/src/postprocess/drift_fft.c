/* Mixed-radix decimation in time: a size-n transform is `radix` interleaved sub-transforms of size
 * n/radix (computed recursively into consecutive blocks of out), recombined by radix-point
 * butterflies with twiddles. Radix 2 has its own butterfly (the common case); 3 and 5 use the
 * direct O(radix²) sum, cheap for such small radices. */
#include "postprocess/drift_fft.h"

#include <math.h>
#include <stdlib.h>

int drift_fft_good_size(int n) {
    if (n < 1) n = 1;
    for (;; n++) {
        int m = n;
        while (m % 2 == 0) m /= 2;
        while (m % 3 == 0) m /= 3;
        while (m % 5 == 0) m /= 5;
        if (m == 1) return n;
    }
}

int drift_fft_init(drift_fft *plan, int n) {
    plan->n = n;
    plan->factor_count = 0;
    plan->twiddle = NULL;
    if (n < 1) return 0;
    int m = n;
    for (int p = 2; p <= 5 && m > 1;) {
        if (m % p == 0) {
            plan->factors[plan->factor_count++] = p;
            m /= p;
        } else {
            p++;
        }
    }
    if (m != 1) return 0;
    plan->twiddle = malloc((size_t)n * sizeof *plan->twiddle);
    if (!plan->twiddle) return 0;
    for (int k = 0; k < n; k++) {
        double a = -6.283185307179586 * k / n;
        plan->twiddle[k] = (float)cos(a) + (float)sin(a) * I;
    }
    return 1;
}

void drift_fft_free(drift_fft *plan) {
    free(plan->twiddle);
    plan->twiddle = NULL;
}

static drift_cpx twiddle(const drift_fft *plan, long index, int inverse) {
    drift_cpx w = plan->twiddle[index % plan->n];
    return inverse ? conjf(w) : w;
}

/* Transform of size n of in[0], in[stride], … into out[0..n); `step` = plan->n / n. */
static void transform(const drift_fft *plan, const drift_cpx *in, long stride, drift_cpx *out,
                      int n, int level, int inverse) {
    if (n == 1) {
        out[0] = in[0];
        return;
    }
    int radix = plan->factors[level];
    int m = n / radix;
    long step = plan->n / n;
    for (int j = 0; j < radix; j++)
        transform(plan, in + j * stride, stride * radix, out + j * m, m, level + 1, inverse);
    if (radix == 2) {
        for (int k = 0; k < m; k++) {
            drift_cpx a = out[k], b = out[k + m] * twiddle(plan, k * step, inverse);
            out[k] = a + b;
            out[k + m] = a - b;
        }
        return;
    }
    drift_cpx t[5], r[5];
    for (int k = 0; k < m; k++) {
        for (int j = 0; j < radix; j++) t[j] = out[j * m + k];
        for (int q = 0; q < radix; q++) {
            long kq = k + (long)q * m;
            drift_cpx sum = 0;
            for (int j = 0; j < radix; j++) sum += t[j] * twiddle(plan, kq * j * step, inverse);
            r[q] = sum;
        }
        for (int q = 0; q < radix; q++) out[q * m + k] = r[q];
    }
}

void drift_fft_run(const drift_fft *plan, const drift_cpx *in, int stride, drift_cpx *out,
                   int inverse) {
    transform(plan, in, stride, out, plan->n, 0, inverse);
}
