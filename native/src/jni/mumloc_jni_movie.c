/* JNI glue for org.mumloc.Movie: TIFF movies read by the library's checked reader (mumloc_movie_*),
 * so the Fiji plugin never hands an unchecked file to ImageJ's opener. The rules of mumloc_jni.c
 * hold: inputs checked first, every failure a MumlocException, nothing aborts the JVM. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define MOVIE_FN(ret, name, ...)                                                                   \
    JNIEXPORT ret JNICALL Java_org_mumloc_Movie_##name(__VA_ARGS__);                               \
    JNIEXPORT ret JNICALL Java_org_mumloc_Movie_##name(__VA_ARGS__)

static mumloc_movie *movie_of(JNIEnv *env, jlong handle) {
    if (handle == 0) mumloc_jni_invalid(env, "the movie handle is 0 (closed or never opened)");
    return (mumloc_movie *)(intptr_t)handle;
}

MOVIE_FN(jlong, nOpen, JNIEnv *env, jclass cls, jstring jpath) {
    (void)cls;
    char *path = mumloc_jni_required_utf8(env, jpath, "the movie path");
    if (!path) return 0;
    mumloc_movie *m = NULL;
    mumloc_status st = mumloc_movie_open(path, &m);
    free(path);
    if (mumloc_jni_check(env, st)) return 0;
    return (jlong)(intptr_t)m;
}

MOVIE_FN(void, nClose, JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    mumloc_movie_close((mumloc_movie *)(intptr_t)handle);
}

/* {width, height, images, channels, slices, frames, bits per sample, pixel width, pixel height}: the
 * numbers of mumloc_movie_info (counts below 2^53, exact as doubles). */
MOVIE_FN(jdoubleArray, nInfo, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_movie *m = movie_of(env, handle);
    if (!m) return NULL;
    mumloc_movie_info in;
    mumloc_movie_get_info(m, &in);
    const jdouble values[9] = {in.width,  in.height,          (jdouble)in.images,
                               in.channels, in.slices,        in.frames,
                               in.bits_per_sample, in.pixel_width, in.pixel_height};
    jdoubleArray out = (*env)->NewDoubleArray(env, 9);
    if (out) (*env)->SetDoubleArrayRegion(env, out, 0, 9, values);
    return out;
}

MOVIE_FN(jstring, nUnit, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_movie *m = movie_of(env, handle);
    if (!m) return NULL;
    mumloc_movie_info in;
    mumloc_movie_get_info(m, &in);
    return mumloc_jni_string(env, in.unit);
}

MOVIE_FN(jstring, nDescription, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    mumloc_movie *m = movie_of(env, handle);
    return m ? mumloc_jni_string(env, mumloc_movie_description(m)) : NULL;
}

/* Image `index` (0-based) into out, which must hold width * height floats. */
MOVIE_FN(void, nRead, JNIEnv *env, jclass cls, jlong handle, jlong index, jfloatArray out) {
    (void)cls;
    mumloc_movie *m = movie_of(env, handle);
    if (!m) return;
    if (!out) {
        mumloc_jni_invalid(env, "the pixel array is null");
        return;
    }
    mumloc_movie_info in;
    mumloc_movie_get_info(m, &in);
    int64_t n = (int64_t)in.width * in.height;
    if ((int64_t)(*env)->GetArrayLength(env, out) != n) {
        mumloc_jni_invalid(env, "an image of %d x %d pixels needs an array of %lld floats, not %d", in.width,
                           in.height, (long long)n, (int)(*env)->GetArrayLength(env, out));
        return;
    }
    float *buf = malloc((size_t)n * sizeof *buf);
    if (!buf) {
        mumloc_jni_oom(env, "reading an image of the movie");
        return;
    }
    if (!mumloc_jni_check(env, mumloc_movie_read(m, index, buf)))
        (*env)->SetFloatArrayRegion(env, out, 0, (jsize)n, buf);
    free(buf);
}
