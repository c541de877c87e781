/* Helpers shared by every JNI file (mumloc_jni.c, mumloc_jni_table.c, mumloc_jni_eval.c,
 * mumloc_jni_render.c). The rules of mumloc_jni.c hold for all: inputs are checked before the
 * library is called, every failure becomes an org.mumloc.MumlocException, and a function returns at
 * once when an exception is pending. */
#ifndef MUMLOC_JNI_COMMON_H
#define MUMLOC_JNI_COMMON_H

#include <jni.h>
#include <pthread.h>
#include <stdint.h>

#include "mumloc.h"

/* A Java String from UTF-8 bytes (NULL → ""); NULL with an exception pending on failure. */
jstring mumloc_jni_string(JNIEnv *env, const char *utf8);
/* Throws MumlocException(status, name, message) unless an exception is already pending. */
void mumloc_jni_throw(JNIEnv *env, int status, const char *message);
/* Throws for a failed library call; returns 1 if it threw (status != OK). */
int mumloc_jni_check(JNIEnv *env, mumloc_status status);
/* Throws "invalid argument" with a printf-style message. */
void mumloc_jni_invalid(JNIEnv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mumloc_jni_oom(JNIEnv *env, const char *what);
/* A malloc'ed UTF-8 copy of a Java string. NULL jstring: NULL and *failed = 0 (no exception);
 * failure: NULL, *failed = 1, exception pending. */
char *mumloc_jni_utf8(JNIEnv *env, jstring s, const char *what, int *failed);
/* Like mumloc_jni_utf8 but a null string is an error naming `what`. */
char *mumloc_jni_required_utf8(JNIEnv *env, jstring s, const char *what);

/* Fields of Java objects by name (the Java mirrors of the library's structs). The field's id, or NULL
 * with NoSuchFieldError pending; the getters return 0, or non-zero with the exception pending. */
jfieldID mumloc_jni_field(JNIEnv *env, jobject obj, const char *name, const char *sig);
int mumloc_jni_get_double(JNIEnv *env, jobject obj, const char *name, double *out);
int mumloc_jni_get_int(JNIEnv *env, jobject obj, const char *name, int *out);
int mumloc_jni_get_long(JNIEnv *env, jobject obj, const char *name, int64_t *out);
int mumloc_jni_get_flag(JNIEnv *env, jobject obj, const char *name, int *out); /* boolean → 0/1 */
/* The object held in field `name` (signature sig); NULL with an exception pending if absent or null
 * (`what` names it in the message). */
jobject mumloc_jni_get_object(JNIEnv *env, jobject obj, const char *name, const char *sig,
                              const char *what);
/* The per-plane optics of an org.mumloc.Optics (perPlane, planeW0Nm, planeDNm, planeA, planeB,
 * planeTransmission) into o (o->planes already read), and back; non-zero with an exception pending
 * on failure. */
int mumloc_jni_plane_psf_from_java(JNIEnv *env, jobject jo, mumloc_optics *o);
int mumloc_jni_plane_psf_to_java(JNIEnv *env, const mumloc_optics *o, jobject jo);
/* A library camera from an org.mumloc.Camera; non-zero with an exception pending on failure. */
int mumloc_jni_camera_from_java(JNIEnv *env, jobject jc, mumloc_camera *c);
/* An org.mumloc.Optics into o; -1 (exception pending) on failure. */
int mumloc_jni_optics_from_java(JNIEnv *env, jobject jo, mumloc_optics *o);

/* A library table from Java's parallel arrays: String[] names, String[] units (null entries = no
 * unit), double[][] columns (all of one length). NULL with an exception pending on failure. `what`
 * names the table in messages ("the results table"). */
mumloc_table *mumloc_jni_table_from_java(JNIEnv *env, jobjectArray names, jobjectArray units,
                                         jobjectArray columns, const char *what);
/* An org.mumloc.Table holding a copy of the library table; NULL with an exception pending. */
jobject mumloc_jni_table_to_java(JNIEnv *env, const mumloc_table *table);

/* A Java org.mumloc.ProgressListener (boolean progress(long done, long total)) behind the library's
 * mumloc_progress_fn: called on the JNI thread only (JNIEnv is thread-bound); the listener's true or a
 * pending exception cancels the library call. */
typedef struct mumloc_jni_progress {
    JNIEnv *env;
    jobject listener;
    jmethodID method;
    pthread_t thread;
} mumloc_jni_progress;

/* Prepares the bridge; listener may be null (then mumloc_jni_progress_fn_for gives NULL). Returns 1
 * with an exception pending on failure. */
int mumloc_jni_progress_init(JNIEnv *env, jobject listener, mumloc_jni_progress *progress);
/* The callback to hand the library with &progress as user data, or NULL when there is no listener. */
mumloc_progress_fn mumloc_jni_progress_fn_for(const mumloc_jni_progress *progress);

#endif
