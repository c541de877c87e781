/* The helpers of the JNI convention (jni_common.h). */
#include "jni/jni_common.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXCEPTION_CLASS "org/mumloc/MumlocException"

/* ---- errors and strings ---------------------------------------------------------------------- */

/* new String(bytes, "UTF-8") of n bytes, without JNI's modified UTF-8. */
static jstring string_of(JNIEnv *env, const char *utf8, size_t n) {
    if (n > (size_t)INT32_MAX) n = (size_t)INT32_MAX;
    jbyteArray bytes = (*env)->NewByteArray(env, (jsize)n);
    if (!bytes) return NULL;
    (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)n, (const jbyte *)utf8);
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jmethodID ctor = (*env)->GetMethodID(env, string_class, "<init>", "([BLjava/lang/String;)V");
    if (!ctor) return NULL;
    jstring charset = (*env)->NewStringUTF(env, "UTF-8");
    if (!charset) return NULL;
    jstring s = (jstring)(*env)->NewObject(env, string_class, ctor, bytes, charset);
    (*env)->DeleteLocalRef(env, bytes);
    (*env)->DeleteLocalRef(env, charset);
    (*env)->DeleteLocalRef(env, string_class);
    return s;
}

void jni_throw(JNIEnv *env, int status, const char *message) {
    if ((*env)->ExceptionCheck(env)) return; /* keep the first exception */
    jclass cls = (*env)->FindClass(env, EXCEPTION_CLASS);
    if (!cls) return;
    jmethodID ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;Ljava/lang/String;)V");
    if (!ctor) return;
    const char *name = mumloc_status_string((mumloc_status)status);
    jstring jname = string_of(env, name, strlen(name));
    if (!jname) return;
    jstring jmsg = string_of(env, message ? message : "", message ? strlen(message) : 0);
    if (!jmsg) return;
    jobject ex = (*env)->NewObject(env, cls, ctor, (jint)status, jname, jmsg);
    if (!ex) return;
    (*env)->Throw(env, (jthrowable)ex);
}

int jni_check(JNIEnv *env, mumloc_status status) {
    if (status == MUMLOC_OK) return 0;
    jni_throw(env, (int)status, mumloc_last_error());
    return 1;
}

void jni_invalid(JNIEnv *env, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jni_throw(env, (int)MUMLOC_ERR_INVALID_ARGUMENT, msg);
}

/* 1 when the pending exception is the JVM's OutOfMemoryError (then cleared). */
static int clear_java_oom(JNIEnv *env) {
    jthrowable pending = (*env)->ExceptionOccurred(env);
    if (!pending) return 0;
    (*env)->ExceptionClear(env);
    jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    int is_oom = oom && (*env)->IsInstanceOf(env, pending, oom);
    if (!oom) (*env)->ExceptionClear(env);
    if (!is_oom) (*env)->Throw(env, pending); /* not ours to replace */
    return is_oom;
}

void jni_oom(JNIEnv *env, const char *what) {
    if ((*env)->ExceptionCheck(env) && !clear_java_oom(env)) return;
    char msg[256];
    snprintf(msg, sizeof msg, "out of memory while %s", what);
    jni_throw(env, (int)MUMLOC_ERR_OUT_OF_MEMORY, msg);
}

int jni_alloc_failed(JNIEnv *env, const char *what) {
    if (!(*env)->ExceptionCheck(env) || clear_java_oom(env)) jni_oom(env, what);
    return 1;
}

jstring jni_string(JNIEnv *env, const char *utf8) {
    if (!utf8) utf8 = "";
    jstring s = string_of(env, utf8, strlen(utf8));
    if (!s) jni_alloc_failed(env, "making a string");
    return s;
}

char *jni_utf8(JNIEnv *env, jstring s, const char *what, int *failed) {
    *failed = 0;
    if (!s) return NULL;
    *failed = 1;
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jmethodID get_bytes = (*env)->GetMethodID(env, string_class, "getBytes", "(Ljava/lang/String;)[B");
    if (!get_bytes) return NULL;
    jstring charset = (*env)->NewStringUTF(env, "UTF-8");
    if (!charset) {
        jni_alloc_failed(env, "copying a string");
        return NULL;
    }
    jbyteArray bytes = (jbyteArray)(*env)->CallObjectMethod(env, s, get_bytes, charset);
    if ((*env)->ExceptionCheck(env) || !bytes) {
        jni_alloc_failed(env, "copying a string");
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, bytes);
    char *out = malloc((size_t)n + 1);
    if (!out) {
        jni_oom(env, "copying a string");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte *)out);
    out[n] = '\0';
    (*env)->DeleteLocalRef(env, bytes);
    (*env)->DeleteLocalRef(env, charset);
    (*env)->DeleteLocalRef(env, string_class);
    if (memchr(out, '\0', (size_t)n)) {
        free(out);
        jni_invalid(env, "%s contains a NUL character", what);
        return NULL;
    }
    *failed = 0;
    return out;
}

char *jni_required_utf8(JNIEnv *env, jstring s, const char *what) {
    int failed;
    char *out = jni_utf8(env, s, what, &failed);
    if (!out && !failed) jni_invalid(env, "%s is null", what);
    return out;
}

jdoubleArray jni_doubles(JNIEnv *env, const double *values, int64_t n) {
    if (n < 0 || n > INT32_MAX - 8) {
        jni_invalid(env, "%lld values are more than a Java array holds", (long long)n);
        return NULL;
    }
    jdoubleArray out = (*env)->NewDoubleArray(env, (jsize)n);
    if (!out) {
        jni_alloc_failed(env, "copying numbers to Java");
        return NULL;
    }
    if (n > 0) (*env)->SetDoubleArrayRegion(env, out, 0, (jsize)n, values);
    return out;
}

jobjectArray jni_strings(JNIEnv *env, const char *const *values, int n) {
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jobjectArray out = (*env)->NewObjectArray(env, n, string_class, NULL);
    if (!out) {
        jni_alloc_failed(env, "copying strings to Java");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        jstring s = jni_string(env, values[i]);
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

/* ---- mirror objects ---------------------------------------------------------------------------- */

int jni_mirror_ids(JNIEnv *env, jni_mirror *m, jobject obj) {
    if (!obj) {
        jni_invalid(env, "%s is null", m->what);
        return -1;
    }
    if (__atomic_load_n(&m->ready, __ATOMIC_ACQUIRE)) return 0;
    if (m->count > JNI_MAX_FIELDS) {
        jni_throw(env, (int)MUMLOC_ERR_INTERNAL, "a mirror has more fields than the JNI keeps");
        return -1;
    }
    jclass cls = (*env)->GetObjectClass(env, obj);
    if (!cls) return -1;
    /* Two threads may look up at once: they write the same IDs, and `ready` is set after all. */
    for (int i = 0; i < m->count; i++) {
        m->ids[i] = (*env)->GetFieldID(env, cls, m->fields[i].name, m->fields[i].sig);
        if (!m->ids[i]) {
            (*env)->DeleteLocalRef(env, cls);
            return -1; /* NoSuchFieldError names the field */
        }
    }
    (*env)->DeleteLocalRef(env, cls);
    __atomic_store_n(&m->ready, 1, __ATOMIC_RELEASE);
    return 0;
}

int jni_mirror_read(JNIEnv *env, jni_mirror *m, jobject obj, void *c) {
    if (jni_mirror_ids(env, m, obj)) return -1;
    char *base = c;
    for (int i = 0; i < m->count; i++) {
        const jni_field *f = &m->fields[i];
        void *at = base + f->offset;
        switch (f->sig[0] == '\0' || f->sig[1] != '\0' ? '?' : f->sig[0]) {
        case 'D': *(double *)at = (*env)->GetDoubleField(env, obj, m->ids[i]); break;
        case 'I': *(int *)at = (int)(*env)->GetIntField(env, obj, m->ids[i]); break;
        case 'J': *(int64_t *)at = (int64_t)(*env)->GetLongField(env, obj, m->ids[i]); break;
        case 'Z': *(int *)at = (*env)->GetBooleanField(env, obj, m->ids[i]) ? 1 : 0; break;
        default: break; /* objects: the caller's */
        }
    }
    return 0;
}

int jni_mirror_write(JNIEnv *env, jni_mirror *m, const void *c, jobject obj) {
    if (jni_mirror_ids(env, m, obj)) return -1;
    const char *base = c;
    for (int i = 0; i < m->count; i++) {
        const jni_field *f = &m->fields[i];
        const void *at = base + f->offset;
        switch (f->sig[0] == '\0' || f->sig[1] != '\0' ? '?' : f->sig[0]) {
        case 'D': (*env)->SetDoubleField(env, obj, m->ids[i], *(const double *)at); break;
        case 'I': (*env)->SetIntField(env, obj, m->ids[i], (jint) * (const int *)at); break;
        case 'J': (*env)->SetLongField(env, obj, m->ids[i], (jlong) * (const int64_t *)at); break;
        case 'Z': (*env)->SetBooleanField(env, obj, m->ids[i], *(const int *)at ? JNI_TRUE : JNI_FALSE); break;
        default: break;
        }
    }
    return 0;
}

char *jni_mirror_utf8(JNIEnv *env, jni_mirror *m, jobject obj, int i, int *failed) {
    jstring s = (jstring)(*env)->GetObjectField(env, obj, m->ids[i]);
    char *text = jni_utf8(env, s, m->fields[i].name, failed);
    if (s) (*env)->DeleteLocalRef(env, s);
    if (text && !*text) {
        free(text);
        text = NULL;
    }
    return text;
}

void jni_mirror_set_object(JNIEnv *env, jni_mirror *m, jobject obj, int i, jobject v) {
    (*env)->SetObjectField(env, obj, m->ids[i], v);
}

/* ---- progress --------------------------------------------------------------------------------- */

static int progress_to_java(void *user, int64_t done, int64_t total) {
    jni_progress *pr = user;
    if (!pthread_equal(pthread_self(), pr->thread)) return 0; /* JNIEnv is only valid on its thread */
    JNIEnv *env = pr->env;
    if ((*env)->ExceptionCheck(env)) return 1;
    jboolean cancel = (*env)->CallBooleanMethod(env, pr->listener, pr->method, (jlong)done, (jlong)total);
    if ((*env)->ExceptionCheck(env)) return 1; /* the listener threw: stop, rethrow it afterwards */
    return cancel ? 1 : 0;
}

int jni_progress_init(JNIEnv *env, jobject listener, jni_progress *progress) {
    *progress = (jni_progress){env, listener, NULL, pthread_self()};
    if (!listener) return 0;
    jclass cls = (*env)->GetObjectClass(env, listener);
    if (!cls) return 1;
    progress->method = (*env)->GetMethodID(env, cls, "progress", "(JJ)Z");
    (*env)->DeleteLocalRef(env, cls);
    return progress->method ? 0 : 1;
}

mumloc_progress_fn jni_progress_fn_for(const jni_progress *progress) {
    return progress->listener ? progress_to_java : NULL;
}

int jni_check_progress(JNIEnv *env, mumloc_status st) {
    if ((*env)->ExceptionCheck(env)) return 1;
    return jni_check(env, st);
}
