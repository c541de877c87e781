/* mumloc_model_info_json / _text: everything a model file says about itself, for `mumloc info` and
 * the Fiji plugin. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "io/json.h"
#include "model/model_handle.h"
#include "nn/model_file.h"

/* Metadata values that hold JSON objects or arrays (optics, training recipe, ...) are embedded as
 * JSON; everything else is a string. */
static void write_value(text_buffer *t, const char *value) {
    json_value *doc = NULL;
    if ((value[0] == '{' || value[0] == '[') &&
        json_parse(value, strlen(value), "metadata", &doc) == MUMLOC_OK) {
        json_write(t, doc);
        json_free(doc);
        return;
    }
    json_write_string(t, value);
}

/* The entries the model file writes itself, then the model's own metadata. */
typedef void (*entry_fn)(text_buffer *t, int index, const char *key, const char *value);

static void each_entry(mumloc_model *model, text_buffer *t, entry_fn fn) {
    const nn_model *nn = model->nn;
    char count[32], planes[16], slices[16], version[16], steps[32];
    snprintf(count, sizeof count, "%" PRId64, nn_model_parameter_count(nn));
    snprintf(planes, sizeof planes, "%d", nn->cfg.planes);
    snprintf(slices, sizeof slices, "%d", nn->cfg.depth_slices);
    snprintf(version, sizeof version, "%d", NN_MODEL_FORMAT_VERSION);
    snprintf(steps, sizeof steps, "%" PRId64, nn->adam_steps);
    int i = 0;
    fn(t, i++, "format", NN_MODEL_FORMAT);
    fn(t, i++, "format_version", version);
    fn(t, i++, "architecture", mumloc_arch_name((int)mumloc_model_arch(model)));
    fn(t, i++, "parameter_count", count);
    fn(t, i++, "planes", planes);
    if (nn->cfg.arch == NN_ARCH_VOXEL) fn(t, i++, "depth_slices", slices);
    fn(t, i++, "adam_steps", steps);
    fn(t, i++, "library_version", mumloc_version());
    for (int k = 0; k < nn->meta.count; k++) fn(t, i++, nn->meta.keys[k], nn->meta.values[k]);
}

static void json_entry(text_buffer *t, int index, const char *key, const char *value) {
    if (index) text_puts(t, ",");
    json_write_string(t, key);
    text_puts(t, ":");
    write_value(t, value);
}

static void text_entry(text_buffer *t, int index, const char *key, const char *value) {
    text_printf(t, "%s: %s\n", key, value);
}

const char *mumloc_model_info_json(mumloc_model *model) {
    text_free(&model->info);
    text_puts(&model->info, "{");
    each_entry(model, &model->info, json_entry);
    text_puts(&model->info, "}");
    return model->info.failed ? "{}" : model->info.data;
}

const char *mumloc_model_info_text(mumloc_model *model) {
    text_free(&model->info);
    each_entry(model, &model->info, text_entry);
    return model->info.failed ? "" : model->info.data;
}
