/* org.mumloc.Calibration: a bead stack (files, or images from ImageJ) to a rig file through
 * mumloc_bead_stack_read / mumloc_bead_stack_from_images, mumloc_calibrate and mumloc_rig_save, with
 * the options as a Calibration.Options mirror (per-camera values: one for every camera, or k). */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

typedef struct numbers {
    double z_step_nm, pixel_nm;
    int layout, min_beads, psf;
} numbers;

enum { OFFSET, GAIN, EM_GAIN, READ_NOISE, REPORT, INPUTS };
static const jni_field options_fields[] = {
    {"offsetAdu", "[D", offsetof(mumloc_calibrate_options, offset_adu)},
    {"aduPerElectron", "[D", offsetof(mumloc_calibrate_options, adu_per_electron)},
    {"emGain", "[D", offsetof(mumloc_calibrate_options, em_gain)},
    {"readNoiseE", "[D", offsetof(mumloc_calibrate_options, read_noise_e)},
    {"reportPath", "Ljava/lang/String;", 0}, {"inputs", "Ljava/lang/String;", 0},
    {"zStepNm", "D", offsetof(numbers, z_step_nm)}, {"pixelNm", "D", offsetof(numbers, pixel_nm)},
    {"layout", "I", offsetof(numbers, layout)}, {"minBeads", "I", offsetof(numbers, min_beads)},
    {"psf", "I", offsetof(numbers, psf)},
};
static jni_mirror options_mirror = JNI_MIRROR("the calibration options", options_fields);

/* The library's defaults (mumloc_calibrate_options_default) into a new Calibration.Options: one value
 * for every camera, no stage step (required), the default optics' pixel (0). */
JNI_METHOD(Calibration, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    const numbers v = {0, 0, 0, o.min_beads, (int)o.psf};
    if (jni_mirror_write(env, &options_mirror, &v, out)) return;
    for (int i = OFFSET; i <= READ_NOISE; i++) {
        jdoubleArray one = jni_doubles(env, (const double *)((const char *)&o + options_fields[i].offset), 1);
        if (!one) return;
        jni_mirror_set_object(env, &options_mirror, out, i, one);
        (*env)->DeleteLocalRef(env, one);
    }
}

/* Per-camera field i of jo (length 1 or cameras; null keeps the defaults) into its member of o. */
static int camera_values(JNIEnv *env, jobject jo, int i, int cameras, mumloc_calibrate_options *o) {
    jdoubleArray values = (jdoubleArray)(*env)->GetObjectField(env, jo, jni_id(&options_mirror, i));
    if (!values) return 0;
    jsize n = (*env)->GetArrayLength(env, values);
    if (n != 1 && n != cameras) {
        jni_invalid(env, "%s: give one value for every camera or one per camera (%d), not %d",
                           options_fields[i].name, cameras, (int)n);
        return 1;
    }
    double v[MUMLOC_MAX_PLANES];
    (*env)->GetDoubleArrayRegion(env, values, 0, n, v);
    double *out = (double *)((char *)o + options_fields[i].offset);
    for (int d = 0; d < cameras; d++) out[d] = v[n == 1 ? 0 : d];
    return 0;
}

/* The stack from files (paths non-null) or from images; 1 with an exception pending on failure. */
static int read_stack(JNIEnv *env, jobjectArray jpaths, jfloatArray jimages, jint width,
                      jint height, jint channels, jint per_channel, jint bits,
                      mumloc_rig_layout layout, mumloc_bead_stack *stack) {
    if (jpaths) {
        jsize n = (*env)->GetArrayLength(env, jpaths);
        if (n < 1 || n > MUMLOC_MAX_PLANES) {
            jni_invalid(env, "beads: give 1 to %d files (got %d)", MUMLOC_MAX_PLANES, (int)n);
            return 1;
        }
        char *paths[MUMLOC_MAX_PLANES] = {0};
        int failed = 0;
        for (jsize i = 0; i < n && !failed; i++) {
            jstring s = (jstring)(*env)->GetObjectArrayElement(env, jpaths, i);
            paths[i] = jni_required_utf8(env, s, "beads file");
            failed = paths[i] == NULL;
        }
        if (!failed)
            failed = jni_check(env, mumloc_bead_stack_read((const char *const *)paths, n, layout, stack));
        for (jsize i = 0; i < n; i++) free(paths[i]);
        return failed;
    }
    if (!jimages || width <= 0 || height <= 0 || channels <= 0 || per_channel <= 0) {
        jni_invalid(env, "beads: no images given");
        return 1;
    }
    if ((int64_t)(*env)->GetArrayLength(env, jimages) != (int64_t)width * height * channels * per_channel) {
        jni_invalid(env, "beads: %d floats for %d x %d x %d x %d pixels",
                           (int)(*env)->GetArrayLength(env, jimages), width, height, channels, per_channel);
        return 1;
    }
    float *images = (*env)->GetPrimitiveArrayCritical(env, jimages, NULL);
    if (!images) return jni_alloc_failed(env, "reading the bead images");
    mumloc_status s = mumloc_bead_stack_from_images(images, width, height, channels, per_channel, bits,
                                                    layout, stack);
    (*env)->ReleasePrimitiveArrayCritical(env, jimages, images, JNI_ABORT);
    return jni_check(env, s);
}

/* Calibrates and writes the rig file; returns the summary text. */
JNI_METHOD(Calibration, jstring, nCalibrate, JNIEnv *env, jclass cls, jobjectArray jpaths,
           jfloatArray jimages, jint width, jint height, jint channels, jint per_channel, jint bits,
           jobject joptions, jstring jrig) {
    (void)cls;
    numbers v;
    if (jni_mirror_read(env, &options_mirror, joptions, &v)) return NULL;
    if (!mumloc_rig_layout_name(v.layout)) {
        jni_invalid(env, "layout %d is not one of the library's rig layouts", v.layout);
        return NULL;
    }
    if (!mumloc_psf_kind_name(v.psf)) {
        jni_invalid(env, "psf %d is not one of the library's PSF models (0 gaussian, 1 spline)", v.psf);
        return NULL;
    }
    int failed = 0;
    char *rig_path = jni_required_utf8(env, jrig, "out (the rig file)");
    if (!rig_path) return NULL;
    char *report = jni_mirror_utf8(env, &options_mirror, joptions, REPORT, &failed);
    char *inputs = failed ? NULL : jni_mirror_utf8(env, &options_mirror, joptions, INPUTS, &failed);
    mumloc_bead_stack stack;
    memset(&stack, 0, sizeof stack);
    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    jstring result = NULL;
    mumloc_rig *rig = malloc(sizeof *rig);
    mumloc_calibrate_summary *summary = malloc(sizeof *summary);
    if (!failed && (!rig || !summary)) {
        jni_oom(env, "calibrating the rig");
        failed = 1;
    }
    if (!failed)
        failed = read_stack(env, jpaths, jimages, width, height, channels, per_channel, bits,
                            (mumloc_rig_layout)v.layout, &stack);
    if (!failed) {
        o.z_step_nm = v.z_step_nm;
        if (v.pixel_nm > 0) o.optics.pixel_nm = v.pixel_nm;
        o.min_beads = v.min_beads;
        o.psf = (mumloc_psf_kind)v.psf;
        o.report_path = report;
        o.inputs = inputs ? inputs : "";
        for (int i = OFFSET; i <= READ_NOISE && !failed; i++)
            failed = camera_values(env, joptions, i, stack.cameras, &o);
    }
    char psf_path[MUMLOC_RIG_PSF_FILE_MAX] = ""; /* the spline beside the rig file, as the CLI's */
    if (!failed && o.psf == MUMLOC_PSF_SPLINE)
        failed = jni_check(env, mumloc_rig_psf_sidecar_path(rig_path, psf_path, sizeof psf_path));
    o.psf_path = psf_path;
    if (!failed) failed = jni_check(env, mumloc_calibrate(&stack, &o, rig, summary));
    if (!failed) failed = jni_check(env, mumloc_rig_save(rig_path, rig));
    if (!failed) result = jni_string(env, summary->text);
    mumloc_bead_stack_free(&stack);
    free(rig);
    free(summary);
    free(rig_path);
    free(report);
    free(inputs);
    return result;
}
