/* Validation (see train_validate.h): the library's own decoders and evaluation, so the metrics mean
 * what `mumloc evaluate` reports. */
#include "train/train_validate.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

/* Localizations and truths of the whole set, as rows (frame 1-based, x, y, z): one table of
 * localizations per threshold. */
typedef struct tables {
    mumloc_table *truth;
    mumloc_table **found;
    const double *thresholds;
    int count;
} tables;

static mumloc_status add_xyz_columns(mumloc_table *t) {
    ERROR_TRY(mumloc_table_add_column(t, "frame", "", NULL));
    ERROR_TRY(mumloc_table_add_column(t, "x", "nm", NULL));
    ERROR_TRY(mumloc_table_add_column(t, "y", "nm", NULL));
    return mumloc_table_add_column(t, "z", "nm", NULL);
}

static mumloc_status add_row(mumloc_table *t, int64_t frame, double x, double y, double z) {
    const double row[4] = {(double)(frame + 1), x, y, z};
    return mumloc_table_append_rows(t, row, 1);
}

/* Decodes one frame's output into found, growing the buffer when the decoder asks for more. */
static mumloc_status decode_frame(mumloc_model *model, const train_data *d, const float *output,
                                  int64_t frame, double threshold, mumloc_localization **buffer,
                                  int *cap, mumloc_table *found) {
    mumloc_decode_options options;
    mumloc_decode_options_default(&options);
    options.threshold = threshold;
    int count = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        mumloc_status st;
        if (mumloc_model_arch(model) == MUMLOC_ARCH_VOXEL) {
            int slices = 0;
            mumloc_model_output_size(model, d->width, d->height, &slices, NULL, NULL);
            st = mumloc_decode_voxel(&model->optics, output, slices, MODEL_VOXEL_UPSAMPLING,
                                     d->width, d->height, &options, frame, *buffer, *cap, &count);
        } else {
            st = mumloc_decode_regression(&model->optics, output, d->width, d->height, &options,
                                          frame, *buffer, *cap, &count);
        }
        if (st == MUMLOC_OK) break;
        if (count <= *cap || attempt) return st;
        mumloc_localization *grown = realloc(*buffer, (size_t)count * sizeof *grown);
        if (!grown) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for localizations");
        *buffer = grown;
        *cap = count;
    }
    for (int i = 0; i < count; i++) {
        const mumloc_localization *l = &(*buffer)[i];
        ERROR_TRY(add_row(found, frame, l->x_nm, l->y_nm, l->z_nm));
    }
    return MUMLOC_OK;
}

static mumloc_status run(mumloc_model *model, train_data *d, int frames, tables *t, float *output,
                         double *loss_sum) {
    int cap = 4 * d->max_emitters + 64;
    mumloc_localization *buffer = malloc((size_t)cap * sizeof *buffer);
    if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for localizations");
    nn_backend *be = model->be;
    mumloc_status st = MUMLOC_OK;
    nn_tensor *target = NULL;
    for (int first = 0; st == MUMLOC_OK && first < frames; first += d->capacity) {
        const int n = frames - first < d->capacity ? frames - first : d->capacity;
        nn_tensor *x = NULL;
        const nn_tensor *y = NULL;
        double loss = 0;
        st = train_data_fill(d, first, n);
        if (st == MUMLOC_OK) st = nn_model_input(model->nn, n, d->height, d->width, &x);
        if (st == MUMLOC_OK) st = be->upload(be, x, d->input);
        if (st == MUMLOC_OK) st = nn_model_forward(model->nn, x, NN_MODE_INFER, &y);
        if (st == MUMLOC_OK && target && be->tensor_shape(target).n != n) {
            be->tensor_destroy(be, target);
            target = NULL;
        }
        if (st == MUMLOC_OK && !target) st = be->tensor_create(be, be->tensor_shape(y), &target);
        if (st == MUMLOC_OK) st = be->upload(be, target, d->target);
        if (st == MUMLOC_OK) st = nn_model_loss(model->nn, target, &loss);
        if (st == MUMLOC_OK) st = be->download(be, y, output);
        *loss_sum += loss * n;
        for (int f = 0; st == MUMLOC_OK && f < n; f++) {
            const mumloc_emitter *e = d->truth + (size_t)f * d->max_emitters;
            for (int m = 0; st == MUMLOC_OK && m < d->truth_count[f]; m++)
                st = add_row(t->truth, first + f, e[m].x_nm, e[m].y_nm, e[m].z_nm);
            for (int i = 0; st == MUMLOC_OK && i < t->count; i++)
                st = decode_frame(model, d, output + f * d->target_per_frame, first + f,
                                  t->thresholds[i], &buffer, &cap, t->found[i]);
        }
    }
    be->tensor_destroy(be, target);
    free(buffer);
    return st;
}

mumloc_status train_validate_sweep(mumloc_model *model, train_data *d, int frames,
                                   const double *thresholds, int count, train_metrics *out) {
    tables t = {NULL, calloc((size_t)count, sizeof *t.found), thresholds, count};
    float *output = malloc((size_t)(d->capacity * d->target_per_frame) * sizeof *output);
    double loss_sum = 0;
    mumloc_status st = output && t.found
                           ? MUMLOC_OK
                           : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for validation");
    if (st == MUMLOC_OK) st = mumloc_table_create(&t.truth);
    if (st == MUMLOC_OK) st = add_xyz_columns(t.truth);
    for (int i = 0; st == MUMLOC_OK && i < count; i++) {
        st = mumloc_table_create(&t.found[i]);
        if (st == MUMLOC_OK) st = add_xyz_columns(t.found[i]);
    }
    if (st == MUMLOC_OK) st = run(model, d, frames, &t, output, &loss_sum);
    for (int i = 0; st == MUMLOC_OK && i < count; i++) {
        mumloc_evaluation *ev = NULL;
        st = mumloc_evaluate(t.truth, t.found[i], NULL, &ev);
        if (st == MUMLOC_OK) {
            const mumloc_eval_metrics *m = mumloc_evaluation_overall(ev);
            out[i] = (train_metrics){loss_sum / frames, m->truths, m->localizations, m->tp, m->fp,
                                     m->fn, m->jaccard, m->recall, m->precision, m->rmse_xy_nm,
                                     m->rmse_z_nm};
        }
        mumloc_evaluation_destroy(ev);
    }
    for (int i = 0; t.found && i < count; i++) mumloc_table_destroy(t.found[i]);
    free(t.found);
    mumloc_table_destroy(t.truth);
    free(output);
    return st;
}

mumloc_status train_validate(mumloc_model *model, train_data *d, int frames, train_metrics *out) {
    const double threshold = mumloc_model_threshold(model);
    return train_validate_sweep(model, d, frames, &threshold, 1, out);
}
