/* Multi-emitter refinement (see multi_emitter.h).
 *
 * Why block coordinate ascent rather than one joint Levenberg–Marquardt over all molecules: a
 * molecule's parameters couple only to the molecules whose windows overlap its own, so fitting one
 * molecule with its neighbours' expected light held in the model (mle_problem_set_others)
 * is an exact maximisation of the joint likelihood over that molecule's block; repeating it until
 * nothing moves reaches the joint optimum at the cost of a few warm single-molecule fits, and stays
 * parallel. The update order is Gauss–Seidel over a colouring of the overlap graph: molecules of
 * one colour have disjoint windows, so they are fitted (and their light redrawn) in parallel
 * without races, and every fit sees the latest light of all its neighbours (a Jacobi update of
 * two molecules sharing one blob can oscillate, trading the light back and forth).
 *
 * Guards: a fit is kept only inside the trust region of mumloc_localizations_refine (one pixel
 * laterally, half a plane spacing axially, from the decoded position); a record whose fit is not
 * trusted (a false detection on a neighbour's tail, a fit that ran off) keeps its decoded
 * position, and its photons and backgrounds are fitted there with the neighbours modelled, so its
 * light in the others' model is what the data leave for it (near 0 for a false detection), not the
 * light of the neighbour it sits on. */
#include "fit/multi_emitter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fit/fit_mle.h"
#include "optics/psf_model.h"

#define MAX_SWEEPS 16
#define MOVE_NM 0.05        /* a refit that moves less than this (and the photons < MOVE_PHOTONS) */
#define MOVE_PHOTONS 1e-3   /* relative: leaves the neighbours' models as they were */
/* Levenberg–Marquardt iterations per refit in a sweep: each refit starts warm and the sweeps
 * repeat until nothing moves, so a refit need only improve (inexact block coordinate ascent);
 * converging every refit made the sweeps 5× the cost of independent fits for the same optimum. */
#define REFIT_ITERATIONS 3
#define DUPLICATE_NM 30.0
/* A record whose windows overlap more than this many others sits in a crowd no fit separates
 * (realistic densities give ~15 at 50 molecules per 64x64 frame; an untrained network's thousands
 * of detections per frame give hundreds): it keeps its independent fit, and the sweeps, whose
 * cost grows with the crowd, skip it. Its light still enters its neighbours' models. */
#define MAX_NEIGHBOURS 40
#define CROWD_PIXELS 16
/* Two equal Gaussians of width w show one peak closer than 2w (Sparrow); for widths a and b the
 * limit is taken at the root mean square width, 2 sqrt((a² + b²) / 2). */
#define SPARROW_WIDTHS 2.0

typedef struct emitter {
    mle_problem problem;
    double theta[MLE_MAX_PARAMS]; /* accepted: in the others' models */
    double start[MLE_MAX_PARAMS]; /* at the decoded position, from the linear photometry */
    mle_result fit;
    int trusted, dirty, moved;
    int pinned; /* held at the decoded position: its fit joined another record's molecule */
} emitter;

typedef struct joint {
    const mumloc_optics *o;
    const mumloc_localization *locs;
    emitter *e;
    int count, width, height;
    int *neighbour_start, *neighbours; /* overlap graph, CSR */
    int *order, *colour_start, colours; /* records by colour */
    double *signal;                     /* k × H × W: every record's accepted light */
} joint;

static int windows_overlap(const mle_problem *a, const mle_problem *b, int k) {
    for (int d = 0; d < k; d++) {
        if (!a->inside[d] || !b->inside[d]) continue;
        const psf_plane *p = &a->pl[d], *q = &b->pl[d];
        if (p->i0 < q->i0 + q->nx && q->i0 < p->i0 + p->nx && p->j0 < q->j0 + q->ny &&
            q->j0 < p->j0 + p->ny)
            return 1;
    }
    return 0;
}

/* The overlap graph and a greedy colouring of it (in record order). */
static mumloc_status build_graph(joint *j) {
    const int n = j->count, k = j->o->planes;
    int *degree = calloc((size_t)n + 1, sizeof *degree);
    j->neighbour_start = calloc((size_t)n + 1, sizeof *j->neighbour_start);
    if (!degree || !j->neighbour_start) {
        free(degree);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for %d records' neighbours", n);
    }
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (windows_overlap(&j->e[a].problem, &j->e[b].problem, k)) degree[a]++, degree[b]++;
    for (int a = 0; a < n; a++) j->neighbour_start[a + 1] = j->neighbour_start[a] + degree[a];
    j->neighbours = malloc(((size_t)j->neighbour_start[n] + 1) * sizeof *j->neighbours);
    int *colour = malloc(((size_t)n + 1) * sizeof *colour);
    int *used = calloc((size_t)n + 2, sizeof *used); /* used[c] == a + 1: colour c taken near a */
    j->order = malloc(((size_t)n + 1) * sizeof *j->order);
    j->colour_start = calloc((size_t)n + 2, sizeof *j->colour_start);
    mumloc_status st = MUMLOC_OK;
    if (!j->neighbours || !colour || !used || !j->order || !j->colour_start) {
        st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for %d records' neighbours", n);
        goto done;
    }
    memset(degree, 0, (size_t)n * sizeof *degree);
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (windows_overlap(&j->e[a].problem, &j->e[b].problem, k)) {
                j->neighbours[j->neighbour_start[a] + degree[a]++] = b;
                j->neighbours[j->neighbour_start[b] + degree[b]++] = a;
            }
    j->colours = 0;
    for (int a = 0; a < n; a++) {
        for (int t = j->neighbour_start[a]; t < j->neighbour_start[a + 1]; t++) {
            const int b = j->neighbours[t];
            if (b < a) used[colour[b]] = a + 1;
        }
        int c = 0;
        while (used[c] == a + 1) c++;
        colour[a] = c;
        if (c + 1 > j->colours) j->colours = c + 1;
    }
    for (int a = 0; a < n; a++) j->colour_start[colour[a] + 1]++;
    for (int c = 0; c < j->colours; c++) j->colour_start[c + 1] += j->colour_start[c];
    memset(used, 0, (size_t)(n + 2) * sizeof *used); /* now: records placed per colour */
    for (int a = 0; a < n; a++) j->order[j->colour_start[colour[a]] + used[colour[a]]++] = a;
done:
    free(degree);
    free(colour);
    free(used);
    return st;
}

/* A fit is kept only inside the trust region and inside the imaged field: a molecule whose fit
 * leaves the frame was a detection on the border the data cannot place. */
static int keep_fit(const joint *j, const mle_result *r, const mumloc_localization *l) {
    const double p = j->o->pixel_nm;
    return mle_trusted(j->o, r, l->x_nm, l->y_nm, l->z_nm) && r->x_nm >= 0 &&
           r->y_nm >= 0 && r->x_nm <= j->width * p && r->y_nm <= j->height * p;
}

/* Fits record m with its neighbours' light as it is in j->signal, from its accepted parameters; the
 * result becomes accepted when trusted, else the decoded position with photons and backgrounds
 * fitted there. Redraws its light in j->signal when it moved (its window is disjoint from those of
 * every record fitted concurrently). */
static void refit(joint *j, int m) {
    emitter *e = &j->e[m];
    const mumloc_localization *l = &j->locs[m];
    const int n = e->problem.n;
    double theta[MLE_MAX_PARAMS];
    mle_problem_set_others(&e->problem, e->theta, j->signal);
    memcpy(theta, e->trusted ? e->theta : e->start, sizeof theta);
    if (!e->trusted) memcpy(theta + 3, e->theta + 3, (size_t)(n - 3) * sizeof *theta);
    e->problem.max_iterations = REFIT_ITERATIONS;
    if (!e->pinned) {
        e->problem.fixed_position = 0;
        mle_problem_fit(&e->problem, theta, &e->fit);
        mle_result judged = e->fit; /* a capped refit counts as converging: sweeps go on */
        judged.converged |= e->fit.iterations >= REFIT_ITERATIONS;
        e->trusted = keep_fit(j, &judged, l);
    }
    if (!e->trusted) {
        memcpy(theta, e->start, 3 * sizeof *theta);
        memcpy(theta + 3, e->theta + 3, (size_t)(n - 3) * sizeof *theta);
        mle_result light;
        e->problem.fixed_position = 1;
        mle_problem_fit(&e->problem, theta, &light);
        e->problem.fixed_position = 0;
    }
    double change = 0;
    for (int i = 0; i < 3; i++) change = fmax(change, fabs(theta[i] - e->theta[i]));
    e->moved = change > MOVE_NM || fabs(theta[3] - e->theta[3]) > MOVE_PHOTONS * e->theta[3];
    if (e->moved) {
        mle_problem_add_signal(&e->problem, e->theta, -1.0, j->signal);
        mle_problem_add_signal(&e->problem, theta, 1.0, j->signal);
    }
    memcpy(e->theta, theta, sizeof theta);
}

/* 1 for a record the sweeps refit: one with neighbours, not in a crowd. */
static int swept(const joint *j, int m) {
    const int degree = j->neighbour_start[m + 1] - j->neighbour_start[m];
    return degree > 0 && degree <= MAX_NEIGHBOURS;
}

/* Sweeps in colour order over the records marked dirty, each refit marking its neighbours dirty
 * when it moved, until a sweep moves nothing. */
static void sweep_until_settled(joint *j, multi_emitter_stats *stats) {
    stats->converged = 1;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        int any = 0;
        for (int m = 0; m < j->count; m++) any |= j->e[m].dirty;
        if (!any) return;
        stats->sweeps++;
        for (int c = 0; c < j->colours; c++) {
            const int lo = j->colour_start[c], hi = j->colour_start[c + 1];
            int refits = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : refits) if (hi - lo >= 4)
            for (int t = lo; t < hi; t++) {
                emitter *e = &j->e[j->order[t]];
                e->moved = 0;
                if (!e->dirty) continue;
                e->dirty = 0;
                refit(j, j->order[t]);
                refits++;
            }
            stats->refits += refits;
            for (int t = lo; t < hi; t++) {
                const int m = j->order[t];
                if (!j->e[m].moved) continue;
                for (int s = j->neighbour_start[m]; s < j->neighbour_start[m + 1]; s++)
                    j->e[j->neighbours[s]].dirty = swept(j, j->neighbours[s]);
            }
        }
    }
    for (int m = 0; m < j->count; m++)
        if (j->e[m].dirty) stats->converged = 0;
}

/* Windows and start values at the decoded positions, then every record fitted on its own (the
 * first sweep: neighbours unknown yet), and every record's accepted light drawn. */
static mumloc_status start(joint *j, const pixel_noise *noise, const float *frame,
                           int width, int height, const double *dx_dy,
                           const plane_map *map) {
    for (int m = 0; m < j->count; m++) {
        emitter *e = &j->e[m];
        const mumloc_localization *l = &j->locs[m];
        ERROR_TRY(mle_problem_init(&e->problem, j->o, noise, frame, width, height, l->x_nm,
                                           l->y_nm, l->z_nm, dx_dy, map));
        mumloc_status st = mle_problem_start(&e->problem, l->x_nm, l->y_nm, l->z_nm,
                                                    e->start);
        if (st != MUMLOC_OK) {
            char why[512];
            snprintf(why, sizeof why, "%s", mumloc_last_error());
            return error_fail(st, "localization %d: %s", m + 1, why);
        }
    }
#pragma omp parallel for schedule(dynamic, 1)
    for (int m = 0; m < j->count; m++) {
        emitter *e = &j->e[m];
        const mumloc_localization *l = &j->locs[m];
        memcpy(e->theta, e->start, sizeof e->theta);
        mle_problem_fit(&e->problem, e->theta, &e->fit);
        e->trusted = keep_fit(j, &e->fit, l);
        if (!e->trusted) memcpy(e->theta, e->start, sizeof e->theta);
    }
    for (int m = 0; m < j->count; m++) mle_problem_clear_signal(&j->e[m].problem, j->signal);
    for (int m = 0; m < j->count; m++)
        mle_problem_add_signal(&j->e[m].problem, j->e[m].theta, 1.0, j->signal);
    return MUMLOC_OK;
}

/* Two trusted fits closer than DUPLICATE_NM in 3D fit one molecule (a decoder's duplicate, or a
 * false detection the fit pulled onto its neighbour), as do a fit and an untrusted record's
 * decoded position, where the decoded positions were not that close: the record that moved (of
 * two, the less probable) goes back to its decoded position, pinned there (its light refitted, its neighbours marked to refit), so that
 * refinement never creates near-duplicates the network's output did not have. Returns how many. */
static int closer(const double *u, const double *v, double limit) {
    const double dx = u[0] - v[0], dy = u[1] - v[1], dz = u[2] - v[2];
    return dx * dx + dy * dy + dz * dz < limit * limit;
}

static int pin_duplicates(joint *j) {
    int pinned = 0;
    for (int a = 0; a < j->count; a++)
        for (int t = j->neighbour_start[a]; t < j->neighbour_start[a + 1]; t++) {
            const int b = j->neighbours[t];
            emitter *p = &j->e[a], *q = &j->e[b];
            if (b < a || (!p->trusted && !q->trusted)) continue;
            if (closer(p->theta, q->theta, DUPLICATE_NM) == 0) continue;
            const mumloc_localization *la = &j->locs[a], *lb = &j->locs[b];
            const double da[3] = {la->x_nm, la->y_nm, la->z_nm}, db[3] = {lb->x_nm, lb->y_nm, lb->z_nm};
            if (closer(da, db, DUPLICATE_NM)) continue; /* the network's own pair: not ours */
            /* the moved one goes back; of two moved ones, the less probable */
            const int weaker = !p->trusted ? b
                               : !q->trusted ? a
                               : lb->probability > la->probability ? a
                                                                   : b;
            emitter *w = &j->e[weaker];
            w->pinned = 1;
            w->trusted = 0;
            w->dirty = swept(j, weaker);
            pinned++;
        }
    return pinned;
}

/* The Sparrow flag of every record against every other (see multi_emitter.h). */
static void flag_unresolved(const joint *j, const double *dx_dy, const plane_map *map,
                            int *unresolved) {
    const mumloc_optics *o = j->o;
    for (int a = 0; a < j->count; a++) unresolved[a] = 0;
    for (int a = 0; a < j->count; a++)
        for (int b = a + 1; b < j->count; b++) {
            const mumloc_localization *p = &j->locs[a], *q = &j->locs[b];
            const double dx = p->x_nm - q->x_nm, dy = p->y_nm - q->y_nm;
            const double distance = sqrt(dx * dx + dy * dy);
            double limit = INFINITY;
            for (int d = 0; d < o->planes; d++) {
                psf_plane pa, pb;
                psf_plane_place(o, d, p->x_nm, p->y_nm, p->z_nm, dx_dy, map, &pa);
                psf_plane_place(o, d, q->x_nm, q->y_nm, q->z_nm, dx_dy, map, &pb);
                limit = fmin(limit, SPARROW_WIDTHS * sqrt(0.5 * (pa.width_nm * pa.width_nm +
                                                                  pb.width_nm * pb.width_nm)));
            }
            if (distance < limit) unresolved[a] = unresolved[b] = 1;
        }
}

mumloc_status refine_multi_emitter(const mumloc_optics *o, const pixel_noise *noise,
                                          const float *frame, int width, int height,
                                          const double *dx_dy, const plane_map *map,
                                          mumloc_localization *locs, int count, int *unresolved,
                                          multi_emitter_stats *stats) {
    multi_emitter_stats own;
    if (!stats) stats = &own;
    memset(stats, 0, sizeof *stats);
    stats->converged = 1;
    if (count == 0) return MUMLOC_OK;
    joint j;
    memset(&j, 0, sizeof j);
    j.o = o;
    j.locs = locs;
    j.count = count;
    j.width = width;
    j.height = height;
    j.e = calloc((size_t)count, sizeof *j.e);
    j.signal = malloc((size_t)o->planes * width * height * sizeof *j.signal);
    mumloc_status st = MUMLOC_OK;
    if (!j.e || !j.signal)
        st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for %d fits", count);
    if (st == MUMLOC_OK) st = start(&j, noise, frame, width, height, dx_dy, map);
    /* more records than one per CROWD_PIXELS pixels (5x the papers' densest data): a crowd no fit
     * separates, typically an untrained network's detections; the independent fits stand, and the
     * quadratic overlap graph is not built */
    const int crowd = (double)count * CROWD_PIXELS > (double)width * height;
    if (st == MUMLOC_OK && crowd) {
        for (int m = 0; m < count; m++)
            if (j.e[m].trusted) {
                locs[m].x_nm = j.e[m].theta[0];
                locs[m].y_nm = j.e[m].theta[1];
                locs[m].z_nm = j.e[m].theta[2];
            }
        if (unresolved)
            for (int m = 0; m < count; m++) unresolved[m] = 1;
    }
    if (st == MUMLOC_OK && !crowd) st = build_graph(&j);
    if (st == MUMLOC_OK && !crowd) {
        for (int m = 0; m < count; m++)
            j.e[m].dirty = swept(&j, m);
        sweep_until_settled(&j, stats);
        for (int round = 0; round < 2 && pin_duplicates(&j); round++)
            sweep_until_settled(&j, stats);
        for (int m = 0; m < count; m++)
            if (j.e[m].trusted) {
                locs[m].x_nm = j.e[m].theta[0];
                locs[m].y_nm = j.e[m].theta[1];
                locs[m].z_nm = j.e[m].theta[2];
            }
        if (unresolved) flag_unresolved(&j, dx_dy, map, unresolved);
    }
    if (j.e)
        for (int m = 0; m < count; m++) mle_problem_free(&j.e[m].problem);
    free(j.e);
    free(j.signal);
    free(j.neighbour_start);
    free(j.neighbours);
    free(j.order);
    free(j.colour_start);
    return st;
}
