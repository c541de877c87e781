/* org.mumloc.Movie: TIFF movies read by the library's checked reader (mumloc_movie_*), so the Fiji
 * plugin never hands an unchecked file to ImageJ's opener. Its dimensions fill the Movie's fields. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define F(name, sig, member) {name, sig, offsetof(mumloc_movie_info, member)}
enum { UNIT, DESCRIPTION };
static const jni_field info_fields[] = {
    {"unit", "Ljava/lang/String;", 0}, {"description", "Ljava/lang/String;", 0},
    F("width", "I", width), F("height", "I", height), F("images", "J", images),
    F("channels", "I", channels), F("slices", "I", slices), F("frames", "I", frames),
    F("bitsPerSample", "I", bits_per_sample), F("pixelWidth", "D", pixel_width),
    F("pixelHeight", "D", pixel_height),
};
#undef F
static jni_mirror info_mirror = JNI_MIRROR("the movie", info_fields);

static mumloc_movie *movie_of(JNIEnv *env, jlong handle) {
    if (handle == 0) jni_invalid(env, "the movie handle is 0 (closed or never opened)");
    return (mumloc_movie *)(intptr_t)handle;
}

JNI_METHOD(Movie, jlong, nOpen, JNIEnv *env, jclass cls, jstring jpath) {
    (void)cls;
    char *path = jni_required_utf8(env, jpath, "the movie path");
    if (!path) return 0;
    mumloc_movie *m = NULL;
    mumloc_status st = mumloc_movie_open(path, &m);
    free(path);
    if (jni_check(env, st)) return 0;
    return (jlong)(intptr_t)m;
}

JNI_METHOD(Movie, void, nClose, JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    mumloc_movie_close((mumloc_movie *)(intptr_t)handle);
}

/* The movie's dimensions (mumloc_movie_info), unit and description into the fields of out. */
JNI_METHOD(Movie, void, nInfo, JNIEnv *env, jclass cls, jlong handle, jobject out) {
    (void)cls;
    mumloc_movie *m = movie_of(env, handle);
    if (!m) return;
    mumloc_movie_info in;
    mumloc_movie_get_info(m, &in);
    if (jni_mirror_write(env, &info_mirror, &in, out)) return;
    jstring unit = jni_string(env, in.unit);
    jstring description = unit ? jni_string(env, mumloc_movie_description(m)) : NULL;
    if (!description) return;
    jni_mirror_set_object(env, &info_mirror, out, UNIT, unit);
    jni_mirror_set_object(env, &info_mirror, out, DESCRIPTION, description);
}

/* Image `index` (0-based) into out, which must hold width * height floats. */
JNI_METHOD(Movie, void, nRead, JNIEnv *env, jclass cls, jlong handle, jlong index, jfloatArray out) {
    (void)cls;
    mumloc_movie *m = movie_of(env, handle);
    if (!m) return;
    if (!out) {
        jni_invalid(env, "the pixel array is null");
        return;
    }
    mumloc_movie_info in;
    mumloc_movie_get_info(m, &in);
    int64_t n = (int64_t)in.width * in.height;
    if ((int64_t)(*env)->GetArrayLength(env, out) != n) {
        jni_invalid(env, "an image of %d x %d pixels needs an array of %lld floats, not %d", in.width,
                           in.height, (long long)n, (int)(*env)->GetArrayLength(env, out));
        return;
    }
    float *buf = malloc((size_t)n * sizeof *buf);
    if (!buf) {
        jni_oom(env, "reading an image of the movie");
        return;
    }
    if (!jni_check(env, mumloc_movie_read(m, index, buf)))
        (*env)->SetFloatArrayRegion(env, out, 0, (jsize)n, buf);
    free(buf);
}
