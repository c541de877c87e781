/* org.mumloc.Drift: sample drift correction of a table (estimate, apply) and the drift plot written
 * as PNG by the library. Options cross as a Drift.Options mirror, the result fills a Drift. */
#include <stdlib.h>

#include "jni/jni_common.h"

_Static_assert(sizeof(mumloc_drift_method) == sizeof(int), "enums cross as int fields");

#define F(name, sig, member) {name, sig, offsetof(mumloc_drift_options, member)}
static const jni_field options_fields[] = {
    F("method", "I", method), F("segmentFrames", "J", segment_frames), F("pixelNm", "D", pixel_nm),
    F("maxDriftNm", "D", max_drift_nm), F("minSegmentLocalizations", "I", min_segment_localizations),
    F("correctZ", "Z", correct_z), F("fiducialPresence", "D", fiducial_presence),
    F("fiducialRadiusNm", "D", fiducial_radius_nm),
};
#undef F
static jni_mirror options_mirror = JNI_MIRROR("the drift options", options_fields);

#define F(name, sig, member) {name, sig, offsetof(mumloc_drift_info, member)}
enum { DRIFT, CORRECTED };
static const jni_field result_fields[] = {
    {"drift", "Lorg/mumloc/Table;", 0}, {"corrected", "Lorg/mumloc/Table;", 0},
    F("segments", "I", segments), F("segmentFrames", "J", segment_frames), F("pairs", "I", pairs),
    F("pairsUsed", "I", pairs_used), F("pixelNm", "D", pixel_nm), F("beads", "I", beads),
};
#undef F
static jni_mirror result_mirror = JNI_MIRROR("the drift result", result_fields);

JNI_METHOD(Drift, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);
    jni_mirror_write(env, &options_mirror, &o, out);
}

/* Estimates the drift of table and applies it to a copy; fills out (a Drift) with both tables and
 * the estimate's numbers. */
JNI_METHOD(Drift, void, nCorrect, JNIEnv *env, jclass cls, jobject jtable, jobject joptions,
           jobject listener, jobject out) {
    (void)cls;
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);
    if (jni_mirror_read(env, &options_mirror, joptions, &o)) return;
    if (jni_mirror_ids(env, &result_mirror, out)) return;
    mumloc_table *t = jni_table_of(env, jtable, "the results table"), *drift = NULL, *corrected = NULL;
    if (!t) return;
    jni_progress pr;
    if (jni_progress_init(env, listener, &pr)) return;
    mumloc_drift_info info;
    if (jni_check_progress(env, mumloc_drift_estimate(t, &o, &info, jni_progress_fn_for(&pr),
                                                             &pr, &drift)) ||
        jni_check(env, mumloc_table_copy(t, &corrected)) ||
        jni_check(env, mumloc_drift_apply(corrected, drift))) {
        mumloc_table_destroy(drift);
        mumloc_table_destroy(corrected);
        return;
    }
    jobject jdrift = jni_table_wrap(env, drift);
    jobject jcorrected = jdrift ? jni_table_wrap(env, corrected) : NULL;
    if (!jcorrected) {
        if (!jdrift) mumloc_table_destroy(corrected);
        return;
    }
    if (jni_mirror_write(env, &result_mirror, &info, out)) return;
    jni_mirror_set_object(env, &result_mirror, out, DRIFT, jdrift);
    jni_mirror_set_object(env, &result_mirror, out, CORRECTED, jcorrected);
}

JNI_METHOD(Drift, void, nWritePlot, JNIEnv *env, jclass cls, jobject jdrift, jstring jpath) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, jdrift, "the drift table");
    char *path = t ? jni_required_utf8(env, jpath, "the plot path") : NULL;
    if (!path) return;
    jni_check(env, mumloc_drift_plot_write(t, 0, 0, path));
    free(path);
}
