/* org.mumloc.Device: mumloc_device_parse + mumloc_device_resolve, the result as a Device mirror. */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

enum { DEVICE, REASON };
static const jni_field device_fields[] = {{"device", "Ljava/lang/String;", 0},
                                                 {"reason", "Ljava/lang/String;", 0}};
static jni_mirror device_mirror = JNI_MIRROR("the device", device_fields);

/* A new Device: the device that will run ("cpu", "cuda:N") and the library's reason sentence. */
JNI_METHOD(Device, jobject, nResolve, JNIEnv *env, jclass cls, jstring jtext) {
    char *text = jni_required_utf8(env, jtext, "the device");
    if (!text) return NULL;
    mumloc_device d;
    mumloc_status st = mumloc_device_parse(text, &d);
    free(text);
    if (jni_check(env, st)) return NULL;
    mumloc_device_choice choice;
    memset(&choice, 0, sizeof choice);
    if (jni_check(env, mumloc_device_resolve(d, &choice))) return NULL;
    char name[32];
    if (jni_check(env, mumloc_device_format(choice.device, name, sizeof name))) return NULL;
    jobject out = (*env)->AllocObject(env, cls); /* a result: its fields are all set here */
    if (!out) {
        jni_alloc_failed(env, "resolving the device");
        return NULL;
    }
    if (jni_mirror_ids(env, &device_mirror, out)) return NULL;
    jstring a = jni_string(env, name);
    jstring b = a ? jni_string(env, choice.reason) : NULL;
    if (!b) return NULL;
    jni_mirror_set_object(env, &device_mirror, out, DEVICE, a);
    jni_mirror_set_object(env, &device_mirror, out, REASON, b);
    return out;
}
