/* org.mumloc.Camera, the mirror of mumloc_camera: defaults and validation. */
#include <string.h>

#include "jni/jni_common.h"

#define F(name, member) {name, "D", offsetof(mumloc_camera, member)}
static const mumloc_jni_field camera_fields[] = {
    F("backgroundPhotons", background_photons), F("readNoiseE", read_noise_e), F("emGain", em_gain),
    F("aduPerElectron", adu_per_electron), F("offsetAdu", offset_adu),
};
#undef F
static mumloc_jni_mirror camera_mirror = MUMLOC_JNI_MIRROR("the camera", camera_fields);

int mumloc_jni_camera_from_java(JNIEnv *env, jobject jc, mumloc_camera *c) {
    memset(c, 0, sizeof *c);
    return mumloc_jni_mirror_read(env, &camera_mirror, jc, c);
}

int mumloc_jni_camera_to_java(JNIEnv *env, const mumloc_camera *c, jobject jc) {
    return mumloc_jni_mirror_write(env, &camera_mirror, c, jc);
}

MUMLOC_JNI(Camera, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_camera c;
    mumloc_camera_default(&c);
    mumloc_jni_camera_to_java(env, &c, out);
}

MUMLOC_JNI(Camera, void, nValidate, JNIEnv *env, jclass cls, jobject jc) {
    (void)cls;
    mumloc_camera c;
    if (!mumloc_jni_camera_from_java(env, jc, &c)) mumloc_jni_check(env, mumloc_camera_validate(&c));
}
