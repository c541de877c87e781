/* org.mumloc.MumlocException: the library's names of its status codes. */
#include "jni/jni_common.h"

JNI_METHOD(MumlocException, jstring, nStatusString, JNIEnv *env, jclass cls, jint status) {
    (void)cls;
    return jni_string(env, mumloc_status_string((mumloc_status)status));
}
