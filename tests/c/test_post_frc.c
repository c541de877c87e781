/* Fourier ring correlation of a known structure at a known precision.
 *
 * Structure: M emitters uniform in a 10 µm square, each localized K = 10 times with independent
 * Gaussian errors of standard deviation σ in x and y. With the frame-block split each emitter's
 * localizations alternate between the halves: n = 5 in each.
 *
 * Expectation. The transform of half 1 at spatial frequency q (1/nm) is
 *   F1(q) = Σ_m e^{-2πi q·e_m} Σ_{k in half 1} e^{-2πi q·ε_k},
 * and E[e^{-2πi q·ε}] = φ(q) = exp(−2π²σ²|q|²). Averaged over the errors, one emitter contributes
 * n·n·φ² to Re F1·F2* and n + n(n−1)φ² to |F1|² and to |F2|² (the n: each localization with itself);
 * the terms pairing different emitters have random phases and average out over a ring. Hence
 *   FRC(q) = n φ² / (1 + (n − 1) φ²).
 * Setting FRC = 1/7: 7 n φ² = 1 + (n − 1) φ², so φ² = exp(−4π²σ²q²) = 1 / (6n + 1), and
 *   resolution = 1/q = 2πσ / sqrt(ln(6n + 1)).
 * For n = 5, σ = 15 nm: 94.25 / sqrt(ln 31) = 50.86 nm; σ = 25 nm: 84.77 nm. Binning into 5 nm pixels
 * multiplies φ² by sinc²(π q p) in both numerator and denominators (0.97 at the crossing): < 1 % in q.
 *
 * Random split per row: an emitter's count in half 1 is Binomial(10, 1/2); with E[n1 n2] =
 * E[n1(n1−1)] = 10·9/4 = 22.5 and E[n1] = 5 the ring sums give FRC = 22.5φ² / (5 + 22.5φ²), which
 * is 1/7 at φ² = 1/27: resolution = 2πσ / sqrt(ln 27) = 51.93 nm for σ = 15 nm.
 * The test allows 10 %. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

enum { EMITTERS = 20000, PER_EMITTER = 10, BLOCK = 50 };
static const double PI = 3.14159265358979323846;

static uint64_t state;
static double uniform(void) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return ((double)(state >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(uniform())) * cos(2 * PI * uniform()); }

static mumloc_table *structure(double sigma) {
    state = 7;
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    static double rows[EMITTERS * PER_EMITTER][3];
    int n = 0;
    for (int m = 0; m < EMITTERS; m++) {
        double ex = 500 + 10000 * uniform(), ey = 500 + 10000 * uniform();
        for (int k = 0; k < PER_EMITTER; k++, n++) {
            rows[n][0] = 1 + k * BLOCK + m % BLOCK; /* localization k in block k: halves alternate */
            rows[n][1] = ex + sigma * gauss();
            rows[n][2] = ey + sigma * gauss();
        }
    }
    CHECK_OK(mumloc_table_append_rows(t, &rows[0][0], n));
    return t;
}

static double resolution(const mumloc_table *t, mumloc_frc_split split, mumloc_frc_summary *s) {
    mumloc_frc_options o;
    mumloc_frc_options_default(&o);
    o.split = split;
    o.pixel_nm = 5;
    mumloc_frc *f = NULL;
    CHECK_OK(mumloc_frc_compute(t, &o, &f, NULL, NULL));
    if (!f) return NAN;
    CHECK_OK(mumloc_frc_get_summary(f, s));
    CHECK(mumloc_frc_curve(f)[1] > 0.9); /* the structure's largest scales correlate fully */
    mumloc_frc_destroy(f);
    return s->resolution_nm;
}

static void test_expected_resolution(void) {
    const double sigmas[2] = {15, 25};
    for (int i = 0; i < 2; i++) {
        mumloc_table *t = structure(sigmas[i]);
        mumloc_frc_summary s;
        double expected = 2 * PI * sigmas[i] / sqrt(log(6 * 5 + 1));
        double r = resolution(t, MUMLOC_FRC_SPLIT_FRAME_BLOCKS, &s);
        fprintf(stderr, "sigma %g nm: FRC resolution %.2f nm, expected %.2f nm\n", sigmas[i], r, expected);
        CHECK_NEAR(r, expected, 0.1 * expected);
        CHECK(s.rows_half1 == EMITTERS * PER_EMITTER / 2 && s.rows_half2 == EMITTERS * PER_EMITTER / 2);
        CHECK(s.image_size == 2048 && s.pixel_nm == 5);
        if (i == 0) {
            double random_expected = 2 * PI * sigmas[i] / sqrt(log(27));
            double rr = resolution(t, MUMLOC_FRC_SPLIT_RANDOM, &s);
            fprintf(stderr, "sigma %g nm, random split: %.2f nm, expected %.2f nm\n", sigmas[i], rr, random_expected);
            CHECK_NEAR(rr, random_expected, 0.1 * random_expected);
            CHECK(s.rows_half1 + s.rows_half2 == EMITTERS * PER_EMITTER);
        }
        mumloc_table_destroy(t);
    }
}

static int cancel_now(void *user, int64_t done, int64_t total) {
    (void)user;
    (void)done;
    (void)total;
    return 1;
}

static void test_outputs_and_errors(void) {
    mumloc_table *t = structure(15);
    mumloc_frc *f = NULL;
    CHECK_OK(mumloc_frc_compute(t, NULL, &f, NULL, NULL)); /* defaults: automatic 5 nm pixel */
    CHECK_OK(mumloc_frc_write_curve(f, path_of("frc.csv")));
    CHECK_OK(mumloc_frc_write_plot(f, path_of("frc.png")));
    mumloc_table *curve = NULL;
    CHECK_OK(mumloc_table_read_csv(path_of("frc.csv"), "frequency,frc,frc_smoothed", &curve));
    mumloc_frc_summary s;
    CHECK_OK(mumloc_frc_get_summary(f, &s));
    CHECK(mumloc_table_rows(curve) == s.rings && s.rings == s.image_size / 2 + 1);
    CHECK(strcmp(mumloc_table_column_unit(curve, 0), "1/nm") == 0);
    CHECK(strstr(mumloc_frc_json(f), "\"split\":\"frame_blocks\"") != NULL);
    CHECK(strstr(mumloc_frc_text(f), "FRC resolution: ") == mumloc_frc_text(f));
    mumloc_table_destroy(curve);
    mumloc_frc_destroy(f);

    CHECK_STATUS(mumloc_frc_compute(t, NULL, &f, cancel_now, NULL), MUMLOC_ERR_CANCELLED);
    CHECK(f == NULL);
    mumloc_frc_options o;
    mumloc_frc_options_default(&o);
    o.block_frames = 100000; /* every frame in block 0 */
    CHECK_STATUS(mumloc_frc_compute(t, &o, &f, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "one half of the table is empty") != NULL);
    mumloc_frc_options_default(&o);
    o.pixel_nm = 0.5; /* 10 µm / 0.5 nm > MUMLOC_FRC_MAX_SIZE */
    CHECK_STATUS(mumloc_frc_compute(t, &o, &f, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "use a pixel of at least") != NULL);
    o.pixel_nm = 5;
    o.threshold = 1;
    CHECK_STATUS(mumloc_frc_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);
}

int main(void) {
    test_dir_create("post_frc");
    test_expected_resolution();
    test_outputs_and_errors();
    test_dir_remove(check_failures);
    return check_failures ? 1 : 0;
}
