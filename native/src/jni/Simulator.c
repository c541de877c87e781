/* org.mumloc.Simulator: a mumloc_simulator behind a Java handle (0 = closed, refused), its frames,
 * ground truth (org.mumloc.Emitter mirrors) and drift, and the whole movie to files. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define F(name, member) {name, "D", offsetof(mumloc_emitter, member)}
static const jni_field emitter_fields[] = {
    {"frame", "J", offsetof(mumloc_emitter, frame)}, F("xNm", x_nm), F("yNm", y_nm), F("zNm", z_nm),
    F("weight", weight), F("photons", photons),
};
#undef F
static jni_mirror emitter_mirror = JNI_MIRROR("an emitter", emitter_fields);

static mumloc_simulator *simulator_of(JNIEnv *env, jlong handle) {
    if (handle == 0) jni_invalid(env, "the simulator handle is 0 (closed or never created)");
    return (mumloc_simulator *)(intptr_t)handle;
}

JNI_METHOD(Simulator, jlong, nCreate, JNIEnv *env, jclass cls, jobject jp) {
    (void)cls;
    mumloc_sim_params p;
    if (jni_sim_params_from_java(env, jp, &p)) return 0;
    mumloc_simulator *sim = NULL;
    if (jni_check(env, mumloc_simulator_create(&p, &sim))) return 0;
    return (jlong)(intptr_t)sim;
}

JNI_METHOD(Simulator, void, nDestroy, JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    mumloc_simulator_destroy((mumloc_simulator *)(intptr_t)handle);
}

JNI_METHOD(Simulator, void, nParams, JNIEnv *env, jclass cls, jlong handle, jobject out) {
    (void)cls;
    mumloc_simulator *sim = simulator_of(env, handle);
    if (sim) jni_sim_params_to_java(env, mumloc_simulator_params(sim), out);
}

JNI_METHOD(Simulator, jint, nMaxEmitters, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_simulator *sim = simulator_of(env, handle);
    return sim ? mumloc_simulator_max_emitters(sim) : 0;
}

static int check_frame(JNIEnv *env, const mumloc_simulator *sim, jlong frame) {
    int64_t frames = mumloc_simulator_params(sim)->frames;
    if (frame < 0 || frame >= frames) {
        jni_invalid(env, "frame %lld is outside the movie's frames 0..%lld", (long long)frame,
                           (long long)frames - 1);
        return -1;
    }
    return 0;
}

JNI_METHOD(Simulator, jobjectArray, nTruth, JNIEnv *env, jclass cls, jlong handle, jlong frame) {
    (void)cls;
    mumloc_simulator *sim = simulator_of(env, handle);
    if (!sim || check_frame(env, sim, frame)) return NULL;
    int cap = mumloc_simulator_max_emitters(sim);
    if (cap < 0) cap = 0;
    mumloc_emitter *buf = malloc(((size_t)cap + 1) * sizeof *buf);
    if (!buf) {
        jni_oom(env, "reading the ground truth");
        return NULL;
    }
    int count = 0;
    jobjectArray result = NULL;
    if (jni_check(env, mumloc_simulate_truth(sim, frame, buf, cap, &count))) goto done;
    jclass ecls = (*env)->FindClass(env, "org/mumloc/Emitter");
    if (!ecls) goto done;
    result = (*env)->NewObjectArray(env, count, ecls, NULL);
    if (!result) {
        jni_alloc_failed(env, "reading the ground truth");
        goto done;
    }
    for (int i = 0; i < count; i++) {
        jobject je = (*env)->AllocObject(env, ecls); /* a result: its fields are all set here */
        if (!je) {
            jni_alloc_failed(env, "reading the ground truth");
            result = NULL;
            break;
        }
        if (jni_mirror_write(env, &emitter_mirror, &buf[i], je)) {
            result = NULL;
            break;
        }
        (*env)->SetObjectArrayElement(env, result, i, je);
        (*env)->DeleteLocalRef(env, je);
    }
done:
    free(buf);
    return result;
}

JNI_METHOD(Simulator, jdoubleArray, nDrift, JNIEnv *env, jclass cls, jlong handle, jlong frame) {
    (void)cls;
    mumloc_simulator *sim = simulator_of(env, handle);
    if (!sim || check_frame(env, sim, frame)) return NULL;
    int planes = mumloc_simulator_params(sim)->optics.planes;
    double dxdy[2 * MUMLOC_MAX_PLANES] = {0};
    if (jni_check(env, mumloc_simulate_drift(sim, frame, dxdy))) return NULL;
    return jni_doubles(env, dxdy, 2 * planes);
}

JNI_METHOD(Simulator, void, nFrames, JNIEnv *env, jclass cls, jlong handle, jlong first, jlong count,
           jfloatArray out, jint offset) {
    (void)cls;
    mumloc_simulator *sim = simulator_of(env, handle);
    if (!sim) return;
    if (!out) {
        jni_invalid(env, "the pixel array is null");
        return;
    }
    const mumloc_sim_params *p = mumloc_simulator_params(sim);
    if (first < 0 || count < 0 || first > p->frames || count > p->frames - first) {
        jni_invalid(env, "frames %lld..%lld are outside the movie's frames 0..%lld", (long long)first,
                           (long long)(first + count - 1), (long long)p->frames - 1);
        return;
    }
    if (count == 0) return;
    int64_t frame_floats = (int64_t)p->optics.planes * p->height * p->width;
    jsize len = (*env)->GetArrayLength(env, out);
    if (offset < 0 || offset > len) {
        jni_invalid(env, "offset %d is outside the pixel array (length %d)", (int)offset, (int)len);
        return;
    }
    if (frame_floats <= 0 || count > ((int64_t)len - offset) / frame_floats) {
        jni_invalid(env, "%lld frames of %lld pixels do not fit in the pixel array (%d floats from offset %d)",
                           (long long)count, (long long)frame_floats, (int)len, (int)offset);
        return;
    }
    size_t n = (size_t)(count * frame_floats);
    float *buf = malloc(n * sizeof *buf);
    if (!buf) {
        jni_oom(env, "simulating frames");
        return;
    }
    if (!jni_check(env, mumloc_simulate_frames(sim, first, count, buf)))
        (*env)->SetFloatArrayRegion(env, out, offset, (jsize)n, buf);
    free(buf);
}

JNI_METHOD(Simulator, void, nToFiles, JNIEnv *env, jclass cls, jobject jp, jstring jmovie, jstring jtruth,
           jstring jdrift, jobject listener) {
    (void)cls;
    mumloc_sim_params p;
    if (jni_sim_params_from_java(env, jp, &p)) return;
    int failed = 0;
    char *truth = NULL, *drift = NULL;
    char *movie = jni_required_utf8(env, jmovie, "the movie path");
    if (!movie) return;
    truth = jni_utf8(env, jtruth, "the truth path", &failed);
    if (!failed) drift = jni_utf8(env, jdrift, "the drift path", &failed);
    jni_progress pr;
    if (!failed && !jni_progress_init(env, listener, &pr))
        jni_check_progress(env, mumloc_simulate_to_files(&p, movie, truth, drift,
                                                                jni_progress_fn_for(&pr), &pr));
    free(movie);
    free(truth);
    free(drift);
}
