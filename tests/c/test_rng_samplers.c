/* Samplers against their laws: moments of uniform, normal, Poisson (inversion and PTRS regimes) and
 * Gamma, and a chi-square goodness of fit of the Poisson probabilities at small and large means. */
#include <math.h>

#include "check.h"
#include "simulate/poisson_table.h"
#include "simulate/samplers.h"
#include "simulate/ziggurat_build.h"

#define N 200000

static philox_rng stream(uint32_t index) { return rng_stream(12345, 0, RNG_TEST, 0, index); }

/* Poisson pmf by logs, independent of the sampler's own log-factorial. */
static double pmf(double mean, int k) { return exp(-mean + k * log(mean) - lgamma(k + 1.0)); }

/* Chi-square over the bins [lo, hi] (tails merged into the end bins) against the pmf; returns the
 * statistic divided by its degrees of freedom. */
/* Which sampler poisson_chi2 draws from: the dispatcher, plain inversion, or a table. */
static const poisson_table *chi2_table = NULL;
static int chi2_inversion = 0;

static double draw(philox_rng *r, double mean) {
    if (chi2_table) return poisson_table_sample(chi2_table, r);
    if (chi2_inversion) return poisson_inversion(r, mean);
    return rng_poisson(r, mean);
}

static double poisson_chi2(double mean, int lo, int hi, uint32_t salt) {
    static double counts[1024];
    int bins = hi - lo + 1;
    for (int i = 0; i < bins; i++) counts[i] = 0;
    for (int i = 0; i < N; i++) {
        philox_rng r = stream(salt + (uint32_t)i);
        int k = (int)draw(&r, mean);
        if (k < lo) k = lo;
        if (k > hi) k = hi;
        counts[k - lo] += 1;
    }
    double chi2 = 0.0;
    for (int i = 0; i < bins; i++) {
        int k = lo + i;
        double p = 0.0;
        if (i == 0) {
            for (int j = 0; j <= k; j++) p += pmf(mean, j);
        } else if (i == bins - 1) {
            double below = 0.0;
            for (int j = 0; j < k; j++) below += pmf(mean, j);
            p = 1.0 - below;
        } else {
            p = pmf(mean, k);
        }
        double expected = p * N;
        chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return chi2 / (bins - 1);
}

static void poisson_moments(double mean, uint32_t salt) {
    double s = 0, s2 = 0;
    int all_integers = 1;
    for (int i = 0; i < N; i++) {
        philox_rng r = stream(salt + (uint32_t)i);
        double k = rng_poisson(&r, mean);
        if (k != floor(k) || k < 0) all_integers = 0;
        s += k;
        s2 += k * k;
    }
    double m = s / N, v = s2 / N - m * m;
    CHECK(all_integers);
    /* 6 standard errors: mean's is sqrt(mean/N), variance's about mean·sqrt(2/N). */
    CHECK_NEAR(m, mean, 6 * sqrt(mean / N));
    CHECK_NEAR(v, mean, 6 * mean * sqrt(2.0 / N) + 6 * sqrt(mean / N));
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov–Smirnov distance between n sorted draws and the standard normal CDF. */
static double ks_normal(double *x, int n) {
    qsort(x, (size_t)n, sizeof *x, compare_doubles);
    double d = 0.0;
    for (int i = 0; i < n; i++) {
        double cdf = 0.5 * erfc(-x[i] / sqrt(2.0));
        d = fmax(d, fmax(fabs(cdf - (double)i / n), fabs(cdf - (double)(i + 1) / n)));
    }
    return d;
}

/* A normal sampler: moments, the tail beyond 3.4426 (the ziggurat's tail path) and KS. */
static void normal_law(double (*sample)(philox_rng *, const void *), const void *ctx, uint32_t salt,
                       const char *name) {
    static double x[N];
    double m1 = 0, m2 = 0, m4 = 0, tail = 0;
    for (int i = 0; i < N; i++) {
        philox_rng r = stream(salt + (uint32_t)i);
        x[i] = sample(&r, ctx);
        m1 += x[i];
        m2 += x[i] * x[i];
        m4 += x[i] * x[i] * x[i] * x[i];
        tail += fabs(x[i]) > 3.442619855899;
    }
    CHECK_NEAR(m1 / N, 0.0, 6 / sqrt(N));
    CHECK_NEAR(m2 / N, 1.0, 6 * sqrt(2.0 / N));
    CHECK_NEAR(m4 / N, 3.0, 6 * sqrt(96.0 / N));
    double p_tail = erfc(3.442619855899 / sqrt(2.0));
    CHECK_NEAR(tail / N, p_tail, 6 * sqrt(p_tail / N));
    double d = ks_normal(x, N);
    printf("%s: KS sqrt(n)·D = %.3f\n", name, d * sqrt(N));
    CHECK(d * sqrt(N) < 1.95); /* p ≈ 0.001 */
}

static double quantile_normal(philox_rng *r, const void *ctx) {
    (void)ctx;
    return rng_normal(r);
}

static double ziggurat_normal(philox_rng *r, const void *ctx) {
    return ziggurat_sample_normal((const ziggurat_table *)ctx, r);
}

static void gamma_moments(double shape, double scale, uint32_t salt) {
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        philox_rng r = stream(salt + (uint32_t)i);
        double g = rng_gamma(&r, shape, scale);
        s += g;
        s2 += g * g;
    }
    double m = s / N, v = s2 / N - m * m;
    double mean = shape * scale, var = shape * scale * scale;
    CHECK_NEAR(m, mean, 6 * sqrt(var / N));
    /* Variance of the sample variance for Gamma: var²·(2 + 6/shape)/N. */
    CHECK_NEAR(v, var, 6 * var * sqrt((2.0 + 6.0 / shape) / N));
}

int main(void) {
    /* Uniform: mean 1/2, variance 1/12. */
    philox_rng r = stream(0);
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double u = rng_uniform(&r);
        CHECK(u > 0.0 && u < 1.0);
        s += u;
        s2 += u * u;
    }
    CHECK_NEAR(s / N, 0.5, 6 * sqrt(1.0 / 12 / N));
    CHECK_NEAR(s2 / N - (s / N) * (s / N), 1.0 / 12, 6 * 0.0745 / sqrt(N));

    /* Normal by the quantile (AS 241) and by the ziggurat. */
    CHECK_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
    CHECK_NEAR(normal_quantile(1e-6), -4.753424308822899, 1e-12);
    CHECK_NEAR(normal_quantile(0.5), 0.0, 1e-300);
    normal_law(quantile_normal, NULL, 100000000, "quantile normal");
    ziggurat_table zig;
    ziggurat_build(&zig);
    /* 128 layers of equal area stack up exactly to the peak f(0) = 1 (checks R and the layers). */
    double top = zig.f[127] + (zig.x[0] * zig.f[0]) / zig.x[127];
    CHECK_NEAR(top, 1.0, 1e-9);
    for (int i = 0; i < 128; i++) CHECK(zig.x[i] > zig.x[i + 1]);
    normal_law(ziggurat_normal, &zig, 200000000, "ziggurat normal");

    /* Poisson on both sides of the inversion/PTRS switch at 10 and far above it. */
    poisson_moments(0.3, 1000000);
    poisson_moments(4.0, 2000000);
    poisson_moments(9.99, 3000000);
    poisson_moments(10.0, 4000000);
    poisson_moments(37.5, 5000000);
    poisson_moments(1e4, 6000000);
    CHECK(rng_poisson(&r, 0.0) == 0.0);
    CHECK(rng_poisson(&r, -1.0) == 0.0);
    CHECK(rng_poisson(&r, NAN) == 0.0);
    /* Goodness of fit: chi²/dof of a correct sampler is 1 ± sqrt(2/dof); 2.0 is far beyond that
     * (p < 0.01 at 12 or more degrees of freedom) while a wrong law gives tens or hundreds. */
    double c_small = poisson_chi2(3.0, 0, 12, 7000000);
    double c_switch = poisson_chi2(10.0, 2, 22, 8000000);
    double c_large = poisson_chi2(60.0, 40, 82, 9000000);
    double c_huge = poisson_chi2(1000.0, 900, 1100, 9500000);
    printf("poisson chi2/dof: mean 3 %.3f, mean 10 %.3f, mean 60 %.3f, mean 1000 %.3f\n", c_small,
           c_switch, c_large, c_huge);
    CHECK(c_huge < 1.5); /* 200 degrees of freedom: 1 ± 0.1 */
    CHECK(c_small < 2.0);
    /* Inversion below mean 1 decides most draws from Taylor bounds of exp(−mean). */
    chi2_inversion = 1;
    double c_tiny = poisson_chi2(0.7, 0, 4, 10500000);
    double c_faint = poisson_chi2(0.05, 0, 2, 10700000);
    chi2_inversion = 0;
    printf("inversion chi2/dof: mean 0.7 %.3f, mean 0.05 %.3f\n", c_tiny, c_faint);
    CHECK(c_tiny < 2.5);
    CHECK(c_faint < 3.0);
    /* The background's table sampler. */
    poisson_table table10, table400;
    CHECK_OK(poisson_table_build(10.0, &table10));
    CHECK_OK(poisson_table_build(400.0, &table400));
    CHECK_NEAR(table10.cdf[table10.size - 1], 1.0, 1e-12);
    chi2_table = &table10;
    double c_t10 = poisson_chi2(10.0, 2, 22, 11500000);
    chi2_table = &table400;
    double c_t400 = poisson_chi2(400.0, 350, 450, 12500000);
    chi2_table = NULL;
    printf("table chi2/dof: mean 10 %.3f, mean 400 %.3f\n", c_t10, c_t400);
    CHECK(c_t10 < 2.0);
    CHECK(c_t400 < 1.6);
    poisson_table_free(&table10);
    poisson_table_free(&table400);
    CHECK_STATUS(poisson_table_build(-1.0, &table10), MUMLOC_ERR_INVALID_ARGUMENT);
    poisson_table zero;
    CHECK_OK(poisson_table_build(0.0, &zero));
    for (uint32_t i = 0; i < 1000; i++) {
        philox_rng z = stream(i);
        CHECK(poisson_table_sample(&zero, &z) == 0.0);
    }
    poisson_table_free(&zero);
    CHECK(c_switch < 2.0);
    CHECK(c_large < 2.0);

    /* Log-factorial: table and Stirling's series agree with lgamma. */
    for (int k = 0; k < 200; k++) CHECK_NEAR(log_factorial(k), lgamma(k + 1.0), 1e-10 * (1 + k));

    /* Gamma: mean shape·scale, variance shape·scale², including shape < 1 (boost) and EM-like. */
    gamma_moments(0.5, 2.0, 10000000);
    gamma_moments(1.0, 1.0, 11000000);
    gamma_moments(7.0, 100.0, 12000000);
    gamma_moments(250.0, 300.0, 13000000);
    CHECK(rng_gamma(&r, 0.0, 5.0) == 0.0);
    return CHECK_DONE("test_rng_samplers");
}
