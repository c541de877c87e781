/* Peaks of a sparse CS solution (see cs_decode.h). */
#include "cs/cs_decode.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "decode/decode_common.h"

typedef struct entry {
    float val;
    int l, j, i;
    int claimed;
} entry;

static int by_value(const void *pa, const void *pb) {
    const entry *a = pa, *b = pb;
    if (a->val != b->val) return a->val < b->val ? 1 : -1;
    if (a->l != b->l) return a->l - b->l;
    if (a->j != b->j) return a->j - b->j;
    return a->i - b->i;
}

static int by_photons(const void *pa, const void *pb) {
    const mumloc_localization *a = pa, *b = pb;
    return (a->photons < b->photons) - (a->photons > b->photons);
}

int cs_clusters(const cs_grid *g, const cs_sparse *c, double merge_nm, cs_cluster *out) {
    if (c->n == 0) return 0;
    entry *e = malloc(sizeof *e * (size_t)c->n);
    if (!e) return -1;
    const size_t plane = (size_t)g->rows * g->cols;
    for (int m = 0; m < c->n; m++)
        e[m] = (entry){c->val[m], (int)(c->idx[m] / plane), (int)(c->idx[m] % plane / g->cols),
                       (int)(c->idx[m] % g->cols), 0};
    qsort(e, (size_t)c->n, sizeof *e, by_value);
    const int reach = (int)floor(merge_nm / g->voxel_nm);
    const int reach_z = (int)ceil(merge_nm / g->slice_nm);
    const double r2 = (merge_nm / g->voxel_nm) * (merge_nm / g->voxel_nm);
    int found = 0;
    for (int a = 0; a < c->n; a++) {
        if (e[a].claimed || !(e[a].val > 0.0f)) continue;
        double sw = 0, sl = 0, sj = 0, si = 0;
        for (int b = a; b < c->n; b++) {
            if (e[b].claimed) continue;
            const int dl = e[b].l - e[a].l, dj = e[b].j - e[a].j, di = e[b].i - e[a].i;
            if (abs(dl) > reach_z || abs(dj) > reach || abs(di) > reach ||
                (double)dj * dj + (double)di * di > r2)
                continue;
            e[b].claimed = 1;
            const double v = e[b].val;
            sw += v;
            sl += v * e[b].l;
            sj += v * e[b].j;
            si += v * e[b].i;
        }
        out[found++] = (cs_cluster){sw, sl / sw, sj / sw, si / sw};
    }
    free(e);
    return found;
}

mumloc_status cs_decode(const cs_grid *g, const cs_sparse *c, double merge_nm, double min_photons,
                        int known_count, int64_t frame, mumloc_localization *out, int *n) {
    if (c->n == 0) return MUMLOC_OK;
    cs_cluster *cl = malloc(sizeof *cl * (size_t)c->n);
    const int clusters = cl ? cs_clusters(g, c, merge_nm, cl) : -1;
    if (clusters < 0) {
        free(cl);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to decode a CS solution");
    }
    mumloc_localization *first = out + *n;
    int found = 0;
    for (int a = 0; a < clusters; a++) {
        mumloc_localization r = localization_new(
            frame, (cl[a].i + 0.5) * g->voxel_nm, (cl[a].j + 0.5) * g->voxel_nm,
            g->z0_nm + (cl[a].l + 0.5) * g->slice_nm, 1.0);
        r.photons = cl[a].photons;
        first[found++] = r;
    }
    free(cl);
    if (known_count > 0) {
        qsort(first, (size_t)found, sizeof *first, by_photons);
        if (found > known_count) found = known_count;
    } else {
        int kept = 0;
        for (int a = 0; a < found; a++)
            if (first[a].photons >= min_photons) first[kept++] = first[a];
        found = kept;
    }
    localizations_sort(first, found);
    *n += found;
    return MUMLOC_OK;
}
