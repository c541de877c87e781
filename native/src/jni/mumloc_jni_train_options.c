/* JNI glue for org.mumloc.Training.train: the fields of a Training.Options object (read by name)
 * mapped onto mumloc_train_options as `mumloc train` maps its options (the schedule as steps or as
 * epochs × frames per epoch, a model to resume from, the optics file), then mumloc_train with its
 * per-step progress forwarded to a Java Training.Listener, which can stop training (the model is
 * then saved all the same). The rules of mumloc_jni.c hold: inputs checked first, every failure a
 * MumlocException, and an exception thrown by the listener stops training and comes out as it is. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

JNIEXPORT jint JNICALL Java_org_mumloc_Training_nTrainOptions(JNIEnv *env, jclass cls, jobject jo,
                                                              jobject listener);

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

/* A malloc'ed copy of a String field; NULL for null or "" (*failed = 0), or on failure (*failed = 1). */
static char *get_path(JNIEnv *env, jobject jo, const char *name, const char *what, int *failed) {
    jfieldID id = mumloc_jni_field(env, jo, name, "Ljava/lang/String;");
    if (!id) {
        *failed = 1;
        return NULL;
    }
    jstring s = (jstring)(*env)->GetObjectField(env, jo, id);
    char *text = mumloc_jni_utf8(env, s, what, failed);
    if (s) (*env)->DeleteLocalRef(env, s);
    if (text && !*text) {
        free(text);
        text = NULL;
    }
    return text;
}

/* The numeric fields; the architecture's defaults stay where Options leaves 0 (epochs, frames per
 * epoch), as the CLI's do for options not given. */
static int read_numbers(JNIEnv *env, jobject jo, mumloc_train_options *o, int *threads) {
    mumloc_camera *cam = &o->sim.camera;
    int epochs = 0;
    int64_t frames_per_epoch = 0, seed = 0;
    jobject jc = mumloc_jni_get_object(env, jo, "camera", "Lorg/mumloc/Camera;", "options.camera");
    if (!jc || mumloc_jni_camera_from_java(env, jc, cam)) return 1;
    (*env)->DeleteLocalRef(env, jc);
    if (mumloc_jni_get_int(env, jo, "width", &o->sim.width) || mumloc_jni_get_int(env, jo, "height", &o->sim.height) ||
        mumloc_jni_get_int(env, jo, "molecules", &o->sim.molecules) ||
        mumloc_jni_get_int(env, jo, "moleculesMin", &o->sim.molecules_min) ||
        mumloc_jni_get_flag(env, jo, "tuneThreshold", &o->tune_threshold) ||
        mumloc_jni_get_double(env, jo, "densityPerUm2", &o->sim.density_per_um2) ||
        mumloc_jni_get_long(env, jo, "steps", &o->steps) || mumloc_jni_get_int(env, jo, "epochs", &epochs) ||
        mumloc_jni_get_long(env, jo, "framesPerEpoch", &frames_per_epoch) ||
        mumloc_jni_get_int(env, jo, "batch", &o->batch) || mumloc_jni_get_double(env, jo, "lr", &o->lr) ||
        mumloc_jni_get_long(env, jo, "seed", &seed) ||
        mumloc_jni_get_int(env, jo, "validationFrames", &o->validation_frames) ||
        mumloc_jni_get_long(env, jo, "validationInterval", &o->validation_interval) ||
        mumloc_jni_get_int(env, jo, "threads", threads))
        return 1;
    if (o->steps < 0 || epochs < 0 || frames_per_epoch < 0 || seed < 0 || *threads < 0) {
        mumloc_jni_invalid(env,
                           "steps, epochs, framesPerEpoch, seed and threads must be >= 0 (got %lld, "
                           "%d, %lld, %lld, %d)", (long long)o->steps, epochs,
                           (long long)frames_per_epoch, (long long)seed, *threads);
        return 1;
    }
    if (epochs > 0) o->epochs = epochs;
    if (frames_per_epoch > 0) o->frames_per_epoch = frames_per_epoch;
    o->seed = (uint64_t)seed;
    return 0;
}

/* Returns 0 when training ran to the end, 1 when the listener stopped it (the model is saved in both
 * cases), -1 with an exception pending on failure. */
JNIEXPORT jint JNICALL Java_org_mumloc_Training_nTrainOptions(JNIEnv *env, jclass cls, jobject jo,
                                                              jobject listener) {
    (void)cls;
    if (!jo) {
        mumloc_jni_invalid(env, "the training options are null");
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
    int failed = 0;
    char *arch_name = get_path(env, jo, "arch", "the architecture", &failed);
    if (failed) return -1;
    mumloc_arch arch;
    mumloc_status st = mumloc_arch_from_name(arch_name ? arch_name : "", &arch);
    free(arch_name);
    if (mumloc_jni_check(env, st)) return -1;
    mumloc_train_options o;
    mumloc_train_options_default(&o, arch);
    int threads = 0;
    if (read_numbers(env, jo, &o, &threads)) return -1;

    char *optics = NULL, *device = NULL, *out = NULL, *resume = NULL, *rig_path = NULL;
    optics = get_path(env, jo, "opticsPath", "the optics file path", &failed);
    if (!failed) rig_path = get_path(env, jo, "rigPath", "the rig file path", &failed);
    if (!failed) device = get_path(env, jo, "device", "the device", &failed);
    if (!failed) out = get_path(env, jo, "out", "the model file path", &failed);
    if (!failed) resume = get_path(env, jo, "resumePath", "the model file to resume", &failed);
    if (!failed && !out) {
        mumloc_jni_invalid(env, "the model file path (out) is missing");
        failed = 1;
    }
    st = MUMLOC_OK;
    mumloc_rig *rig = NULL;
    if (!failed && rig_path && optics) {
        mumloc_jni_invalid(env, "opticsPath and rigPath: give one (the rig file holds the optics)");
        failed = 1;
    }
    if (!failed && optics) st = mumloc_optics_load(optics, &o.sim.optics);
    if (!failed && rig_path && st == MUMLOC_OK) {
        rig = malloc(sizeof *rig);
        if (!rig) {
            mumloc_jni_oom(env, "the rig");
            failed = 1;
        } else if ((st = mumloc_rig_load(rig_path, rig)) == MUMLOC_OK) {
            o.sim.optics = rig->optics;
            o.rig = rig;
        }
    }
    if (!failed && st == MUMLOC_OK) st = mumloc_device_parse(device ? device : "auto", &o.device);
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
    if (mumloc_jni_check(env, st)) return -1;
    return 0;
}
