/* Losses on the CPU: per-element terms from nn/kernels.h; hard negatives by quickselect. */
#include "backend/cpu/cpu_backend.h"

#include <stdlib.h>

#include "core/error.h"
#include "backend/kernels.h"

mumloc_status cpu_loss_bce(nn_backend *be, const nn_tensor *p, const nn_tensor *t, nn_tensor *dp,
                           double *loss) {
    (void)be;
    ERROR_TRY(cpu_same_shape(p, t, "BCE loss"));
    ERROR_TRY(cpu_same_shape(p, dp, "BCE loss"));
    const int64_t count = nn_shape_count(p->shape);
    const float inv_n = 1.0f / (float)p->shape.n;
    const float *pp = p->data, *tt = t->data;
    float *g = dp->data;
    double sum = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : sum) if (count > 32768)
    for (int64_t i = 0; i < count; i++) {
        sum += nn_bce(pp[i], tt[i]);
        g[i] = nn_bce_grad(pp[i], tt[i]) * inv_n;
    }
    *loss = sum / p->shape.n;
    cpu_touch(dp);
    return MUMLOC_OK;
}

typedef struct scored {
    float p;
    int64_t index;
} scored;

/* The hard-negative order: higher probability (= higher BCE against 0) first, ties by position, so
 * the choice is a strict total order and deterministic. */
static int harder(scored x, scored y) { return x.p != y.p ? x.p > y.p : x.index < y.index; }

static void swap(scored *a, scored *b) {
    scored t = *a;
    *a = *b;
    *b = t;
}

/* Quickselect: afterwards a[0..k) are the k hardest (in no particular order). O(n) on average,
 * against O(n log n) for sorting all of a frame's negatives. */
static void select_hardest(scored *a, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (harder(a[mid], a[lo])) swap(&a[mid], &a[lo]);
        if (harder(a[hi], a[lo])) swap(&a[hi], &a[lo]);
        if (harder(a[hi], a[mid])) swap(&a[hi], &a[mid]);
        const scored pivot = a[mid]; /* median of three */
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (harder(a[i], pivot)) i++;
            while (harder(pivot, a[j])) j--;
            if (i <= j) swap(&a[i++], &a[j--]);
        }
        if (k - 1 <= j) hi = j;
        else if (k - 1 >= i) lo = i;
        else break;
    }
}

/* One frame's loss and gradient (already divided by the batch size through inv_n). */
static double frame_loss(int planes, float ratio, int64_t pixels, int channels, const float *out,
                         const float *target, float *grad, float inv_n, scored *scratch) {
    double sum = 0.0;
    int64_t positives = 0, negatives = 0;
    for (int64_t px = 0; px < pixels; px++) {
        const float *o = out + px * channels, *t = target + px * channels;
        float *g = grad + px * channels;
        for (int c = 0; c < channels; c++) g[c] = 0.0f;
        for (int d = 0; d < planes; d++) {
            if (t[d] > 0.5f) {
                positives++;
                sum += nn_bce(o[d], 1.0f);
                g[d] = nn_bce_grad(o[d], 1.0f) * inv_n;
                for (int axis = 0; axis < 3; axis++) {
                    int c = planes + 3 * d + axis;
                    sum += nn_l1(o[c], t[c]);
                    g[c] = nn_l1_grad(o[c], t[c]) * inv_n;
                }
            } else {
                scratch[negatives].p = o[d];
                scratch[negatives].index = px * channels + d;
                negatives++;
            }
        }
    }
    int64_t take = (int64_t)(ratio * (double)positives);
    if (take > negatives) take = negatives;
    if (take > 0) {
        if (take < negatives) select_hardest(scratch, negatives, take);
        for (int64_t i = 0; i < take; i++) {
            int64_t k = scratch[i].index;
            sum += nn_bce(out[k], 0.0f);
            grad[k] = nn_bce_grad(out[k], 0.0f) * inv_n;
        }
    }
    return sum;
}

mumloc_status cpu_loss_regression(nn_backend *be, int planes, float negative_ratio,
                                  const nn_tensor *out, const nn_tensor *target, nn_tensor *dout,
                                  double *loss) {
    (void)be;
    ERROR_TRY(cpu_same_shape(out, target, "regression loss"));
    ERROR_TRY(cpu_same_shape(out, dout, "regression loss"));
    if (planes < 1 || out->shape.c != 4 * planes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "regression loss: %d planes need %d channels, got %d", planes,
                           4 * planes, out->shape.c);
    if (!(negative_ratio >= 0.0f))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "negative ratio must be ≥ 0");
    const int n = out->shape.n, channels = out->shape.c;
    const int64_t pixels = (int64_t)out->shape.h * out->shape.w;
    const int64_t frame = pixels * channels;
    const float inv_n = 1.0f / (float)n;
    double sum = 0.0;
    int failed = 0;
#pragma omp parallel reduction(+ : sum) reduction(| : failed)
    {
        scored *scratch = malloc((size_t)(pixels * planes) * sizeof *scratch);
        if (!scratch) failed = 1;
#pragma omp for schedule(dynamic)
        for (int b = 0; b < n; b++)
            if (scratch)
                sum += frame_loss(planes, negative_ratio, pixels, channels, out->data + b * frame,
                                  target->data + b * frame, dout->data + b * frame, inv_n, scratch);
        free(scratch);
    }
    if (failed) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for hard-negative mining");
    *loss = sum / n;
    cpu_touch(dout);
    return MUMLOC_OK;
}
