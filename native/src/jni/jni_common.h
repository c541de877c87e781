/* The JNI convention, shared by every file here (one file per Java class of org.mumloc, named after
 * it: Table.c holds Table's natives):
 *   - a native is declared and defined with JNI_METHOD (the one export macro);
 *   - options and results cross as Java mirror objects whose fields are read and written by name
 *     (jni_mirror: field IDs looked up once), never as positional arrays;
 *   - a table crosses as an org.mumloc.Table, a handle on the library's mumloc_table;
 *   - inputs are checked before the library is called, a failing library call throws
 *     org.mumloc.MumlocException with the status and mumloc_last_error(), allocation failures (ours
 *     or the JVM's) throw it with status "out of memory", and a function returns at once when an
 *     exception is pending;
 *   - strings cross as real UTF-8 (String.getBytes / new String(bytes, "UTF-8")), not JNI's
 *     modified UTF-8.
 * Nothing here aborts, exits or prints: the JVM (and the user's unsaved work in Fiji) stays up. */
#ifndef JNI_COMMON_H
#define JNI_COMMON_H

#include <jni.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

/* Declares and defines native method `name` of org.mumloc.`cls`, exported with default visibility
 * (the library is built with -fvisibility=hidden): JNI_METHOD(Table, jint, nRows, JNIEnv *env,
 * jclass cls, jobject table) { ... }. */
#define JNI_METHOD(cls, ret, name, ...)                                                            \
    JNIEXPORT ret JNICALL Java_org_mumloc_##cls##_##name(__VA_ARGS__);                             \
    JNIEXPORT ret JNICALL Java_org_mumloc_##cls##_##name(__VA_ARGS__)

/* ---- errors and strings ---------------------------------------------------------------------- */

/* Throws MumlocException(status, name, message) unless an exception is already pending. */
void jni_throw(JNIEnv *env, int status, const char *message);
/* Throws for a failed library call; returns 1 if it threw (status != OK). */
int jni_check(JNIEnv *env, mumloc_status status);
/* Throws "invalid argument" with a printf-style message. */
void jni_invalid(JNIEnv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Throws "out of memory while <what>"; a pending OutOfMemoryError of the JVM is replaced by it. */
void jni_oom(JNIEnv *env, const char *what);
/* After a JNI allocation (NewObject, New*Array, strings) returned NULL: jni_oom(what) if the
 * JVM ran out of memory, the pending exception as it is otherwise. Returns 1. */
int jni_alloc_failed(JNIEnv *env, const char *what);
/* A Java String from UTF-8 bytes (NULL → ""); NULL with an exception pending on failure. */
jstring jni_string(JNIEnv *env, const char *utf8);
/* A malloc'ed UTF-8 copy of a Java string. NULL jstring: NULL and *failed = 0 (no exception);
 * failure: NULL, *failed = 1, exception pending. */
char *jni_utf8(JNIEnv *env, jstring s, const char *what, int *failed);
/* Like jni_utf8 but a null string is an error naming `what`. */
char *jni_required_utf8(JNIEnv *env, jstring s, const char *what);
/* A Java double[] / String[] from C values; NULL with an exception pending on failure. */
jdoubleArray jni_doubles(JNIEnv *env, const double *values, int64_t n);
jobjectArray jni_strings(JNIEnv *env, const char *const *values, int n);

/* ---- mirror objects ---------------------------------------------------------------------------- */

/* One field of a Java mirror and the C struct member it mirrors. sig: "D" (double), "I" (int or an
 * enum), "J" (int64_t or uint64_t), "Z" (boolean ↔ int 0/1) are copied by jni_mirror_read
 * and _write at `offset`; any other signature ("[D", "Ljava/lang/String;", "Lorg/mumloc/Table;") is
 * only looked up, for the caller to handle (offset unused). */
typedef struct jni_field {
    const char *name;
    const char *sig;
    size_t offset;
} jni_field;

enum { JNI_MAX_FIELDS = 48 };

/* A Java class's fields, looked up on first use (from the first object's class) and kept. */
typedef struct jni_mirror {
    const char *what; /* names the object in messages ("the render parameters") */
    const jni_field *fields;
    int count;
    jfieldID ids[JNI_MAX_FIELDS];
    int ready; /* read and set atomically */
} jni_mirror;

#define JNI_MIRROR(what, fields)                                                            \
    { what, fields, (int)(sizeof fields / sizeof fields[0]), {0}, 0 }

/* The field IDs of m for obj's class; 0, or -1 with an exception pending (obj null: "<what> is
 * null"). */
int jni_mirror_ids(JNIEnv *env, jni_mirror *m, jobject obj);
/* Copies the primitive fields of obj into the struct at c, or of c into obj; 0, or -1 with an
 * exception pending. */
int jni_mirror_read(JNIEnv *env, jni_mirror *m, jobject obj, void *c);
int jni_mirror_write(JNIEnv *env, jni_mirror *m, const void *c, jobject obj);
/* The ID of field i of m (after jni_mirror_ids succeeded). */
static inline jfieldID jni_id(const jni_mirror *m, int i) { return m->ids[i]; }
/* The String field i of obj as a malloc'ed UTF-8 copy; NULL for null or "" (*failed = 0), or on
 * failure (*failed = 1, exception pending). */
char *jni_mirror_utf8(JNIEnv *env, jni_mirror *m, jobject obj, int i, int *failed);
/* Sets object field i of obj (after jni_mirror_ids). */
void jni_mirror_set_object(JNIEnv *env, jni_mirror *m, jobject obj, int i, jobject v);

/* ---- the mirrors several classes share (defined in the file of their class) -------------------- */

/* org.mumloc.Optics ↔ mumloc_optics (Optics.c). */
int jni_optics_from_java(JNIEnv *env, jobject jo, mumloc_optics *o);
int jni_optics_to_java(JNIEnv *env, const mumloc_optics *o, jobject jo);
/* org.mumloc.Camera ↔ mumloc_camera (Camera.c). */
int jni_camera_from_java(JNIEnv *env, jobject jc, mumloc_camera *c);
int jni_camera_to_java(JNIEnv *env, const mumloc_camera *c, jobject jc);
/* org.mumloc.SimParams ↔ mumloc_sim_params (SimParams.c). */
int jni_sim_params_from_java(JNIEnv *env, jobject jp, mumloc_sim_params *p);
int jni_sim_params_to_java(JNIEnv *env, const mumloc_sim_params *p, jobject jp);
/* The mumloc_model behind an org.mumloc.Model (Model.c); NULL with an exception pending when
 * closed. The object must stay referenced while the model is used (the caller's argument is). */
mumloc_model *jni_model_of(JNIEnv *env, jobject model);

/* ---- tables (Table.c) -------------------------------------------------------------------------- */

/* The mumloc_table behind an org.mumloc.Table; NULL with an exception pending when null (`what`
 * names it) or closed. The Table object keeps the table alive while the caller holds it. */
mumloc_table *jni_table_of(JNIEnv *env, jobject table, const char *what);
/* A new org.mumloc.Table owning t (on failure t is destroyed); NULL with an exception pending. */
jobject jni_table_wrap(JNIEnv *env, mumloc_table *t);
/* A new org.mumloc.Table owning a copy of t; NULL with an exception pending. */
jobject jni_table_copy(JNIEnv *env, const mumloc_table *t);

/* ---- progress --------------------------------------------------------------------------------- */

/* A Java org.mumloc.ProgressListener (boolean progress(long done, long total)) behind the library's
 * mumloc_progress_fn: called on the JNI thread only (JNIEnv is thread-bound); the listener's true or a
 * pending exception cancels the library call. */
typedef struct jni_progress {
    JNIEnv *env;
    jobject listener;
    jmethodID method;
    pthread_t thread;
} jni_progress;

/* Prepares the bridge; listener may be null (then jni_progress_fn_for gives NULL). Returns 1
 * with an exception pending on failure. */
int jni_progress_init(JNIEnv *env, jobject listener, jni_progress *progress);
/* The callback to hand the library with &progress as user data, or NULL when there is no listener. */
mumloc_progress_fn jni_progress_fn_for(const jni_progress *progress);
/* Throws for status st of a call that reported to a listener: an exception the listener threw is
 * the one the caller sees. Returns 1 if an exception is pending. */
int jni_check_progress(JNIEnv *env, mumloc_status st);

#endif
