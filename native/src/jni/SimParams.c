/* org.mumloc.SimParams, the mirror of mumloc_sim_params: defaults, validation, JSON. */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

_Static_assert(sizeof(mumloc_noise) == sizeof(int) && sizeof(mumloc_sample) == sizeof(int),
               "enums cross as int fields");

#define F(name, sig, member) {name, sig, offsetof(mumloc_sim_params, member)}
enum { OPTICS, CAMERA };
static const jni_field params_fields[] = {
    {"optics", "Lorg/mumloc/Optics;", 0}, {"camera", "Lorg/mumloc/Camera;", 0},
    F("noise", "I", noise), F("sample", "I", sample), F("width", "I", width), F("height", "I", height),
    F("frames", "J", frames), F("seed", "J", seed), F("molecules", "I", molecules),
    F("densityPerUm2", "D", density_per_um2), F("weightMin", "D", weight_min),
    F("weightMax", "D", weight_max), F("zMinNm", "D", z_min_nm), F("zMaxNm", "D", z_max_nm),
    F("driftMaxNm", "D", drift_max_nm), F("driftStepNm", "D", drift_step_nm),
    F("filaments", "I", filaments), F("moleculesMin", "I", molecules_min),
    F("stageDriftNm", "D", stage_drift_nm),
};
#undef F
static jni_mirror params_mirror = JNI_MIRROR("the simulation parameters", params_fields);

/* The optics and camera objects of jp; NULL (exception pending) when null. */
static jobject part(JNIEnv *env, jobject jp, int i, const char *what) {
    jobject v = (*env)->GetObjectField(env, jp, jni_id(&params_mirror, i));
    if (!v && !(*env)->ExceptionCheck(env)) jni_invalid(env, "%s is null", what);
    return v;
}

int jni_sim_params_from_java(JNIEnv *env, jobject jp, mumloc_sim_params *p) {
    memset(p, 0, sizeof *p);
    if (jni_mirror_read(env, &params_mirror, jp, p)) return -1;
    jobject jo = part(env, jp, OPTICS, "params.optics");
    if (!jo || jni_optics_from_java(env, jo, &p->optics)) return -1;
    (*env)->DeleteLocalRef(env, jo);
    jobject jc = part(env, jp, CAMERA, "params.camera");
    if (!jc || jni_camera_from_java(env, jc, &p->camera)) return -1;
    (*env)->DeleteLocalRef(env, jc);
    /* Enum values outside the header's enums never reach the library. */
    if (!mumloc_noise_name((int)p->noise) || !mumloc_sample_name((int)p->sample)) {
        jni_invalid(env, "noise %d or sample %d is not one of the library's", (int)p->noise,
                           (int)p->sample);
        return -1;
    }
    return 0;
}

int jni_sim_params_to_java(JNIEnv *env, const mumloc_sim_params *p, jobject jp) {
    if (jni_mirror_write(env, &params_mirror, p, jp)) return -1;
    jobject jo = part(env, jp, OPTICS, "params.optics");
    if (!jo || jni_optics_to_java(env, &p->optics, jo)) return -1;
    (*env)->DeleteLocalRef(env, jo);
    jobject jc = part(env, jp, CAMERA, "params.camera");
    if (!jc || jni_camera_to_java(env, &p->camera, jc)) return -1;
    (*env)->DeleteLocalRef(env, jc);
    return 0;
}

JNI_METHOD(SimParams, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    jni_sim_params_to_java(env, &p, out);
}

JNI_METHOD(SimParams, void, nValidate, JNIEnv *env, jclass cls, jobject jp) {
    (void)cls;
    mumloc_sim_params p;
    if (!jni_sim_params_from_java(env, jp, &p)) jni_check(env, mumloc_sim_params_validate(&p));
}

JNI_METHOD(SimParams, jstring, nToJson, JNIEnv *env, jclass cls, jobject jp) {
    (void)cls;
    mumloc_sim_params p;
    if (jni_sim_params_from_java(env, jp, &p)) return NULL;
    size_t needed = 0;
    char small[4096];
    mumloc_status st = mumloc_sim_params_to_json(&p, small, sizeof small, &needed);
    if (st == MUMLOC_OK) return jni_string(env, small);
    if (needed <= sizeof small || needed > ((size_t)1 << 30)) {
        jni_check(env, st);
        return NULL;
    }
    char *buf = malloc(needed);
    if (!buf) {
        jni_oom(env, "writing the parameters as JSON");
        return NULL;
    }
    st = mumloc_sim_params_to_json(&p, buf, needed, NULL);
    jstring s = jni_check(env, st) ? NULL : jni_string(env, buf);
    free(buf);
    return s;
}
