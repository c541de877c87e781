/* A 2D FFT for Fourier ring correlation: complex single precision, square power-of-two sizes,
 * iterative radix-2 transforms of the rows, a blocked transpose, and the rows again. The result is
 * the 2D transform TRANSPOSED (element [u][v] holds frequency (v, u)): ring sums do not care, and the
 * transpose back is saved. */
#ifndef POSTPROCESS_FRC_FFT_H
#define POSTPROCESS_FRC_FFT_H

#include "mumloc.h"
#include "postprocess/post_common.h"

/* data: n × n complex values, interleaved (re, im), row-major; n a power of two ≥ 2. Forward
 * transform (e^{-2πi…}), unnormalised. progress is reported as done + rows transformed. */
mumloc_status frc_fft2d(float *data, int n, post_progress *progress, int64_t done);

#endif
