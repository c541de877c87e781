/* org.mumloc.Training: the fields of a Training.Options mirror (read by name) onto
 * mumloc_train_options as `mumloc train` maps its options (the schedule as steps or as epochs ×
 * frames per epoch, a model to resume from, the optics or rig file), the options' defaults from
 * mumloc_train_options_default, and mumloc_train with its per-step progress forwarded to a Java
 * Training.Listener, which can stop training (the model is then saved all the same). An exception
 * thrown by the listener stops training and comes out as it is. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define F(name, sig, member) {name, sig, offsetof(mumloc_train_options, member)}
enum { CAMERA, ARCH, OPTICS_PATH, RIG_PATH, DEVICE, OUT, RESUME };
static const jni_field options_fields[] = {
    {"camera", "Lorg/mumloc/Camera;", 0}, {"arch", "Ljava/lang/String;", 0},
    {"opticsPath", "Ljava/lang/String;", 0}, {"rigPath", "Ljava/lang/String;", 0},
    {"device", "Ljava/lang/String;", 0}, {"out", "Ljava/lang/String;", 0},
    {"resumePath", "Ljava/lang/String;", 0},
    F("width", "I", sim.width), F("height", "I", sim.height), F("molecules", "I", sim.molecules),
    F("moleculesMin", "I", sim.molecules_min), F("densityPerUm2", "D", sim.density_per_um2),
    F("steps", "J", steps), F("batch", "I", batch), F("lr", "D", lr), F("seed", "J", seed),
    F("validationFrames", "I", validation_frames), F("tuneThreshold", "Z", tune_threshold),
    F("validationInterval", "J", validation_interval),
};
#undef F
static jni_mirror options_mirror = JNI_MIRROR("the training options", options_fields);

/* The fields whose 0 keeps the architecture's value (epochs, frames per epoch) or the setting. */
typedef struct schedule {
    int epochs;
    int64_t frames_per_epoch;
    int threads;
} schedule;
static const jni_field schedule_fields[] = {
    {"epochs", "I", offsetof(schedule, epochs)},
    {"framesPerEpoch", "J", offsetof(schedule, frames_per_epoch)},
    {"threads", "I", offsetof(schedule, threads)},
};
static jni_mirror schedule_mirror = JNI_MIRROR("the training options", schedule_fields);

/* The library's defaults (the regression network's) into a new Options. */
JNI_METHOD(Training, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_train_options o;
    mumloc_train_options_default(&o, MUMLOC_ARCH_REGRESSION);
    const schedule keep = {0, 0, 0};
    char device[32];
    if (jni_mirror_write(env, &options_mirror, &o, out) ||
        jni_mirror_write(env, &schedule_mirror, &keep, out) ||
        jni_check(env, mumloc_device_format(o.device, device, sizeof device)))
        return;
    jobject camera = (*env)->GetObjectField(env, out, jni_id(&options_mirror, CAMERA));
    if (camera && jni_camera_to_java(env, &o.sim.camera, camera)) return;
    jstring arch = jni_string(env, mumloc_arch_name(MUMLOC_ARCH_REGRESSION));
    jstring dev = arch ? jni_string(env, device) : NULL;
    if (!dev) return;
    jni_mirror_set_object(env, &options_mirror, out, ARCH, arch);
    jni_mirror_set_object(env, &options_mirror, out, DEVICE, dev);
}

typedef struct step_listener {
    JNIEnv *env;
    jobject listener;
    jmethodID method;
} step_listener;

static int on_step(void *user, const mumloc_train_progress *p) {
    step_listener *c = user;
    if (!c->listener) return 0;
    JNIEnv *env = c->env;
    if ((*env)->ExceptionCheck(env)) return 1;
    jboolean stop = (*env)->CallBooleanMethod(
        env, c->listener, c->method, (jlong)p->step, (jlong)p->steps, (jdouble)p->train_loss,
        (jdouble)p->lr, (jboolean)(p->validated != 0), (jdouble)p->val_loss,
        (jdouble)p->val_jaccard, (jdouble)p->val_rmse_xy_nm, (jdouble)p->val_rmse_z_nm,
        (jdouble)p->seconds);
    if ((*env)->ExceptionCheck(env)) return 1;
    return stop ? 1 : 0;
}

/* The arch-dependent defaults, then the numeric fields of jo (0 keeps epochs and frames per epoch
 * of the architecture, as the CLI does for options not given). */
static int read_options(JNIEnv *env, jobject jo, mumloc_train_options *o, int *threads) {
    if (jni_mirror_ids(env, &options_mirror, jo)) return -1;
    int failed = 0;
    char *arch_name = jni_mirror_utf8(env, &options_mirror, jo, ARCH, &failed);
    if (failed) return -1;
    mumloc_arch arch;
    mumloc_status st = mumloc_arch_from_name(arch_name ? arch_name : "", &arch);
    free(arch_name);
    if (jni_check(env, st)) return -1;
    mumloc_train_options_default(o, arch);
    schedule s;
    if (jni_mirror_read(env, &options_mirror, jo, o) || jni_mirror_read(env, &schedule_mirror, jo, &s))
        return -1;
    jobject jc = (*env)->GetObjectField(env, jo, jni_id(&options_mirror, CAMERA));
    if (!jc) {
        jni_invalid(env, "options.camera is null");
        return -1;
    }
    if (jni_camera_from_java(env, jc, &o->sim.camera)) return -1;
    (*env)->DeleteLocalRef(env, jc);
    if (o->steps < 0 || s.epochs < 0 || s.frames_per_epoch < 0 || (int64_t)o->seed < 0 || s.threads < 0) {
        jni_invalid(env,
                           "steps, epochs, framesPerEpoch, seed and threads must be >= 0 (got %lld, "
                           "%d, %lld, %lld, %d)", (long long)o->steps, s.epochs,
                           (long long)s.frames_per_epoch, (long long)o->seed, s.threads);
        return -1;
    }
    if (s.epochs > 0) o->epochs = s.epochs;
    if (s.frames_per_epoch > 0) o->frames_per_epoch = s.frames_per_epoch;
    *threads = s.threads;
    return 0;
}

/* Returns 0 when training ran to the end, 1 when the listener stopped it (the model is saved in both
 * cases), -1 with an exception pending on failure. */
JNI_METHOD(Training, jint, nTrain, JNIEnv *env, jclass cls, jobject jo, jobject listener) {
    (void)cls;
    if (!jo) {
        jni_invalid(env, "the training options are null");
        return -1;
    }
    step_listener ctx = {env, listener, NULL};
    if (listener) {
        jclass lc = (*env)->GetObjectClass(env, listener);
        if (!lc) return -1;
        ctx.method = (*env)->GetMethodID(env, lc, "step", "(JJDDZDDDDD)Z");
        (*env)->DeleteLocalRef(env, lc);
        if (!ctx.method) return -1;
    }
    mumloc_train_options o;
    int threads = 0, failed = 0;
    if (read_options(env, jo, &o, &threads)) return -1;
    char *optics = NULL, *device = NULL, *out = NULL, *resume = NULL, *rig_path = NULL;
    optics = jni_mirror_utf8(env, &options_mirror, jo, OPTICS_PATH, &failed);
    if (!failed) rig_path = jni_mirror_utf8(env, &options_mirror, jo, RIG_PATH, &failed);
    if (!failed) device = jni_mirror_utf8(env, &options_mirror, jo, DEVICE, &failed);
    if (!failed) out = jni_mirror_utf8(env, &options_mirror, jo, OUT, &failed);
    if (!failed) resume = jni_mirror_utf8(env, &options_mirror, jo, RESUME, &failed);
    if (!failed && !out) {
        jni_invalid(env, "the model file path (out) is missing");
        failed = 1;
    }
    mumloc_status st = MUMLOC_OK;
    mumloc_rig *rig = NULL;
    if (!failed && rig_path && optics) {
        jni_invalid(env, "opticsPath and rigPath: give one (the rig file holds the optics)");
        failed = 1;
    }
    if (!failed && optics) st = mumloc_optics_load(optics, &o.sim.optics);
    if (!failed && rig_path && st == MUMLOC_OK) {
        rig = malloc(sizeof *rig);
        if (!rig) {
            jni_oom(env, "loading the rig");
            failed = 1;
        } else if ((st = mumloc_rig_load(rig_path, rig)) == MUMLOC_OK) {
            o.sim.optics = rig->optics;
            o.rig = rig;
        }
    }
    if (!failed && device && st == MUMLOC_OK) st = mumloc_device_parse(device, &o.device);
    if (!failed && st == MUMLOC_OK) {
        o.out_path = out;
        o.resume_path = resume;
        st = mumloc_train_options_validate(&o);
        if (st == MUMLOC_OK && threads > 0) st = mumloc_set_threads(threads);
        if (st == MUMLOC_OK) st = mumloc_train(&o, on_step, &ctx, NULL);
    }
    free(optics);
    free(rig_path);
    free(rig);
    free(device);
    free(out);
    free(resume);
    if (failed || (*env)->ExceptionCheck(env)) return -1; /* the listener threw: rethrown as it is */
    if (st == MUMLOC_ERR_CANCELLED) return 1;
    return jni_check(env, st) ? -1 : 0;
}
