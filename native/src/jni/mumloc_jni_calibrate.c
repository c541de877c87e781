/* JNI glue for org.mumloc.Calibration: a bead stack (files, or images from ImageJ) to a rig file
 * through mumloc_bead_stack_read / mumloc_bead_stack_from_images, mumloc_calibrate and
 * mumloc_rig_save. Numbers cross as a double[] in the order of NUMBER_* below; the per-camera
 * values as double[] of length 1 (every camera) or k. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define CALIBRATION_FN(ret, name, ...)                                                             \
    JNIEXPORT ret JNICALL Java_org_mumloc_Calibration_##name(__VA_ARGS__);                         \
    JNIEXPORT ret JNICALL Java_org_mumloc_Calibration_##name(__VA_ARGS__)

enum { NUMBER_Z_STEP, NUMBER_PIXEL, NUMBER_MIN_BEADS, NUMBER_LAYOUT, NUMBER_PSF, NUMBER_COUNT };

/* values (length 1 or cameras) into out[cameras]; 1 with an exception pending on failure. */
static int camera_values(JNIEnv *env, jdoubleArray values, const char *name, int cameras,
                         double *out) {
    if (!values) return 0; /* keep the defaults */
    jsize n = (*env)->GetArrayLength(env, values);
    if (n != 1 && n != cameras) {
        mumloc_jni_invalid(env, "%s: give one value for every camera or one per camera (%d), not %d",
                           name, cameras, (int)n);
        return 1;
    }
    double v[MUMLOC_MAX_PLANES];
    (*env)->GetDoubleArrayRegion(env, values, 0, n, v);
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
            mumloc_jni_invalid(env, "beads: give 1 to %d files (got %d)", MUMLOC_MAX_PLANES, (int)n);
            return 1;
        }
        char *paths[MUMLOC_MAX_PLANES] = {0};
        int failed = 0;
        for (jsize i = 0; i < n && !failed; i++) {
            jstring s = (jstring)(*env)->GetObjectArrayElement(env, jpaths, i);
            paths[i] = mumloc_jni_required_utf8(env, s, "beads file");
            failed = paths[i] == NULL;
        }
        if (!failed)
            failed = mumloc_jni_check(env, mumloc_bead_stack_read((const char *const *)paths, n,
                                                                  layout, stack));
        for (jsize i = 0; i < n; i++) free(paths[i]);
        return failed;
    }
    if (!jimages || width <= 0 || height <= 0 || channels <= 0 || per_channel <= 0) {
        mumloc_jni_invalid(env, "beads: no images given");
        return 1;
    }
    if ((int64_t)(*env)->GetArrayLength(env, jimages) !=
        (int64_t)width * height * channels * per_channel) {
        mumloc_jni_invalid(env, "beads: %d floats for %d x %d x %d x %d pixels",
                           (int)(*env)->GetArrayLength(env, jimages), width, height, channels,
                           per_channel);
        return 1;
    }
    float *images = (*env)->GetPrimitiveArrayCritical(env, jimages, NULL);
    if (!images) {
        mumloc_jni_oom(env, "the bead images");
        return 1;
    }
    mumloc_status s = mumloc_bead_stack_from_images(images, width, height, channels, per_channel,
                                                    bits, layout, stack);
    (*env)->ReleasePrimitiveArrayCritical(env, jimages, images, JNI_ABORT);
    return mumloc_jni_check(env, s);
}

/* Calibrates and writes the rig file; returns the summary text. */
CALIBRATION_FN(jstring, nCalibrate, JNIEnv *env, jclass cls, jobjectArray jpaths,
               jfloatArray jimages, jint width, jint height, jint channels, jint per_channel,
               jint bits, jdoubleArray jnumbers, jdoubleArray joffset, jdoubleArray jgain,
               jdoubleArray jem_gain, jdoubleArray jread_noise, jstring jrig, jstring jreport,
               jstring jinputs) {
    if (!jnumbers || (*env)->GetArrayLength(env, jnumbers) != NUMBER_COUNT) {
        mumloc_jni_invalid(env, "calibration numbers must be %d values", NUMBER_COUNT);
        return NULL;
    }
    double v[NUMBER_COUNT];
    (*env)->GetDoubleArrayRegion(env, jnumbers, 0, NUMBER_COUNT, v);
    if (!(v[NUMBER_LAYOUT] >= 0 && v[NUMBER_LAYOUT] <= MUMLOC_RIG_TILES4X1) ||
        v[NUMBER_LAYOUT] != floor(v[NUMBER_LAYOUT]) || !(v[NUMBER_MIN_BEADS] >= 3) ||
        !(v[NUMBER_MIN_BEADS] <= 100000) || v[NUMBER_MIN_BEADS] != floor(v[NUMBER_MIN_BEADS]) ||
        !mumloc_psf_kind_name(v[NUMBER_PSF] == floor(v[NUMBER_PSF]) && fabs(v[NUMBER_PSF]) < 100
                                  ? (int)v[NUMBER_PSF]
                                  : -1)) {
        mumloc_jni_invalid(env, "layout must be 0 to 4, min_beads a whole number from 3 and psf 0 "
                                "(gaussian) or 1 (spline) (got %g, %g and %g)",
                           v[NUMBER_LAYOUT], v[NUMBER_MIN_BEADS], v[NUMBER_PSF]);
        return NULL;
    }
    int failed = 0;
    char *rig_path = mumloc_jni_required_utf8(env, jrig, "out (the rig file)");
    if (!rig_path) return NULL;
    char *report = mumloc_jni_utf8(env, jreport, "report", &failed);
    char *inputs = failed ? NULL : mumloc_jni_utf8(env, jinputs, "inputs", &failed);
    mumloc_bead_stack stack;
    memset(&stack, 0, sizeof stack);
    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    jstring result = NULL;
    mumloc_rig *rig = malloc(sizeof *rig);
    mumloc_calibrate_summary *summary = malloc(sizeof *summary);
    if (!failed && (!rig || !summary)) {
        mumloc_jni_oom(env, "the rig");
        failed = 1;
    }
    if (!failed)
        failed = read_stack(env, jpaths, jimages, width, height, channels, per_channel, bits,
                            (mumloc_rig_layout)(int)v[NUMBER_LAYOUT], &stack);
    if (!failed) {
        o.z_step_nm = v[NUMBER_Z_STEP];
        if (v[NUMBER_PIXEL] > 0) o.optics.pixel_nm = v[NUMBER_PIXEL];
        o.min_beads = (int)v[NUMBER_MIN_BEADS];
        o.psf = (mumloc_psf_kind)(int)v[NUMBER_PSF];
        o.report_path = report && *report ? report : NULL;
        o.inputs = inputs;
        failed = camera_values(env, joffset, "offset", stack.cameras, o.offset_adu) ||
                 camera_values(env, jgain, "gain", stack.cameras, o.adu_per_electron) ||
                 camera_values(env, jem_gain, "em_gain", stack.cameras, o.em_gain) ||
                 camera_values(env, jread_noise, "read_noise", stack.cameras, o.read_noise_e);
    }
    char psf_path[MUMLOC_RIG_PSF_FILE_MAX] = ""; /* the spline beside the rig file, as the CLI's */
    if (!failed && o.psf == MUMLOC_PSF_SPLINE)
        failed = mumloc_jni_check(env, mumloc_rig_psf_sidecar_path(rig_path, psf_path,
                                                                   sizeof psf_path));
    o.psf_path = psf_path;
    if (!failed) failed = mumloc_jni_check(env, mumloc_calibrate(&stack, &o, rig, summary));
    if (!failed) failed = mumloc_jni_check(env, mumloc_rig_save(rig_path, rig));
    if (!failed) result = mumloc_jni_string(env, summary->text);
    mumloc_bead_stack_free(&stack);
    free(rig);
    free(summary);
    free(rig_path);
    free(report);
    free(inputs);
    return result;
}
