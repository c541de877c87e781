/* org.mumloc.Postprocess: merging blinks, filtering and FRC on a Table, with the options as
 * MergeOptions / FrcOptions mirrors; tables come back as Table handles, the FRC fills an Frc. */
#include <stdlib.h>

#include "jni/jni_common.h"

_Static_assert(sizeof(mumloc_frc_split) == sizeof(int), "enums cross as int fields");

#define F(name, sig, member) {name, sig, offsetof(mumloc_blink_merge_options, member)}
static const jni_field merge_fields[] = {
    F("distanceNm", "D", max_distance_nm), F("distanceXyNm", "D", max_distance_xy_nm),
    F("distanceZNm", "D", max_distance_z_nm), F("offFrames", "I", max_off_frames),
    F("maxFrames", "I", max_frames),
};
#undef F
static jni_mirror merge_mirror = JNI_MIRROR("the merge options", merge_fields);

#define F(name, sig, member) {name, sig, offsetof(mumloc_frc_options, member)}
static const jni_field frc_fields[] = {
    F("pixelNm", "D", pixel_nm), F("split", "I", split), F("blockFrames", "I", block_frames),
    F("seed", "J", seed), F("threshold", "D", threshold), F("smoothRings", "I", smooth_rings),
};
#undef F
static jni_mirror frc_mirror = JNI_MIRROR("the FRC options", frc_fields);

#define F(name, sig, member) {name, sig, offsetof(mumloc_frc_summary, member)}
enum { FREQUENCY, CURVE, SMOOTHED, TEXT, JSON };
static const jni_field result_fields[] = {
    {"frequency", "[D", 0}, {"curve", "[D", 0}, {"smoothed", "[D", 0},
    {"text", "Ljava/lang/String;", 0}, {"json", "Ljava/lang/String;", 0},
    F("resolutionNm", "D", resolution_nm), F("threshold", "D", threshold), F("pixelNm", "D", pixel_nm),
    F("imageSize", "I", image_size), F("smoothRings", "I", smooth_rings),
    F("rowsHalf1", "J", rows_half1), F("rowsHalf2", "J", rows_half2),
};
#undef F
static jni_mirror result_mirror = JNI_MIRROR("the FRC result", result_fields);

JNI_METHOD(Postprocess, void, nMergeDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_blink_merge_options o;
    mumloc_blink_merge_options_default(&o);
    jni_mirror_write(env, &merge_mirror, &o, out);
}

JNI_METHOD(Postprocess, void, nFrcDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_frc_options o;
    mumloc_frc_options_default(&o);
    jni_mirror_write(env, &frc_mirror, &o, out);
}

JNI_METHOD(Postprocess, jobject, nMergeBlinks, JNIEnv *env, jclass cls, jobject jtable,
           jobject joptions, jobject listener) {
    (void)cls;
    mumloc_blink_merge_options o;
    mumloc_blink_merge_options_default(&o);
    if (jni_mirror_read(env, &merge_mirror, joptions, &o)) return NULL;
    mumloc_table *t = jni_table_of(env, jtable, "the localizations"), *merged = NULL;
    jni_progress pr;
    if (!t || jni_progress_init(env, listener, &pr)) return NULL;
    if (jni_check_progress(env, mumloc_merge_blinks(t, &o, &merged, jni_progress_fn_for(&pr), &pr)))
        return NULL;
    return jni_table_wrap(env, merged);
}

JNI_METHOD(Postprocess, jobject, nFilter, JNIEnv *env, jclass cls, jobject jtable, jstring jexpression,
           jdouble radius, jint min_neighbors, jboolean use_z, jobject listener) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, jtable, "the localizations"), *kept = NULL;
    if (!t) return NULL;
    int failed;
    char *expression = jni_utf8(env, jexpression, "the filter expression", &failed);
    if (failed) return NULL;
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    o.expression = expression;
    o.density_radius_nm = radius;
    o.density_min_neighbors = min_neighbors;
    o.density_use_z = use_z ? 1 : 0;
    jobject out = NULL;
    jni_progress pr;
    if (!jni_progress_init(env, listener, &pr) &&
        !jni_check_progress(env, mumloc_filter_table(t, &o, &kept, jni_progress_fn_for(&pr), &pr)))
        out = jni_table_wrap(env, kept);
    free(expression);
    return out;
}

static int frc_to_java(JNIEnv *env, const mumloc_frc *f, jobject out) {
    mumloc_frc_summary s;
    if (jni_check(env, mumloc_frc_get_summary(f, &s)) ||
        jni_mirror_write(env, &result_mirror, &s, out))
        return -1;
    jobject items[5] = {jni_doubles(env, mumloc_frc_frequency(f), s.rings), NULL, NULL, NULL, NULL};
    if (items[0]) items[1] = jni_doubles(env, mumloc_frc_curve(f), s.rings);
    if (items[1]) items[2] = jni_doubles(env, mumloc_frc_smoothed(f), s.rings);
    if (items[2]) items[3] = jni_string(env, mumloc_frc_text(f));
    if (items[3]) items[4] = jni_string(env, mumloc_frc_json(f));
    if (!items[4]) return -1;
    for (int i = FREQUENCY; i <= JSON; i++) jni_mirror_set_object(env, &result_mirror, out, i, items[i]);
    return 0;
}

JNI_METHOD(Postprocess, void, nFrc, JNIEnv *env, jclass cls, jobject jtable, jobject joptions,
           jstring jplot, jstring jcurve, jobject listener, jobject out) {
    (void)cls;
    mumloc_frc_options o;
    mumloc_frc_options_default(&o);
    if (jni_mirror_read(env, &frc_mirror, joptions, &o) ||
        jni_mirror_ids(env, &result_mirror, out))
        return;
    mumloc_table *t = jni_table_of(env, jtable, "the localizations");
    if (!t) return;
    int failed;
    char *plot = jni_utf8(env, jplot, "the plot path", &failed);
    if (failed) return;
    char *curve = jni_utf8(env, jcurve, "the curve path", &failed);
    mumloc_frc *f = NULL;
    jni_progress pr;
    if (failed || jni_progress_init(env, listener, &pr) ||
        jni_check_progress(env, mumloc_frc_compute(t, &o, &f, jni_progress_fn_for(&pr), &pr)) ||
        (plot && jni_check(env, mumloc_frc_write_plot(f, plot))) ||
        (curve && jni_check(env, mumloc_frc_write_curve(f, curve))))
        goto done;
    frc_to_java(env, f, out);
done:
    mumloc_frc_destroy(f);
    free(plot);
    free(curve);
}
