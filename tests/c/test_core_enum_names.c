/* Every enum's _name/_from_name pair: the documented words in value order (mumloc.h), a round trip
 * for each value, NULL outside the range, and an unknown word refused with a message that lists the
 * accepted ones. The CLI's choice lists and Java's lists are built from these functions. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

typedef const char *(*name_fn)(int);
typedef mumloc_status (*from_fn)(const char *, int *);

/* An int-typed adapter for each typed _from_name (calling through a cast pointer would be UB). */
#define FROM_ADAPTER(fn, type)                                                                     \
    static mumloc_status fn##_int(const char *name, int *out) {                                    \
        type value = (type)*out;                                                                   \
        mumloc_status status = fn(name, &value);                                                   \
        *out = (int)value;                                                                         \
        return status;                                                                             \
    }
FROM_ADAPTER(mumloc_noise_from_name, mumloc_noise)
FROM_ADAPTER(mumloc_sample_from_name, mumloc_sample)
FROM_ADAPTER(mumloc_plane_axis_from_name, mumloc_plane_axis)
FROM_ADAPTER(mumloc_render_method_from_name, mumloc_render_method)
FROM_ADAPTER(mumloc_refine_mode_from_name, mumloc_refine_mode)
FROM_ADAPTER(mumloc_arch_from_name, mumloc_arch)
FROM_ADAPTER(mumloc_colormap_from_name, mumloc_colormap)
FROM_ADAPTER(mumloc_drift_method_from_name, mumloc_drift_method)
#define FROM(fn) fn##_int

static void check_enum(const char *label, name_fn name, from_fn from, const char *const *words,
                       int count) {
    for (int v = 0; v < count; v++) {
        const char *word = name(v);
        if (!word || strcmp(word, words[v]) != 0) {
            fprintf(stderr, "%s: value %d is named '%s', documented '%s'\n", label, v,
                    word ? word : "(null)", words[v]);
            check_failures++;
            continue;
        }
        int back = -1;
        CHECK_OK(from(word, &back));
        CHECK(back == v);
    }
    CHECK(name(count) == NULL);
    CHECK(name(-1) == NULL);
    int untouched = 12345;
    CHECK(from("no-such-word", &untouched) == MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(untouched == 12345);
    const char *message = mumloc_last_error();
    CHECK(strstr(message, "no-such-word") != NULL);
    for (int v = 0; v < count; v++) CHECK(strstr(message, words[v]) != NULL);
    CHECK(from(NULL, &untouched) == MUMLOC_ERR_INVALID_ARGUMENT);
}

int main(void) {
    static const char *const noise[] = {"physical", "none"};
    static const char *const sample[] = {"uniform", "helix", "filaments"};
    static const char *const axis[] = {"auto", "channels", "slices"};
    static const char *const method[] = {"histogram", "gaussian", "ash"};
    static const char *const refine[] = {"none", "positions", "drift"};
    static const char *const arch[] = {"regression", "voxel"};
    static const char *const colormap[] = {"viridis", "turbo"};
    static const char *const drift[] = {"rcc", "fiducial"};
    check_enum("noise", mumloc_noise_name, FROM(mumloc_noise_from_name), noise, 2);
    check_enum("sample", mumloc_sample_name, FROM(mumloc_sample_from_name), sample, 3);
    check_enum("plane axis", mumloc_plane_axis_name, FROM(mumloc_plane_axis_from_name), axis, 3);
    check_enum("render method", mumloc_render_method_name, FROM(mumloc_render_method_from_name),
               method, 3);
    check_enum("refine", mumloc_refine_mode_name, FROM(mumloc_refine_mode_from_name), refine, 3);
    check_enum("arch", mumloc_arch_name, FROM(mumloc_arch_from_name), arch, 2);
    check_enum("colormap", mumloc_colormap_name, FROM(mumloc_colormap_from_name), colormap, 2);
    check_enum("drift method", mumloc_drift_method_name, FROM(mumloc_drift_method_from_name), drift,
               2);
    /* The enumerators' values are the positions of their words. */
    CHECK(MUMLOC_NOISE_NONE == 1 && MUMLOC_SAMPLE_FILAMENTS == 2 && MUMLOC_PLANES_SLICES == 2);
    CHECK(MUMLOC_RENDER_ASH == 2 && MUMLOC_REFINE_DRIFT == 2 && MUMLOC_ARCH_VOXEL == 1);
    CHECK(MUMLOC_DRIFT_FIDUCIAL == 1 && MUMLOC_COLORMAP_TURBO == 1);
    /* one bundled model file per architecture, the regression one's name unchanged since issue 4 */
    CHECK(strcmp(mumloc_bundled_model_file(MUMLOC_ARCH_REGRESSION), "default-model.safetensors") == 0);
    CHECK(strcmp(mumloc_bundled_model_file(MUMLOC_ARCH_VOXEL), "voxel-model.safetensors") == 0);
    CHECK(mumloc_bundled_model_file(2) == NULL && mumloc_bundled_model_file(-1) == NULL);
    return CHECK_DONE("enum names");
}
