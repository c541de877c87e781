/* JNI glue for org.mumloc.Model, org.mumloc.Localizer and org.mumloc.Device: model files, the
 * streaming localizer (frames pushed batch by batch from an ImageJ stack, localizations gathered into
 * a library table) and device selection. The rules of mumloc_jni.c hold: every input is checked
 * before the library is called and every failure throws org.mumloc.MumlocException. Handles are
 * pointers in a Java long; 0 means closed and is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define MODEL_FN(ret, name, ...)                                                                   \
    JNIEXPORT ret JNICALL Java_org_mumloc_Model_##name(__VA_ARGS__);                               \
    JNIEXPORT ret JNICALL Java_org_mumloc_Model_##name(__VA_ARGS__)
#define LOC_FN(ret, name, ...)                                                                     \
    JNIEXPORT ret JNICALL Java_org_mumloc_Localizer_##name(__VA_ARGS__);                           \
    JNIEXPORT ret JNICALL Java_org_mumloc_Localizer_##name(__VA_ARGS__)
#define DEVICE_FN(ret, name, ...)                                                                  \
    JNIEXPORT ret JNICALL Java_org_mumloc_Device_##name(__VA_ARGS__);                              \
    JNIEXPORT ret JNICALL Java_org_mumloc_Device_##name(__VA_ARGS__)

/* ---------------------------------------------------------------------------------------------- */
/* Models                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

static mumloc_model *model_of(JNIEnv *env, jlong handle) {
    if (handle == 0) {
        mumloc_jni_invalid(env, "the model handle is 0 (closed or never loaded)");
        return NULL;
    }
    return (mumloc_model *)(intptr_t)handle;
}

MODEL_FN(jlong, nLoad, JNIEnv *env, jclass cls, jstring jpath) {
    char *path = mumloc_jni_required_utf8(env, jpath, "the model file path");
    if (!path) return 0;
    mumloc_model *m = NULL;
    mumloc_status st = mumloc_model_load(path, &m);
    free(path);
    if (mumloc_jni_check(env, st)) return 0;
    return (jlong)(intptr_t)m;
}

MODEL_FN(jlong, nCreate, JNIEnv *env, jclass cls, jstring jarch, jlong seed) {
    char *name = mumloc_jni_required_utf8(env, jarch, "the architecture");
    if (!name) return 0;
    mumloc_arch arch;
    mumloc_status st = mumloc_arch_from_name(name, &arch);
    free(name);
    if (mumloc_jni_check(env, st)) return 0;
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *m = NULL;
    if (mumloc_jni_check(env, mumloc_model_create(arch, &optics, NULL, 0, (uint64_t)seed, &m))) return 0;
    return (jlong)(intptr_t)m;
}

MODEL_FN(void, nSave, JNIEnv *env, jclass cls, jlong handle, jstring jpath) {
    mumloc_model *m = model_of(env, handle);
    if (!m) return;
    char *path = mumloc_jni_required_utf8(env, jpath, "the model file path");
    if (!path) return;
    mumloc_jni_check(env, mumloc_model_save(m, path));
    free(path);
}

MODEL_FN(void, nDestroy, JNIEnv *env, jclass cls, jlong handle) {
    if (handle != 0) mumloc_model_destroy((mumloc_model *)(intptr_t)handle);
}

MODEL_FN(jint, nPlanes, JNIEnv *env, jclass cls, jlong handle) {
    mumloc_model *m = model_of(env, handle);
    if (!m) return 0;
    mumloc_optics o;
    mumloc_model_optics(m, &o);
    return o.planes;
}

MODEL_FN(jstring, nArch, JNIEnv *env, jclass cls, jlong handle) {
    mumloc_model *m = model_of(env, handle);
    if (!m) return NULL;
    return mumloc_jni_string(env, mumloc_arch_name(mumloc_model_arch(m)));
}

MODEL_FN(jdouble, nThreshold, JNIEnv *env, jclass cls, jlong handle) {
    mumloc_model *m = model_of(env, handle);
    return m ? mumloc_model_threshold(m) : 0;
}

MODEL_FN(jstring, nInfoText, JNIEnv *env, jclass cls, jlong handle) {
    mumloc_model *m = model_of(env, handle);
    if (!m) return NULL;
    return mumloc_jni_string(env, mumloc_model_info_text(m));
}

/* ---------------------------------------------------------------------------------------------- */
/* Devices                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

/* {canonical device that will run ("cpu", "cuda:N"), the library's reason sentence}. */
DEVICE_FN(jobjectArray, nResolve, JNIEnv *env, jclass cls, jstring jtext) {
    char *text = mumloc_jni_required_utf8(env, jtext, "the device");
    if (!text) return NULL;
    mumloc_device d;
    mumloc_status st = mumloc_device_parse(text, &d);
    free(text);
    if (mumloc_jni_check(env, st)) return NULL;
    mumloc_device_choice choice;
    memset(&choice, 0, sizeof choice);
    if (mumloc_jni_check(env, mumloc_device_resolve(d, &choice))) return NULL;
    char name[32];
    if (mumloc_jni_check(env, mumloc_device_format(choice.device, name, sizeof name)))
        return NULL;
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jobjectArray out = (*env)->NewObjectArray(env, 2, string_class, NULL);
    if (!out) return NULL;
    jstring a = mumloc_jni_string(env, name);
    if (!a) return NULL;
    (*env)->SetObjectArrayElement(env, out, 0, a);
    jstring b = mumloc_jni_string(env, choice.reason);
    if (!b) return NULL;
    (*env)->SetObjectArrayElement(env, out, 1, b);
    return out;
}

/* ---------------------------------------------------------------------------------------------- */
/* The streaming localizer                                                                         */
/* ---------------------------------------------------------------------------------------------- */

typedef struct jni_localizer {
    mumloc_localizer *loc;
    mumloc_table *table; /* every localization taken so far, as mumloc_localizations_to_table */
    mumloc_table *drift; /* refine "drift": a row per frame and plane (drift_columns) */
    mumloc_status drift_status; /* the first failure of the drift callback */
    int planes, width, height;
} jni_localizer;

/* The columns of mumloc_localize_file's drift table (mumloc_localize_options.drift_path). */
static const char *const drift_columns[][2] = {
    {"frame", NULL}, {"plane", NULL}, {"dx", "nm"}, {"dy", "nm"},
    {"uncertainty_dx", "nm"}, {"uncertainty_dy", "nm"}, {"molecules", NULL},
};
#define DRIFT_COLUMNS 7

static mumloc_status drift_table_columns(mumloc_table *t) {
    if (mumloc_table_columns(t) > 0) return MUMLOC_OK;
    mumloc_status st = MUMLOC_OK;
    for (int c = 0; c < DRIFT_COLUMNS && st == MUMLOC_OK; c++)
        st = mumloc_table_add_column(t, drift_columns[c][0], drift_columns[c][1], NULL);
    return st;
}

static void collect_drift(void *user, int64_t frame, const mumloc_frame_drift *drift) {
    jni_localizer *j = user;
    for (int d = 0; d < j->planes && j->drift_status == MUMLOC_OK; d++) {
        const double row[DRIFT_COLUMNS] = {(double)(frame + 1), (double)(d + 1),
                                           drift->dx_dy[2 * d], drift->dx_dy[2 * d + 1],
                                           drift->sigma_nm[2 * d], drift->sigma_nm[2 * d + 1],
                                           (double)drift->molecules};
        j->drift_status = drift_table_columns(j->drift);
        if (j->drift_status == MUMLOC_OK)
            j->drift_status = mumloc_table_append_rows(j->drift, row, 1);
    }
}

static jni_localizer *localizer_of(JNIEnv *env, jlong handle) {
    if (handle == 0) {
        mumloc_jni_invalid(env, "the localizer handle is 0 (closed or never created)");
        return NULL;
    }
    return (jni_localizer *)(intptr_t)handle;
}

static jlong finish_create(JNIEnv *env, mumloc_model *m, mumloc_localize_options *o, int planes,
                           int width, int height);

/* Camera {offset, gain, EM gain, read noise} and refinement name into o; -1 (exception pending). */
static int camera_and_refine(JNIEnv *env, jdoubleArray jcamera, jstring jrefine,
                             mumloc_localize_options *o) {
    if (!jcamera || (*env)->GetArrayLength(env, jcamera) != 4) {
        mumloc_jni_invalid(env, "the camera needs 4 numbers (offset, gain, EM gain, read noise)");
        return -1;
    }
    double cam[4];
    (*env)->GetDoubleArrayRegion(env, jcamera, 0, 4, cam);
    if ((*env)->ExceptionCheck(env)) return -1;
    o->camera.offset_adu = cam[0];
    o->camera.adu_per_electron = cam[1];
    o->camera.em_gain = cam[2];
    o->camera.read_noise_e = cam[3];
    char *refine = mumloc_jni_required_utf8(env, jrefine, "the refinement");
    if (!refine) return -1;
    mumloc_status parsed = mumloc_refine_mode_from_name(refine, &o->refine);
    free(refine);
    return mumloc_jni_check(env, parsed) ? -1 : 0;
}

/* The compressed-sensing localizer (no model): optics, camera as nCreate's, lambda (0 = automatic),
 * frames sharing a drift, known count (0 = unknown), least photons. */
LOC_FN(jlong, nCreateCs, JNIEnv *env, jclass cls, jobject joptics, jdoubleArray jcamera,
                         jint threads, jstring jrefine, jdouble lambda, jint frames, jint count,
                         jdouble min_photons, jint width, jint height) {
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.method = MUMLOC_METHOD_CS;
    o.threads = threads;
    o.cs.lambda = lambda;
    o.cs.frames = frames;
    o.cs.known_count = count;
    o.cs.min_photons = min_photons;
    if (camera_and_refine(env, jcamera, jrefine, &o)) return 0;
    mumloc_optics optics;
    if (mumloc_jni_optics_from_java(env, joptics, &optics)) return 0;
    o.optics = &optics;
    return finish_create(env, NULL, &o, optics.planes, width, height);
}

/* camera: {offset ADU, ADU per electron, EM gain, read noise e}; device: "auto", "cpu", "cuda[:N]";
 * refine: "none", "positions", "drift" (mumloc_refine_mode_from_name); precision: "auto", "fp32",
 * "bf16" (mumloc_precision_from_name); drift_window: mumloc_localize_options.drift_window. */
LOC_FN(jlong, nCreate, JNIEnv *env, jclass cls, jlong model_handle, jdoubleArray jcamera,
                       jdouble threshold, jint threads, jstring jdevice, jstring jrefine,
                       jstring jprecision, jint drift_window, jint width, jint height) {
    mumloc_model *m = model_of(env, model_handle);
    if (!m) return 0;
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    if (camera_and_refine(env, jcamera, jrefine, &o)) return 0;
    o.threshold = threshold;
    o.threads = threads;
    o.drift_window = drift_window;
    char *device = mumloc_jni_required_utf8(env, jdevice, "the device");
    if (!device) return 0;
    mumloc_status parsed = mumloc_device_parse(device, &o.device);
    free(device);
    if (mumloc_jni_check(env, parsed)) return 0;
    char *precision = mumloc_jni_required_utf8(env, jprecision, "the precision");
    if (!precision) return 0;
    parsed = mumloc_precision_from_name(precision, &o.precision);
    free(precision);
    if (mumloc_jni_check(env, parsed)) return 0;
    mumloc_optics optics;
    mumloc_model_optics(m, &optics);
    return finish_create(env, m, &o, optics.planes, width, height);
}

/* The localizer of options o (model NULL for CS; the library validates o) and its tables, with the
 * drift collected for refine = drift; the handle, or 0 (exception pending). */
static jlong finish_create(JNIEnv *env, mumloc_model *m, mumloc_localize_options *o, int planes,
                           int width, int height) {
    jni_localizer *j = calloc(1, sizeof *j);
    if (!j) {
        mumloc_jni_oom(env, "the localizer");
        return 0;
    }
    if (o->refine == MUMLOC_REFINE_DRIFT) {
        o->drift_callback = collect_drift;
        o->drift_user = j;
    }
    j->planes = planes;
    j->width = width;
    j->height = height;
    mumloc_status st = mumloc_localizer_create(m, o, width, height, &j->loc);
    if (st == MUMLOC_OK) st = mumloc_table_create(&j->table);
    if (st == MUMLOC_OK) st = mumloc_table_create(&j->drift);
    if (mumloc_jni_check(env, st)) {
        mumloc_localizer_destroy(j->loc);
        mumloc_table_destroy(j->table);
        mumloc_table_destroy(j->drift);
        free(j);
        return 0;
    }
    return (jlong)(intptr_t)j;
}

LOC_FN(void, nDestroy, JNIEnv *env, jclass cls, jlong handle) {
    if (handle == 0) return;
    jni_localizer *j = (jni_localizer *)(intptr_t)handle;
    mumloc_localizer_destroy(j->loc);
    mumloc_table_destroy(j->table);
    mumloc_table_destroy(j->drift);
    free(j);
}

static jlong take_pending(JNIEnv *env, jni_localizer *j);

/* Pushes count frames (frame, plane, row, column floats) numbered from first_frame (0-based), then
 * moves what was found into the table; returns how many localizations this batch gave. */
LOC_FN(jlong, nPush, JNIEnv *env, jclass cls, jlong handle, jfloatArray jframes, jint count,
                     jlong first_frame) {
    jni_localizer *j = localizer_of(env, handle);
    if (!j) return 0;
    if (!jframes) {
        mumloc_jni_invalid(env, "the frames are null");
        return 0;
    }
    if (count < 1 || first_frame < 0) {
        mumloc_jni_invalid(env, "push: count must be >= 1 and the first frame >= 0 (got %d, %lld)", (int)count,
                           (long long)first_frame);
        return 0;
    }
    int64_t need = (int64_t)count * j->planes * j->width * j->height;
    jsize have = (*env)->GetArrayLength(env, jframes);
    if ((int64_t)have < need) {
        mumloc_jni_invalid(env, "push: %d frames of %d planes of %dx%d need %lld floats, the array holds %d",
                           (int)count, j->planes, j->width, j->height, (long long)need, (int)have);
        return 0;
    }
    float *frames = (*env)->GetPrimitiveArrayCritical(env, jframes, NULL);
    if (!frames) {
        mumloc_jni_oom(env, "the frames");
        return 0;
    }
    /* The array is pinned; copy it so the library runs outside the critical section. */
    float *copy = malloc((size_t)need * sizeof *copy);
    if (copy) memcpy(copy, frames, (size_t)need * sizeof *copy);
    (*env)->ReleasePrimitiveArrayCritical(env, jframes, frames, JNI_ABORT);
    if (!copy) {
        mumloc_jni_oom(env, "a copy of the frames");
        return 0;
    }
    mumloc_status st = mumloc_localizer_push(j->loc, copy, count, first_frame);
    free(copy);
    if (mumloc_jni_check(env, st)) return 0;
    if (j->drift_status != MUMLOC_OK) {
        mumloc_jni_check(env, j->drift_status);
        j->drift_status = MUMLOC_OK;
        return 0;
    }
    return take_pending(env, j);
}

/* Moves the pending localizations into the table; how many, or 0 (exception pending). */
static jlong take_pending(JNIEnv *env, jni_localizer *j) {
    int64_t pending = mumloc_localizer_pending(j->loc);
    if (pending <= 0) return 0;
    mumloc_localization *locs = malloc((size_t)pending * sizeof *locs);
    if (!locs) {
        mumloc_jni_oom(env, "the localizations");
        return 0;
    }
    int64_t taken = 0;
    mumloc_status st = mumloc_localizer_take(j->loc, locs, pending, &taken);
    if (st == MUMLOC_OK) st = mumloc_localizations_to_table(locs, taken, j->table);
    free(locs);
    if (mumloc_jni_check(env, st)) return 0;
    return taken;
}

/* The end of the pushed frames: the windowed drift (drift_window ≥ 2) is estimated over them and
 * their localizations taken; nothing to do otherwise. 1 on success, 0 (exception pending). */
static int finish(JNIEnv *env, jni_localizer *j) {
    if (mumloc_jni_check(env, mumloc_localizer_finish(j->loc))) return 0;
    if (j->drift_status != MUMLOC_OK) {
        mumloc_jni_check(env, j->drift_status);
        j->drift_status = MUMLOC_OK;
        return 0;
    }
    take_pending(env, j);
    return !(*env)->ExceptionCheck(env);
}

LOC_FN(jobject, nTable, JNIEnv *env, jclass cls, jlong handle) {
    jni_localizer *j = localizer_of(env, handle);
    if (!j || !finish(env, j)) return NULL;
    if (mumloc_table_columns(j->table) == 0) {
        /* No localization yet: still the ThunderSTORM columns, with no rows. */
        if (mumloc_jni_check(env, mumloc_localizations_to_table(NULL, 0, j->table))) return NULL;
    }
    return mumloc_jni_table_to_java(env, j->table);
}

/* The drift estimated so far (refine "drift"; otherwise no rows), with its columns even when empty. */
LOC_FN(jobject, nDrift, JNIEnv *env, jclass cls, jlong handle) {
    jni_localizer *j = localizer_of(env, handle);
    if (!j || !finish(env, j)) return NULL;
    if (mumloc_jni_check(env, drift_table_columns(j->drift))) return NULL;
    return mumloc_jni_table_to_java(env, j->drift);
}
