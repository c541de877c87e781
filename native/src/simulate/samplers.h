/* Exact Poisson and Gamma samplers drawing from a counter stream (rng.h). Pure functions of the
 * stream, usable from CUDA later (HD). */
#ifndef SIMULATE_SAMPLERS_H
#define SIMULATE_SAMPLERS_H

#include <math.h>

#include "core/hd.h"
#include "simulate/rng.h"

/* Means below this use inversion (cost grows with the mean); above, transformed rejection. */
#define POISSON_INVERSION_LIMIT 10.0

/* log(k!) for k ≥ 0: exact values for small k, Stirling's series beyond (error < 1e-12). */
HD double log_factorial(double k) {
    const double small[16] = {0.0,
                              0.0,
                              0.69314718055994495,
                              1.7917594692280554,
                              3.1780538303479449,
                              4.7874917427820467,
                              6.5792512120101021,
                              8.5251613610654147,
                              10.604602902745249,
                              12.801827480081467,
                              15.104412573075514,
                              17.502307845873887,
                              19.987214495661885,
                              22.552163853123421,
                              25.191221182738683,
                              27.89927138384089};
    if (k < 16.0) return small[(int)k];
    double inv = 1.0 / k, inv2 = inv * inv;
    return (k + 0.5) * log(k) - k + 0.91893853320467274 /* log(2π)/2 */ +
           inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0)));
}

/* Inversion by sequential search of the CDF: exact, about mean + 1 steps. */
HD double poisson_inversion(philox_rng *r, double mean) {
    double u = rng_uniform(r);
    if (mean < 1.0) {
        /* Faint PSF tails cover most pixels: decide 0 or 1 without an exp where Taylor bounds
         * allow. For mean ≥ 0, T3 = 1 − m + m²/2 − m³/6 ≤ exp(−m) ≤ T2 = 1 − m + m²/2, so u ≤ T3
         * means 0, and T2 < u ≤ T3·(1 + m) ≤ P(X ≤ 1) means 1. */
        double m2 = mean * mean;
        double t2 = 1.0 - mean + 0.5 * m2;
        double t3 = t2 - m2 * mean * (1.0 / 6.0);
        if (u <= t3) return 0.0;
        if (u > t2 && u <= t3 * (1.0 + mean)) return 1.0;
    }
    double p = exp(-mean);
    double cdf = p;
    double k = 0.0;
    /* The cap only guards against rounding of the CDF just below u ≈ 1; it is never reached for a
     * mean below the inversion limit (P(k > 200) < 1e-150). */
    while (u > cdf && k < 200.0) {
        k += 1.0;
        p *= mean / k;
        cdf += p;
    }
    return k;
}

/* Hörmann's PTRS (transformed rejection with squeeze, 1993) for mean ≥ 10: exact, about 1.2 pairs of
 * uniforms per draw. The slow acceptance test compares logs; its terms are merged so that it costs
 * two logarithms (three when k ≥ 16), and log(mean) is taken once per draw. */
HD double poisson_ptrs(philox_rng *r, double mean) {
    double root = sqrt(mean);
    double b = 0.931 + 2.53 * root;
    double a = -0.059 + 0.02483 * b;
    double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    double v_r = 0.9277 - 3.6224 / (b - 2.0);
    double log_mean = 0.0; /* computed on the first slow test */
    for (;;) {
        double u = rng_uniform(r) - 0.5;
        double v = rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= v_r) return k;
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (log_mean == 0.0) log_mean = log(mean);
        double lhs = log(v * inv_alpha / (a / (us * us) + b));
        double rhs = -mean + k * log_mean - log_factorial(k);
        if (lhs <= rhs) return k;
    }
}

/* Poisson(mean) as a double holding an integer; 0 for mean ≤ 0 (and for NaN). */
HD double rng_poisson(philox_rng *r, double mean) {
    if (!(mean > 0.0)) return 0.0;
    if (mean < POISSON_INVERSION_LIMIT) return poisson_inversion(r, mean);
    return poisson_ptrs(r, mean);
}

/* Poisson of one fixed mean by inversion through a precomputed CDF and a guide table (Chen and Asau,
 * 1974): one uniform and about two comparisons per draw. The simulator builds them for the means
 * λ + j (λ the camera background, j = 0, 1, …) and draws a pixel's Poisson(λ + s) as the table of
 * λ + ⌊s⌋ plus Poisson(s − ⌊s⌋): a sum of independent Poisson variables is Poisson with the summed
 * mean, so pixels stay exact while the costly part becomes a table lookup. */
typedef struct poisson_table {
    double mean;
    int size;             /* cdf[k] = P(X ≤ k) for k < size; the tail beyond is below 1e-20 */
    const double *cdf;
    const int *guide;     /* guide[j] = min{k : cdf[k] ≥ j / size}, j < size */
} poisson_table;

HD double poisson_table_sample(const poisson_table *t, philox_rng *r) {
    double u = rng_uniform(r);
    int k = t->guide[(int)(u * t->size)];
    while (k < t->size - 1 && u > t->cdf[k]) k++;
    return (double)k;
}

/* Gamma(shape, scale) by Marsaglia and Tsang (2000); shape < 1 through the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a). 0 for shape ≤ 0. */
HD double rng_gamma(philox_rng *r, double shape, double scale) {
    if (!(shape > 0.0)) return 0.0;
    double boost = 1.0;
    if (shape < 1.0) {
        boost = pow(rng_uniform(r), 1.0 / shape);
        shape += 1.0;
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x = rng_normal(r);
        double t = 1.0 + c * x;
        if (t <= 0.0) continue;
        double v = t * t * t;
        double u = rng_uniform(r);
        double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
            return d * v * scale * boost;
    }
}

#endif
