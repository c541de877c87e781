/* Minimum-cost assignment (Kuhn–Munkres, the shortest-augmenting-path form with row and column
 * potentials): O(n²·m) for an n×m matrix with n ≤ m. */
#ifndef EVAL_ASSIGNMENT_H
#define EVAL_ASSIGNMENT_H

#include "mumloc.h"

/* cost is rows × cols (row-major, finite). Assigns min(rows, cols) rows to distinct columns with the
 * smallest total cost: row_to_col[r] is r's column, or -1 when rows > cols left it out. Ties are
 * resolved deterministically (the same input gives the same assignment). */
mumloc_status assign_min_cost(int rows, int cols, const double *cost, int *row_to_col);

#endif
