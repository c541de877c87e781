/* The registered frame for the network: the part of camera 1's field every camera sees
 * (mumloc_rig_common_field), and each camera resampled onto camera 1's pixel grid there
 * (mumloc_rig_resample) by Keys' cubic convolution. Only the network reads these frames; fits and
 * bounds use the raw camera images with the exact affine (optics/psf_model.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "mumloc.h"

/* Slack for rounding when a mapped centre lands exactly on the outermost pixel centre. */
#define EDGE_SLACK 1e-9

/* Camera d's sample position, in its pixel-centre index space (pixel i's centre is i), of camera 1's
 * pixel (x, y). */
static void sample_position(const double t[6], int x, int y, double *s, double *r) {
    const double cx = x + 0.5, cy = y + 0.5;
    *s = t[0] * cx + t[1] * cy + t[2] - 0.5;
    *r = t[3] * cx + t[4] * cy + t[5] - 0.5;
}

static int sees(const mumloc_rig *rig, int d, int x, int y) {
    double s, r;
    sample_position(rig->camera[d].to_camera, x, y, &s, &r);
    return s >= -EDGE_SLACK && s <= rig->width - 1 + EDGE_SLACK && r >= -EDGE_SLACK &&
           r <= rig->height - 1 + EDGE_SLACK;
}

/* Largest all-ones rectangle of a width × height mask (row-major), by the histogram-and-stack
 * method: O(width · height). */
static void largest_rectangle(const unsigned char *mask, int width, int height, int *heights,
                              int *stack, mumloc_rig_field *best) {
    long long best_area = 0;
    memset(best, 0, sizeof *best);
    for (int i = 0; i < width; i++) heights[i] = 0;
    for (int y = 0; y < height; y++) {
        for (int i = 0; i < width; i++) heights[i] = mask[(size_t)y * width + i] ? heights[i] + 1 : 0;
        int top = 0;
        for (int i = 0; i <= width; i++) {
            const int h = i < width ? heights[i] : 0;
            while (top > 0 && heights[stack[top - 1]] >= h) {
                const int tall = heights[stack[--top]];
                const int left = top > 0 ? stack[top - 1] + 1 : 0;
                const long long area = (long long)tall * (i - left);
                if (area > best_area) {
                    best_area = area;
                    best->x0 = left;
                    best->width = i - left;
                    best->y0 = y - tall + 1;
                    best->height = tall;
                }
            }
            stack[top++] = i;
        }
    }
}

mumloc_status mumloc_rig_common_field(const mumloc_rig *rig, mumloc_rig_field *field) {
    if (!rig || !field)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig_common_field needs a rig and a field");
    const int k = rig->optics.planes, w = rig->width, h = rig->height;
    if (k < 1 || k > MUMLOC_MAX_PLANES || w < 1 || h < 1 || w > 65536 || h > 65536)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "the rig's cameras (%d) or frame (%dx%d) "
                           "are out of range", k, w, h);
    for (int d = 0; d < k; d++)
        for (int q = 0; q < 6; q++)
            if (!isfinite(rig->camera[d].to_camera[q]))
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "camera %d's to_camera holds a "
                                   "non-finite value", d + 1);
    unsigned char *mask = malloc((size_t)w * h);
    int *heights = malloc(sizeof(int) * ((size_t)w + 1));
    int *stack = malloc(sizeof(int) * ((size_t)w + 1));
    if (!mask || !heights || !stack) {
        free(mask), free(heights), free(stack);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a %dx%d field", w, h);
    }
    long long seen[MUMLOC_MAX_PLANES] = {0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int all = 1;
            for (int d = 0; d < k; d++) {
                const int s = sees(rig, d, x, y);
                seen[d] += s;
                all &= s;
            }
            mask[(size_t)y * w + x] = (unsigned char)all;
        }
    largest_rectangle(mask, w, h, heights, stack, field);
    free(mask), free(heights), free(stack);
    if (field->width < 1 || field->height < 1) {
        int least = 0;
        for (int d = 1; d < k; d++)
            if (seen[d] < seen[least]) least = d;
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "no pixel of camera 1's field is seen by every camera (camera %d sees "
                           "%lld of its %d pixels); check the rig's to_camera transforms",
                           least + 1, seen[least], w * h);
    }
    return MUMLOC_OK;
}

/* Keys' cubic convolution kernel, a = −1/2. */
static double keys(double x) {
    x = fabs(x);
    if (x <= 1.0) return (1.5 * x - 2.5) * x * x + 1.0;
    if (x < 2.0) return ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0;
    return 0.0;
}

static int clamp_index(int i, int n) { return i < 0 ? 0 : i >= n ? n - 1 : i; }

/* Camera image at index-space position (s, r), clamped at the border. */
static float interpolate(const float *image, int width, int height, double s, double r) {
    const double fs = floor(s), fr = floor(r);
    const int i0 = (int)fs, j0 = (int)fr;
    const double ts = s - fs, tr = r - fr;
    const double ws[4] = {keys(1.0 + ts), keys(ts), keys(1.0 - ts), keys(2.0 - ts)};
    const double wr[4] = {keys(1.0 + tr), keys(tr), keys(1.0 - tr), keys(2.0 - tr)};
    double sum = 0.0;
    for (int b = 0; b < 4; b++) {
        const float *row = image + (size_t)clamp_index(j0 - 1 + b, height) * width;
        double line = 0.0;
        for (int a = 0; a < 4; a++) line += ws[a] * row[clamp_index(i0 - 1 + a, width)];
        sum += wr[b] * line;
    }
    return (float)sum;
}

mumloc_status mumloc_rig_resample(const mumloc_rig *rig, const mumloc_rig_field *field,
                                  const float *cameras, float *out) {
    if (!rig || !field || !cameras || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig_resample needs a rig, a field, the "
                           "camera images and out");
    const int k = rig->optics.planes, w = rig->width, h = rig->height;
    if (k < 1 || k > MUMLOC_MAX_PLANES || field->width < 1 || field->height < 1 ||
        field->x0 < 0 || field->y0 < 0 || field->x0 + field->width > w ||
        field->y0 + field->height > h)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "field %dx%d at (%d, %d) is not inside "
                           "the rig's %dx%d frame", field->width, field->height, field->x0,
                           field->y0, w, h);
    const size_t area = (size_t)w * h, out_area = (size_t)field->width * field->height;
    for (int d = 0; d < k; d++) {
        const double *t = rig->camera[d].to_camera;
        const float *image = cameras + d * area;
        float *plane = out + d * out_area;
#pragma omp parallel for schedule(static)
        for (int j = 0; j < field->height; j++)
            for (int i = 0; i < field->width; i++) {
                double s, r;
                sample_position(t, field->x0 + i, field->y0 + j, &s, &r);
                plane[(size_t)j * field->width + i] = interpolate(image, w, h, s, r);
            }
    }
    return MUMLOC_OK;
}
