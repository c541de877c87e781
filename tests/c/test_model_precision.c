/* The inference precision through the public API: names and option checks; a model starts in fp32;
 * fp32 forwards are bit-identical before and after a round trip through bf16; a bf16 forward of the
 * regression network stays within a stated distance of the fp32 one; explicit bf16 fails clearly
 * where the CPU lacks it (run once more by CTest with oneDNN capped below AVX512_BF16:
 * test_model_precision_capped). The tolerance: each of the 8 layers rounds its inputs and weights
 * to bf16 (relative 2^-9 each, test_nn_conv_bf16 checks the per-layer bound), so pre-activations
 * move by about 3·2^-9 ≈ 0.6 % of Σ|x||w| per layer; through 8 layers that stays below 5 % of the
 * logits' scale, and the sigmoid's slope is at most 1/4: probabilities and offsets within 0.05. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

enum { W = 40, H = 36 };

static void names_and_options(void) {
    CHECK(strcmp(mumloc_precision_name(MUMLOC_PRECISION_AUTO), "auto") == 0);
    CHECK(strcmp(mumloc_precision_name(MUMLOC_PRECISION_FP32), "fp32") == 0);
    CHECK(strcmp(mumloc_precision_name(MUMLOC_PRECISION_BF16), "bf16") == 0);
    CHECK(mumloc_precision_name(3) == NULL && mumloc_precision_name(-1) == NULL);
    mumloc_precision p = MUMLOC_PRECISION_AUTO;
    CHECK_OK(mumloc_precision_from_name("bf16", &p));
    CHECK(p == MUMLOC_PRECISION_BF16);
    CHECK_STATUS(mumloc_precision_from_name("fp16", &p), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "auto, fp32 or bf16") != NULL);
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    CHECK(o.precision == MUMLOC_PRECISION_AUTO);
    o.precision = (mumloc_precision)7;
    CHECK_STATUS(mumloc_localize_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "precision") != NULL);
}

int main(void) {
    names_and_options();
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = W, sp.height = H, sp.frames = 2, sp.molecules = 6, sp.seed = 11;
    mumloc_simulator *sim = NULL;
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &sp.optics, NULL, 1.0, 5, &model));
    if (!sim || !model) return 1;
    const int k = sp.optics.planes;
    int channels = 0, ow = 0, oh = 0;
    mumloc_model_output_size(model, W, H, &channels, &ow, &oh);
    const size_t in = (size_t)2 * k * W * H, out = (size_t)2 * channels * ow * oh;
    float *frames = malloc(in * sizeof *frames), *a = malloc(out * sizeof *a);
    float *b = malloc(out * sizeof *b), *c = malloc(out * sizeof *c);
    CHECK_OK(mumloc_simulate_frames(sim, 0, 2, frames));
    CHECK(mumloc_model_precision(model) == MUMLOC_PRECISION_FP32); /* models start in fp32 */
    CHECK_OK(mumloc_model_forward(model, frames, 2, W, H, a));
    CHECK_STATUS(mumloc_model_set_precision(model, (mumloc_precision)9), MUMLOC_ERR_INVALID_ARGUMENT);

    mumloc_status st = mumloc_model_set_precision(model, MUMLOC_PRECISION_BF16);
    if (st == MUMLOC_OK) {
        CHECK(mumloc_model_precision(model) == MUMLOC_PRECISION_BF16);
        CHECK_OK(mumloc_model_forward(model, frames, 2, W, H, b));
        double worst = 0, differ = 0;
        for (size_t i = 0; i < out; i++) {
            double d = fabs((double)b[i] - a[i]);
            if (d > worst) worst = d;
            differ += d > 0;
        }
        printf("bf16 vs fp32 forward: largest difference %.2e (%.0f%% of the outputs differ)\n",
               worst, 100.0 * differ / (double)out);
        CHECK(worst <= 0.05);
        CHECK(differ > 0); /* it did compute in bf16 */
    } else {
        /* a CPU without bf16: refused naming what is missing; the model stays fp32 */
        CHECK_STATUS(st, MUMLOC_ERR_UNSUPPORTED);
        CHECK(strstr(mumloc_last_error(), "AVX512_BF16") != NULL);
        CHECK(strstr(mumloc_last_error(), "fp32") != NULL);
        CHECK(mumloc_model_precision(model) == MUMLOC_PRECISION_FP32);
        printf("no bf16 here: %s\n", mumloc_last_error());
    }
    /* AUTO always succeeds; back to fp32 gives the first result bit for bit */
    CHECK_OK(mumloc_model_set_precision(model, MUMLOC_PRECISION_AUTO));
    CHECK_OK(mumloc_model_set_precision(model, MUMLOC_PRECISION_FP32));
    CHECK(mumloc_model_precision(model) == MUMLOC_PRECISION_FP32);
    CHECK_OK(mumloc_model_forward(model, frames, 2, W, H, c));
    CHECK(memcmp(a, c, out * sizeof *a) == 0);
    free(frames); free(a); free(b); free(c);
    mumloc_model_destroy(model);
    mumloc_simulator_destroy(sim);
    return check_failures ? 1 : 0;
}
