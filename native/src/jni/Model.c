/* org.mumloc.Model: a mumloc_model behind a Java handle (0 = closed, refused): files, what it is,
 * the optics check against a movie's record, and the sidecar of a table it made. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

static const jni_field model_fields[] = {{"handle", "J", 0}};
static jni_mirror model_mirror = JNI_MIRROR("the model", model_fields);

static mumloc_model *model_at(JNIEnv *env, jlong handle) {
    if (handle == 0) jni_invalid(env, "the model handle is 0 (closed or never loaded)");
    return (mumloc_model *)(intptr_t)handle;
}

mumloc_model *jni_model_of(JNIEnv *env, jobject model) {
    if (jni_mirror_ids(env, &model_mirror, model)) return NULL;
    return model_at(env, (*env)->GetLongField(env, model, jni_id(&model_mirror, 0)));
}

JNI_METHOD(Model, jlong, nLoad, JNIEnv *env, jclass cls, jstring jpath) {
    (void)cls;
    char *path = jni_required_utf8(env, jpath, "the model file path");
    if (!path) return 0;
    mumloc_model *m = NULL;
    mumloc_status st = mumloc_model_load(path, &m);
    free(path);
    if (jni_check(env, st)) return 0;
    return (jlong)(intptr_t)m;
}

JNI_METHOD(Model, jlong, nCreate, JNIEnv *env, jclass cls, jstring jarch, jlong seed) {
    (void)cls;
    char *name = jni_required_utf8(env, jarch, "the architecture");
    if (!name) return 0;
    mumloc_arch arch;
    mumloc_status st = mumloc_arch_from_name(name, &arch);
    free(name);
    if (jni_check(env, st)) return 0;
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *m = NULL;
    if (jni_check(env, mumloc_model_create(arch, &optics, NULL, 0, (uint64_t)seed, &m))) return 0;
    return (jlong)(intptr_t)m;
}

JNI_METHOD(Model, void, nSave, JNIEnv *env, jclass cls, jlong handle, jstring jpath) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    char *path = m ? jni_required_utf8(env, jpath, "the model file path") : NULL;
    if (!path) return;
    jni_check(env, mumloc_model_save(m, path));
    free(path);
}

JNI_METHOD(Model, void, nDestroy, JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    mumloc_model_destroy((mumloc_model *)(intptr_t)handle);
}

JNI_METHOD(Model, jint, nPlanes, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    if (!m) return 0;
    mumloc_optics o;
    mumloc_model_optics(m, &o);
    return o.planes;
}

JNI_METHOD(Model, jstring, nArch, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    return m ? jni_string(env, mumloc_arch_name(mumloc_model_arch(m))) : NULL;
}

JNI_METHOD(Model, jdouble, nThreshold, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    return m ? mumloc_model_threshold(m) : 0;
}

JNI_METHOD(Model, jstring, nInfoText, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    return m ? jni_string(env, mumloc_model_info_text(m)) : NULL;
}

/* false: the description records no optics (nothing to check); true: it does and they equal the
 * model's; otherwise throws the library's message naming every differing field and both values. */
JNI_METHOD(Model, jboolean, nCheckRecordedOptics, JNIEnv *env, jclass cls, jlong handle,
           jstring jdescription) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    if (!m) return JNI_FALSE;
    int failed = 0;
    char *description = jni_utf8(env, jdescription, "the movie description", &failed);
    if (failed) return JNI_FALSE;
    mumloc_optics recorded;
    int found = 0;
    mumloc_status st = mumloc_optics_from_description(description, &found, &recorded);
    free(description);
    if (jni_check(env, st) || !found) return JNI_FALSE;
    return jni_check(env, mumloc_model_check_optics(m, &recorded)) ? JNI_FALSE : JNI_TRUE;
}

/* The sidecar "<table>.json" of a table that "MUMLoc Localize" wrote itself, by the library's one
 * writer (mumloc_provenance_write), so that `mumloc merge` accepts tables from Fiji as from the CLI.
 * threshold 0 = the model's; refine a mumloc_refine_mode name; first_frame 0-based. */
JNI_METHOD(Model, void, nWriteProvenance, JNIEnv *env, jclass cls, jlong handle, jstring jtable,
           jdouble threshold, jstring jrefine, jstring jmovie, jlong movie_frames, jlong first_frame,
           jlong frame_count, jlong rows) {
    (void)cls;
    mumloc_model *m = model_at(env, handle);
    if (!m) return;
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.threshold = threshold;
    char *refine = jni_required_utf8(env, jrefine, "the refinement");
    if (!refine) return;
    mumloc_status st = mumloc_refine_mode_from_name(refine, &o.refine);
    free(refine);
    if (jni_check(env, st)) return;
    char *table = jni_required_utf8(env, jtable, "the table path");
    char *movie = table ? jni_required_utf8(env, jmovie, "the movie path") : NULL;
    if (table && movie) {
        const mumloc_table_origin origin = {movie, movie_frames, first_frame, frame_count, rows};
        jni_check(env, mumloc_provenance_write(table, m, &o, &origin));
    }
    free(table);
    free(movie);
}

/* The sidecar's path of a table, by the library's naming rule (mumloc_provenance_sidecar_path). */
JNI_METHOD(Model, jstring, nSidecarPath, JNIEnv *env, jclass cls, jstring jtable) {
    (void)cls;
    char *table = jni_required_utf8(env, jtable, "the table path");
    if (!table) return NULL;
    size_t size = strlen(table) + 16;
    char *path = malloc(size);
    jstring out = NULL;
    if (!path) jni_oom(env, "making the sidecar path");
    else if (!jni_check(env, mumloc_provenance_sidecar_path(table, path, size)))
        out = jni_string(env, path);
    free(path);
    free(table);
    return out;
}
