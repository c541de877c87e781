/* org.mumloc.Evaluation: mumloc_evaluate on two Tables with an Evaluation.Options mirror; the result
 * fills an Evaluation (Metrics and Bin mirrors, the matches, the library's text and JSON reports). */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define F(name, member) {name, "D", offsetof(mumloc_eval_options, member)}
static const jni_field options_fields[] = {
    F("toleranceNm", tolerance_nm), F("toleranceXyNm", tolerance_xy_nm),
    F("toleranceZNm", tolerance_z_nm), F("binNm", bin_nm),
};
#undef F
static jni_mirror options_mirror = JNI_MIRROR("the evaluation options", options_fields);

#define F(name, sig, member) {name, sig, offsetof(mumloc_eval_metrics, member)}
static const jni_field metrics_fields[] = {
    F("truths", "J", truths), F("localizations", "J", localizations), F("tp", "J", tp), F("fp", "J", fp),
    F("fn", "J", fn), F("jaccard", "D", jaccard), F("recall", "D", recall), F("precision", "D", precision),
    F("rmseXyNm", "D", rmse_xy_nm), F("rmseZNm", "D", rmse_z_nm), F("biasXNm", "D", bias_x_nm),
    F("biasYNm", "D", bias_y_nm), F("biasZNm", "D", bias_z_nm),
    F("crlbXyMedianNm", "D", crlb_xy_median_nm), F("crlbZMedianNm", "D", crlb_z_median_nm),
    F("crlbRmseXyNm", "D", crlb_rmse_xy_nm), F("crlbRmseZNm", "D", crlb_rmse_z_nm),
};
#undef F
static jni_mirror metrics_mirror = JNI_MIRROR("the metrics", metrics_fields);

enum { BIN_METRICS };
static const jni_field bin_fields[] = {
    {"metrics", "Lorg/mumloc/Evaluation$Metrics;", 0},
    {"zMinNm", "D", offsetof(mumloc_eval_bin, z_min_nm)}, {"zMaxNm", "D", offsetof(mumloc_eval_bin, z_max_nm)},
};
static jni_mirror bin_mirror = JNI_MIRROR("a depth bin", bin_fields);

enum { OVERALL, BINS, LOCALIZATION_MATCHES, TRUTH_MATCHES, TEXT, JSON };
static const jni_field result_fields[] = {
    {"overall", "Lorg/mumloc/Evaluation$Metrics;", 0}, {"bins", "[Lorg/mumloc/Evaluation$Bin;", 0},
    {"localizationMatches", "[J", 0}, {"truthMatches", "[J", 0},
    {"text", "Ljava/lang/String;", 0}, {"json", "Ljava/lang/String;", 0},
};
static jni_mirror result_mirror = JNI_MIRROR("the evaluation", result_fields);

JNI_METHOD(Evaluation, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_eval_options o;
    mumloc_eval_options_default(&o);
    jni_mirror_write(env, &options_mirror, &o, out);
}

/* A new object of class name (no constructor run: a result whose fields the caller sets). */
static jobject allocate(JNIEnv *env, const char *name) {
    jclass c = (*env)->FindClass(env, name);
    jobject o = c ? (*env)->AllocObject(env, c) : NULL;
    if (!o) jni_alloc_failed(env, "handing the evaluation to Java");
    if (c) (*env)->DeleteLocalRef(env, c);
    return o;
}

static jobject metrics_to_java(JNIEnv *env, const mumloc_eval_metrics *m) {
    jobject o = allocate(env, "org/mumloc/Evaluation$Metrics");
    return o && !jni_mirror_write(env, &metrics_mirror, m, o) ? o : NULL;
}

static jlongArray matches_to_java(JNIEnv *env, const int64_t *m, int64_t n) {
    jlongArray out = (*env)->NewLongArray(env, (jsize)n);
    if (!out) {
        jni_alloc_failed(env, "copying the matches");
        return NULL;
    }
    if (n > 0 && m) {
        _Static_assert(sizeof(jlong) == sizeof(int64_t), "jlong is 64 bits");
        (*env)->SetLongArrayRegion(env, out, 0, (jsize)n, (const jlong *)m);
    }
    return out;
}

static int result_to_java(JNIEnv *env, const mumloc_evaluation *e, int64_t locs, int64_t truths, jobject out) {
    jobject overall = metrics_to_java(env, mumloc_evaluation_overall(e));
    if (!overall) return -1;
    int nbins = mumloc_evaluation_bin_count(e);
    if (nbins < 0) nbins = 0;
    jclass bin_class = (*env)->FindClass(env, "org/mumloc/Evaluation$Bin");
    jobjectArray bins = bin_class ? (*env)->NewObjectArray(env, nbins, bin_class, NULL) : NULL;
    if (!bins) return jni_alloc_failed(env, "handing the evaluation to Java");
    for (int i = 0; i < nbins; i++) {
        const mumloc_eval_bin *b = mumloc_evaluation_bin(e, i);
        jobject jb = (*env)->AllocObject(env, bin_class);
        if (!jb) return jni_alloc_failed(env, "handing the evaluation to Java");
        jobject m = jni_mirror_write(env, &bin_mirror, b, jb) ? NULL : metrics_to_java(env, &b->metrics);
        if (!m) return -1;
        jni_mirror_set_object(env, &bin_mirror, jb, BIN_METRICS, m);
        (*env)->SetObjectArrayElement(env, bins, i, jb);
        (*env)->DeleteLocalRef(env, m);
        (*env)->DeleteLocalRef(env, jb);
    }
    jobject items[6] = {overall, bins, NULL, NULL, NULL, NULL};
    if (!(items[LOCALIZATION_MATCHES] = matches_to_java(env, mumloc_evaluation_localization_matches(e), locs)) ||
        !(items[TRUTH_MATCHES] = matches_to_java(env, mumloc_evaluation_truth_matches(e), truths)) ||
        !(items[TEXT] = jni_string(env, mumloc_evaluation_text(e))) ||
        !(items[JSON] = jni_string(env, mumloc_evaluation_json(e))))
        return -1;
    for (int i = OVERALL; i <= JSON; i++) jni_mirror_set_object(env, &result_mirror, out, i, items[i]);
    return 0;
}

/* Scores the localizations against the truth into out; writes the JSON report to json_path if
 * given. listener (may be null): an org.mumloc.ProgressListener over the rows matched. */
JNI_METHOD(Evaluation, void, nEvaluate, JNIEnv *env, jclass cls, jobject jtruth, jobject jlocs,
           jobject joptions, jstring jjson, jobject listener, jobject out) {
    (void)cls;
    mumloc_eval_options o;
    mumloc_eval_options_default(&o);
    if (jni_mirror_read(env, &options_mirror, joptions, &o) ||
        jni_mirror_ids(env, &result_mirror, out))
        return;
    mumloc_table *truth = jni_table_of(env, jtruth, "the ground truth");
    mumloc_table *locs = truth ? jni_table_of(env, jlocs, "the localizations") : NULL;
    if (!locs) return;
    int failed;
    char *json_path = jni_utf8(env, jjson, "the JSON file path", &failed);
    if (failed) return;
    mumloc_evaluation *e = NULL;
    jni_progress pr;
    if (!jni_progress_init(env, listener, &pr) &&
        !jni_check_progress(env, mumloc_evaluate_progress(truth, locs, &o, &e,
                                                                 jni_progress_fn_for(&pr), &pr)) &&
        !(json_path && jni_check(env, mumloc_evaluation_save_json(e, json_path))))
        result_to_java(env, e, mumloc_table_rows(locs), mumloc_table_rows(truth), out);
    mumloc_evaluation_destroy(e);
    free(json_path);
}

#define F(name, sig, member) {name, sig, offsetof(mumloc_subpixel_histogram, member)}
enum { SUBPIXEL_X, SUBPIXEL_Y };
static const jni_field subpixel_fields[] = {
    {"x", "[J", 0}, {"y", "[J", 0},
    F("pixelNm", "D", pixel_nm), F("bins", "I", bins), F("count", "J", count),
    F("chi2X", "D", chi2_x), F("chi2Y", "D", chi2_y), F("pX", "D", p_x), F("pY", "D", p_y),
    F("maxDeviationX", "D", max_deviation_x), F("maxDeviationY", "D", max_deviation_y),
};
#undef F
static jni_mirror subpixel_mirror = JNI_MIRROR("the sub-pixel histogram", subpixel_fields);

/* The sub-pixel histogram of a table (mumloc_subpixel_histogram_of) into an Evaluation.Subpixel;
 * csv_path (may be null): also written there (mumloc_subpixel_histogram_write_csv). */
JNI_METHOD(Evaluation, void, nSubpixel, JNIEnv *env, jclass cls, jobject jlocs, jdouble pixel_nm,
           jint bins, jstring jcsv, jobject out) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, jlocs, "the localizations");
    if (!t || jni_mirror_ids(env, &subpixel_mirror, out)) return;
    int failed = 0;
    char *csv = jni_utf8(env, jcsv, "the histogram file path", &failed);
    if (failed) return;
    mumloc_subpixel_histogram h;
    if (!jni_check(env, mumloc_subpixel_histogram_of(t, pixel_nm, bins, &h)) &&
        !(csv && jni_check(env, mumloc_subpixel_histogram_write_csv(&h, csv))) &&
        !jni_mirror_write(env, &subpixel_mirror, &h, out)) {
        _Static_assert(sizeof(jlong) == sizeof(int64_t), "jlong is 64 bits");
        const int64_t *counts[2] = {h.x, h.y};
        for (int axis = 0; axis < 2; axis++) {
            jlongArray a = (*env)->NewLongArray(env, h.bins);
            if (!a) {
                jni_alloc_failed(env, "copying the histogram");
                break;
            }
            (*env)->SetLongArrayRegion(env, a, 0, h.bins, (const jlong *)counts[axis]);
            jni_mirror_set_object(env, &subpixel_mirror, out, axis == 0 ? SUBPIXEL_X : SUBPIXEL_Y, a);
            (*env)->DeleteLocalRef(env, a);
        }
    }
    free(csv);
}
