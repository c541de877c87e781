/* How much one inference forward may take on the model's device (model_infer.h): the activations of
 * every layer are kept (nn/layer.c gives each layer its own output tensor), so memory grows with
 * the input pixels times the sum of the layers' output floats per input pixel. */
#include <math.h>

#include "model/model_handle.h"
#include "model/model_infer.h"

/* Floats per input pixel of the input and every layer output, summed; *widest gets the largest. */
static double layer_floats(const mumloc_model *model, double *widest) {
    const nn_model *nn = model->nn;
    double area = 1.0; /* output pixels per input pixel so far */
    double sum = nn->cfg.planes, most = nn->cfg.planes;
    for (int i = 0; i < nn->layer_count; i++) {
        const nn_layer *l = &nn->layers[i];
        if (l->transposed) area *= 4.0;
        const double f = l->out_c * area;
        sum += f;
        if (f > most) most = f;
    }
    if (widest) *widest = most;
    return sum;
}

/* Output floats per input pixel: the last layer's channels times its area. */
static double output_floats(const mumloc_model *model) {
    int c = 0, ow = 0, oh = 0;
    mumloc_model_output_size(model, 1, 1, &c, &ow, &oh);
    return (double)c * ow * oh;
}

double model_infer_floats_per_pixel(const mumloc_model *model, int output_copies) {
    return layer_floats(model, NULL) + (output_copies > 0 ? output_copies : 0) * output_floats(model);
}

double model_infer_widest_floats_per_pixel(const mumloc_model *model) {
    double widest = 0.0;
    layer_floats(model, &widest);
    return widest;
}

int64_t model_infer_budget_from_free(int64_t free_bytes) {
    if (free_bytes < 0) return -1;
    const double budget = MODEL_INFER_MEMORY_SHARE * (double)free_bytes - (double)MODEL_INFER_MEMORY_RESERVE;
    return budget > 0.0 ? (int64_t)budget : 0;
}

int64_t model_infer_budget(const mumloc_model *model) {
    int64_t free_bytes = -1, total = -1;
    if (nn_backend_memory_info(model->be, &free_bytes, &total) != MUMLOC_OK) return -1;
    return model_infer_budget_from_free(free_bytes);
}

/* Input pixels one call may take: the budget and the largest tensor's element limit. */
static double pixels_for(const mumloc_model *model, int64_t budget, int output_copies) {
    const double by_memory =
        (double)budget / (sizeof(float) * model_infer_floats_per_pixel(model, output_copies));
    const double by_tensor = (double)MODEL_INFER_MAX_TENSOR_FLOATS /
                             model_infer_widest_floats_per_pixel(model);
    return by_memory < by_tensor ? by_memory : by_tensor;
}

int model_infer_tile_for_budget(const mumloc_model *model, int64_t budget, int fallback) {
    if (budget < 0) return fallback;
    double edge = floor(sqrt(pixels_for(model, budget, 0)));
    if (edge > 65536.0) edge = 65536.0;
    int tile = (int)edge / MODEL_INFER_TILE_STEP * MODEL_INFER_TILE_STEP;
    const int smallest = 2 * mumloc_model_receptive_radius(model) + MODEL_INFER_TILE_STEP;
    return tile < smallest ? smallest : tile;
}

int model_infer_auto_tile(const mumloc_model *model, int fallback) {
    return model_infer_tile_for_budget(model, model_infer_budget(model), fallback);
}

int model_infer_frames_for_budget(const mumloc_model *model, int width, int height, int64_t budget,
                                  int cap, int fallback) {
    if (budget < 0) return fallback;
    const double frames = floor(pixels_for(model, budget, 2) / ((double)width * height));
    if (frames < 1.0 || cap < 1) return 1;
    return frames > (double)cap ? cap : (int)frames;
}
