/* JNI glue for org.mumloc.Evaluation: mumloc_evaluate on two tables given as Java arrays. The result
 * crosses back as plain arrays (metrics in the order of mumloc_eval_metrics, bins, matches) and the
 * library's text and JSON reports; the evaluation handle never leaves this file. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define EVAL_FN(ret, name, ...)                                                                    \
    JNIEXPORT ret JNICALL Java_org_mumloc_Evaluation_##name(__VA_ARGS__);                          \
    JNIEXPORT ret JNICALL Java_org_mumloc_Evaluation_##name(__VA_ARGS__)

/* Numbers per metrics record and per bin (z_min, z_max, then the metrics). */
#define METRICS 17
#define BIN_VALUES (METRICS + 2)

static void metrics_to(const mumloc_eval_metrics *m, double *v) {
    v[0] = (double)m->truths;
    v[1] = (double)m->localizations;
    v[2] = (double)m->tp;
    v[3] = (double)m->fp;
    v[4] = (double)m->fn;
    v[5] = m->jaccard;
    v[6] = m->recall;
    v[7] = m->precision;
    v[8] = m->rmse_xy_nm;
    v[9] = m->rmse_z_nm;
    v[10] = m->bias_x_nm;
    v[11] = m->bias_y_nm;
    v[12] = m->bias_z_nm;
    v[13] = m->crlb_xy_median_nm;
    v[14] = m->crlb_z_median_nm;
    v[15] = m->crlb_rmse_xy_nm;
    v[16] = m->crlb_rmse_z_nm;
}

EVAL_FN(jdoubleArray, nDefaultOptions, JNIEnv *env, jclass cls) {
    mumloc_eval_options o;
    mumloc_eval_options_default(&o);
    double v[4] = {o.tolerance_nm, o.tolerance_xy_nm, o.tolerance_z_nm, o.bin_nm};
    jdoubleArray out = (*env)->NewDoubleArray(env, 4);
    if (out) (*env)->SetDoubleArrayRegion(env, out, 0, 4, v);
    return out;
}

static jlongArray matches_to_java(JNIEnv *env, const int64_t *m, int64_t n) {
    jlongArray out = (*env)->NewLongArray(env, (jsize)n);
    if (!out) return NULL;
    if (n > 0 && m) {
        jlong *buf = malloc((size_t)n * sizeof *buf);
        if (!buf) {
            mumloc_jni_oom(env, "copying the matches");
            return NULL;
        }
        for (int64_t i = 0; i < n; i++) buf[i] = (jlong)m[i];
        (*env)->SetLongArrayRegion(env, out, 0, (jsize)n, buf);
        free(buf);
    }
    return out;
}

/* Returns Object[] {double[17] overall, double[19 · bins] bins, long[] localization matches,
 * long[] truth matches, String text, String json}; writes the JSON report to json_path if given.
 * listener (may be null): an org.mumloc.ProgressListener over the rows matched; true cancels. */
EVAL_FN(jobjectArray, nEvaluate, JNIEnv *env, jclass cls, jobjectArray tnames, jobjectArray tunits,
                                 jobjectArray tcolumns, jobjectArray lnames, jobjectArray lunits,
                                 jobjectArray lcolumns, jdoubleArray joptions, jstring jjson,
                                 jobject listener) {
    if (!joptions || (*env)->GetArrayLength(env, joptions) != 4) {
        mumloc_jni_invalid(env, "evaluation options: 4 numbers expected");
        return NULL;
    }
    double ov[4];
    (*env)->GetDoubleArrayRegion(env, joptions, 0, 4, ov);
    mumloc_eval_options o = {ov[0], ov[1], ov[2], ov[3]};
    int failed;
    char *json_path = mumloc_jni_utf8(env, jjson, "the JSON file path", &failed);
    if (failed) return NULL;
    jobjectArray result = NULL;
    mumloc_evaluation *e = NULL;
    mumloc_table *truth = mumloc_jni_table_from_java(env, tnames, tunits, tcolumns, "the ground truth");
    mumloc_table *locs = truth ? mumloc_jni_table_from_java(env, lnames, lunits, lcolumns, "the localizations")
                               : NULL;
    if (!truth || !locs) goto done;
    mumloc_jni_progress pr;
    if (mumloc_jni_progress_init(env, listener, &pr)) goto done;
    if (mumloc_jni_check(env, mumloc_evaluate_progress(truth, locs, &o, &e, mumloc_jni_progress_fn_for(&pr), &pr)))
        goto done;
    if (json_path && mumloc_jni_check(env, mumloc_evaluation_save_json(e, json_path))) goto done;

    double overall[METRICS];
    metrics_to(mumloc_evaluation_overall(e), overall);
    jdoubleArray joverall = (*env)->NewDoubleArray(env, METRICS);
    if (!joverall) goto done;
    (*env)->SetDoubleArrayRegion(env, joverall, 0, METRICS, overall);
    int nbins = mumloc_evaluation_bin_count(e);
    if (nbins < 0) nbins = 0;
    double *bins = malloc(((size_t)nbins + 1) * BIN_VALUES * sizeof *bins);
    if (!bins) {
        mumloc_jni_oom(env, "copying the depth bins");
        goto done;
    }
    for (int i = 0; i < nbins; i++) {
        const mumloc_eval_bin *b = mumloc_evaluation_bin(e, i);
        bins[(size_t)i * BIN_VALUES] = b->z_min_nm;
        bins[(size_t)i * BIN_VALUES + 1] = b->z_max_nm;
        metrics_to(&b->metrics, &bins[(size_t)i * BIN_VALUES + 2]);
    }
    jdoubleArray jbins = (*env)->NewDoubleArray(env, nbins * BIN_VALUES);
    if (jbins) (*env)->SetDoubleArrayRegion(env, jbins, 0, nbins * BIN_VALUES, bins);
    free(bins);
    if (!jbins) goto done;
    jlongArray lmatch = matches_to_java(env, mumloc_evaluation_localization_matches(e), mumloc_table_rows(locs));
    if (!lmatch) goto done;
    jlongArray tmatch = matches_to_java(env, mumloc_evaluation_truth_matches(e), mumloc_table_rows(truth));
    if (!tmatch) goto done;
    jstring text = mumloc_jni_string(env, mumloc_evaluation_text(e));
    if (!text) goto done;
    jstring json = mumloc_jni_string(env, mumloc_evaluation_json(e));
    if (!json) goto done;
    jclass object_class = (*env)->FindClass(env, "java/lang/Object");
    if (!object_class) goto done;
    jobjectArray out = (*env)->NewObjectArray(env, 6, object_class, NULL);
    if (!out) goto done;
    (*env)->SetObjectArrayElement(env, out, 0, joverall);
    (*env)->SetObjectArrayElement(env, out, 1, jbins);
    (*env)->SetObjectArrayElement(env, out, 2, lmatch);
    (*env)->SetObjectArrayElement(env, out, 3, tmatch);
    (*env)->SetObjectArrayElement(env, out, 4, text);
    (*env)->SetObjectArrayElement(env, out, 5, json);
    result = out;
done:
    mumloc_evaluation_destroy(e);
    mumloc_table_destroy(truth);
    mumloc_table_destroy(locs);
    free(json_path);
    return result;
}

/* The sub-pixel histogram of a table (mumloc_subpixel_histogram_of): double[] {count, chi2_x, p_x,
 * max_deviation_x, chi2_y, p_y, max_deviation_y, x counts (bins), y counts (bins)}; csv_path (may be
 * null): also written there (mumloc_subpixel_histogram_write_csv). */
EVAL_FN(jdoubleArray, nSubpixel, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                                 jobjectArray columns, jdouble pixel_nm, jint bins, jstring jcsv) {
    int failed;
    char *csv = mumloc_jni_utf8(env, jcsv, "the histogram file path", &failed);
    if (failed) return NULL;
    jdoubleArray out = NULL;
    mumloc_subpixel_histogram h;
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the localizations");
    if (t && !mumloc_jni_check(env, mumloc_subpixel_histogram_of(t, pixel_nm, bins, &h)) &&
        !(csv && mumloc_jni_check(env, mumloc_subpixel_histogram_write_csv(&h, csv)))) {
        double v[7 + 2 * MUMLOC_SUBPIXEL_MAX_BINS] = {(double)h.count, h.chi2_x, h.p_x, h.max_deviation_x,
                                                     h.chi2_y, h.p_y, h.max_deviation_y};
        for (int b = 0; b < h.bins; b++) {
            v[7 + b] = (double)h.x[b];
            v[7 + h.bins + b] = (double)h.y[b];
        }
        const jsize n = 7 + 2 * h.bins;
        out = (*env)->NewDoubleArray(env, n);
        if (out) (*env)->SetDoubleArrayRegion(env, out, 0, n, v);
    }
    mumloc_table_destroy(t);
    free(csv);
    return out;
}
