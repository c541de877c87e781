/* org.mumloc.Mumloc, the facade: the library's version, threads, and the names of its enums (the
 * words the CLI's choice lists are built from). */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

JNI_METHOD(Mumloc, jstring, nVersion, JNIEnv *env, jclass cls) {
    (void)cls;
    return jni_string(env, mumloc_version());
}

JNI_METHOD(Mumloc, void, nSetThreads, JNIEnv *env, jclass cls, jint threads) {
    (void)cls;
    jni_check(env, mumloc_set_threads(threads));
}

JNI_METHOD(Mumloc, jint, nGetThreads, JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return mumloc_get_threads();
}

JNI_METHOD(Mumloc, jstring, nOmpWaitPolicy, JNIEnv *env, jclass cls) {
    (void)cls;
    return jni_string(env, mumloc_omp_wait_policy());
}

static const char *rig_layout_word(int layout) {
    return layout >= 0 && layout < MUMLOC_RIG_LAYOUT_COUNT
               ? mumloc_rig_layout_name((mumloc_rig_layout)layout)
               : NULL;
}

/* The library's names of one enum (its _name function read until NULL), so that Java's choice lists
 * are the CLI's. */
static const struct {
    const char *which;
    const char *(*name)(int);
} enum_tables[] = {{"noise", mumloc_noise_name},
                   {"sample", mumloc_sample_name},
                   {"plane_axis", mumloc_plane_axis_name},
                   {"render_method", mumloc_render_method_name},
                   {"refine", mumloc_refine_mode_name},
                   {"arch", mumloc_arch_name},
                   {"bundled_model", mumloc_bundled_model_file},
                   {"colormap", mumloc_colormap_name},
                   {"drift_method", mumloc_drift_method_name},
                   {"precision", mumloc_precision_name},
                   {"rig_layout", rig_layout_word},
                   {"psf", mumloc_psf_kind_name},
                   {"localize_method", mumloc_localize_method_name}};

JNI_METHOD(Mumloc, jobjectArray, nEnumNames, JNIEnv *env, jclass cls, jstring jwhich) {
    (void)cls;
    char *which = jni_required_utf8(env, jwhich, "enum");
    if (!which) return NULL;
    const char *(*name)(int) = NULL;
    for (size_t i = 0; i < sizeof enum_tables / sizeof enum_tables[0]; i++)
        if (strcmp(which, enum_tables[i].which) == 0) name = enum_tables[i].name;
    if (!name) {
        jni_invalid(env, "no enum named '%s'", which);
        free(which);
        return NULL;
    }
    free(which);
    const char *names[64];
    int count = 0;
    while (count < 64 && (names[count] = name(count))) count++;
    return jni_strings(env, names, count);
}
