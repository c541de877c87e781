/* The camera model applied to one pixel's expected signal: element-wise, shared with CUDA later. */
#ifndef SIMULATE_CAMERA_NOISE_H
#define SIMULATE_CAMERA_NOISE_H

#include "core/hd.h"
#include "mumloc.h"
#include "simulate/samplers.h"
#include "simulate/ziggurat.h"

/* The camera fields the pixel model needs, copied into a small plain struct for kernels. */
typedef struct camera_noise_model {
    double background;  /* λ, photons per pixel */
    double read_noise;  /* σ, electrons */
    double em_gain;     /* G */
    double adu_gain;    /* ADU per electron */
    double offset;      /* ADU */
    int physical;       /* 1: MUMLOC_NOISE_PHYSICAL, 0: the expectation */
    /* tables[j] holds Poisson(λ + j) for j < table_count (0: draw every pixel directly). */
    const poisson_table *tables;
    int table_count;
    const ziggurat_table *ziggurat; /* fast normals, or NULL for the quantile */
} camera_noise_model;

/* ADU of a pixel whose expected signal is `signal` photons:
 *   physical: electrons n ~ Poisson(signal + λ); with G > 1, Gamma(n, G) (0 when n = 0) models the
 *             EM register's excess noise; plus Normal(0, σ²) read noise; ADU = offset + gain · that.
 *   none:     offset + gain · G · (signal + λ), the exact expectation of the above. */
HD double camera_pixel(const camera_noise_model *cam, double signal, philox_rng *r) {
    if (!cam->physical) return cam->offset + cam->adu_gain * cam->em_gain * (signal + cam->background);
    /* Poisson(λ + s) = Poisson(λ + j) + Poisson(s − j) with j = ⌊s⌋: the first term from a table
     * built for this simulator, the second (mean below 1) by inversion that rarely needs an exp.
     * The same law as one draw, at a fraction of the cost of rejection for means up to λ + 64. */
    int whole = signal < (double)cam->table_count ? (int)signal : cam->table_count;
    double electrons = whole < cam->table_count
                           ? poisson_table_sample(&cam->tables[whole], r) +
                                 poisson_inversion(r, signal - whole)
                           : rng_poisson(r, signal + cam->background);
    if (cam->em_gain > 1.0) electrons = rng_gamma(r, electrons, cam->em_gain);
    if (cam->read_noise > 0.0)
        electrons += cam->read_noise *
                     (cam->ziggurat ? ziggurat_sample_normal(cam->ziggurat, r) : rng_normal(r));
    return cam->offset + cam->adu_gain * electrons;
}

#endif
