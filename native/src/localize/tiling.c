/* Tile layout and the network's receptive field (see tiling.h). */
#include "localize/tiling.h"

#include <math.h>

#include "model/model_handle.h"

int tiling_axis(int length, int tile, int overlap, tile_span *spans, int cap) {
    if (length < 1 || tile < 1 || overlap < 0) return -1;
    if (length <= tile) {
        if (cap > 0) spans[0] = (tile_span){0, length, 0, length};
        return 1;
    }
    const int step = tile - 2 * overlap; /* cores of inner tiles */
    if (step < 1) return -1;
    /* tiles at 0, step, 2·step, …; the last one is pulled back to end at the frame edge, and its
     * core starts where the previous core ends (still ≥ overlap inside it, see tiling.h) */
    const int n = 1 + (length - tile + step - 1) / step;
    for (int i = 0; i < n && i < cap; i++) {
        int start = i == n - 1 ? length - tile : i * step;
        int begin = i == 0 ? 0 : (i - 1) * step + tile - overlap;
        int end = i == n - 1 ? length : i * step + tile - overlap;
        spans[i] = (tile_span){start, tile, begin, end};
    }
    return n;
}

/* Walks the layers: a convolution of kernel K at resolution s (output pixels per input pixel)
 * reaches (K−1)/2 of its pixels, i.e. (K−1)/(2s) input pixels; a stride-2 transposed convolution
 * (3×3, padding 1, output padding 1) reads the input pixels m and m+1 for output 2m+1, so at most one
 * pixel of its input grid away, and doubles s. One pixel of margin covers the half-pixel phase
 * offsets of the upsampled grids. */
int tiling_receptive_radius(const mumloc_model *model) {
    const nn_model *nn = model->nn;
    double reach = 0.0, scale = 1.0;
    int upsampled = 0;
    for (int i = 0; i < nn->layer_count; i++) {
        const nn_layer *l = &nn->layers[i];
        if (l->transposed) {
            reach += 1.0 / scale;
            scale *= 2.0;
            upsampled = 1;
        } else {
            reach += (double)(l->kernel / 2) / scale;
        }
    }
    return (int)ceil(reach - 1e-9) + upsampled;
}

int mumloc_model_receptive_radius(const mumloc_model *model) {
    return model ? tiling_receptive_radius(model) : 0;
}
