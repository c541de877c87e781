/* Mixed-radix decimation in time: a size-n transform is `radix` interleaved sub-transforms of size
 * n/radix (computed recursively into consecutive blocks of out), recombined by radix-point
 * butterflies with twiddles. Radix 4 and 2 have their own butterflies (the common case); 3 and 5
 * use the direct O(radix²) sum, cheap for such small radices. */
#include "postprocess/drift_fft.h"

#include <math.h>
#include <stdlib.h>

int drift_fft_good_size(int n) {
    if (n < 1) n = 1;
    int size = 1;
    while (size < n) size *= 2;
    int three = 3;
    while (three * 2 < n) three *= 2;
    return three >= n && three < size ? three : size;
}

int drift_fft_init(drift_fft *plan, int n) {
    plan->n = n;
    plan->factor_count = 0;
    plan->twiddle = plan->twiddle_inverse = NULL;
    if (n < 1) return 0;
    int m = n;
    while (m % 4 == 0) {
        plan->factors[plan->factor_count++] = 4;
        m /= 4;
    }
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
    plan->twiddle_inverse = malloc((size_t)n * sizeof *plan->twiddle_inverse);
    if (!plan->twiddle || !plan->twiddle_inverse) {
        drift_fft_free(plan);
        return 0;
    }
    for (int k = 0; k < n; k++) {
        double a = -6.283185307179586 * k / n;
        plan->twiddle[k] = (float)cos(a) + (float)sin(a) * I;
        plan->twiddle_inverse[k] = conjf(plan->twiddle[k]);
    }
    return 1;
}

void drift_fft_free(drift_fft *plan) {
    free(plan->twiddle);
    free(plan->twiddle_inverse);
    plan->twiddle = plan->twiddle_inverse = NULL;
}

/* Transform of size n of in[0], in[stride], … into out[0..n); twiddles of the full size N are used
 * with step N / n. */
static void transform(const drift_fft *plan, const drift_cpx *in, long stride, drift_cpx *out,
                      int n, int level, int inverse) {
    int radix = plan->factors[level];
    int m = n / radix;
    long step = plan->n / n;
    const drift_cpx *tw = inverse ? plan->twiddle_inverse : plan->twiddle;
    if (m == 1)
        for (int j = 0; j < radix; j++) out[j] = in[j * stride];
    else
        for (int j = 0; j < radix; j++)
            transform(plan, in + j * stride, stride * radix, out + j * m, m, level + 1, inverse);
    if (radix == 2) {
        for (int k = 0; k < m; k++) {
            drift_cpx a = out[k], b = out[k + m] * tw[k * step];
            out[k] = a + b;
            out[k + m] = a - b;
        }
        return;
    }
    if (radix == 4) {
        /* Forward W_4 = −i; inverse +i. */
        drift_cpx j4 = inverse ? I : -I;
        for (int k = 0; k < m; k++) {
            drift_cpx a0 = out[k], a1 = out[k + m] * tw[k * step];
            drift_cpx a2 = out[k + 2 * m] * tw[2 * k * step], a3 = out[k + 3 * m] * tw[3 * k * step];
            drift_cpx s02 = a0 + a2, d02 = a0 - a2, s13 = a1 + a3, d13 = (a1 - a3) * j4;
            out[k] = s02 + s13;
            out[k + m] = d02 + d13;
            out[k + 2 * m] = s02 - s13;
            out[k + 3 * m] = d02 - d13;
        }
        return;
    }
    drift_cpx t[5], r[5];
    for (int k = 0; k < m; k++) {
        for (int j = 0; j < radix; j++) t[j] = out[j * m + k];
        for (int q = 0; q < radix; q++) {
            long kq = k + (long)q * m;
            drift_cpx sum = 0;
            for (int j = 0; j < radix; j++) sum += t[j] * tw[(kq * j * step) % plan->n];
            r[q] = sum;
        }
        for (int q = 0; q < radix; q++) out[q * m + k] = r[q];
    }
}

void drift_fft_run(const drift_fft *plan, const drift_cpx *in, int stride, drift_cpx *out,
                   int inverse) {
    if (plan->n == 1) {
        out[0] = in[0];
        return;
    }
    transform(plan, in, stride, out, plan->n, 0, inverse);
}
