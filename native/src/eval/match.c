/* One frame's optimal matching (see match.h). Candidate pairs within the tolerance link truths and
 * localizations into groups (connected components); each group is solved exactly by Kuhn–Munkres on
 * squared distances, with every pair beyond the tolerance given a cost B larger than any sum of
 * allowed costs, so the solver first maximises the number of allowed pairs and then minimises their
 * total squared distance. Groups are small in practice, which keeps dense frames fast. */
#include "eval/match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "eval/assignment.h"

/* A group larger than this (truths × localizations) is refused rather than left to run for hours. */
#define MAX_GROUP_CELLS ((int64_t)1 << 22)
/* Frames with at most this many truth × localization pairs are searched pair by pair. */
#define ALL_PAIRS_LIMIT 4096

typedef struct edge {
    int64_t root, t, l;
    double cost;
} edge;

typedef struct edge_list {
    edge *items;
    size_t count, cap;
} edge_list;

int match_allowed(const match_tolerance *tol, const point3 *a,
                         const point3 *b, double *cost) {
    double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
    double lateral2 = dx * dx + dy * dy;
    *cost = lateral2 + dz * dz;
    if (tol->separate)
        return lateral2 <= tol->tolerance_xy * tol->tolerance_xy && fabs(dz) <= tol->tolerance_z;
    return *cost <= tol->tolerance_3d * tol->tolerance_3d;
}

static int push_edge(edge_list *list, int64_t t, int64_t l, double cost) {
    if (list->count == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 64;
        edge *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown) return 0;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->count++] = (edge){0, t, l, cost};
    return 1;
}

static mumloc_status edges_all_pairs(const match_tolerance *tol, const point3 *truths,
                                     int64_t nt, const point3 *locs, int64_t nl,
                                     edge_list *edges) {
    for (int64_t t = 0; t < nt; t++)
        for (int64_t l = 0; l < nl; l++) {
            double cost;
            if (match_allowed(tol, &truths[t], &locs[l], &cost) && !push_edge(edges, t, l, cost))
                return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching molecules");
        }
    return MUMLOC_OK;
}

/* Localizations bucketed in lateral cells of side ≥ the lateral tolerance: a truth's partners lie in
 * its own cell or the 8 around it. The cell side carries a small margin so that rounding in the
 * cell arithmetic never hides a pair exactly at the tolerance. */
static mumloc_status edges_grid(const match_tolerance *tol, const point3 *truths,
                                int64_t nt, const point3 *locs, int64_t nl, edge_list *edges) {
    double lateral = tol->separate ? tol->tolerance_xy : tol->tolerance_3d;
    double min_x = locs[0].x, max_x = locs[0].x, min_y = locs[0].y, max_y = locs[0].y;
    for (int64_t l = 1; l < nl; l++) {
        min_x = fmin(min_x, locs[l].x); max_x = fmax(max_x, locs[l].x);
        min_y = fmin(min_y, locs[l].y); max_y = fmax(max_y, locs[l].y);
    }
    double side = lateral * (1 + 1e-6) + 1e-6;
    while ((floor((max_x - min_x) / side) + 1) * (floor((max_y - min_y) / side) + 1) >
           4.0 * (double)nl + 16)
        side *= 2; /* no more cells than a few per localization */
    int64_t cells_x = (int64_t)floor((max_x - min_x) / side) + 1;
    int64_t cells_y = (int64_t)floor((max_y - min_y) / side) + 1, cells = cells_x * cells_y;
    int64_t *start = calloc((size_t)cells + 1, sizeof *start);
    int64_t *cell_of = malloc((size_t)nl * sizeof *cell_of), *order = malloc((size_t)nl * sizeof *order);
    mumloc_status s = MUMLOC_OK;
    if (!start || !cell_of || !order) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching molecules");
        goto done;
    }
    for (int64_t l = 0; l < nl; l++) {
        int64_t cx = (int64_t)floor((locs[l].x - min_x) / side), cy = (int64_t)floor((locs[l].y - min_y) / side);
        cx = cx < cells_x ? cx : cells_x - 1;
        cy = cy < cells_y ? cy : cells_y - 1;
        cell_of[l] = cy * cells_x + cx;
        start[cell_of[l]]++;
    }
    /* Counting sort: start[c] becomes the end of cell c, then filling backwards moves it to the
     * cell's beginning, so cell c is order[start[c] .. start[c + 1]). */
    for (int64_t c = 1; c < cells; c++) start[c] += start[c - 1];
    start[cells] = nl;
    for (int64_t l = nl - 1; l >= 0; l--) order[--start[cell_of[l]]] = l;
    for (int64_t t = 0; t < nt && s == MUMLOC_OK; t++) {
        double fx = floor((truths[t].x - min_x) / side), fy = floor((truths[t].y - min_y) / side);
        if (fx < -1 || fy < -1 || fx > (double)cells_x || fy > (double)cells_y) continue;
        int64_t cx = (int64_t)fx, cy = (int64_t)fy;
        for (int64_t y = cy - 1; y <= cy + 1; y++) {
            if (y < 0 || y >= cells_y) continue;
            for (int64_t x = cx - 1; x <= cx + 1; x++) {
                if (x < 0 || x >= cells_x) continue;
                int64_t c = y * cells_x + x;
                for (int64_t k = start[c]; k < start[c + 1]; k++) {
                    double cost;
                    if (match_allowed(tol, &truths[t], &locs[order[k]], &cost) &&
                        !push_edge(edges, t, order[k], cost)) {
                        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching molecules");
                        break;
                    }
                }
            }
        }
    }
done:
    free(start);
    free(cell_of);
    free(order);
    return s;
}

static int compare_pair(const void *a, const void *b) {
    const edge *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->l > y->l) - (x->l < y->l);
}

static int compare_group(const void *a, const void *b) {
    const edge *x = a, *y = b;
    if (x->root != y->root) return x->root < y->root ? -1 : 1;
    return compare_pair(a, b);
}

static int64_t find_root(int64_t *parent, int64_t a) {
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

static int compare_index(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Solves one group: edges[0..count) share a root and are sorted by (t, l). local_t/local_l map frame
 * indices to group indices (all -1 on entry and on return); scratch holds count indices. */
static mumloc_status solve_group(const edge *edges, size_t count, int *local_t, int *local_l,
                                 int64_t *scratch, int64_t *truth_match, int64_t *loc_match) {
    if (count == 1) {
        truth_match[edges[0].t] = edges[0].l;
        loc_match[edges[0].l] = edges[0].t;
        return MUMLOC_OK;
    }
    int64_t *group_t = scratch, rows = 0, cols = 0;
    for (size_t e = 0; e < count; e++)
        if (rows == 0 || group_t[rows - 1] != edges[e].t) group_t[rows++] = edges[e].t;
    int64_t *group_l = scratch + rows, n = 0;
    for (size_t e = 0; e < count; e++) group_l[n++] = edges[e].l;
    qsort(group_l, (size_t)n, sizeof *group_l, compare_index);
    for (int64_t k = 0; k < n; k++)
        if (cols == 0 || group_l[cols - 1] != group_l[k]) group_l[cols++] = group_l[k];
    if (rows * cols > MAX_GROUP_CELLS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%lld true molecules and %lld localizations of one frame are all linked "
                           "within the tolerance: too many to match exactly; use a smaller tolerance",
                           (long long)rows, (long long)cols);
    for (int64_t i = 0; i < rows; i++) local_t[group_t[i]] = (int)i;
    for (int64_t j = 0; j < cols; j++) local_l[group_l[j]] = (int)j;
    double max_cost = 0;
    for (size_t e = 0; e < count; e++) max_cost = fmax(max_cost, edges[e].cost);
    double beyond = (double)((rows < cols ? rows : cols) + 1) * max_cost + 1;
    double *cost = malloc((size_t)(rows * cols) * sizeof *cost);
    char *allowed = calloc((size_t)(rows * cols), 1);
    int *row_to_col = malloc((size_t)rows * sizeof *row_to_col);
    mumloc_status s = MUMLOC_OK;
    if (!cost || !allowed || !row_to_col) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching molecules");
    } else {
        for (int64_t k = 0; k < rows * cols; k++) cost[k] = beyond;
        for (size_t e = 0; e < count; e++) {
            int64_t k = (int64_t)local_t[edges[e].t] * cols + local_l[edges[e].l];
            cost[k] = edges[e].cost;
            allowed[k] = 1;
        }
        s = assign_min_cost((int)rows, (int)cols, cost, row_to_col);
        for (int64_t i = 0; i < rows && s == MUMLOC_OK; i++) {
            int j = row_to_col[i];
            if (j < 0 || !allowed[i * cols + j]) continue;
            truth_match[group_t[i]] = group_l[j];
            loc_match[group_l[j]] = group_t[i];
        }
    }
    for (int64_t i = 0; i < rows; i++) local_t[group_t[i]] = -1;
    for (int64_t j = 0; j < cols; j++) local_l[group_l[j]] = -1;
    free(cost);
    free(allowed);
    free(row_to_col);
    return s;
}

static mumloc_status solve_groups(edge_list *edges, int64_t nt, int64_t nl, int64_t *truth_match,
                                  int64_t *loc_match) {
    qsort(edges->items, edges->count, sizeof *edges->items, compare_pair);
    int64_t *parent = malloc((size_t)(nt + nl) * sizeof *parent);
    int *local_t = malloc((size_t)nt * sizeof *local_t), *local_l = malloc((size_t)nl * sizeof *local_l);
    int64_t *scratch = malloc(2 * edges->count * sizeof *scratch);
    mumloc_status s = MUMLOC_OK;
    if (!parent || !local_t || !local_l || !scratch) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching molecules");
        goto done;
    }
    for (int64_t k = 0; k < nt + nl; k++) parent[k] = k;
    for (int64_t k = 0; k < nt; k++) local_t[k] = -1;
    for (int64_t k = 0; k < nl; k++) local_l[k] = -1;
    for (size_t e = 0; e < edges->count; e++) {
        int64_t a = find_root(parent, edges->items[e].t), b = find_root(parent, nt + edges->items[e].l);
        if (a != b) parent[a > b ? a : b] = a < b ? a : b;
    }
    for (size_t e = 0; e < edges->count; e++) edges->items[e].root = find_root(parent, edges->items[e].t);
    qsort(edges->items, edges->count, sizeof *edges->items, compare_group);
    for (size_t first = 0; first < edges->count && s == MUMLOC_OK;) {
        size_t last = first + 1;
        while (last < edges->count && edges->items[last].root == edges->items[first].root) last++;
        s = solve_group(edges->items + first, last - first, local_t, local_l, scratch, truth_match,
                        loc_match);
        first = last;
    }
done:
    free(parent);
    free(local_t);
    free(local_l);
    free(scratch);
    return s;
}

mumloc_status match_frame(const match_tolerance *tol, const point3 *truths,
                                 int64_t nt, const point3 *locs, int64_t nl,
                                 int64_t *truth_match, int64_t *loc_match, int search) {
    for (int64_t t = 0; t < nt; t++) truth_match[t] = -1;
    for (int64_t l = 0; l < nl; l++) loc_match[l] = -1;
    if (nt == 0 || nl == 0) return MUMLOC_OK;
    double lateral = tol->separate ? tol->tolerance_xy : tol->tolerance_3d;
    if (search == MATCH_AUTO)
        search = ((double)nt * (double)nl <= ALL_PAIRS_LIMIT || !isfinite(lateral)) ? MATCH_ALL_PAIRS
                                                                                 : MATCH_GRID;
    if (!isfinite(lateral)) search = MATCH_ALL_PAIRS;
    edge_list edges = {0};
    mumloc_status s = search == MATCH_GRID ? edges_grid(tol, truths, nt, locs, nl, &edges)
                                                  : edges_all_pairs(tol, truths, nt, locs, nl, &edges);
    if (s == MUMLOC_OK && edges.count > 0) s = solve_groups(&edges, nt, nl, truth_match, loc_match);
    free(edges.items);
    return s;
}
