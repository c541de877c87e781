/* Kuhn–Munkres against brute-force enumeration: on many random rectangular cost matrices the total
 * cost must equal the exact optimum found by trying every injective assignment. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "eval/assignment.h"

static unsigned long long rng_state = 12345;
static double uniform01(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Smallest total over injective maps of the smaller side into the larger one. */
static double brute_best;
static void brute(int rows, int cols, const double *cost, int depth, int *used, double sum) {
    int small = rows < cols ? rows : cols;
    if (depth == small) {
        if (sum < brute_best) brute_best = sum;
        return;
    }
    int large = rows < cols ? cols : rows;
    for (int k = 0; k < large; k++) {
        if (used[k]) continue;
        used[k] = 1;
        double c = rows <= cols ? cost[depth * cols + k] : cost[k * cols + depth];
        brute(rows, cols, cost, depth + 1, used, sum + c);
        used[k] = 0;
    }
}

static void check_random_cases(void) {
    double cost[8 * 8];
    int row_to_col[8], used[8];
    for (int trial = 0; trial < 3000; trial++) {
        int rows = 1 + (int)(uniform01() * 7), cols = 1 + (int)(uniform01() * 7);
        int integer = trial % 2; /* integer costs make exact ties common */
        for (int k = 0; k < rows * cols; k++)
            cost[k] = integer ? floor(uniform01() * 4) : uniform01() * 100 - 20;
        CHECK_OK(assign_min_cost(rows, cols, cost, row_to_col));
        /* a valid assignment: distinct columns, min(rows, cols) of them */
        memset(used, 0, sizeof used);
        int assigned = 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (row_to_col[r] < 0) continue;
            CHECK(row_to_col[r] < cols);
            CHECK(!used[row_to_col[r]]);
            used[row_to_col[r]] = 1;
            assigned++;
            total += cost[r * cols + row_to_col[r]];
        }
        CHECK(assigned == (rows < cols ? rows : cols));
        brute_best = INFINITY;
        memset(used, 0, sizeof used);
        brute(rows, cols, cost, 0, used, 0);
        CHECK_NEAR(total, brute_best, 1e-9);
    }
}

static void check_hand_cases(void) {
    /* The classic 3×3: optimum 1 + 2 + 2 = 5 via (0,1), (1,0), (2,2). */
    const double c3[9] = {4, 1, 3, 2, 0, 5, 3, 2, 2};
    int r2c[3];
    CHECK_OK(assign_min_cost(3, 3, c3, r2c));
    CHECK(r2c[0] == 1 && r2c[1] == 0 && r2c[2] == 2);
    /* 3 rows, 1 column: only the cheapest row gets it. */
    const double c31[3] = {5, 1, 3};
    CHECK_OK(assign_min_cost(3, 1, c31, r2c));
    CHECK(r2c[0] == -1 && r2c[1] == 0 && r2c[2] == -1);
    /* Empty sides are fine. */
    CHECK_OK(assign_min_cost(0, 4, NULL, r2c));
    CHECK_OK(assign_min_cost(2, 0, NULL, r2c));
    CHECK(r2c[0] == -1 && r2c[1] == -1);
    /* Non-finite costs are a bug of the caller, reported, not looped on. */
    const double bad[2] = {1, NAN};
    CHECK_STATUS(assign_min_cost(1, 2, bad, r2c), MUMLOC_ERR_INTERNAL);
}

int main(void) {
    check_random_cases();
    check_hand_cases();
    return CHECK_DONE("test_eval_assignment");
}
