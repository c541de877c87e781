/* org.mumloc.MovieLayout: mumloc_plane_layout, the plane-layout rule Fiji shares with the CLI; the
 * result fills the layout's fields by name. */
#include <stdlib.h>

#include "jni/jni_common.h"

typedef struct layout {
    int axis;
    int64_t frames;
} layout;
static const jni_field layout_fields[] = {{"nativeAxis", "I", offsetof(layout, axis)},
                                                 {"nativeFrames", "J", offsetof(layout, frames)}};
static jni_mirror layout_mirror = JNI_MIRROR("the layout to fill", layout_fields);

JNI_METHOD(MovieLayout, void, nResolve, JNIEnv *env, jclass cls, jint channels, jint slices,
           jint frames, jint k, jint requested, jstring jwhat, jobject out) {
    (void)cls;
    char *what = jni_required_utf8(env, jwhat, "the movie's name");
    if (!what) return;
    mumloc_plane_axis axis = MUMLOC_PLANES_AUTO;
    layout l = {0, 0};
    mumloc_status st = mumloc_plane_layout(channels, slices, frames, k, (mumloc_plane_axis)requested,
                                           what, &axis, &l.frames);
    free(what);
    if (jni_check(env, st)) return;
    l.axis = (int)axis;
    jni_mirror_write(env, &layout_mirror, &l, out);
}
