/* JNI glue for org.mumloc.Localizer.localizeRig: a rig's raw movie file(s) localized by the library's
 * own reader in the rig's layout (mumloc_localize_files with options.rig), table and sidecar written
 * by the library. The rules of mumloc_jni.c hold: inputs checked first, every failure a
 * MumlocException. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

JNIEXPORT jlong JNICALL Java_org_mumloc_Localizer_nLocalizeRig(
    JNIEnv *env, jclass cls, jlong model_handle, jstring jrig, jstring jlayout,
    jobjectArray jpaths, jstring jcsv, jdouble threshold, jstring jrefine, jint threads,
    jstring jdevice, jlong first, jlong count, jstring jdrift, jobject listener);

/* Frees the paths copied so far. */
static void free_paths(char **paths, int n) {
    for (int i = 0; i < n; i++) free(paths[i]);
}

/* Loads the rig file, with the layout named (NULL: the file's); 1 with an exception pending on
 * failure. */
static int rig_of(JNIEnv *env, jstring jrig, jstring jlayout, mumloc_rig *rig) {
    char *path = mumloc_jni_required_utf8(env, jrig, "the rig file");
    if (!path) return 1;
    mumloc_status st = mumloc_rig_load(path, rig);
    free(path);
    if (mumloc_jni_check(env, st)) return 1;
    int failed = 0;
    char *layout = mumloc_jni_utf8(env, jlayout, "the layout", &failed);
    if (failed) return 1;
    if (layout) {
        st = mumloc_rig_layout_from_name(layout, &rig->layout);
        free(layout);
        if (mumloc_jni_check(env, st)) return 1;
    }
    return mumloc_jni_check(env, mumloc_rig_validate(rig));
}

/* Returns the rows written to csv. first: 0-based from the rig movie's first frame; count 0: to the
 * end. jdrift: the drift CSV (refine "drift"), or null. */
JNIEXPORT jlong JNICALL Java_org_mumloc_Localizer_nLocalizeRig(
    JNIEnv *env, jclass cls, jlong model_handle, jstring jrig, jstring jlayout,
    jobjectArray jpaths, jstring jcsv, jdouble threshold, jstring jrefine, jint threads,
    jstring jdevice, jlong first, jlong count, jstring jdrift, jobject listener) {
    (void)cls;
    if (model_handle == 0) {
        mumloc_jni_invalid(env, "the model handle is 0 (closed or never loaded)");
        return 0;
    }
    mumloc_model *model = (mumloc_model *)(intptr_t)model_handle;
    jsize n = jpaths ? (*env)->GetArrayLength(env, jpaths) : 0;
    if (n < 1 || n > MUMLOC_MAX_PLANES) {
        mumloc_jni_invalid(env, "a rig's movie is 1 to %d files, got %d", MUMLOC_MAX_PLANES, (int)n);
        return 0;
    }
    mumloc_rig *rig = malloc(sizeof *rig); /* large: its calibration record */
    if (!rig) {
        mumloc_jni_oom(env, "the rig");
        return 0;
    }
    char *paths[MUMLOC_MAX_PLANES] = {0}, *csv = NULL, *device = NULL, *refine = NULL,
         *drift = NULL;
    int copied = 0, failed = 0;
    jlong rows = 0;
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    if (rig_of(env, jrig, jlayout, rig)) goto done;
    for (; copied < n; copied++) {
        jstring s = (jstring)(*env)->GetObjectArrayElement(env, jpaths, copied);
        paths[copied] = mumloc_jni_required_utf8(env, s, "a movie file");
        if (!paths[copied]) goto done;
    }
    if (!(csv = mumloc_jni_required_utf8(env, jcsv, "the table file"))) goto done;
    if (!(device = mumloc_jni_required_utf8(env, jdevice, "the device"))) goto done;
    if (!(refine = mumloc_jni_required_utf8(env, jrefine, "the refinement"))) goto done;
    drift = mumloc_jni_utf8(env, jdrift, "the drift file", &failed);
    if (failed) goto done;
    if (mumloc_jni_check(env, mumloc_device_parse(device, &o.device))) goto done;
    if (mumloc_jni_check(env, mumloc_refine_mode_from_name(refine, &o.refine))) goto done;
    if (first < 0 || count < 0) {
        mumloc_jni_invalid(env, "frames: first %lld and count %lld must be >= 0", (long long)first,
                           (long long)count);
        goto done;
    }
    o.threshold = threshold;
    o.threads = threads;
    o.first_frame = first;
    o.frame_count = count;
    o.drift_path = drift;
    o.rig = rig;
    /* camera 1's noise model is the rig's; the options' camera stays the default (unused) */
    mumloc_jni_progress pr;
    if (mumloc_jni_progress_init(env, listener, &pr)) goto done;
    mumloc_localize_summary summary;
    if (mumloc_jni_check(env, mumloc_localize_files(model, (const char *const *)paths, (int)n, csv,
                                                    &o, &summary, mumloc_jni_progress_fn_for(&pr),
                                                    &pr)))
        goto done;
    rows = summary.localizations;
done:
    free_paths(paths, copied);
    free(csv);
    free(device);
    free(refine);
    free(drift);
    free(rig);
    return rows;
}
