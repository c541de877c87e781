/* Philox4x32-10 against the published Random123 known-answer vectors (kat_vectors), and the counter
 * stream's addressing. */
#include <stdint.h>

#include "check.h"
#include "simulate/philox.h"
#include "simulate/rng.h"

static void check_vector(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                         uint32_t e0, uint32_t e1, uint32_t e2, uint32_t e3) {
    uint32_t counter[4] = {c0, c1, c2, c3};
    uint32_t key[2] = {k0, k1};
    philox_block b = philox4x32_10(counter, key);
    CHECK(b.v[0] == e0);
    CHECK(b.v[1] == e1);
    CHECK(b.v[2] == e2);
    CHECK(b.v[3] == e3);
}

int main(void) {
    /* Random123 1.x, tests/kat_vectors, the three "philox4x32 10" lines (counter, key, expected). */
    check_vector(0, 0, 0, 0, 0, 0, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u);
    check_vector(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
                 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu);
    check_vector(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
                 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u);

    /* The stream puts the seed in the key and (index, frame, plane/purpose, sub-draw) in the
     * counter: its first block is Philox of exactly that counter. */
    uint64_t seed = 0x299f31d0a4093822ull;
    int64_t frame = ((int64_t)0x1234 << 32) | 0x85a308d3;
    philox_rng r = rng_stream(seed, frame, 0x13, 0x19, 0x243f6a88u);
    uint32_t counter[4] = {0x243f6a88u, 0x85a308d3u, 0x13191234u, 0};
    uint32_t key[2] = {0xa4093822u, 0x299f31d0u};
    philox_block first = philox4x32_10(counter, key);
    for (int i = 0; i < 4; i++) CHECK(rng_u32(&r) == first.v[i]);
    counter[3] = 1; /* the fifth word comes from the next sub-draw block */
    philox_block second = philox4x32_10(counter, key);
    CHECK(rng_u32(&r) == second.v[0]);

    /* Uniforms stay inside the open interval even at the extreme words. */
    CHECK(uniform_from_u32(0) > 0.0);
    CHECK(uniform_from_u32(0xffffffffu) < 1.0);
    CHECK_NEAR(uniform_from_u32(0x80000000u), 0.5, 1e-9);

    /* Different purposes, planes, frames and seeds address different numbers. */
    philox_rng a = rng_stream(1, 7, RNG_NOISE, 2, 5);
    philox_rng b = rng_stream(1, 7, RNG_NOISE, 3, 5);
    philox_rng c = rng_stream(1, 7, RNG_EMITTER, 2, 5);
    philox_rng d = rng_stream(1, 8, RNG_NOISE, 2, 5);
    philox_rng e = rng_stream(2, 7, RNG_NOISE, 2, 5);
    uint32_t va = rng_u32(&a);
    CHECK(va != rng_u32(&b));
    CHECK(va != rng_u32(&c));
    CHECK(va != rng_u32(&d));
    CHECK(va != rng_u32(&e));
    return CHECK_DONE("test_rng_philox");
}
