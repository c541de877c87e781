/* A small complex FFT for the drift cross-correlations: sizes 2^a·3^b·5^c, fastest for 2^a and
 * 3·2^a (drift_fft_good_size picks one), single precision (the correlations are of histograms; float keeps the stored spectra small). */
#ifndef POSTPROCESS_DRIFT_FFT_H
#define POSTPROCESS_DRIFT_FFT_H

#include <complex.h>

typedef float complex drift_cpx;

typedef struct drift_fft {
    int n;
    int factor_count;
    int factors[40];
    drift_cpx *twiddle;         /* exp(−2πi k / n), k < n */
    drift_cpx *twiddle_inverse; /* its conjugate */
} drift_fft;

/* The smallest size ≥ n of the form 2^a or 3·2^a. */
int drift_fft_good_size(int n);

/* Plans a transform of size n (a good size); 0 on failure (out of memory or a bad size). */
int drift_fft_init(drift_fft *plan, int n);
void drift_fft_free(drift_fft *plan);

/* out[k] = Σ_j in[j·stride] · exp(∓2πi jk/n) (forward: −; inverse: +, unscaled). out is contiguous
 * and must not overlap in. */
void drift_fft_run(const drift_fft *plan, const drift_cpx *in, int stride, drift_cpx *out,
                   int inverse);

#endif
