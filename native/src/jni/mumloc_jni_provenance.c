/* JNI glue for org.mumloc.Model.writeProvenance: the sidecar "<table>.json" of a table that
 * "MUMLoc Localize" wrote itself (csv=), by the library's one writer (mumloc_provenance_write), so
 * that `mumloc merge` accepts tables from Fiji as it does from `mumloc localize`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

JNIEXPORT void JNICALL Java_org_mumloc_Model_nWriteProvenance(JNIEnv *env, jclass cls, jlong handle,
                                                              jstring jtable, jdouble threshold,
                                                              jstring jrefine, jstring jmovie,
                                                              jlong movie_frames, jlong first_frame,
                                                              jlong frame_count, jlong rows);

/* threshold 0 = the model's; refine "none", "positions" or "drift"; first_frame 0-based. */
JNIEXPORT void JNICALL Java_org_mumloc_Model_nWriteProvenance(JNIEnv *env, jclass cls, jlong handle,
                                                              jstring jtable, jdouble threshold,
                                                              jstring jrefine, jstring jmovie,
                                                              jlong movie_frames, jlong first_frame,
                                                              jlong frame_count, jlong rows) {
    (void)cls;
    if (handle == 0) {
        mumloc_jni_invalid(env, "the model handle is 0 (closed or never loaded)");
        return;
    }
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.threshold = threshold;
    char *refine = mumloc_jni_required_utf8(env, jrefine, "the refinement");
    if (!refine) return;
    mumloc_status st = mumloc_refine_mode_from_name(refine, &o.refine);
    free(refine);
    if (mumloc_jni_check(env, st)) return;
    char *table = mumloc_jni_required_utf8(env, jtable, "the table path");
    char *movie = table ? mumloc_jni_required_utf8(env, jmovie, "the movie path") : NULL;
    if (table && movie) {
        const mumloc_table_origin origin = {movie, movie_frames, first_frame, frame_count, rows};
        mumloc_jni_check(env, mumloc_provenance_write(table, (mumloc_model *)(intptr_t)handle, &o, &origin));
    }
    free(table);
    free(movie);
}

JNIEXPORT jstring JNICALL Java_org_mumloc_Model_nSidecarPath(JNIEnv *env, jclass cls, jstring jtable);

/* The sidecar's path of a table, by the library's naming rule (mumloc_provenance_sidecar_path). */
JNIEXPORT jstring JNICALL Java_org_mumloc_Model_nSidecarPath(JNIEnv *env, jclass cls, jstring jtable) {
    (void)cls;
    char *table = mumloc_jni_required_utf8(env, jtable, "the table path");
    if (!table) return NULL;
    size_t size = strlen(table) + 16;
    char *path = malloc(size);
    jstring out = NULL;
    if (!path) mumloc_jni_oom(env, "the sidecar path");
    else if (!mumloc_jni_check(env, mumloc_provenance_sidecar_path(table, path, size)))
        out = mumloc_jni_string(env, path);
    free(path);
    free(table);
    return out;
}
