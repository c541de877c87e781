/* The names of the simulator's noise models and samples (see core/enum_names.h). */
#include "core/enum_names.h"

static const char *const noise_names[] = {"physical", "none"};
static const char *const sample_names[] = {"uniform", "helix", "filaments"};

const char *mumloc_noise_name(int noise) {
    return enum_name(noise_names, ENUM_COUNT(noise_names), noise);
}

mumloc_status mumloc_noise_from_name(const char *name, mumloc_noise *out) {
    int v = 0;
    mumloc_status status = enum_from_name(noise_names, ENUM_COUNT(noise_names), "noise", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_noise)v;
    return status;
}

const char *mumloc_sample_name(int sample) {
    return enum_name(sample_names, ENUM_COUNT(sample_names), sample);
}

mumloc_status mumloc_sample_from_name(const char *name, mumloc_sample *out) {
    int v = 0;
    mumloc_status status = enum_from_name(sample_names, ENUM_COUNT(sample_names), "sample", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_sample)v;
    return status;
}
