/* Matching one camera's beads to the reference camera's whatever the beam splitters did to the
 * image: each of the 8 flips/quarter turns is tried with a translation found by voting (every pair
 * of beads votes for the shift that would bring them together), the best explains the most beads;
 * then nearest-neighbour matching and a robust affine refit, repeated with a tightening tolerance. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"

void cal_dihedral(int e, int m[4]) {
    /* R = quarter turn (x, y) → (−y, x); F = mirror (x, y) → (−x, y); element = R^q or R^q F. */
    int q = e & 3, r[4] = {1, 0, 0, 1};
    for (int k = 0; k < q; k++) {
        int t[4] = {-r[2], -r[3], r[0], r[1]};
        memcpy(r, t, sizeof t);
    }
    if (e >= 4) {
        r[0] = -r[0];
        r[2] = -r[2];
    }
    memcpy(m, r, sizeof r);
}

void cal_dihedral_flags(int e, int *flip_x, int *flip_y, int *quarter_turns) {
    /* A mirror then two turns is the vertical mirror: name it so. */
    *flip_x = e == 4 || e == 5 || e == 7;
    *flip_y = e == 6;
    *quarter_turns = e == 6 ? 0 : (e & 3);
}

void cal_match_free(cal_match *m) {
    free(m->camera_bead);
    m->camera_bead = NULL;
}

/* Pairs each reference bead with the nearest camera bead within tol of its prediction under a;
 * a camera bead claimed twice keeps the closer claim. Returns the number of pairs. */
static int pair_beads(const cal_beads *ref, const cal_beads *cam, const double a[6], double tol,
                      int *pair, double *dist, int *owner) {
    for (int j = 0; j < cam->count; j++) owner[j] = -1;
    for (int i = 0; i < ref->count; i++) {
        double u, v, best = tol;
        cal_affine_apply(a, ref->x[i], ref->y[i], &u, &v);
        pair[i] = -1;
        for (int j = 0; j < cam->count; j++) {
            double r = hypot(cam->x[j] - u, cam->y[j] - v);
            if (r <= best) {
                best = r;
                pair[i] = j;
            }
        }
        dist[i] = best;
        if (pair[i] < 0) continue;
        int j = pair[i], other = owner[j];
        if (other >= 0 && dist[other] <= best) {
            pair[i] = -1;
            continue;
        }
        if (other >= 0) pair[other] = -1;
        owner[j] = i;
    }
    int n = 0;
    for (int i = 0; i < ref->count; i++) n += pair[i] >= 0;
    return n;
}

/* Best translation for dihedral element e by a 2D vote on bins of `bin` pixels; returns the votes
 * of the best 2×2 block of bins and the mean shift of its votes in t. */
static int vote_shift(const cal_beads *ref, const cal_beads *cam, int e, double bin, double t[2],
                      int **grid_io, size_t *grid_size) {
    int m[4];
    cal_dihedral(e, m);
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int i = 0; i < ref->count; i++)
        for (int j = 0; j < cam->count; j++) {
            double o[2] = {cam->x[j] - (m[0] * ref->x[i] + m[1] * ref->y[i]),
                           cam->y[j] - (m[2] * ref->x[i] + m[3] * ref->y[i])};
            for (int c = 0; c < 2; c++) {
                lo[c] = fmin(lo[c], o[c]);
                hi[c] = fmax(hi[c], o[c]);
            }
        }
    int nx = (int)((hi[0] - lo[0]) / bin) + 2, ny = (int)((hi[1] - lo[1]) / bin) + 2;
    size_t need = (size_t)nx * ny;
    if (need > *grid_size) {
        int *g = realloc(*grid_io, need * sizeof *g);
        if (!g) return -1;
        *grid_io = g;
        *grid_size = need;
    }
    int *grid = *grid_io;
    memset(grid, 0, need * sizeof *grid);
    for (int i = 0; i < ref->count; i++)
        for (int j = 0; j < cam->count; j++) {
            double ox = cam->x[j] - (m[0] * ref->x[i] + m[1] * ref->y[i]);
            double oy = cam->y[j] - (m[2] * ref->x[i] + m[3] * ref->y[i]);
            grid[(size_t)((int)((oy - lo[1]) / bin)) * nx + (int)((ox - lo[0]) / bin)]++;
        }
    int best = 0, bx = 0, by = 0;
    for (int y = 0; y + 1 < ny; y++)
        for (int x = 0; x + 1 < nx; x++) {
            size_t at = (size_t)y * nx + x;
            int votes = grid[at] + grid[at + 1] + grid[at + nx] + grid[at + nx + 1];
            if (votes > best) {
                best = votes;
                bx = x;
                by = y;
            }
        }
    double sx = 0, sy = 0;
    int n = 0;
    for (int i = 0; i < ref->count; i++)
        for (int j = 0; j < cam->count; j++) {
            double ox = cam->x[j] - (m[0] * ref->x[i] + m[1] * ref->y[i]);
            double oy = cam->y[j] - (m[2] * ref->x[i] + m[3] * ref->y[i]);
            int x = (int)((ox - lo[0]) / bin), y = (int)((oy - lo[1]) / bin);
            if ((x == bx || x == bx + 1) && (y == by || y == by + 1)) {
                sx += ox;
                sy += oy;
                n++;
            }
        }
    t[0] = n ? sx / n : 0;
    t[1] = n ? sy / n : 0;
    return best;
}

static const char *dihedral_words(int e) {
    static const char *words[8] = {"no flip",          "a quarter turn",
                                   "a half turn",      "three quarter turns",
                                   "a mirror in x",    "a mirror in x and a quarter turn",
                                   "a mirror in y",    "a mirror in x and three quarter turns"};
    return words[e & 7];
}

mumloc_status cal_match_beads(const cal_beads *ref, const cal_beads *cam, int camera,
                              int min_beads, cal_match *match) {
    memset(match, 0, sizeof *match);
    if (ref->count < min_beads || cam->count < min_beads)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "too few beads to register camera %d: %d found in camera 1 and %d in "
                           "camera %d, at least %d needed in each; use a bead sample with more "
                           "beads in the field, or check that the stack holds beads in every camera",
                           camera, ref->count, cam->count, camera, min_beads);
    size_t n_ref = (size_t)ref->count, n_cam = (size_t)cam->count;
    int *pair = malloc(n_ref * 2 * sizeof *pair + n_cam * sizeof *pair);
    double *buf = malloc(n_ref * 5 * sizeof *buf);
    int *grid = NULL;
    size_t grid_size = 0;
    if (!pair || !buf) {
        free(pair);
        free(buf);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching beads");
    }
    int *inlier = pair + n_ref, *owner = inlier + n_ref;
    double *dist = buf, *px = buf + n_ref, *py = px + n_ref, *pu = py + n_ref, *pv = pu + n_ref;
    double extent = 1;
    for (int i = 0; i < ref->count; i++) extent = fmax(extent, fmax(ref->x[i], ref->y[i]));
    double bin = fmax(2.0, extent / 256.0);
    int score[8] = {0};
    double shift[8][2];
    for (int e = 0; e < 8; e++) {
        if (vote_shift(ref, cam, e, bin, shift[e], &grid, &grid_size) < 0) {
            free(pair);
            free(buf);
            free(grid);
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory matching beads");
        }
        int m[4];
        cal_dihedral(e, m);
        double a[6] = {m[0], m[1], shift[e][0], m[2], m[3], shift[e][1]};
        score[e] = pair_beads(ref, cam, a, 2.5 * bin, pair, dist, owner);
    }
    free(grid);
    int best = 0, second = -1;
    for (int e = 1; e < 8; e++)
        if (score[e] > score[best]) best = e;
    for (int e = 0; e < 8; e++)
        if (e != best && (second < 0 || score[e] > score[second])) second = e;
    match->dihedral = best;
    match->best_votes = score[best];
    match->second_votes = score[second];
    match->second_dihedral = second;
    mumloc_status status = MUMLOC_OK;
    if (score[best] < min_beads)
        status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                             "too few beads matched in camera %d: at best %d of its %d beads line up "
                             "with camera 1's %d (assuming %s), at least %d needed; check that every "
                             "camera sees the same field and use a sample with more beads",
                             camera, score[best], cam->count, ref->count, dihedral_words(best),
                             min_beads);
    else if (score[second] >= 0.8 * score[best])
        status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                             "the flips of camera %d cannot be resolved: %s matches %d beads and %s "
                             "%d; the bead pattern is too symmetric or too sparse (a regular grid, "
                             "a few beads): image a sample with more, randomly placed beads",
                             camera, dihedral_words(best), score[best], dihedral_words(second),
                             score[second]);
    if (status == MUMLOC_OK) {
        int m[4];
        cal_dihedral(best, m);
        double a[6] = {m[0], m[1], shift[best][0], m[2], m[3], shift[best][1]};
        double tol = 2.5 * bin, rms = 0;
        int pairs = 0;
        for (int round = 0; round < 6; round++) {
            pairs = pair_beads(ref, cam, a, tol, pair, dist, owner);
            int n = 0;
            for (int i = 0; i < ref->count; i++)
                if (pair[i] >= 0) {
                    px[n] = ref->x[i];
                    py[n] = ref->y[i];
                    pu[n] = cam->x[pair[i]];
                    pv[n] = cam->y[pair[i]];
                    n++;
                }
            double fit[6];
            int kept = cal_affine_robust(px, py, pu, pv, n, 0.3, fit, inlier, &rms);
            if (kept < 3) break;
            memcpy(a, fit, sizeof fit);
            double next = fmax(1.0, 5.0 * rms);
            if (next >= tol && round > 0) break;
            tol = fmin(tol, next);
        }
        pairs = pair_beads(ref, cam, a, tol, pair, dist, owner);
        if (pairs < min_beads)
            status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "too few beads matched in camera %d: %d of camera 1's %d beads "
                                 "after the affine fit, at least %d needed; use a sample with more "
                                 "beads, spread over the whole field",
                                 camera, pairs, ref->count, min_beads);
        memcpy(match->affine, a, sizeof a);
        match->matched = pairs;
    }
    free(buf);
    if (status != MUMLOC_OK) {
        free(pair);
        return status;
    }
    match->camera_bead = pair; /* the first n_ref ints: reference bead → camera bead */
    return MUMLOC_OK;
}
