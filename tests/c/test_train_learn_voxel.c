/* Issue 3 "tests that prove it learns", voxel network: a short fixed schedule on 16×16×4 frames with
 * K = 3 molecules, then detection on a held-out seeded validation set of 100 frames (300 molecules;
 * the library's voxel decoder at the model's threshold, matched one to one within 150 nm), against
 * the untrained network (Jaccard 0).
 *
 * Chance. Guesses placed uniformly in the 3072 × 3072 × 1600 nm field match a molecule with
 * probability at most p = (4/3)π·150³ / (3072²·1600) = 9.4e-4 each, so N guesses per frame reach an
 * expected Jaccard of at most 3(1 − (1 − p)^N) / (N + 3 − 3(1 − (1 − p)^N)): 0.0014 for N = 3 and
 * never above 0.0027 (best N ≈ 80). The bar below is about 90 times that.
 *
 * What a cheap run can show. The voxel network outputs 524,288 probabilities of 24×24×50 nm voxels
 * per frame; early in training it puts its mass around the molecules but spread over tens of voxels,
 * so the peaks are 0.005–0.05, far below the papers' τ = 0.1 (which needs their 2.7 M training
 * frames), and the decoder's 3D local maxima then find extra peaks beside a molecule. The test
 * therefore decodes at τ = 0.01 (a training option, stored in the model; 0.0075 or 0.015 score
 * lower). The schedule: the papers' lr 1e-3 and batch 8, one decay ×0.3 for the last 60 steps, which
 * lifts precision. Measured on 2,000 frames (250 × 8, no decay): lr 1e-3 0.30, 5e-4 0.28,
 * 2e-3 0.23, 5e-3 (200 × 8) 0, nothing above τ; at lr 2e-3 batch 4 × 500 0.13 and batch 16 × 125
 * 0.06; β2 0.999 0.27. This schedule (210 × 8, about 80 s of one core) when written: Jaccard 0.306,
 * recall 0.52, precision 0.42, RMSE 40 nm lateral / 52 nm axial (without the decay about 0.27; at
 * lr 1.5e-3 0.27);
 * training seed 2 instead of 1: 0.349, recall 0.67, precision 0.42. The bar 0.25 leaves room for
 * engine changes that move the trajectory. Jaccard ≥ 0.7 needs far longer training than a test can
 * afford (the loss is the papers' plain BCE, whose lone positive voxel per molecule learns slowly).
 * Deterministic (fixed seeds, one thread; see test_train_learn_regression.c). */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

#define VOXEL_SIZE 16
#define VOXEL_BATCH 8
#define VOXEL_STEPS 210
#define VOXEL_LR 1e-3
#define VOXEL_DECAY 0.3       /* × lr ... */
#define VOXEL_DECAY_STEPS 150 /* ... from this step on */
#define VOXEL_THRESHOLD 0.01
#define VOXEL_VALIDATION_FRAMES 100
#define VOXEL_MIN_JACCARD 0.25
#define VOXEL_MIN_RECALL 0.4
#define VOXEL_MIN_PRECISION 0.3

static void k3(mumloc_train_options *o, const char *out, int64_t steps) {
    mumloc_train_options_default(o, MUMLOC_ARCH_VOXEL);
    o->sim.width = o->sim.height = VOXEL_SIZE;
    o->sim.molecules = 3;
    o->steps = steps;
    o->batch = VOXEL_BATCH;
    o->lr = VOXEL_LR;
    o->lr_decay = VOXEL_DECAY;
    o->lr_decay_steps = VOXEL_DECAY_STEPS;
    o->threshold = VOXEL_THRESHOLD;
    o->validation_frames = VOXEL_VALIDATION_FRAMES;
    o->validation_seed = 1000003;
    o->out_path = out;
}

static int last(void *user, const mumloc_train_progress *p) {
    if (p->validated) *(mumloc_train_progress *)user = *p;
    return 0;
}

int main(void) {
    mumloc_set_threads(1);
    test_dir_create("test_train_learn_voxel");
    mumloc_train_options o;
    mumloc_train_progress before = {0}, after = {0};

    k3(&o, path_of("untrained.safetensors"), 1);
    o.lr = 1e-9; /* practically the initial weights */
    o.validation_frames = 30;
    CHECK_OK(mumloc_train(&o, last, &before, NULL));
    CHECK(before.validated && !(before.val_jaccard > 0.02));

    k3(&o, path_of("trained.safetensors"), VOXEL_STEPS);
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_train(&o, last, &after, &model));
    printf("voxel %dx%dx4, K = 3, %d steps of %d, threshold %.3g: jaccard %.3f recall %.3f "
           "precision %.3f rmse xy %.1f nm z %.1f nm (untrained: jaccard %.3f)\n", VOXEL_SIZE,
           VOXEL_SIZE, VOXEL_STEPS, VOXEL_BATCH, VOXEL_THRESHOLD, after.val_jaccard,
           after.val_recall, after.val_precision, after.val_rmse_xy_nm, after.val_rmse_z_nm,
           before.val_jaccard);
    CHECK(after.validated && after.step == VOXEL_STEPS);
    CHECK(after.val_jaccard >= VOXEL_MIN_JACCARD);
    CHECK(after.val_recall >= VOXEL_MIN_RECALL);
    CHECK(after.val_precision >= VOXEL_MIN_PRECISION);
    CHECK(after.val_rmse_xy_nm < 70 && after.val_rmse_z_nm < 90);
    if (model) CHECK(strcmp(mumloc_model_metadata(model, "decode_threshold"), "0.01") == 0);
    mumloc_model_destroy(model);
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_train_learn_voxel");
}
