/* JNI glue for org.mumloc.MovieLayout: mumloc_plane_layout, the plane-layout rule Fiji shares with the
 * CLI. The rules of mumloc_jni.c hold: inputs checked first, every failure a MumlocException. */
#include <stdlib.h>

#include "jni/jni_common.h"

JNIEXPORT void JNICALL Java_org_mumloc_MovieLayout_nResolve(JNIEnv *env, jclass cls, jint channels,
                                                            jint slices, jint frames, jint k,
                                                            jint requested, jstring jwhat,
                                                            jobject out);

JNIEXPORT void JNICALL Java_org_mumloc_MovieLayout_nResolve(JNIEnv *env, jclass cls, jint channels,
                                                            jint slices, jint frames, jint k,
                                                            jint requested, jstring jwhat,
                                                            jobject out) {
    (void)cls;
    if (!out) {
        mumloc_jni_invalid(env, "the layout to fill is null");
        return;
    }
    char *what = mumloc_jni_required_utf8(env, jwhat, "the movie's name");
    if (!what) return;
    mumloc_plane_axis axis = MUMLOC_PLANES_AUTO;
    int64_t movie_frames = 0;
    mumloc_status st = mumloc_plane_layout(channels, slices, frames, k, (mumloc_plane_axis)requested,
                                           what, &axis, &movie_frames);
    free(what);
    if (mumloc_jni_check(env, st)) return;
    jfieldID axis_field = mumloc_jni_field(env, out, "nativeAxis", "I");
    if (!axis_field) return;
    jfieldID frames_field = mumloc_jni_field(env, out, "nativeFrames", "J");
    if (!frames_field) return;
    (*env)->SetIntField(env, out, axis_field, (jint)axis);
    (*env)->SetLongField(env, out, frames_field, (jlong)movie_frames);
}
