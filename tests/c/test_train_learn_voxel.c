/* Issue 3 "tests that prove it learns", voxel network: a short fixed schedule on 16×16×4 frames with
 * K = 3 molecules, then detection on a held-out seeded validation set (the library's voxel decoder at
 * the model's threshold, matched at 150 nm), against the untrained network (Jaccard 0).
 *
 * What a cheap run can show. The voxel network outputs 524,288 probabilities of 24×24×50 nm voxels
 * per frame; early in training it already puts its probability mass around the molecules (the frame's
 * highest values sit on them) but spread over tens of voxels, so the peak values are 0.005–0.05, far
 * below the papers' τ = 0.1, which needs the papers' 2.7 M training frames. The test therefore trains
 * with the model's threshold set to 0.01 (a training option, stored in the model) and asserts the
 * bar that two minutes of one core reach: when written, 250 steps of 8 frames gave Jaccard 0.226,
 * recall 0.42, precision 0.33, RMSE 50 nm lateral / 54 nm axial (115 s of CPU); at τ 0.02 Jaccard
 * 0.12, at τ 0.05 after 200 steps 0.04. Jaccard ≥ 0.7 needs far longer training than a test can
 * afford. Deterministic (fixed seeds, one thread; see test_train_learn_regression.c). */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

#define VOXEL_SIZE 16
#define VOXEL_BATCH 8
#define VOXEL_STEPS 250
#define VOXEL_LR 2e-3
#define VOXEL_THRESHOLD 0.01
#define VOXEL_MIN_JACCARD 0.15
#define VOXEL_MIN_RECALL 0.3

static void k3(mumloc_train_options *o, const char *out, int64_t steps) {
    mumloc_train_options_default(o, MUMLOC_ARCH_VOXEL);
    o->sim.width = o->sim.height = VOXEL_SIZE;
    o->sim.molecules = 3;
    o->steps = steps;
    o->batch = VOXEL_BATCH;
    o->lr = VOXEL_LR;
    o->threshold = VOXEL_THRESHOLD;
    o->validation_frames = 30;
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
    CHECK(after.val_rmse_xy_nm < 100 && after.val_rmse_z_nm < 120);
    if (model) CHECK(strcmp(mumloc_model_metadata(model, "decode_threshold"), "0.01") == 0);
    mumloc_model_destroy(model);
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_train_learn_voxel");
}
