/* JNI glue for org.mumloc.Model.checkRecordedOptics: the optics a movie records in its description
 * (mumloc_optics_from_description) compared with a model's (mumloc_model_check_optics), so that
 * "MUMLoc Localize" refuses an open image simulated with other optics, as mumloc_localize_file does
 * for files. The rules of mumloc_jni.c hold: inputs checked first, every failure a MumlocException. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

JNIEXPORT jboolean JNICALL Java_org_mumloc_Model_nCheckRecordedOptics(JNIEnv *env, jclass cls,
                                                                      jlong handle,
                                                                      jstring jdescription);

/* false: the description records no optics (nothing to check); true: it does and they equal the
 * model's; otherwise throws the library's message naming every differing field and both values. */
JNIEXPORT jboolean JNICALL Java_org_mumloc_Model_nCheckRecordedOptics(JNIEnv *env, jclass cls,
                                                                      jlong handle,
                                                                      jstring jdescription) {
    (void)cls;
    if (handle == 0) {
        mumloc_jni_invalid(env, "the model handle is 0 (closed or never loaded)");
        return JNI_FALSE;
    }
    int failed = 0;
    char *description = mumloc_jni_utf8(env, jdescription, "the movie description", &failed);
    if (failed) return JNI_FALSE;
    mumloc_optics recorded;
    int found = 0;
    mumloc_status st = mumloc_optics_from_description(description, &found, &recorded);
    free(description);
    if (mumloc_jni_check(env, st) || !found) return JNI_FALSE;
    if (mumloc_jni_check(env, mumloc_model_check_optics((mumloc_model *)(intptr_t)handle, &recorded)))
        return JNI_FALSE;
    return JNI_TRUE;
}
