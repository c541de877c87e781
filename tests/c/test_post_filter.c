/* Filter expressions and density filtering. Precedence and associativity: each expression is checked
 * on every row of a small grid of values against the same condition written by hand in C (with the
 * grouping the grammar in mumloc.h prescribes spelled out in parentheses). Errors name the position
 * and, for unknown names, the columns. Density: hand-made clusters (an exact-radius pair included),
 * lateral vs 3D, and a random set against a brute-force count. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

static mumloc_table *grid_table(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "a", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "b", "photon", NULL));
    CHECK_OK(mumloc_table_add_column(t, "c", "nm", NULL));
    const double as[] = {0, 1, 2, NAN}, bs[] = {0, 1, 2}, cs[] = {-1, 0, 3};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) {
                double row[3] = {as[i], bs[j], cs[k]};
                CHECK_OK(mumloc_table_append_rows(t, row, 1));
            }
    return t;
}

typedef int (*predicate)(double a, double b, double c);

static int p1(double a, double b, double c) { (void)c; return a + (b * 2) > 3; }
static int p2(double a, double b, double c) { (void)c; return (a + b) * 2 > 3; }
static int p3(double a, double b, double c) { return a > 0 || (b > 0 && c > 0); }
static int p4(double a, double b, double c) { (void)b; (void)c; return !(a > 0); }
static int p5(double a, double b, double c) { (void)b; (void)c; return -(a * a) < -1; }
static int p6(double a, double b, double c) { (void)b; (void)c; return a == 1; }
static int p7(double a, double b, double c) { return (a - b) - c > 0; }
static int p8(double a, double b, double c) { (void)c; return (a / b) / 2 >= 0.5; }
static int p9(double a, double b, double c) { return fabs(c) == 1 && !(b == 2); }
static int p10(double a, double b, double c) { return fmin(a, b) + fmax(a, c) > 2; }
static int p11(double a, double b, double c) { (void)b; (void)c; return a == a && a != 1; }
static int p12(double a, double b, double c) { return !(a > 0 && b > 0) || c == 3; }
static int p13(double a, double b, double c) { (void)a; return -b * -c >= 2; }

static void test_precedence(void) {
    mumloc_table *t = grid_table();
    struct { const char *expr; predicate expected; } cases[] = {
        {"a + b * 2 > 3", p1},
        {"(a + b) * 2 > 3", p2},
        {"a > 0 | b > 0 & c > 0", p3},
        {"!a > 0", p4},
        {"-a^2 < -1", p5},
        {"2 ^ 3 ^ 2 = 512 and a == 1", p6}, /* right-associative: 2^9, not 8^2 = 64 */
        {"a - b - c > 0", p7},
        {"a / b / 2 >= 0.5", p8},
        {"abs(c) = 1 AND not b = 2", p9},
        {"min(a, b) + max(a, c) > 2", p10},
        {"a != 1", p11},                     /* NaN compares false, also for != */
        {"!(a > 0 && b > 0) || c = 3", p12},
        {"-b * -c >= 2", p13},
    };
    const double *a = mumloc_table_column_data(t, 0), *b = mumloc_table_column_data(t, 1),
                 *c = mumloc_table_column_data(t, 2);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mumloc_filter_options o;
        mumloc_filter_options_default(&o);
        o.expression = cases[i].expr;
        mumloc_table *out = NULL;
        CHECK_OK(mumloc_filter_table(t, &o, &out, NULL, NULL));
        int64_t expected = 0, n = mumloc_table_rows(out), next = 0;
        const double *oa = mumloc_table_column_data(out, 0), *ob = mumloc_table_column_data(out, 1),
                     *oc = mumloc_table_column_data(out, 2);
        for (int64_t r = 0; r < mumloc_table_rows(t); r++) {
            if (!cases[i].expected(a[r], b[r], c[r])) continue;
            expected++;
            /* kept rows in table order: the next output row is this one */
            if (next < n && !(memcmp(&oa[next], &a[r], sizeof *a) == 0 && ob[next] == b[r] && oc[next] == c[r])) {
                fprintf(stderr, "'%s': output row %lld is not input row %lld\n", cases[i].expr,
                        (long long)next, (long long)r);
                check_failures++;
            }
            next++;
        }
        if (n != expected) {
            fprintf(stderr, "'%s': %lld rows kept, expected %lld\n", cases[i].expr, (long long)n,
                    (long long)expected);
            check_failures++;
        }
        CHECK(mumloc_table_columns(out) == 3);
        mumloc_table_destroy(out);
    }
    mumloc_table_destroy(t);
}

static void check_error(const mumloc_table *t, const char *expr, const char *part1, const char *part2) {
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    o.expression = expr;
    mumloc_table *out = NULL;
    CHECK_STATUS(mumloc_filter_table(t, &o, &out, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL);
    const char *m = mumloc_last_error();
    if (!strstr(m, part1) || (part2 && !strstr(m, part2))) {
        fprintf(stderr, "'%s': message '%s' lacks '%s' / '%s'\n", expr, m, part1, part2 ? part2 : "");
        check_failures++;
    }
}

static void test_errors(void) {
    mumloc_table *t = grid_table();
    check_error(t, "a > 1 & bb < 2", "at character 9", "no column \"bb\"; the table's columns are: a, b, c");
    check_error(t, "a > ", "at character 5", "ends too early");
    check_error(t, "(a > 1", "at character 1", "not closed");
    check_error(t, "a + 1", "not a condition", NULL);
    check_error(t, "a > 1 b", "at character 7", "unexpected text");
    check_error(t, "foo(a) > 1", "unknown function \"foo\"", "abs, sqrt");
    check_error(t, "a # 1", "at character 3", "unexpected character '#'");
    check_error(t, "0 < a < 2", "do not chain", NULL);
    check_error(t, "max(a) > 1", "two arguments", NULL);
    check_error(t, "   ", "empty", NULL);
    /* syntax alone, without a table */
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    o.expression = "anything > 1";
    CHECK_OK(mumloc_filter_validate(&o, NULL));
    o.expression = "anything >";
    CHECK_STATUS(mumloc_filter_validate(&o, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);
}

static mumloc_table *points(const double *xyz, int n) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "z", "nm", NULL));
    CHECK_OK(mumloc_table_append_rows(t, xyz, n));
    return t;
}

static int64_t density_rows(const mumloc_table *t, double radius, int min, int use_z, const char *expr) {
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    o.expression = expr;
    o.density_radius_nm = radius;
    o.density_min_neighbors = min;
    o.density_use_z = use_z;
    mumloc_table *out = NULL;
    CHECK_OK(mumloc_filter_table(t, &o, &out, NULL, NULL));
    int64_t n = mumloc_table_rows(out);
    mumloc_table_destroy(out);
    return n;
}

static void test_density_constructed(void) {
    const double xyz[] = {
        100, 100, 0,  104, 100, 0,  96, 100, 0,  100, 104, 0,  100, 96, 0, /* cluster: 4 neighbours each */
        500, 500, 0,  510, 500, 0,     /* a pair exactly 10 nm apart (counts: distance <= radius) */
        900, 900, 0,  900, 900, 50,    /* laterally one point, 50 nm apart in z */
        2000, 2000, 0,                 /* alone */
    };
    mumloc_table *t = points(xyz, 10);
    CHECK(density_rows(t, 10, 4, 0, NULL) == 5);
    CHECK(density_rows(t, 10, 1, 0, NULL) == 9);
    CHECK(density_rows(t, 10, 1, 1, NULL) == 7);
    CHECK(density_rows(t, 9.999, 1, 0, NULL) == 7);
    /* neighbours are counted among the rows the expression kept: x < 101 leaves 4 of the cluster,
     * with 3 neighbours each */
    CHECK(density_rows(t, 10, 3, 0, "x < 101") == 4);
    CHECK(density_rows(t, 10, 4, 0, "x < 101") == 0);
    CHECK(density_rows(t, 10, 4, 0, "") == 5); /* an empty expression keeps every row */
    mumloc_table_destroy(t);
}

static void test_density_random(void) {
    enum { N = 4000 };
    static double xyz[3 * N];
    uint64_t s = 99;
    for (int i = 0; i < 3 * N; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        xyz[i] = (double)(s >> 11) / 9007199254740992.0 * (i % 3 == 2 ? 60 : 3000) - 700;
    }
    mumloc_table *t = points(xyz, N);
    for (int use_z = 0; use_z <= 1; use_z++) {
        int64_t expected = 0;
        for (int i = 0; i < N; i++) {
            int n = 0;
            for (int j = 0; j < N; j++) {
                if (j == i) continue;
                double dx = xyz[3 * i] - xyz[3 * j], dy = xyz[3 * i + 1] - xyz[3 * j + 1],
                       dz = use_z ? xyz[3 * i + 2] - xyz[3 * j + 2] : 0;
                n += dx * dx + dy * dy + dz * dz <= 40.0 * 40.0;
            }
            expected += n >= 3;
        }
        CHECK(expected > N / 10 && expected < N - N / 10); /* a meaningful test */
        CHECK(density_rows(t, 40, 3, use_z, NULL) == expected);
    }
    mumloc_table_destroy(t);
}

static int progress_calls;
static int stop_at_second(void *user, int64_t done, int64_t total) {
    (void)user;
    (void)done;
    (void)total;
    return ++progress_calls >= 2;
}

/* A large table: progress is reported, and a request to stop cancels with no table. */
static void test_cancel(void) {
    enum { N = 300000 };
    static double xyz[3 * N];
    for (int i = 0; i < 3 * N; i++) xyz[i] = (double)(i % 1000);
    mumloc_table *t = points(xyz, N), *out = NULL;
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    o.expression = "x > 10";
    o.density_radius_nm = 5;
    o.density_min_neighbors = 1;
    progress_calls = 0;
    CHECK_STATUS(mumloc_filter_table(t, &o, &out, stop_at_second, NULL), MUMLOC_ERR_CANCELLED);
    CHECK(out == NULL && progress_calls == 2);
    mumloc_table_destroy(t);
}

int main(void) {
    test_precedence();
    test_errors();
    test_density_constructed();
    test_density_random();
    test_cancel();
    return check_failures ? 1 : 0;
}
