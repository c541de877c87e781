/* JNI glue for org.mumloc.Drift: sample drift correction of a table held in Java (estimate, apply),
 * and the drift plot written as PNG by the library. Options cross as a double[] in the order of
 * OPTION_* below (Drift.Options.toArray mirrors it). */
#include <math.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define DRIFT_FN(ret, name, ...)                                                                   \
    JNIEXPORT ret JNICALL Java_org_mumloc_Drift_##name(__VA_ARGS__);                               \
    JNIEXPORT ret JNICALL Java_org_mumloc_Drift_##name(__VA_ARGS__)

enum {
    OPTION_METHOD, OPTION_SEGMENT_FRAMES, OPTION_PIXEL, OPTION_MAX_DRIFT, OPTION_MIN_SEGMENT,
    OPTION_CORRECT_Z, OPTION_FIDUCIAL_PRESENCE, OPTION_FIDUCIAL_RADIUS, OPTION_COUNT
};
enum { INFO_SEGMENTS, INFO_SEGMENT_FRAMES, INFO_PAIRS, INFO_PAIRS_USED, INFO_PIXEL, INFO_BEADS, INFO_COUNT };

static void options_to_array(const mumloc_drift_options *o, double *v) {
    v[OPTION_METHOD] = o->method;
    v[OPTION_SEGMENT_FRAMES] = (double)o->segment_frames;
    v[OPTION_PIXEL] = o->pixel_nm;
    v[OPTION_MAX_DRIFT] = o->max_drift_nm;
    v[OPTION_MIN_SEGMENT] = o->min_segment_localizations;
    v[OPTION_CORRECT_Z] = o->correct_z;
    v[OPTION_FIDUCIAL_PRESENCE] = o->fiducial_presence;
    v[OPTION_FIDUCIAL_RADIUS] = o->fiducial_radius_nm;
}

/* Whole numbers in range only: a fraction or NaN never reaches an int field. */
static int whole(JNIEnv *env, double v, const char *name, double lo, double hi) {
    if (!(v >= lo && v <= hi) || v != floor(v)) {
        mumloc_jni_invalid(env, "%s must be a whole number between %g and %g (got %g)", name, lo, hi, v);
        return 1;
    }
    return 0;
}

static int options_from_java(JNIEnv *env, jdoubleArray jo, mumloc_drift_options *o) {
    if (!jo || (*env)->GetArrayLength(env, jo) != OPTION_COUNT) {
        mumloc_jni_invalid(env, "drift options must be %d numbers", OPTION_COUNT);
        return 1;
    }
    double v[OPTION_COUNT];
    (*env)->GetDoubleArrayRegion(env, jo, 0, OPTION_COUNT, v);
    if (whole(env, v[OPTION_METHOD], "method", 0, 1) ||
        whole(env, v[OPTION_SEGMENT_FRAMES], "segment_frames", 0, 1e9) ||
        whole(env, v[OPTION_MIN_SEGMENT], "min_segment_localizations", 1, 1e9) ||
        whole(env, v[OPTION_CORRECT_Z], "z", 0, 1))
        return 1;
    mumloc_drift_options_default(o);
    o->method = (mumloc_drift_method)(int)v[OPTION_METHOD];
    o->segment_frames = (int64_t)v[OPTION_SEGMENT_FRAMES];
    o->pixel_nm = v[OPTION_PIXEL];
    o->max_drift_nm = v[OPTION_MAX_DRIFT];
    o->min_segment_localizations = (int)v[OPTION_MIN_SEGMENT];
    o->correct_z = (int)v[OPTION_CORRECT_Z];
    o->fiducial_presence = v[OPTION_FIDUCIAL_PRESENCE];
    o->fiducial_radius_nm = v[OPTION_FIDUCIAL_RADIUS];
    return 0;
}

DRIFT_FN(jdoubleArray, nDefaultOptions, JNIEnv *env, jclass cls) {
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);
    double v[OPTION_COUNT];
    options_to_array(&o, v);
    jdoubleArray out = (*env)->NewDoubleArray(env, OPTION_COUNT);
    if (out) (*env)->SetDoubleArrayRegion(env, out, 0, OPTION_COUNT, v);
    return out;
}

/* Estimates and applies: returns {Table drift, Table corrected, double[] info}. */
DRIFT_FN(jobjectArray, nCorrect, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                                  jobjectArray columns, jdoubleArray joptions, jobject listener) {
    mumloc_drift_options o;
    if (options_from_java(env, joptions, &o)) return NULL;
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the results table");
    if (!t) return NULL;
    mumloc_table *drift = NULL;
    jobjectArray result = NULL;
    mumloc_jni_progress pr;
    if (mumloc_jni_progress_init(env, listener, &pr)) goto done;
    mumloc_drift_info info;
    mumloc_status st = mumloc_drift_estimate(t, &o, &info, mumloc_jni_progress_fn_for(&pr), &pr, &drift);
    if ((*env)->ExceptionCheck(env) || mumloc_jni_check(env, st)) goto done;
    if (mumloc_jni_check(env, mumloc_drift_apply(t, drift))) goto done;
    jobject jdrift = mumloc_jni_table_to_java(env, drift);
    jobject jcorrected = jdrift ? mumloc_jni_table_to_java(env, t) : NULL;
    jdoubleArray jinfo = jcorrected ? (*env)->NewDoubleArray(env, INFO_COUNT) : NULL;
    jclass object = jinfo ? (*env)->FindClass(env, "java/lang/Object") : NULL;
    if (!object) goto done;
    double iv[INFO_COUNT] = {info.segments, (double)info.segment_frames, info.pairs, info.pairs_used,
                             info.pixel_nm, info.beads};
    (*env)->SetDoubleArrayRegion(env, jinfo, 0, INFO_COUNT, iv);
    result = (*env)->NewObjectArray(env, 3, object, NULL);
    if (!result) goto done;
    (*env)->SetObjectArrayElement(env, result, 0, jdrift);
    (*env)->SetObjectArrayElement(env, result, 1, jcorrected);
    (*env)->SetObjectArrayElement(env, result, 2, jinfo);
done:
    mumloc_table_destroy(drift);
    mumloc_table_destroy(t);
    return result;
}

DRIFT_FN(void, nWritePlot, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                           jobjectArray columns, jstring jpath) {
    char *path = mumloc_jni_required_utf8(env, jpath, "the plot path");
    if (!path) return;
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the drift table");
    if (t) mumloc_jni_check(env, mumloc_drift_plot_write(t, 0, 0, path));
    mumloc_table_destroy(t);
    free(path);
}
