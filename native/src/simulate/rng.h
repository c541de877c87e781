/* Counter streams over Philox4x32-10: every random number mumloc draws is addressed by the seed
 * (the key) and by what it is for (the counter), so a frame is a pure function of (seed, frame
 * index, parameters) whatever the thread count or backend.
 *
 * Counter layout (128 bits):
 *   word 0  index inside the purpose (pixel index in a plane, emitter index, ...)
 *   word 1  frame index, low 32 bits
 *   word 2  frame index bits 32..47 (low 16 bits) | plane << 16 | purpose << 24
 *   word 3  sub-draw: the block number inside this stream, counting from 0
 */
#ifndef SIMULATE_RNG_H
#define SIMULATE_RNG_H

#include <math.h>
#include <stdint.h>

#include "core/hd.h"
#include "simulate/philox.h"

/* Frame indices must stay below 2^48 to keep their own counter bits. */
#define RNG_MAX_FRAME ((int64_t)1 << 48)

/* What a stream is for (8 bits). New purposes get new numbers; never reuse one. */
enum rng_purpose {
    RNG_NOISE = 1,        /* per pixel: camera noise; index = row · W + column */
    RNG_EMITTER = 2,      /* per emitter: position and weight; index = emitter */
    RNG_COUNT = 3,        /* per frame: the Poisson molecule count (density mode) */
    RNG_DRIFT = 4,        /* per plane: the lateral drift of that plane */
    RNG_STRUCTURE = 5,    /* at create time: the helix/filament shapes; index = curve */
    RNG_COUNT_RANGE = 6,  /* per frame: the uniform molecule count (molecules_min mode) */
    RNG_STAGE_DRIFT = 7,  /* at create time: the stage drift path; index = axis */
    RNG_CAMERA_DRIFT = 9, /* at create time: the slow camera drift; plane, index = axis */
    RNG_BEADS = 8,        /* bead z-stacks: frame 0 bead positions (index = draw), frame 1 the
                                    scan drift direction */
    RNG_TEST = 255        /* reserved for tests */
};

typedef struct philox_rng {
    uint32_t key[2];
    uint32_t counter[4];
    uint32_t block[4];
    int used;          /* words of `block` already handed out (4 = empty) */
} philox_rng;

HD philox_rng rng_stream(uint64_t seed, int64_t frame, int purpose, int plane,
                                       uint32_t index) {
    philox_rng r;
    uint64_t f = (uint64_t)frame;
    r.key[0] = (uint32_t)seed;
    r.key[1] = (uint32_t)(seed >> 32);
    r.counter[0] = index;
    r.counter[1] = (uint32_t)f;
    r.counter[2] = (uint32_t)((f >> 32) & 0xFFFFu) | ((uint32_t)(plane & 0xFF) << 16) |
                   ((uint32_t)(purpose & 0xFF) << 24);
    r.counter[3] = 0;
    r.block[0] = r.block[1] = r.block[2] = r.block[3] = 0;
    r.used = 4;
    return r;
}

HD uint32_t rng_u32(philox_rng *r) {
    if (r->used == 4) {
        philox_block b = philox4x32_10(r->counter, r->key);
        r->block[0] = b.v[0];
        r->block[1] = b.v[1];
        r->block[2] = b.v[2];
        r->block[3] = b.v[3];
        r->counter[3]++;
        r->used = 0;
    }
    return r->block[r->used++];
}

/* Uniform in the open interval (0, 1): the word's midpoint, never 0 (logs stay finite) nor 1. */
HD double uniform_from_u32(uint32_t word) {
    return ((double)word + 0.5) * (1.0 / 4294967296.0);
}

HD double rng_uniform(philox_rng *r) {
    return uniform_from_u32(rng_u32(r));
}

/* Standard normal quantile by Wichura's rational approximations (Algorithm AS 241, Applied
 * Statistics 37, 1988: PPND16, relative accuracy about 1e-16). Only its two regions for
 * u ≥ exp(−25) are needed: the stream's uniforms never come closer than 2^−33 to 0 or 1. */
HD double normal_quantile(double u) {
    double q = u - 0.5;
    if (fabs(q) <= 0.425) {
        double r = 0.180625 - q * q;
        double num = ((((((2509.0809287301226727 * r + 33430.575583588128105) * r +
                          67265.770927008700853) * r + 45921.953931549871457) * r +
                        13731.693765509461125) * r + 1971.5909503065514427) * r +
                      133.14166789178437745) * r + 3.387132872796366608;
        double den = ((((((5226.495278852854561 * r + 28729.085735721942674) * r +
                          39307.89580009271061) * r + 21213.794301586595867) * r +
                        5394.1960214247511077) * r + 687.1870074920579083) * r +
                      42.313330701600911252) * r + 1.0;
        return q * num / den;
    }
    double r = sqrt(-log(q < 0.0 ? u : 1.0 - u)) - 1.6;
    double num = ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r +
                      0.24178072517745061177) * r + 1.27045825245236838258) * r +
                    3.64784832476320460504) * r + 5.7694972214606914055) * r +
                  4.6303378461565452959) * r + 1.42343711074968357734;
    double den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r +
                      0.0151986665636164571966) * r + 0.14810397642748007459) * r +
                    0.68976733498510000455) * r + 1.6763848301838038494) * r +
                  2.05319162663775882187) * r + 1.0;
    double x = num / den;
    return q < 0.0 ? -x : x;
}

/* Standard normal by inversion: one uniform per draw and no table (the Gamma sampler's normals;
 * the per-pixel read noise uses the faster ziggurat of ziggurat.h). */
HD double rng_normal(philox_rng *r) {
    return normal_quantile(rng_uniform(r));
}

#endif
