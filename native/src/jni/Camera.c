/* org.mumloc.Camera, the mirror of mumloc_camera: defaults and validation. */
#include <string.h>

#include "jni/jni_common.h"

#define F(name, member) {name, "D", offsetof(mumloc_camera, member)}
static const jni_field camera_fields[] = {
    F("backgroundPhotons", background_photons), F("readNoiseE", read_noise_e), F("emGain", em_gain),
    F("aduPerElectron", adu_per_electron), F("offsetAdu", offset_adu),
};
#undef F
static jni_mirror camera_mirror = JNI_MIRROR("the camera", camera_fields);

int jni_camera_from_java(JNIEnv *env, jobject jc, mumloc_camera *c) {
    memset(c, 0, sizeof *c);
    return jni_mirror_read(env, &camera_mirror, jc, c);
}

int jni_camera_to_java(JNIEnv *env, const mumloc_camera *c, jobject jc) {
    return jni_mirror_write(env, &camera_mirror, c, jc);
}

JNI_METHOD(Camera, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_camera c;
    mumloc_camera_default(&c);
    jni_camera_to_java(env, &c, out);
}

JNI_METHOD(Camera, void, nValidate, JNIEnv *env, jclass cls, jobject jc) {
    (void)cls;
    mumloc_camera c;
    if (!jni_camera_from_java(env, jc, &c)) jni_check(env, mumloc_camera_validate(&c));
}
