/* Kuhn–Munkres with potentials (see assignment.h). Rows are added one at a time; each addition
 * grows a Dijkstra-like tree over columns on reduced costs cost − u − v until it reaches a free
 * column, then flips the path. The potentials keep every reduced cost ≥ 0 and the tight edges
 * optimal, so after the last row the assignment is a minimum. */
#include "eval/assignment.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

/* n ≤ m; cost(i, j) for 0-based i, j; writes row_to_col[n]. Arrays are 1-based inside, as column 0
 * and row 0 are the virtual start of each augmenting search. */
static void solve(int n, int m, const double *cost, int transposed, int stride, double *u, double *v,
                  double *min_reduced, int *col_row, int *way, char *used, int *row_to_col) {
    for (int i = 0; i <= n; i++) u[i] = 0;
    for (int j = 0; j <= m; j++) { v[j] = 0; col_row[j] = 0; way[j] = 0; }
    for (int i = 1; i <= n; i++) {
        col_row[0] = i;
        int j0 = 0;
        for (int j = 0; j <= m; j++) { min_reduced[j] = INFINITY; used[j] = 0; }
        do {
            used[j0] = 1;
            int i0 = col_row[j0], j1 = 0;
            double delta = INFINITY;
            for (int j = 1; j <= m; j++) {
                if (used[j]) continue;
                double c = transposed ? cost[(size_t)(j - 1) * stride + (i0 - 1)]
                                      : cost[(size_t)(i0 - 1) * stride + (j - 1)];
                double reduced = c - u[i0] - v[j];
                if (reduced < min_reduced[j]) { min_reduced[j] = reduced; way[j] = j0; }
                if (min_reduced[j] < delta) { delta = min_reduced[j]; j1 = j; }
            }
            for (int j = 0; j <= m; j++) {
                if (used[j]) { u[col_row[j]] += delta; v[j] -= delta; }
                else min_reduced[j] -= delta;
            }
            j0 = j1;
        } while (col_row[j0] != 0);
        do { /* flip the augmenting path back to the start */
            int j1 = way[j0];
            col_row[j0] = col_row[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    for (int i = 0; i < n; i++) row_to_col[i] = -1;
    for (int j = 1; j <= m; j++)
        if (col_row[j] > 0) row_to_col[col_row[j] - 1] = j - 1;
}

mumloc_status assign_min_cost(int rows, int cols, const double *cost, int *row_to_col) {
    if (rows < 0 || cols < 0 || (rows > 0 && cols > 0 && !cost) || (rows > 0 && !row_to_col))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "assign_min_cost: bad matrix");
    for (int r = 0; r < rows; r++) row_to_col[r] = -1;
    if (rows == 0 || cols == 0) return MUMLOC_OK;
    for (size_t k = 0; k < (size_t)rows * (size_t)cols; k++)
        if (!isfinite(cost[k]))
            return error_fail(MUMLOC_ERR_INTERNAL, "assign_min_cost: cost %zu is not finite", k);
    int transposed = rows > cols; /* the algorithm needs n ≤ m: solve the transpose */
    int n = transposed ? cols : rows, m = transposed ? rows : cols;
    double *u = malloc((size_t)(n + 1) * sizeof *u);
    double *v = malloc((size_t)(m + 1) * sizeof *v);
    double *min_reduced = malloc((size_t)(m + 1) * sizeof *min_reduced);
    int *col_row = malloc((size_t)(m + 1) * sizeof *col_row);
    int *way = malloc((size_t)(m + 1) * sizeof *way);
    char *used = malloc((size_t)(m + 1));
    int *assigned = malloc((size_t)n * sizeof *assigned);
    mumloc_status s = MUMLOC_OK;
    if (!u || !v || !min_reduced || !col_row || !way || !used || !assigned) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching %d x %d molecules", rows, cols);
    } else {
        solve(n, m, cost, transposed, cols, u, v, min_reduced, col_row, way, used, assigned);
        if (!transposed) {
            for (int i = 0; i < n; i++) row_to_col[i] = assigned[i];
        } else {
            for (int i = 0; i < n; i++)
                if (assigned[i] >= 0) row_to_col[assigned[i]] = i;
        }
    }
    free(u); free(v); free(min_reduced); free(col_row); free(way); free(used); free(assigned);
    return s;
}
