/* Beads in one camera: local maxima of the smoothed max projection over the z scan (each bead is
 * sharpest, so brightest, in its focal slice), well above the projection's background. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"

#define FIND_RADIUS 3        /* a bead is the largest value within ±3 pixels */
#define FIND_SIGMAS 8.0      /* threshold above background in robust standard deviations */

static int compare_float(const void *pa, const void *pb) {
    float a = *(const float *)pa, b = *(const float *)pb;
    return (a > b) - (a < b);
}

double cal_beads_isolation(const cal_beads *b, int n) {
    double best = INFINITY;
    for (int m = 0; m < b->count; m++)
        if (m != n) best = fmin(best, hypot(b->x[m] - b->x[n], b->y[m] - b->y[n]));
    return best;
}

void cal_beads_free(cal_beads *b) {
    free(b->x);
    free(b->y);
    free(b->peak);
    free(b->saturated);
    memset(b, 0, sizeof *b);
}

mumloc_status cal_beads_find(const float *photons, const float *raw, double saturation_adu,
                             int width, int height, int steps, cal_beads *beads) {
    memset(beads, 0, sizeof *beads);
    size_t area = (size_t)width * height;
    float *proj = malloc(area * 3 * sizeof *proj);
    if (!proj) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a bead projection");
    float *smooth = proj + area, *sorted = smooth + area;
    for (size_t p = 0; p < area; p++) proj[p] = photons[p];
    for (int s = 1; s < steps; s++)
        for (size_t p = 0; p < area; p++)
            if (photons[(size_t)s * area + p] > proj[p]) proj[p] = photons[(size_t)s * area + p];
    /* 3×3 binomial smoothing: tames single hot pixels and the max projection's noise. */
    static const float k3[3] = {0.25f, 0.5f, 0.25f};
    for (int j = 0; j < height; j++)
        for (int i = 0; i < width; i++) {
            float sum = 0, norm = 0;
            for (int b = -1; b <= 1; b++)
                for (int a = -1; a <= 1; a++) {
                    int ii = i + a, jj = j + b;
                    if (ii < 0 || jj < 0 || ii >= width || jj >= height) continue;
                    float k = k3[a + 1] * k3[b + 1];
                    sum += k * proj[(size_t)jj * width + ii];
                    norm += k;
                }
            smooth[(size_t)j * width + i] = sum / norm;
        }
    memcpy(sorted, smooth, area * sizeof *sorted);
    qsort(sorted, area, sizeof *sorted, compare_float);
    double background = sorted[area / 2];
    for (size_t p = 0; p < area; p++) sorted[p] = fabsf(smooth[p] - (float)background);
    qsort(sorted, area, sizeof *sorted, compare_float);
    double noise = 1.4826 * sorted[area / 2];
    double threshold = background + fmax(FIND_SIGMAS * noise, 1.0);

    int capacity = 64, count = 0;
    double *x = malloc(capacity * sizeof *x), *y = malloc(capacity * sizeof *y),
           *peak = malloc(capacity * sizeof *peak);
    mumloc_status status = MUMLOC_OK;
    if (!x || !y || !peak) status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for beads");
    for (int j = 0; j < height && status == MUMLOC_OK; j++)
        for (int i = 0; i < width; i++) {
            float v = smooth[(size_t)j * width + i];
            if (v <= threshold) continue;
            int is_max = 1;
            for (int b = -FIND_RADIUS; b <= FIND_RADIUS && is_max; b++)
                for (int a = -FIND_RADIUS; a <= FIND_RADIUS; a++) {
                    int ii = i + a, jj = j + b;
                    if ((a == 0 && b == 0) || ii < 0 || jj < 0 || ii >= width || jj >= height)
                        continue;
                    float o = smooth[(size_t)jj * width + ii];
                    /* ties: the first in raster order wins */
                    if (o > v || (o == v && (b < 0 || (b == 0 && a < 0)))) {
                        is_max = 0;
                        break;
                    }
                }
            if (!is_max) continue;
            /* Centroid of the projection above background over ±2 pixels. */
            double sw = 0, sx = 0, sy = 0;
            for (int b = -2; b <= 2; b++)
                for (int a = -2; a <= 2; a++) {
                    int ii = i + a, jj = j + b;
                    if (ii < 0 || jj < 0 || ii >= width || jj >= height) continue;
                    double wgt = proj[(size_t)jj * width + ii] - background;
                    if (wgt <= 0) continue;
                    sw += wgt;
                    sx += wgt * (ii + 0.5);
                    sy += wgt * (jj + 0.5);
                }
            if (count == capacity) {
                capacity *= 2;
                double *nx = realloc(x, capacity * sizeof *x);
                if (nx) x = nx;
                double *ny = realloc(y, capacity * sizeof *y);
                if (ny) y = ny;
                double *np = realloc(peak, capacity * sizeof *peak);
                if (np) peak = np;
                if (!nx || !ny || !np) {
                    status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for beads");
                    break;
                }
            }
            x[count] = sw > 0 ? sx / sw : i + 0.5;
            y[count] = sw > 0 ? sy / sw : j + 0.5;
            peak[count] = v - background;
            count++;
        }
    free(proj);
    int *saturated = status == MUMLOC_OK ? calloc((size_t)(count > 0 ? count : 1), sizeof *saturated)
                                         : NULL;
    if (status == MUMLOC_OK && !saturated)
        status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for beads");
    if (status != MUMLOC_OK) {
        free(x);
        free(y);
        free(peak);
        free(saturated);
        return status;
    }
    for (int n = 0; raw && saturation_adu > 0 && n < count; n++) {
        int ci = (int)x[n], cj = (int)y[n];
        for (int s = 0; s < steps && !saturated[n]; s++)
            for (int b = -3; b <= 3 && !saturated[n]; b++)
                for (int a = -3; a <= 3; a++) {
                    int ii = ci + a, jj = cj + b;
                    if (ii < 0 || jj < 0 || ii >= width || jj >= height) continue;
                    if (raw[(size_t)s * area + (size_t)jj * width + ii] >= saturation_adu) {
                        saturated[n] = 1;
                        break;
                    }
                }
    }
    beads->count = count;
    beads->x = x;
    beads->y = y;
    beads->peak = peak;
    beads->saturated = saturated;
    return MUMLOC_OK;
}
