/* org.mumloc.Device: mumloc_device_parse + mumloc_device_resolve, the result as a Device mirror. */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

enum { DEVICE, REASON };
static const mumloc_jni_field device_fields[] = {{"device", "Ljava/lang/String;", 0},
                                                 {"reason", "Ljava/lang/String;", 0}};
static mumloc_jni_mirror device_mirror = MUMLOC_JNI_MIRROR("the device", device_fields);

/* A new Device: the device that will run ("cpu", "cuda:N") and the library's reason sentence. */
MUMLOC_JNI(Device, jobject, nResolve, JNIEnv *env, jclass cls, jstring jtext) {
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
    if (mumloc_jni_check(env, mumloc_device_format(choice.device, name, sizeof name))) return NULL;
    jobject out = (*env)->AllocObject(env, cls); /* a result: its fields are all set here */
    if (!out) {
        mumloc_jni_alloc_failed(env, "resolving the device");
        return NULL;
    }
    if (mumloc_jni_mirror_ids(env, &device_mirror, out)) return NULL;
    jstring a = mumloc_jni_string(env, name);
    jstring b = a ? mumloc_jni_string(env, choice.reason) : NULL;
    if (!b) return NULL;
    mumloc_jni_mirror_set_object(env, &device_mirror, out, DEVICE, a);
    mumloc_jni_mirror_set_object(env, &device_mirror, out, REASON, b);
    return out;
}
