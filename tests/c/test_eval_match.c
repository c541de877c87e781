/* Frame matching: exact optimum (most pairs, then least squared distance) against brute-force
 * enumeration of every partial one-to-one matching, hand-computed cases (ties, tolerance edges,
 * the trap that defeats nearest-first matching), and the grid search against the all-pairs search. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "eval/match.h"

static unsigned long long rng_state = 987654321;
static double uniform01(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static const match_tolerance tol_3d = {0, 150, 0, 0};

/* Best (pairs, sum) over all partial matchings, by recursion over truths. */
static int best_pairs;
static double best_sum;
static void brute(const match_tolerance *tol, const point3 *t, int nt,
                  const point3 *l, int nl, int i, int *used, int pairs, double sum) {
    if (i == nt) {
        if (pairs > best_pairs || (pairs == best_pairs && sum < best_sum)) {
            best_pairs = pairs;
            best_sum = sum;
        }
        return;
    }
    brute(tol, t, nt, l, nl, i + 1, used, pairs, sum); /* truth i unmatched */
    for (int j = 0; j < nl; j++) {
        double cost;
        if (used[j] || !match_allowed(tol, &t[i], &l[j], &cost)) continue;
        used[j] = 1;
        brute(tol, t, nt, l, nl, i + 1, used, pairs + 1, sum + cost);
        used[j] = 0;
    }
}

/* Checks the matching is consistent and allowed; returns pairs and sum of squared distances. */
static int summarize(const match_tolerance *tol, const point3 *t, int64_t nt,
                     const point3 *l, int64_t nl, const int64_t *tm, const int64_t *lm,
                     double *sum) {
    int pairs = 0;
    *sum = 0;
    for (int64_t i = 0; i < nt; i++) {
        if (tm[i] < 0) continue;
        CHECK(tm[i] < nl && lm[tm[i]] == i);
        double cost;
        CHECK(match_allowed(tol, &t[i], &l[tm[i]], &cost));
        *sum += cost;
        pairs++;
    }
    int back = 0;
    for (int64_t j = 0; j < nl; j++) back += lm[j] >= 0;
    CHECK(back == pairs);
    return pairs;
}

static void check_against_brute_force(void) {
    point3 t[6], l[6];
    int64_t tm[6], lm[6];
    int used[6];
    for (int trial = 0; trial < 4000; trial++) {
        int nt = (int)(uniform01() * 7), nl = (int)(uniform01() * 7);
        match_tolerance tol = tol_3d;
        if (trial % 3 == 1) tol = (match_tolerance){1, 0, 120, 200};
        if (trial % 3 == 2) tol = (match_tolerance){1, 0, 100, INFINITY};
        double box = trial % 2 ? 300 : 500;
        for (int i = 0; i < nt; i++)
            t[i] = (point3){uniform01() * box, uniform01() * box, uniform01() * box};
        for (int j = 0; j < nl; j++) {
            if (trial % 5 == 0) /* on a 50 nm lattice: exact ties and exact tolerance distances */
                l[j] = (point3){50 * floor(uniform01() * 7), 50 * floor(uniform01() * 7), 0};
            else
                l[j] = (point3){uniform01() * box, uniform01() * box, uniform01() * box};
        }
        if (trial % 5 == 0)
            for (int i = 0; i < nt; i++)
                t[i] = (point3){50 * floor(uniform01() * 7), 50 * floor(uniform01() * 7), 0};
        CHECK_OK(match_frame(&tol, t, nt, l, nl, tm, lm, MATCH_ALL_PAIRS));
        double sum;
        int pairs = summarize(&tol, t, nt, l, nl, tm, lm, &sum);
        best_pairs = -1;
        best_sum = INFINITY;
        memset(used, 0, sizeof used);
        brute(&tol, t, nt, l, nl, 0, used, 0, 0);
        CHECK(pairs == best_pairs);
        CHECK_NEAR(sum, best_sum, 1e-6);
    }
}

static void match(const match_tolerance *tol, const point3 *t, int nt,
                  const point3 *l, int nl, int64_t *tm, int64_t *lm) {
    CHECK_OK(match_frame(tol, t, nt, l, nl, tm, lm, MATCH_AUTO));
}

static void check_hand_cases(void) {
    int64_t tm[4], lm[4];
    /* Nearest-first would pair T1-L1 (100 nm, listed first) and strand T2; the optimum pairs
     * T1-L2 (140 nm) and T2-L1 (100 nm). */
    const point3 t1[2] = {{0, 0, 0}, {200, 0, 0}}, l1[2] = {{100, 0, 0}, {-140, 0, 0}};
    match(&tol_3d, t1, 2, l1, 2, tm, lm);
    CHECK(tm[0] == 1 && tm[1] == 0 && lm[0] == 1 && lm[1] == 0);
    /* Two pairs beat one closer pair: T1-L1 alone costs 75², but T1-L2 + T2-L1 is a larger matching. */
    const point3 t2[2] = {{0, 0, 0}, {150, 0, 0}}, l2[2] = {{75, 0, 0}, {-75, 0, 0}};
    match(&tol_3d, t2, 2, l2, 2, tm, lm);
    CHECK(tm[0] == 1 && tm[1] == 0);
    /* One truth, two candidates: the closer one wins, the other is a false positive. */
    const point3 t3[1] = {{0, 0, 0}}, l3[2] = {{100, 0, 0}, {0, 30, 0}};
    match(&tol_3d, t3, 1, l3, 2, tm, lm);
    CHECK(tm[0] == 1 && lm[0] == -1 && lm[1] == 0);
    /* Exact tie: one localization halfway between two truths matches exactly one of them. */
    const point3 t4[2] = {{0, 0, 0}, {100, 0, 0}}, l4[1] = {{50, 0, 0}};
    match(&tol_3d, t4, 2, l4, 1, tm, lm);
    CHECK((tm[0] == 0) + (tm[1] == 0) == 1);
    CHECK(lm[0] == 0 || lm[0] == 1);
    /* Tolerance edges: 90² + 120² = 150² exactly, so a 150 nm tolerance matches, 149.999 does not. */
    const point3 t5[1] = {{0, 0, 0}}, l5[1] = {{90, 120, 0}};
    match(&tol_3d, t5, 1, l5, 1, tm, lm);
    CHECK(tm[0] == 0);
    const point3 t5b[1] = {{1000, 2000, 300}}, l5b[1] = {{1000, 2150, 300}};
    match(&tol_3d, t5b, 1, l5b, 1, tm, lm);
    CHECK(tm[0] == 0);
    const match_tolerance tight = {0, 149.999, 0, 0};
    match(&tight, t5, 1, l5, 1, tm, lm);
    CHECK(tm[0] == -1 && lm[0] == -1);
    /* Separate tolerances: lateral exactly 150 and |dz| exactly 200 match with (150, 200); the 3D
     * distance (250) would not match a 150 nm 3D tolerance; 199.9 nm axially does not match. */
    const point3 l6[1] = {{90, 120, -200}};
    const match_tolerance sep = {1, 0, 150, 200}, sep_tight = {1, 0, 150, 199.9};
    match(&sep, t5, 1, l6, 1, tm, lm);
    CHECK(tm[0] == 0);
    match(&tol_3d, t5, 1, l6, 1, tm, lm);
    CHECK(tm[0] == -1);
    match(&sep_tight, t5, 1, l6, 1, tm, lm);
    CHECK(tm[0] == -1);
    /* Empty sides. */
    match(&tol_3d, t5, 1, l6, 0, tm, lm);
    CHECK(tm[0] == -1);
    match(&tol_3d, t5, 0, l6, 1, tm, lm);
    CHECK(lm[0] == -1);
}

/* Large frames: the lateral grid must find exactly the pairs the all-pairs search finds, hence the
 * same matching, including pairs exactly at the tolerance across cell borders. */
static void check_grid_matches_all_pairs(void) {
    enum { N = 700 };
    static point3 t[N], l[N];
    static int64_t tm_a[N], lm_a[N], tm_b[N], lm_b[N];
    for (int trial = 0; trial < 4; trial++) {
        match_tolerance tol = trial % 2 ? (match_tolerance){1, 0, 100, 250} : tol_3d;
        for (int i = 0; i < N; i++) {
            t[i] = (point3){uniform01() * 6000, uniform01() * 6000, uniform01() * 1600};
            if (trial >= 2) { /* lattice points: many exact-tolerance pairs */
                t[i].x = 150 * floor(t[i].x / 150);
                t[i].y = 50 * floor(t[i].y / 50);
            }
            l[i] = t[(i * 7) % N];
            l[i].x += (uniform01() - 0.5) * 400;
            l[i].y += (uniform01() - 0.5) * 400;
            if (trial >= 2) l[i] = (point3){t[i].x + 150, t[i].y, t[i].z};
        }
        CHECK_OK(match_frame(&tol, t, N, l, N, tm_a, lm_a, MATCH_ALL_PAIRS));
        CHECK_OK(match_frame(&tol, t, N, l, N, tm_b, lm_b, MATCH_GRID));
        CHECK(memcmp(tm_a, tm_b, sizeof tm_a) == 0);
        CHECK(memcmp(lm_a, lm_b, sizeof lm_a) == 0);
        double sum;
        int pairs = summarize(&tol, t, N, l, N, tm_b, lm_b, &sum);
        CHECK(pairs > N / 10);
    }
}

int main(void) {
    check_against_brute_force();
    check_hand_cases();
    check_grid_matches_all_pairs();
    return CHECK_DONE("test_eval_match");
}
