/* JNI glue for org.mumloc.Postprocess: merging blinks, filtering and FRC on a table given as Java
 * arrays. Options cross as double[] in the order of the MERGE_* and FRC_* indices below; tables come
 * back as org.mumloc.Table, the FRC as Object[] {double[] summary, double[] frequency, double[] curve,
 * double[] smoothed, String text, String json}. */
#include <math.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define POST_FN(ret, name, ...)                                                                    \
    JNIEXPORT ret JNICALL Java_org_mumloc_Postprocess_##name(__VA_ARGS__);                         \
    JNIEXPORT ret JNICALL Java_org_mumloc_Postprocess_##name(__VA_ARGS__)

enum { MERGE_DISTANCE, MERGE_DISTANCE_XY, MERGE_DISTANCE_Z, MERGE_OFF_FRAMES, MERGE_MAX_FRAMES, MERGE_COUNT };
enum { FRC_PIXEL, FRC_SPLIT, FRC_BLOCK_FRAMES, FRC_SEED, FRC_THRESHOLD, FRC_SMOOTH, FRC_COUNT };
enum { SUMMARY_COUNT = 8 };

static jdoubleArray doubles_to_java(JNIEnv *env, const double *v, jsize n) {
    jdoubleArray out = (*env)->NewDoubleArray(env, n);
    if (out && n > 0) (*env)->SetDoubleArrayRegion(env, out, 0, n, v);
    return out;
}

/* The options array of the expected length, copied into v; non-zero with an exception otherwise. */
static int options_from_java(JNIEnv *env, jdoubleArray joptions, double *v, jsize n, const char *what) {
    if (!joptions || (*env)->GetArrayLength(env, joptions) != n) {
        mumloc_jni_invalid(env, "%s: %d numbers expected", what, (int)n);
        return 1;
    }
    (*env)->GetDoubleArrayRegion(env, joptions, 0, n, v);
    return 0;
}

/* A whole number in [lo, hi], else an error naming it. */
static int whole(JNIEnv *env, double v, const char *name, double lo, double hi) {
    if (!isfinite(v) || v != floor(v) || v < lo || v > hi) {
        mumloc_jni_invalid(env, "%s must be a whole number from %.0f to %.0f, got %g", name, lo, hi, v);
        return 1;
    }
    return 0;
}

POST_FN(jdoubleArray, nMergeDefaults, JNIEnv *env, jclass cls) {
    mumloc_blink_merge_options o;
    mumloc_blink_merge_options_default(&o);
    double v[MERGE_COUNT] = {o.max_distance_nm, o.max_distance_xy_nm, o.max_distance_z_nm,
                             o.max_off_frames, o.max_frames};
    return doubles_to_java(env, v, MERGE_COUNT);
}

POST_FN(jdoubleArray, nFrcDefaults, JNIEnv *env, jclass cls) {
    mumloc_frc_options o;
    mumloc_frc_options_default(&o);
    double v[FRC_COUNT] = {o.pixel_nm, o.split, o.block_frames, (double)o.seed, o.threshold, o.smooth_rings};
    return doubles_to_java(env, v, FRC_COUNT);
}

POST_FN(jobject, nMergeBlinks, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                               jobjectArray columns, jdoubleArray joptions, jobject listener) {
    double v[MERGE_COUNT];
    if (options_from_java(env, joptions, v, MERGE_COUNT, "merge options") ||
        whole(env, v[MERGE_OFF_FRAMES], "off_frames", 0, 1e9) ||
        whole(env, v[MERGE_MAX_FRAMES], "max_frames", 0, 1e9))
        return NULL;
    mumloc_blink_merge_options o = {v[MERGE_DISTANCE], v[MERGE_DISTANCE_XY], v[MERGE_DISTANCE_Z],
                              (int)v[MERGE_OFF_FRAMES], (int)v[MERGE_MAX_FRAMES]};
    mumloc_jni_progress pr;
    if (mumloc_jni_progress_init(env, listener, &pr)) return NULL;
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the localizations"), *merged = NULL;
    jobject out = NULL;
    if (t && !mumloc_jni_check(env, mumloc_merge_blinks(t, &o, &merged, mumloc_jni_progress_fn_for(&pr), &pr)))
        out = mumloc_jni_table_to_java(env, merged);
    mumloc_table_destroy(merged);
    mumloc_table_destroy(t);
    return out;
}

POST_FN(jobject, nFilter, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                          jobjectArray columns, jstring jexpression, jdouble radius, jint min_neighbors,
                          jboolean use_z, jobject listener) {
    int failed;
    char *expression = mumloc_jni_utf8(env, jexpression, "the filter expression", &failed);
    if (failed) return NULL;
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    o.expression = expression;
    o.density_radius_nm = radius;
    o.density_min_neighbors = min_neighbors;
    o.density_use_z = use_z ? 1 : 0;
    jobject out = NULL;
    mumloc_jni_progress pr;
    mumloc_table *t = NULL, *kept = NULL;
    if (mumloc_jni_progress_init(env, listener, &pr)) goto done;
    t = mumloc_jni_table_from_java(env, names, units, columns, "the localizations");
    if (t && !mumloc_jni_check(env, mumloc_filter_table(t, &o, &kept, mumloc_jni_progress_fn_for(&pr), &pr)))
        out = mumloc_jni_table_to_java(env, kept);
done:
    mumloc_table_destroy(kept);
    mumloc_table_destroy(t);
    free(expression);
    return out;
}

static jobjectArray frc_to_java(JNIEnv *env, const mumloc_frc *f) {
    mumloc_frc_summary s;
    if (mumloc_jni_check(env, mumloc_frc_get_summary(f, &s))) return NULL;
    double summary[SUMMARY_COUNT] = {s.resolution_nm, s.threshold, s.pixel_nm, s.image_size, s.rings,
                                     s.smooth_rings, (double)s.rows_half1, (double)s.rows_half2};
    jclass object_class = (*env)->FindClass(env, "java/lang/Object");
    if (!object_class) return NULL;
    jobjectArray out = (*env)->NewObjectArray(env, 6, object_class, NULL);
    if (!out) return NULL;
    jobject items[6] = {doubles_to_java(env, summary, SUMMARY_COUNT),
                        doubles_to_java(env, mumloc_frc_frequency(f), s.rings),
                        doubles_to_java(env, mumloc_frc_curve(f), s.rings),
                        doubles_to_java(env, mumloc_frc_smoothed(f), s.rings),
                        mumloc_jni_string(env, mumloc_frc_text(f)), mumloc_jni_string(env, mumloc_frc_json(f))};
    for (int i = 0; i < 6; i++) {
        if (!items[i]) return NULL;
        (*env)->SetObjectArrayElement(env, out, i, items[i]);
    }
    return out;
}

POST_FN(jobjectArray, nFrc, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                            jobjectArray columns, jdoubleArray joptions, jstring jplot, jstring jcurve,
                            jobject listener) {
    double v[FRC_COUNT];
    if (options_from_java(env, joptions, v, FRC_COUNT, "FRC options") ||
        whole(env, v[FRC_SPLIT], "split", 0, 1) || whole(env, v[FRC_BLOCK_FRAMES], "block_frames", -1e9, 1e9) ||
        whole(env, v[FRC_SEED], "seed", 0, 9007199254740992.0) || whole(env, v[FRC_SMOOTH], "smooth", -1e9, 1e9))
        return NULL;
    mumloc_frc_options o = {v[FRC_PIXEL], (mumloc_frc_split)v[FRC_SPLIT], (int)v[FRC_BLOCK_FRAMES],
                            (uint64_t)v[FRC_SEED], v[FRC_THRESHOLD], (int)v[FRC_SMOOTH]};
    int failed;
    char *plot = mumloc_jni_utf8(env, jplot, "the plot path", &failed);
    if (failed) return NULL;
    char *curve = mumloc_jni_utf8(env, jcurve, "the curve path", &failed);
    jobjectArray out = NULL;
    mumloc_frc *f = NULL;
    mumloc_table *t = NULL;
    mumloc_jni_progress pr;
    if (failed || mumloc_jni_progress_init(env, listener, &pr)) goto done;
    t = mumloc_jni_table_from_java(env, names, units, columns, "the localizations");
    if (!t || mumloc_jni_check(env, mumloc_frc_compute(t, &o, &f, mumloc_jni_progress_fn_for(&pr), &pr))) goto done;
    if (plot && mumloc_jni_check(env, mumloc_frc_write_plot(f, plot))) goto done;
    if (curve && mumloc_jni_check(env, mumloc_frc_write_curve(f, curve))) goto done;
    out = frc_to_java(env, f);
done:
    mumloc_frc_destroy(f);
    mumloc_table_destroy(t);
    free(plot);
    free(curve);
    return out;
}
