/* Rows by frame (see merge_order.h). */
#include "postprocess/merge_order.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

/* Stable LSD radix sort by frame − lo, 16 bits a pass (frames spread much wider than the rows). */
static mumloc_status radix_sort(const double *frame, int64_t rows, double lo, double hi, int64_t *order) {
    int64_t *other = malloc((size_t)rows * sizeof *other), *count = malloc(65537 * sizeof *count);
    if (!other || !count) {
        free(other);
        free(count);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory sorting rows by frame");
    }
    for (int64_t r = 0; r < rows; r++) order[r] = r;
    uint64_t span = (uint64_t)(hi - lo);
    for (int shift = 0; shift < 64 && (span >> shift) > 0; shift += 16) {
        for (int b = 0; b <= 65536; b++) count[b] = 0;
        for (int64_t i = 0; i < rows; i++) count[(((uint64_t)(frame[order[i]] - lo) >> shift) & 0xFFFF) + 1]++;
        for (int b = 0; b < 65536; b++) count[b + 1] += count[b];
        for (int64_t i = 0; i < rows; i++)
            other[count[((uint64_t)(frame[order[i]] - lo) >> shift) & 0xFFFF]++] = order[i];
        for (int64_t i = 0; i < rows; i++) order[i] = other[i];
    }
    free(other);
    free(count);
    return MUMLOC_OK;
}

/* Stable counting sort over [lo, hi]. */
static mumloc_status counting_sort(const double *frame, int64_t rows, double lo, double hi,
                                   int64_t *order) {
    int64_t bins = (int64_t)(hi - lo) + 1;
    int64_t *start = calloc((size_t)bins + 1, sizeof *start);
    if (!start) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory sorting rows by frame");
    for (int64_t r = 0; r < rows; r++) start[(int64_t)(frame[r] - lo) + 1]++;
    for (int64_t b = 0; b < bins; b++) start[b + 1] += start[b];
    for (int64_t r = 0; r < rows; r++) order[start[(int64_t)(frame[r] - lo)]++] = r;
    free(start);
    return MUMLOC_OK;
}

mumloc_status merge_frame_order(const double *frame, int64_t rows, int64_t **order) {
    *order = NULL;
    double lo = INFINITY, hi = -INFINITY;
    int sorted = 1;
    for (int64_t r = 0; r < rows; r++) {
        double f = frame[r];
        if (!isfinite(f) || f != floor(f) || fabs(f) > 1e15)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "merge: row %lld: frame %g is not a whole number; frames number the "
                               "movie's frames (1, 2, ...)",
                               (long long)r + 1, f);
        if (r > 0 && f < frame[r - 1]) sorted = 0;
        lo = fmin(lo, f);
        hi = fmax(hi, f);
    }
    int64_t *out = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *out);
    if (!out) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory sorting rows by frame");
    mumloc_status s = MUMLOC_OK;
    if (sorted) {
        for (int64_t r = 0; r < rows; r++) out[r] = r;
    } else if (hi - lo <= 4.0 * (double)rows + 1024.0) {
        s = counting_sort(frame, rows, lo, hi, out);
    } else {
        s = radix_sort(frame, rows, lo, hi, out);
    }
    if (s != MUMLOC_OK) {
        free(out);
        return s;
    }
    *order = out;
    return MUMLOC_OK;
}
