/* mumloc_train: the training loop (mumloc.h "Models and training"). A step's frames depend only on
 * (seed, step), Adam's state and the batch-norm statistics travel in the model file, and the step
 * count is in the metadata, so a run resumed from a saved model continues exactly where the saved
 * one stood. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/runtime.h"
#include "io/json.h"
#include "model/model_psf.h"
#include "train/train_data.h"
#include "train/train_validate.h"

/* Training frames start here; validation uses frames 0..n−1 of another seed, so they never meet. */
#define TRAIN_FRAME_BASE ((int64_t)1 << 40)

typedef struct schedule {
    int64_t total;      /* steps */
    int64_t per_epoch;  /* steps per (reported) epoch */
    int epochs;
    int64_t validate_every, checkpoint_every;
} schedule;

static schedule make_schedule(const mumloc_train_options *o) {
    schedule s;
    if (o->steps > 0) {
        s.total = o->steps;
        s.per_epoch = o->validation_interval > 0 ? o->validation_interval : o->steps;
    } else {
        s.per_epoch = (o->frames_per_epoch + o->batch - 1) / o->batch;
        s.total = s.per_epoch * o->epochs;
    }
    if (s.per_epoch > s.total) s.per_epoch = s.total;
    s.epochs = (int)((s.total + s.per_epoch - 1) / s.per_epoch);
    s.validate_every = o->validation_interval > 0 ? o->validation_interval : s.per_epoch;
    s.checkpoint_every = o->checkpoint_interval > 0 ? o->checkpoint_interval : s.validate_every;
    return s;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void put_number(text_buffer *t, const char *key, double v) {
    text_printf(t, ",\"%s\":", key);
    json_write_number(t, v);
}

/* The PSF this run's frames are drawn with: the rig's, else the Gaussian of the optics. */
static void run_psf(const mumloc_train_options *o, psf_record *out) {
    if (o->rig) psf_record_of_rig(o->rig, out);
    else memset(out, 0, sizeof *out);
}

/* Metadata "rig": the camera models the frames were recorded with (the optics are the model's). */
static mumloc_status set_rig(mumloc_model *model, const mumloc_rig *rig) {
    text_buffer t = {0};
    text_printf(&t, "{\"mumloc_rig\":%d,\"cameras\":[", rig->version);
    for (int d = 0; d < rig->optics.planes; d++) {
        const mumloc_rig_camera *c = &rig->camera[d];
        text_puts(&t, d ? ",{" : "{");
        const struct { const char *key; double value; } fields[] = {
            {"offset_adu", c->offset_adu}, {"adu_per_electron", c->adu_per_electron},
            {"em_gain", c->em_gain}, {"read_noise_e", c->read_noise_e}};
        for (int f = 0; f < 4; f++) {
            text_printf(&t, "%s\"%s\":", f ? "," : "", fields[f].key);
            json_write_number(&t, fields[f].value);
        }
        text_puts(&t, "}");
    }
    text_puts(&t, "]}");
    mumloc_status st = text_status(&t);
    if (st == MUMLOC_OK) st = model_set_meta(model, "rig", t.data);
    text_free(&t);
    return st;
}

static mumloc_status set_recipe(mumloc_model *model, const mumloc_train_options *o,
                                const schedule *s) {
    mumloc_sim_params sim = o->sim;
    sim.seed = o->seed;
    size_t needed = 0;
    char probe[1];
    mumloc_sim_params_to_json(&sim, probe, sizeof probe, &needed);
    char *sim_json = malloc(needed ? needed : 1);
    if (!sim_json) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the recipe");
    mumloc_status st = mumloc_sim_params_to_json(&sim, sim_json, needed, NULL);
    text_buffer t = {0};
    text_printf(&t, "{\"architecture\":\"%s\",\"simulation\":%s", mumloc_arch_name((int)o->arch),
                       st == MUMLOC_OK ? sim_json : "null");
    free(sim_json);
    put_number(&t, "steps", (double)s->total);
    put_number(&t, "epochs", s->epochs);
    put_number(&t, "frames_per_epoch", (double)(s->per_epoch * o->batch));
    put_number(&t, "batch", o->batch);
    put_number(&t, "lr", o->lr);
    put_number(&t, "beta1", o->beta1);
    put_number(&t, "beta2", o->beta2);
    put_number(&t, "eps", o->eps);
    put_number(&t, "lr_decay", o->lr_decay);
    put_number(&t, "lr_decay_steps", (double)o->lr_decay_steps);
    put_number(&t, "tune_threshold", o->tune_threshold);
    put_number(&t, "seed", (double)o->seed);
    put_number(&t, "first_frame_index", (double)TRAIN_FRAME_BASE);
    put_number(&t, "validation_frames", o->validation_frames);
    put_number(&t, "validation_seed", (double)o->validation_seed);
    put_number(&t, "validation_every_steps", (double)s->validate_every);
    text_puts(&t, "}");
    if (st == MUMLOC_OK) st = text_status(&t);
    if (st == MUMLOC_OK) st = model_set_meta(model, "training", t.data);
    text_free(&t);
    return st;
}

static mumloc_status set_step(mumloc_model *model, int64_t step) {
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, step);
    return model_set_meta(model, "train_step", buf);
}

static mumloc_status set_validation(mumloc_model *model, const train_metrics *m, int frames,
                                    int64_t step) {
    text_buffer t = {0};
    text_printf(&t, "{\"step\":%" PRId64 ",\"frames\":%d", step, frames);
    put_number(&t, "threshold", mumloc_model_threshold(model));
    put_number(&t, "tolerance_nm", 150);
    put_number(&t, "loss", m->loss);
    put_number(&t, "jaccard", m->jaccard);
    put_number(&t, "recall", m->recall);
    put_number(&t, "precision", m->precision);
    put_number(&t, "rmse_xy_nm", m->rmse_xy_nm);
    put_number(&t, "rmse_z_nm", m->rmse_z_nm);
    put_number(&t, "truths", (double)m->truths);
    put_number(&t, "tp", (double)m->tp);
    put_number(&t, "fp", (double)m->fp);
    put_number(&t, "fn", (double)m->fn);
    text_puts(&t, "}");
    mumloc_status st = text_status(&t);
    if (st == MUMLOC_OK) st = model_set_meta(model, "validation", t.data);
    text_free(&t);
    return st;
}

/* The voxel network's output is almost all empty voxels (3 molecules in 524,288 voxels of a 16×16
 * frame). From PyTorch's initialisation (p ≈ 0.5 everywhere) the first steps only push every output
 * towards 0, with gradients so large that Adam's second moments then damp learning for hundreds of
 * steps. Starting the head's bias at the prior log-odds of a voxel being occupied skips that phase
 * (the prior initialisation of RetinaNet's focal-loss paper). */
static mumloc_status set_prior_bias(mumloc_model *model, const mumloc_train_options *o) {
    if (o->arch != MUMLOC_ARCH_VOXEL) return MUMLOC_OK;
    int channels, ow, oh;
    mumloc_model_output_size(model, o->sim.width, o->sim.height, &channels, &ow, &oh);
    double expected = o->sim.density_per_um2 > 0
                          ? o->sim.density_per_um2 * o->sim.width * o->sim.height *
                                o->sim.optics.pixel_nm * o->sim.optics.pixel_nm * 1e-6
                          : o->sim.molecules;
    if (o->sim.density_per_um2 <= 0 && o->sim.molecules_min > 0) /* the range's mean */
        expected = 0.5 * (o->sim.molecules_min + o->sim.molecules);
    double prior = expected / ((double)channels * ow * oh);
    if (!(prior > 0)) return MUMLOC_OK;
    if (prior > 0.5) prior = 0.5;
    nn_layer *head = &model->nn->layers[model->nn->layer_count - 1];
    ERROR_TRY(model->be->fill(model->be, head->b->value, (float)log(prior / (1 - prior))));
    nn_model_touch(model->nn);
    return MUMLOC_OK;
}

/* The model to train, on options->device: a new one, or the one saved by an earlier run (checked
 * against the options). */
static mumloc_status start_model(const mumloc_train_options *o, mumloc_model **out,
                                 int64_t *done) {
    *done = 0;
    if (!o->resume_path) {
        ERROR_TRY(model_create_on(o->arch, &o->sim.optics, &o->sim.camera, o->sim.weight_max,
                                   o->seed, &o->device, NULL, out));
        ERROR_TRY(set_prior_bias(*out, o));
        ERROR_TRY(set_step(*out, 0));
        return model_set_meta(*out, "validation", "{}");
    }
    ERROR_TRY(mumloc_model_load_on_device(o->resume_path, &o->device, NULL, out));
    mumloc_model *m = *out;
    if (mumloc_model_arch(m) != o->arch)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "resume: '%s' is a %s model, not %s",
                           o->resume_path, mumloc_arch_name((int)mumloc_model_arch(m)),
                           mumloc_arch_name((int)o->arch));
    psf_record psf, model_record;
    run_psf(o, &psf);
    ERROR_TRY(model_psf(m, &model_record));
    if (mumloc_model_check_optics(m, &o->sim.optics) != MUMLOC_OK ||
        psf_record_differs(&model_record, "", &psf, "", NULL, 0)) {
        /* Trained for other optics or another PSF: fine-tune it for these (a rig's), weights as
         * the start and the schedule from step 0. */
        clear_error();
        ERROR_TRY(model_retarget(m, &o->sim.optics, &o->sim.camera, o->sim.weight_max));
        ERROR_TRY(set_step(m, 0));
        ERROR_TRY(model_set_meta(m, "fine_tuned_from", o->resume_path));
        ERROR_TRY(model_set_meta(m, "validation", "{}"));
        return MUMLOC_OK;
    }
    const char *s = mumloc_model_metadata(m, "train_step");
    char *end = NULL;
    long long step = s ? strtoll(s, &end, 10) : -1;
    if (!s || !*s || *end || step < 0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "resume: '%s' has no training step count (metadata 'train_step'): it "
                           "was not written by mumloc_train", o->resume_path);
    *done = step;
    return MUMLOC_OK;
}

/* One Adam step on the batch of this step. */
static mumloc_status train_step(mumloc_model *model, train_data *d, nn_tensor *target, int64_t step,
                                int batch, float lr, const mumloc_train_options *o, double *loss) {
    nn_backend *be = model->be;
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    ERROR_TRY(train_data_fill(d, TRAIN_FRAME_BASE + step * batch, batch));
    ERROR_TRY(nn_model_input(model->nn, batch, d->height, d->width, &x));
    ERROR_TRY(be->upload(be, x, d->input));
    ERROR_TRY(be->upload(be, target, d->target));
    ERROR_TRY(nn_model_forward(model->nn, x, NN_MODE_TRAIN, &y));
    ERROR_TRY(nn_model_loss(model->nn, target, loss));
    ERROR_TRY(nn_model_backward(model->nn, x, NULL));
    const nn_adam_hyper hyper = {lr, (float)o->beta1, (float)o->beta2, (float)o->eps};
    return nn_model_adam_step(model->nn, &hyper);
}

static double learning_rate(const mumloc_train_options *o, int64_t step) {
    if (o->lr_decay_steps <= 0 || o->lr_decay == 1.0) return o->lr;
    return o->lr * pow(o->lr_decay, (double)(step / o->lr_decay_steps));
}

static void no_metrics(mumloc_train_progress *p) {
    p->validated = 0;
    p->val_loss = p->val_jaccard = p->val_recall = p->val_precision = NAN;
    p->val_rmse_xy_nm = p->val_rmse_z_nm = NAN;
}

/* The threshold validation decodes with, kept in the model as its default. */
static mumloc_status set_threshold(mumloc_model *model, double threshold) {
    if (!(threshold > 0)) return MUMLOC_OK;
    char buf[64];
    ERROR_TRY(mumloc_format_number(threshold, buf, sizeof buf));
    model->threshold = threshold;
    return model_set_meta(model, "decode_threshold", buf);
}

/* Thresholds tune_threshold tries: fine steps where the networks' probabilities usually sit (the
 * voxel network's peaks are low, the regression network's high). */
static const double TUNE_THRESHOLDS[] = {0.01, 0.02, 0.03, 0.05, 0.07, 0.1,  0.15, 0.2,  0.25, 0.3,
                                         0.35, 0.4,  0.45, 0.5,  0.55, 0.6, 0.65, 0.7,  0.8,  0.9};
enum { TUNE_COUNT = sizeof TUNE_THRESHOLDS / sizeof TUNE_THRESHOLDS[0] };

/* Scores the validation set at every TUNE_THRESHOLDS value and makes the one with the highest
 * Jaccard the model's threshold (ties: the higher, fewer false positives on unseen data); the sweep
 * is kept in the metadata ("threshold_sweep") so the choice can be checked. */
static mumloc_status tune_threshold(mumloc_model *model, train_data *val, int frames,
                                    train_metrics *best) {
    train_metrics m[TUNE_COUNT];
    ERROR_TRY(train_validate_sweep(model, val, frames, TUNE_THRESHOLDS, TUNE_COUNT, m));
    int b = -1;
    text_buffer t = {0};
    text_puts(&t, "[");
    for (int i = 0; i < TUNE_COUNT; i++) {
        if (isfinite(m[i].jaccard) && (b < 0 || m[i].jaccard >= m[b].jaccard)) b = i;
        text_puts(&t, i ? ",{\"threshold\":" : "{\"threshold\":");
        json_write_number(&t, TUNE_THRESHOLDS[i]);
        put_number(&t, "jaccard", m[i].jaccard);
        put_number(&t, "recall", m[i].recall);
        put_number(&t, "precision", m[i].precision);
        text_puts(&t, "}");
    }
    text_puts(&t, "]");
    mumloc_status st = text_status(&t);
    if (st == MUMLOC_OK) st = model_set_meta(model, "threshold_sweep", t.data);
    text_free(&t);
    ERROR_TRY(st);
    if (b < 0) /* nothing to detect in the validation set: keep the threshold */
        return train_validate(model, val, frames, best);
    *best = m[b];
    return set_threshold(model, TUNE_THRESHOLDS[b]);
}

static mumloc_status validate_into(mumloc_model *model, train_data *val, const mumloc_train_options *o,
                                   int64_t step, int tune, mumloc_train_progress *p) {
    train_metrics m;
    if (tune)
        ERROR_TRY(tune_threshold(model, val, o->validation_frames, &m));
    else
        ERROR_TRY(train_validate(model, val, o->validation_frames, &m));
    if (!tune) nn_model_remove_meta(model->nn, "threshold_sweep"); /* it described other weights */
    ERROR_TRY(set_validation(model, &m, o->validation_frames, step));
    p->validated = 1;
    p->val_loss = m.loss;
    p->val_jaccard = m.jaccard;
    p->val_recall = m.recall;
    p->val_precision = m.precision;
    p->val_rmse_xy_nm = m.rmse_xy_nm;
    p->val_rmse_z_nm = m.rmse_z_nm;
    return MUMLOC_OK;
}

static mumloc_status run(const mumloc_train_options *o, mumloc_model *model, int64_t done,
                         mumloc_train_fn progress, void *user, int *cancelled) {
    const schedule s = make_schedule(o);
    ERROR_TRY(set_threshold(model, o->threshold));
    ERROR_TRY(set_recipe(model, o, &s));
    if (o->rig) ERROR_TRY(set_rig(model, o->rig));
    psf_record psf;
    run_psf(o, &psf);
    ERROR_TRY(model_set_psf(model, &psf));
    train_data train, val;
    ERROR_TRY(train_data_init(&train, &o->sim, o->rig, o->seed, model, o->batch));
    mumloc_status st = train_data_init(&val, &o->sim, o->rig, o->validation_seed, model, o->batch);
    if (st != MUMLOC_OK) {
        train_data_free(&train);
        return st;
    }
    nn_backend *be = model->be;
    nn_tensor *target = NULL;
    int channels, ow, oh;
    mumloc_model_output_size(model, o->sim.width, o->sim.height, &channels, &ow, &oh);
    st = be->tensor_create(be, (nn_shape){o->batch, channels, oh, ow}, &target);
    const double started = now();
    mumloc_train_progress p = {0};
    p.device = model->device.reason;
    p.steps = s.total;
    p.epochs = s.epochs;
    p.train_loss = NAN;
    int64_t step = done;
    int validated_last = 0;
    while (st == MUMLOC_OK && step < s.total && !*cancelled) {
        p.lr = learning_rate(o, step);
        st = train_step(model, &train, target, step, o->batch, (float)p.lr, o, &p.train_loss);
        if (st != MUMLOC_OK) break;
        step++;
        p.step = step;
        p.epoch = (int)((step - 1) / s.per_epoch) + 1;
        no_metrics(&p);
        validated_last = step % s.validate_every == 0 || step == s.total;
        if (validated_last)
            st = validate_into(model, &val, o, step, o->tune_threshold && step == s.total, &p);
        if (st == MUMLOC_OK && (step % s.checkpoint_every == 0) && step < s.total) {
            st = set_step(model, step);
            if (st == MUMLOC_OK)
                st = mumloc_model_save(model, o->checkpoint_path ? o->checkpoint_path : o->out_path);
        }
        p.seconds = now() - started;
        if (st == MUMLOC_OK && progress && progress(user, &p)) *cancelled = 1;
    }
    if (st == MUMLOC_OK && !validated_last && !*cancelled) {
        /* resumed at the end already: score the model as it stands */
        no_metrics(&p);
        p.step = step;
        st = validate_into(model, &val, o, step, o->tune_threshold, &p);
        p.seconds = now() - started;
        if (st == MUMLOC_OK && progress && progress(user, &p)) *cancelled = 1;
    }
    if (st == MUMLOC_OK) st = set_step(model, step);
    if (st == MUMLOC_OK) st = mumloc_model_save(model, o->out_path);
    be->tensor_destroy(be, target);
    train_data_free(&train);
    train_data_free(&val);
    return st;
}

mumloc_status mumloc_train(const mumloc_train_options *options, mumloc_train_fn progress,
                           void *user, mumloc_model **out) {
    if (out) *out = NULL;
    ERROR_TRY(mumloc_train_options_validate(options));
    threads_apply();
    mumloc_model *model = NULL;
    int64_t done = 0;
    /* made or loaded on the device: everything after this (data, targets, validation) uses its
     * backend */
    mumloc_status st = start_model(options, &model, &done);
    int cancelled = 0;
    if (st == MUMLOC_OK) st = run(options, model, done, progress, user, &cancelled);
    if (st == MUMLOC_OK && cancelled)
        st = error_fail(MUMLOC_ERR_CANCELLED, "training stopped on request after step %s; the "
                         "model so far is saved in '%s'",
                         mumloc_model_metadata(model, "train_step"), options->out_path);
    if (out && (st == MUMLOC_OK || st == MUMLOC_ERR_CANCELLED)) *out = model;
    else mumloc_model_destroy(model);
    return st;
}
