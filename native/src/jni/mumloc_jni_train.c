/* JNI glue for org.mumloc.Training: mumloc_train with its per-step progress forwarded to a Java
 * listener (which can stop training; the model is then saved all the same). The rules of
 * mumloc_jni.c hold: inputs checked first, every failure a MumlocException, and an exception thrown
 * by the listener stops training and is rethrown as it is. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define TRAIN_FN(ret, name, ...)                                                                   \
    JNIEXPORT ret JNICALL Java_org_mumloc_Training_##name(__VA_ARGS__);                            \
    JNIEXPORT ret JNICALL Java_org_mumloc_Training_##name(__VA_ARGS__)

typedef struct listener_ctx {
    JNIEnv *env;
    jobject listener;
    jmethodID method;
} listener_ctx;

static int on_step(void *user, const mumloc_train_progress *p) {
    listener_ctx *c = user;
    if (!c->listener) return 0;
    JNIEnv *env = c->env;
    if ((*env)->ExceptionCheck(env)) return 1;
    jboolean stop = (*env)->CallBooleanMethod(
        env, c->listener, c->method, (jlong)p->step, (jlong)p->steps, (jdouble)p->train_loss, (jdouble)p->lr,
        (jboolean)(p->validated != 0), (jdouble)p->val_loss, (jdouble)p->val_jaccard,
        (jdouble)p->val_rmse_xy_nm, (jdouble)p->val_rmse_z_nm, (jdouble)p->seconds);
    if ((*env)->ExceptionCheck(env)) return 1;
    return stop ? 1 : 0;
}

/* camera: {background photons, read noise e, EM gain, ADU per electron, offset ADU}. Returns 0 when
 * training ran to the end, 1 when the listener stopped it (the model is saved in both cases). */
TRAIN_FN(jint, nTrain, JNIEnv *env, jclass cls, jstring jarch, jstring joptics, jdoubleArray jcamera,
                       jint width, jint height, jint molecules, jdouble density, jlong steps, jint batch,
                       jdouble lr, jlong seed, jint validation_frames, jlong validation_interval,
                       jint threads, jstring jdevice, jstring jout,
                       jobject listener) {
    if (!jcamera || (*env)->GetArrayLength(env, jcamera) != 5) {
        mumloc_jni_invalid(env, "the camera needs 5 numbers (background, read noise, EM gain, gain, offset)");
        return -1;
    }
    if (steps < 1 || seed < 0 || threads < 0) {
        mumloc_jni_invalid(env, "steps must be >= 1, seed and threads >= 0 (got %lld, %lld, %d)", (long long)steps,
                           (long long)seed, (int)threads);
        return -1;
    }
    double cam[5];
    (*env)->GetDoubleArrayRegion(env, jcamera, 0, 5, cam);
    if ((*env)->ExceptionCheck(env)) return -1;
    listener_ctx ctx = {env, listener, NULL};
    if (listener) {
        jclass lc = (*env)->GetObjectClass(env, listener);
        if (!lc) return -1;
        ctx.method = (*env)->GetMethodID(env, lc, "step", "(JJDDZDDDDD)Z");
        (*env)->DeleteLocalRef(env, lc);
        if (!ctx.method) return -1;
    }
    char *arch_name = mumloc_jni_required_utf8(env, jarch, "the architecture");
    if (!arch_name) return -1;
    mumloc_arch arch;
    mumloc_status st = mumloc_arch_from_name(arch_name, &arch);
    free(arch_name);
    if (mumloc_jni_check(env, st)) return -1;
    mumloc_train_options o;
    mumloc_train_options_default(&o, arch);
    int failed = 0;
    char *optics = mumloc_jni_utf8(env, joptics, "the optics file", &failed);
    if (failed) return -1;
    if (optics && *optics) st = mumloc_optics_load(optics, &o.sim.optics);
    free(optics);
    if (mumloc_jni_check(env, st)) return -1;
    o.sim.camera.background_photons = cam[0];
    o.sim.camera.read_noise_e = cam[1];
    o.sim.camera.em_gain = cam[2];
    o.sim.camera.adu_per_electron = cam[3];
    o.sim.camera.offset_adu = cam[4];
    o.sim.width = width;
    o.sim.height = height;
    o.sim.molecules = molecules;
    o.sim.density_per_um2 = density;
    o.steps = steps;
    o.batch = batch;
    o.lr = lr;
    o.seed = (uint64_t)seed;
    o.validation_frames = validation_frames;
    o.validation_interval = validation_interval;
    char *device = mumloc_jni_required_utf8(env, jdevice, "the device");
    if (!device) return -1;
    st = mumloc_device_parse(device, &o.device);
    free(device);
    if (mumloc_jni_check(env, st)) return -1;
    char *out = mumloc_jni_required_utf8(env, jout, "the model file path");
    if (!out) return -1;
    o.out_path = out;
    st = mumloc_train_options_validate(&o);
    if (st == MUMLOC_OK) {
        if (threads > 0) mumloc_set_threads(threads);
        st = mumloc_train(&o, on_step, &ctx, NULL);
    }
    free(out);
    if ((*env)->ExceptionCheck(env)) return -1; /* the listener threw: rethrown as it is */
    if (st == MUMLOC_ERR_CANCELLED) return 1;
    if (mumloc_jni_check(env, st)) return -1;
    return 0;
}
