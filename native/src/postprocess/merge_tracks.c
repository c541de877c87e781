/* Tracks of blinking molecules, frame by frame (see merge_tracks.h). */
#include "postprocess/merge_tracks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/merge_order.h"

/* An open track: weighted and plain sums give its merged position so far. */
typedef struct track {
    int64_t id;
    int64_t last_frame; /* frame of its latest localization */
    int64_t count;
    double swx, swy, wxy, sx, sy; /* Σ w·x, Σ w·y, Σ w, Σ x, Σ y */
    double swz, wz, sz;
    double x, y, z;     /* current merged position */
} track;

typedef struct track_grid {
    int64_t *head;  /* per bucket: first track index, -1 = none */
    int64_t *next;  /* per open track: the next in its bucket */
    int64_t buckets;
    double cell;
} track_grid;

static uint64_t cell_hash(int64_t cx, int64_t cy, int64_t mask) {
    uint64_t h = (uint64_t)cx * 0x9E3779B97F4A7C15ull ^ (uint64_t)cy * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    return h & (uint64_t)mask;
}

static int64_t cell_of(double v, double cell) { return (int64_t)floor(v / cell); }

static mumloc_status grid_build(track_grid *g, const track *open, int64_t count) {
    int64_t want = 16;
    while (want < 2 * count) want *= 2;
    if (want > g->buckets) {
        int64_t *head = realloc(g->head, (size_t)want * sizeof *head);
        if (!head) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory");
        g->head = head;
        g->buckets = want;
    }
    memset(g->head, 0xff, (size_t)g->buckets * sizeof *g->head);
    for (int64_t i = 0; i < count; i++) {
        uint64_t b = cell_hash(cell_of(open[i].x, g->cell), cell_of(open[i].y, g->cell), g->buckets - 1);
        g->next[i] = g->head[b];
        g->head[b] = i;
    }
    return MUMLOC_OK;
}

static void track_add(track *t, const merge_input *in, int64_t r) {
    double w = in->weight_xy ? in->weight_xy[r] : 1.0;
    t->swx += w * in->x[r];
    t->swy += w * in->y[r];
    t->wxy += w;
    t->sx += in->x[r];
    t->sy += in->y[r];
    t->count++;
    double n = (double)t->count;
    t->x = t->wxy > 0 ? t->swx / t->wxy : t->sx / n;
    t->y = t->wxy > 0 ? t->swy / t->wxy : t->sy / n;
    if (in->z) {
        double wz = in->weight_z ? in->weight_z[r] : 1.0;
        t->swz += wz * in->z[r];
        t->wz += wz;
        t->sz += in->z[r];
        t->z = t->wz > 0 ? t->swz / t->wz : t->sz / n;
    }
}

/* Squared distance of row r to track t if within the distance, else -1. */
static double distance2(const mumloc_blink_merge_options *o, const merge_input *in, int64_t r,
                        const track *t) {
    double dx = in->x[r] - t->x, dy = in->y[r] - t->y, dz = in->z ? in->z[r] - t->z : 0.0;
    double lateral = dx * dx + dy * dy;
    if (o->max_distance_xy_nm > 0) {
        if (lateral > o->max_distance_xy_nm * o->max_distance_xy_nm || fabs(dz) > o->max_distance_z_nm)
            return -1;
    } else if (lateral + dz * dz > o->max_distance_nm * o->max_distance_nm) {
        return -1;
    }
    return lateral + dz * dz;
}

/* The nearest track open to row r in this frame, or -1. */
static int64_t nearest(const track_grid *g, const track *open, const int64_t *taken, int64_t frame,
                       const mumloc_blink_merge_options *o, const merge_input *in, int64_t r) {
    int64_t cx = cell_of(in->x[r], g->cell), cy = cell_of(in->y[r], g->cell), best = -1;
    double best_d2 = INFINITY;
    for (int64_t dy = -1; dy <= 1; dy++)
        for (int64_t dx = -1; dx <= 1; dx++)
            for (int64_t i = g->head[cell_hash(cx + dx, cy + dy, g->buckets - 1)]; i >= 0; i = g->next[i]) {
                if (taken[i] == frame) continue;
                double d2 = distance2(o, in, r, &open[i]);
                if (d2 >= 0 && (d2 < best_d2 || (d2 == best_d2 && open[i].id < open[best].id))) {
                    best_d2 = d2;
                    best = i;
                }
            }
    return best;
}

typedef struct track_state {
    track *open;
    int64_t *taken;   /* per open track: the frame it last took a localization in */
    int64_t count, cap;
    track_grid grid;
} track_state;

static mumloc_status grow(track_state *s, int64_t need) {
    if (need <= s->cap) return MUMLOC_OK;
    int64_t cap = s->cap ? 2 * s->cap : 1024;
    while (cap < need) cap *= 2;
    track *open = realloc(s->open, (size_t)cap * sizeof *open);
    if (open) s->open = open;
    int64_t *taken = realloc(s->taken, (size_t)cap * sizeof *taken);
    if (taken) s->taken = taken;
    int64_t *next = realloc(s->grid.next, (size_t)cap * sizeof *next);
    if (next) s->grid.next = next;
    if (!open || !taken || !next) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory");
    s->cap = cap;
    return MUMLOC_OK;
}

/* Drops tracks that can take no more localizations from frame on. */
static void close_tracks(track_state *s, int64_t frame, const mumloc_blink_merge_options *o) {
    int64_t kept = 0;
    for (int64_t i = 0; i < s->count; i++) {
        const track *t = &s->open[i];
        if (frame - t->last_frame > (int64_t)o->max_off_frames + 1) continue;
        if (o->max_frames > 0 && t->count >= o->max_frames) continue;
        s->open[kept] = *t;
        s->taken[kept] = s->taken[i];
        kept++;
    }
    s->count = kept;
}

static mumloc_status assign(const merge_input *in, const mumloc_blink_merge_options *o, const int64_t *order,
                            int64_t *row_track, int64_t *tracks, post_progress *progress,
                            track_state *s) {
    int64_t next_id = 0;
    for (int64_t i = 0; i < in->rows;) {
        int64_t frame = (int64_t)in->frame[order[i]], end = i;
        while (end < in->rows && (int64_t)in->frame[order[end]] == frame) end++;
        close_tracks(s, frame, o);
        ERROR_TRY(grow(s, s->count + (end - i)));
        int64_t indexed = s->count; /* tracks opened in this frame are not candidates in it */
        ERROR_TRY(grid_build(&s->grid, s->open, indexed));
        for (; i < end; i++) {
            int64_t r = order[i];
            int64_t k = indexed > 0 ? nearest(&s->grid, s->open, s->taken, frame, o, in, r) : -1;
            if (k < 0) {
                k = s->count++;
                memset(&s->open[k], 0, sizeof s->open[k]);
                s->open[k].id = next_id++;
            }
            track_add(&s->open[k], in, r);
            s->open[k].last_frame = frame;
            s->taken[k] = frame;
            row_track[r] = s->open[k].id;
        }
        ERROR_TRY(post_progress_report(progress, i, 0));
    }
    *tracks = next_id;
    return MUMLOC_OK;
}

mumloc_status merge_assign_tracks(const merge_input *in, const mumloc_blink_merge_options *o,
                                  int64_t *row_track, int64_t *tracks, post_progress *progress) {
    *tracks = 0;
    int64_t *order = NULL;
    ERROR_TRY(merge_frame_order(in->frame, in->rows, &order));
    double lateral = o->max_distance_xy_nm > 0 ? o->max_distance_xy_nm : o->max_distance_nm;
    track_state s = {0};
    s.grid.cell = lateral;
    mumloc_status st = assign(in, o, order, row_track, tracks, progress, &s);
    free(order);
    free(s.open);
    free(s.taken);
    free(s.grid.head);
    free(s.grid.next);
    return st;
}
