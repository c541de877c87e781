/* Training bookkeeping on a tiny run: resuming from a saved model gives the same file as training
 * without a break; cancelling leaves a valid, resumable model; progress reports and validation
 * metadata; option validation. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_files.h"
#include "test_io_dir.h"

static void tiny(mumloc_train_options *o, const char *out, int64_t steps) {
    mumloc_train_options_default(o, MUMLOC_ARCH_REGRESSION);
    o->sim.width = o->sim.height = 12;
    o->sim.molecules = 3;
    o->steps = steps;
    o->batch = 2;
    o->validation_frames = 3;
    o->out_path = out;
}

typedef struct progress_log {
    int calls, validations, stop_at;
    int64_t last_step, steps;
    double last_jaccard;
} progress_log;

static int record(void *user, const mumloc_train_progress *p) {
    progress_log *l = user;
    l->calls++;
    l->last_step = p->step;
    l->steps = p->steps;
    if (p->validated) {
        l->validations++;
        l->last_jaccard = p->val_jaccard;
    } else if (!isnan(p->val_jaccard)) {
        l->last_jaccard = -1; /* metrics must be NaN between validations */
    }
    return l->stop_at > 0 && p->step >= l->stop_at;
}

int main(void) {
    mumloc_set_threads(1);
    test_dir_create("test_train_resume");
    /* path_of's buffers rotate: keep copies of the paths used throughout */
    char whole[1024], half[1024], stopped[1024];
    snprintf(whole, sizeof whole, "%s", path_of("whole.safetensors"));
    snprintf(half, sizeof half, "%s", path_of("half.safetensors"));
    snprintf(stopped, sizeof stopped, "%s", path_of("stopped.safetensors"));
    mumloc_train_options o;

    /* uninterrupted: 4 steps, validated at the end only */
    tiny(&o, whole, 4);
    progress_log l = {0};
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_train(&o, record, &l, &model));
    CHECK(l.calls == 4 && l.last_step == 4 && l.steps == 4 && l.validations == 1);
    CHECK(l.last_jaccard >= 0 && l.last_jaccard <= 1);
    if (model) {
        CHECK(strcmp(mumloc_model_metadata(model, "train_step"), "4") == 0);
        CHECK(strstr(mumloc_model_metadata(model, "validation"), "\"frames\":3") != NULL);
        CHECK(strstr(mumloc_model_metadata(model, "training"), "\"batch\":2") != NULL);
    }
    mumloc_model_destroy(model);

    /* 2 steps, then resumed to 4: the same file byte for byte */
    tiny(&o, half, 2);
    CHECK_OK(mumloc_train(&o, NULL, NULL, NULL));
    tiny(&o, half, 4);
    o.resume_path = half;
    CHECK_OK(mumloc_train(&o, NULL, NULL, NULL));
    CHECK(same_file(whole, half));

    /* cancelled after step 3 of 4: a valid model at step 3 is saved; resuming it finishes the run */
    tiny(&o, stopped, 4);
    progress_log c = {0};
    c.stop_at = 3;
    CHECK_STATUS(mumloc_train(&o, record, &c, NULL), MUMLOC_ERR_CANCELLED);
    CHECK(c.last_step == 3);
    CHECK(strstr(mumloc_last_error(), stopped) != NULL);
    mumloc_model *saved = NULL;
    CHECK_OK(mumloc_model_load(stopped, &saved));
    if (saved) CHECK(strcmp(mumloc_model_metadata(saved, "train_step"), "3") == 0);
    mumloc_model_destroy(saved);
    o.resume_path = stopped;
    CHECK_OK(mumloc_train(&o, NULL, NULL, NULL));
    CHECK(same_file(whole, stopped));

    /* intermediate saves go to checkpoint_path: after step 2 of 4 it holds the model at step 2,
     * which resumes to the same final model */
    const char *ckpt = path_of("ckpt.safetensors"), *from_ckpt = path_of("from_ckpt.safetensors");
    tiny(&o, path_of("with_ckpt.safetensors"), 4);
    o.checkpoint_path = ckpt;
    o.checkpoint_interval = 2;
    CHECK_OK(mumloc_train(&o, NULL, NULL, NULL));
    CHECK(same_file(whole, path_of("with_ckpt.safetensors")));
    mumloc_model *at2 = NULL;
    CHECK_OK(mumloc_model_load(ckpt, &at2));
    if (at2) CHECK(strcmp(mumloc_model_metadata(at2, "train_step"), "2") == 0);
    mumloc_model_destroy(at2);
    tiny(&o, from_ckpt, 4);
    o.resume_path = ckpt;
    CHECK_OK(mumloc_train(&o, NULL, NULL, NULL));
    CHECK(same_file(whole, from_ckpt));

    /* resume refuses another architecture, naming the problem */
    mumloc_train_options v;
    tiny(&v, path_of("other.safetensors"), 4);
    v.arch = MUMLOC_ARCH_VOXEL;
    v.resume_path = whole;
    CHECK_STATUS(mumloc_train(&v, NULL, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "regression model, not voxel") != NULL);

    /* a model made for other optics is fine-tuned: it starts from those weights, takes the new
     * optics and counts its steps from 0 */
    mumloc_train_options tune;
    tiny(&tune, path_of("tuned.safetensors"), 3);
    tune.sim.optics.pixel_nm = 160;
    tune.sim.optics.plane_depth_nm[3] = 1450;
    tune.resume_path = whole;
    CHECK_OK(mumloc_train(&tune, NULL, NULL, NULL));
    mumloc_model *tuned = NULL;
    CHECK_OK(mumloc_model_load(path_of("tuned.safetensors"), &tuned));
    if (tuned) {
        CHECK_OK(mumloc_model_check_optics(tuned, &tune.sim.optics));
        mumloc_optics papers;
        mumloc_optics_default(&papers);
        CHECK_STATUS(mumloc_model_check_optics(tuned, &papers), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strcmp(mumloc_model_metadata(tuned, "train_step"), "3") == 0);
        const char *from = mumloc_model_metadata(tuned, "fine_tuned_from");
        CHECK(from && strcmp(from, whole) == 0);
    }
    mumloc_model_destroy(tuned);
    /* ... from the resumed weights, not afresh: the same run without --resume differs */
    tiny(&tune, path_of("fresh.safetensors"), 3);
    tune.sim.optics.pixel_nm = 160;
    tune.sim.optics.plane_depth_nm[3] = 1450;
    CHECK_OK(mumloc_train(&tune, NULL, NULL, NULL));
    CHECK(!same_file(path_of("fresh.safetensors"), path_of("tuned.safetensors")));
    /* the network's plane count cannot change */
    tiny(&v, path_of("other.safetensors"), 4);
    v.sim.optics.planes = 3;
    v.resume_path = whole;
    CHECK_STATUS(mumloc_train(&v, NULL, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "same number of planes") != NULL);

    /* options are validated before anything is written */
    tiny(&v, path_of("never.safetensors"), 4);
    v.batch = 0;
    CHECK_STATUS(mumloc_train(&v, NULL, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "batch") != NULL);
    v.batch = 2;
    v.lr = -1;
    CHECK_STATUS(mumloc_train_options_validate(&v), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "lr") != NULL);
    v.lr = 1e-3;
    v.out_path = NULL;
    CHECK_STATUS(mumloc_train_options_validate(&v), MUMLOC_ERR_INVALID_ARGUMENT);
    FILE *f = fopen(path_of("never.safetensors"), "rb");
    CHECK(f == NULL);
    if (f) fclose(f);

    /* the papers' recipes are the defaults */
    mumloc_train_options d;
    mumloc_train_options_default(&d, MUMLOC_ARCH_VOXEL);
    CHECK(d.sim.width == 16 && d.sim.molecules == 3 && d.batch == 100 && d.epochs == 30);
    CHECK(d.frames_per_epoch == 90000 && d.beta2 == 0.99 && d.lr == 1e-3);
    mumloc_train_options_default(&d, MUMLOC_ARCH_REGRESSION);
    CHECK(d.sim.width == 64 && d.sim.molecules == 50 && d.batch == 50 && d.epochs == 20);
    CHECK(d.frames_per_epoch == 100000 && d.beta2 == 0.999);

    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_train_resume");
}
