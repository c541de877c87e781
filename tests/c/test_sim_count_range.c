/* molecules_min: each frame's count uniform on {molecules_min, ..., molecules}, drawn from its own
 * stream. The counts follow the uniform law (chi-square), are a pure function of (seed, frame), leave
 * the positions' stream alone (a frame's emitters are the first n of the fixed-count frame's), and
 * molecules_min = 0 or = molecules changes nothing at all. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define LOW 5
#define HIGH 14
#define VALUES (HIGH - LOW + 1)
#define FRAMES 20000
/* Chi-square with 9 degrees of freedom exceeds 27.88 with probability 0.001. */
#define CHI2_9_P001 27.88

static mumloc_simulator *make(const mumloc_sim_params *p) {
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    return sim;
}

static int count_of(const mumloc_simulator *sim, int64_t frame, mumloc_emitter *e, int cap) {
    int n = -1;
    CHECK_OK(mumloc_simulate_truth(sim, frame, e, cap, &n));
    return n;
}

static float *frames_of(const mumloc_sim_params *p, int threads, int64_t count) {
    CHECK_OK(mumloc_set_threads(threads));
    mumloc_simulator *sim = make(p);
    size_t n = (size_t)count * p->optics.planes * p->width * p->height;
    float *px = malloc(n * sizeof *px);
    CHECK_OK(mumloc_simulate_frames(sim, 0, count, px));
    mumloc_simulator_destroy(sim);
    return px;
}

int main(void) {
    mumloc_sim_params fixed;
    mumloc_sim_params_default(&fixed);
    fixed.width = fixed.height = 24;
    fixed.molecules = HIGH;
    fixed.seed = 77;
    mumloc_sim_params range = fixed;
    range.molecules_min = LOW;

    /* The law: every value of the range about equally often, nothing outside it. */
    {
        mumloc_simulator *sim = make(&range);
        CHECK(mumloc_simulator_max_emitters(sim) == HIGH);
        mumloc_emitter e[HIGH];
        long histogram[VALUES] = {0};
        int lowest = HIGH + 1, highest = -1;
        double sum = 0;
        for (int64_t f = 0; f < FRAMES; f++) {
            int n = count_of(sim, f, e, HIGH);
            if (n < lowest) lowest = n;
            if (n > highest) highest = n;
            if (n >= LOW && n <= HIGH) histogram[n - LOW]++;
            sum += n;
        }
        CHECK(lowest == LOW && highest == HIGH);
        double expected = (double)FRAMES / VALUES, chi2 = 0;
        for (int v = 0; v < VALUES; v++)
            chi2 += (histogram[v] - expected) * (histogram[v] - expected) / expected;
        printf("counts %d..%d over %d frames: chi-square %.2f (9 dof), mean %.3f\n", LOW, HIGH,
               FRAMES, chi2, sum / FRAMES);
        CHECK(chi2 < CHI2_9_P001);
        /* mean (LOW + HIGH)/2, standard deviation sqrt((VALUES² − 1)/12) per frame */
        CHECK_NEAR(sum / FRAMES, 0.5 * (LOW + HIGH),
                   5 * sqrt((VALUES * VALUES - 1) / 12.0 / FRAMES));

        /* A pure function of (seed, frame): a fresh simulator, frames in another order. */
        mumloc_simulator *again = make(&range);
        for (int64_t f = 300; f >= 0; f -= 7) {
            mumloc_emitter a[HIGH], b[HIGH];
            int na = count_of(sim, f, a, HIGH), nb = count_of(again, f, b, HIGH);
            CHECK(na == nb && memcmp(a, b, (size_t)na * sizeof *a) == 0);
        }
        mumloc_simulator_destroy(again);
        mumloc_simulator_destroy(sim);
    }

    /* Positions keep their stream: a range frame's emitters are the first n of the fixed frame's;
     * another seed gives other counts. */
    {
        mumloc_simulator *a = make(&range), *b = make(&fixed);
        mumloc_sim_params other = range;
        other.seed = 78;
        mumloc_simulator *c = make(&other);
        int differs = 0;
        for (int64_t f = 0; f < 200; f++) {
            mumloc_emitter er[HIGH], ef[HIGH], eo[HIGH];
            int n = count_of(a, f, er, HIGH);
            CHECK(count_of(b, f, ef, HIGH) == HIGH);
            CHECK(memcmp(er, ef, (size_t)n * sizeof *er) == 0);
            differs += count_of(c, f, eo, HIGH) != n;
        }
        CHECK(differs > 150); /* equal counts by chance: 1 frame in 10 */
        mumloc_simulator_destroy(a);
        mumloc_simulator_destroy(b);
        mumloc_simulator_destroy(c);
    }

    /* molecules_min = molecules: the fixed count and bit-identical frames; density mode ignores the
     * range; range movies do not depend on the thread count. */
    {
        mumloc_sim_params same = fixed;
        same.molecules_min = HIGH;
        const int64_t n = 4;
        size_t values = (size_t)n * fixed.optics.planes * fixed.width * fixed.height;
        float *f1 = frames_of(&fixed, 1, n), *s2 = frames_of(&same, 2, n);
        CHECK(memcmp(f1, s2, values * sizeof *f1) == 0);
        float *r1 = frames_of(&range, 1, n), *r2 = frames_of(&range, 2, n);
        CHECK(memcmp(r1, r2, values * sizeof *r1) == 0);
        CHECK(memcmp(r1, f1, values * sizeof *r1) != 0);
        free(f1);
        free(s2);
        free(r1);
        free(r2);

        mumloc_sim_params dense = fixed, dense_range = range;
        dense.density_per_um2 = dense_range.density_per_um2 = 0.4;
        mumloc_simulator *a = make(&dense), *b = make(&dense_range);
        int cap = mumloc_simulator_max_emitters(a);
        CHECK(mumloc_simulator_max_emitters(b) == cap);
        mumloc_emitter *ea = malloc((size_t)cap * sizeof *ea), *eb = malloc((size_t)cap * sizeof *eb);
        for (int64_t f = 0; f < 50; f++) {
            int na = count_of(a, f, ea, cap), nb = count_of(b, f, eb, cap);
            CHECK(na == nb && memcmp(ea, eb, (size_t)na * sizeof *ea) == 0);
        }
        free(ea);
        free(eb);
        mumloc_simulator_destroy(a);
        mumloc_simulator_destroy(b);
    }

    /* Out of range: negative, or above molecules; the message names the option and its range. */
    {
        mumloc_sim_params bad = range;
        bad.molecules_min = HIGH + 1;
        CHECK_STATUS(mumloc_sim_params_validate(&bad), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strcmp(mumloc_last_error(), "molecules-min (the A of --molecules A-B) must be "
                                          "between 0 (off: always molecules) and molecules 14 "
                                          "(got 15)") == 0);
        mumloc_simulator *sim = (mumloc_simulator *)1;
        CHECK_STATUS(mumloc_simulator_create(&bad, &sim), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(sim == NULL);
        bad.molecules_min = -1;
        CHECK_STATUS(mumloc_sim_params_validate(&bad), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strncmp(mumloc_last_error(), "molecules-min ", 14) == 0);
        bad.molecules_min = 0; /* off */
        CHECK_OK(mumloc_sim_params_validate(&bad));
    }
    return CHECK_DONE("test_sim_count_range");
}
