/* Helpers of the JNI glue for tables, evaluation and rendering (see jni_common.h). */
#include "jni/jni_common.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXCEPTION_CLASS "org/mumloc/MumlocException"
#define TABLE_CLASS "org/mumloc/Table"

jstring mumloc_jni_string(JNIEnv *env, const char *utf8) {
    if (!utf8) utf8 = "";
    size_t n = strlen(utf8);
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

void mumloc_jni_throw(JNIEnv *env, int status, const char *message) {
    if ((*env)->ExceptionCheck(env)) return; /* keep the first exception */
    jclass cls = (*env)->FindClass(env, EXCEPTION_CLASS);
    if (!cls) return;
    jmethodID ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;Ljava/lang/String;)V");
    if (!ctor) return;
    jstring jname = mumloc_jni_string(env, mumloc_status_string((mumloc_status)status));
    if (!jname) return;
    jstring jmsg = mumloc_jni_string(env, message);
    if (!jmsg) return;
    jobject ex = (*env)->NewObject(env, cls, ctor, (jint)status, jname, jmsg);
    if (!ex) return;
    (*env)->Throw(env, (jthrowable)ex);
}

int mumloc_jni_check(JNIEnv *env, mumloc_status status) {
    if (status == MUMLOC_OK) return 0;
    mumloc_jni_throw(env, (int)status, mumloc_last_error());
    return 1;
}

void mumloc_jni_invalid(JNIEnv *env, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mumloc_jni_throw(env, (int)MUMLOC_ERR_INVALID_ARGUMENT, msg);
}

void mumloc_jni_oom(JNIEnv *env, const char *what) {
    char msg[256];
    snprintf(msg, sizeof msg, "out of memory while %s", what);
    mumloc_jni_throw(env, (int)MUMLOC_ERR_OUT_OF_MEMORY, msg);
}

char *mumloc_jni_utf8(JNIEnv *env, jstring s, const char *what, int *failed) {
    *failed = 0;
    if (!s) return NULL;
    *failed = 1;
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jmethodID get_bytes = (*env)->GetMethodID(env, string_class, "getBytes", "(Ljava/lang/String;)[B");
    if (!get_bytes) return NULL;
    jstring charset = (*env)->NewStringUTF(env, "UTF-8");
    if (!charset) return NULL;
    jbyteArray bytes = (jbyteArray)(*env)->CallObjectMethod(env, s, get_bytes, charset);
    if ((*env)->ExceptionCheck(env) || !bytes) return NULL;
    jsize n = (*env)->GetArrayLength(env, bytes);
    char *out = malloc((size_t)n + 1);
    if (!out) {
        mumloc_jni_oom(env, "copying a string");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte *)out);
    out[n] = '\0';
    (*env)->DeleteLocalRef(env, bytes);
    (*env)->DeleteLocalRef(env, charset);
    (*env)->DeleteLocalRef(env, string_class);
    if (memchr(out, '\0', (size_t)n)) {
        free(out);
        mumloc_jni_invalid(env, "%s contains a NUL character", what);
        return NULL;
    }
    *failed = 0;
    return out;
}

char *mumloc_jni_required_utf8(JNIEnv *env, jstring s, const char *what) {
    int failed;
    char *out = mumloc_jni_utf8(env, s, what, &failed);
    if (!out && !failed) mumloc_jni_invalid(env, "%s is null", what);
    return out;
}

mumloc_table *mumloc_jni_table_from_java(JNIEnv *env, jobjectArray names, jobjectArray units,
                                         jobjectArray columns, const char *what) {
    if (!names || !units || !columns) {
        mumloc_jni_invalid(env, "%s: names, units and columns are required", what);
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, names);
    if ((*env)->GetArrayLength(env, units) != n || (*env)->GetArrayLength(env, columns) != n) {
        mumloc_jni_invalid(env, "%s: %d names but %d units and %d columns", what, (int)n,
                           (int)(*env)->GetArrayLength(env, units), (int)(*env)->GetArrayLength(env, columns));
        return NULL;
    }
    /* Every column must be a double[] of the same length before anything is built. */
    jsize rows = 0;
    for (jsize c = 0; c < n; c++) {
        jobject col = (*env)->GetObjectArrayElement(env, columns, c);
        if ((*env)->ExceptionCheck(env)) return NULL;
        if (!col) {
            mumloc_jni_invalid(env, "%s: column %d is null", what, (int)c + 1);
            return NULL;
        }
        jsize len = (*env)->GetArrayLength(env, (jarray)col);
        (*env)->DeleteLocalRef(env, col);
        if (c == 0) rows = len;
        else if (len != rows) {
            mumloc_jni_invalid(env, "%s: column %d holds %d values, column 1 %d", what, (int)c + 1, (int)len,
                               (int)rows);
            return NULL;
        }
    }
    mumloc_table *t = NULL;
    if (mumloc_jni_check(env, mumloc_table_create(&t))) return NULL;
    for (jsize c = 0; c < n; c++) {
        jstring jname = (jstring)(*env)->GetObjectArrayElement(env, names, c);
        if ((*env)->ExceptionCheck(env)) goto fail;
        jstring junit = (jstring)(*env)->GetObjectArrayElement(env, units, c);
        if ((*env)->ExceptionCheck(env)) goto fail;
        char *name = mumloc_jni_required_utf8(env, jname, "a column name");
        if (!name) goto fail;
        int failed;
        char *unit = mumloc_jni_utf8(env, junit, "a column unit", &failed);
        if (failed) {
            free(name);
            goto fail;
        }
        mumloc_status st = mumloc_table_add_column(t, name, unit ? unit : "", NULL);
        free(name);
        free(unit);
        (*env)->DeleteLocalRef(env, jname);
        if (junit) (*env)->DeleteLocalRef(env, junit);
        if (mumloc_jni_check(env, st)) goto fail;
    }
    if (n > 0 && rows > 0) {
        if (mumloc_jni_check(env, mumloc_table_set_rows(t, rows))) goto fail;
        for (jsize c = 0; c < n; c++) {
            jdoubleArray col = (jdoubleArray)(*env)->GetObjectArrayElement(env, columns, c);
            if (!col) goto fail;
            if ((*env)->GetArrayLength(env, col) != rows) { /* changed by another thread meanwhile */
                mumloc_jni_invalid(env, "%s: column %d changed length while being read", what, (int)c + 1);
                goto fail;
            }
            double *values = (*env)->GetDoubleArrayElements(env, col, NULL);
            if (!values) goto fail;
            mumloc_status st = mumloc_table_set_column(t, (int)c, 0, values, rows);
            (*env)->ReleaseDoubleArrayElements(env, col, values, JNI_ABORT);
            (*env)->DeleteLocalRef(env, col);
            if (mumloc_jni_check(env, st)) goto fail;
        }
    }
    return t;
fail:
    mumloc_table_destroy(t);
    return NULL;
}

jobject mumloc_jni_table_to_java(JNIEnv *env, const mumloc_table *t) {
    int n = mumloc_table_columns(t);
    int64_t rows = mumloc_table_rows(t);
    if (rows > INT32_MAX - 8) {
        mumloc_jni_invalid(env, "the table holds %lld rows, more than Java arrays hold", (long long)rows);
        return NULL;
    }
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jclass double_array_class = (*env)->FindClass(env, "[D");
    if (!double_array_class) return NULL;
    jobjectArray names = (*env)->NewObjectArray(env, n, string_class, NULL);
    if (!names) return NULL;
    jobjectArray units = (*env)->NewObjectArray(env, n, string_class, NULL);
    if (!units) return NULL;
    jobjectArray columns = (*env)->NewObjectArray(env, n, double_array_class, NULL);
    if (!columns) return NULL;
    for (int c = 0; c < n; c++) {
        jstring s = mumloc_jni_string(env, mumloc_table_column_name(t, c));
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, names, c, s);
        (*env)->DeleteLocalRef(env, s);
        s = mumloc_jni_string(env, mumloc_table_column_unit(t, c));
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, units, c, s);
        (*env)->DeleteLocalRef(env, s);
        jdoubleArray col = (*env)->NewDoubleArray(env, (jsize)rows);
        if (!col) return NULL;
        if (rows > 0) (*env)->SetDoubleArrayRegion(env, col, 0, (jsize)rows, mumloc_table_column_data(t, c));
        (*env)->SetObjectArrayElement(env, columns, c, col);
        (*env)->DeleteLocalRef(env, col);
    }
    jclass table_class = (*env)->FindClass(env, TABLE_CLASS);
    if (!table_class) return NULL;
    jmethodID ctor = (*env)->GetMethodID(env, table_class, "<init>",
                                         "([Ljava/lang/String;[Ljava/lang/String;[[D)V");
    if (!ctor) return NULL;
    return (*env)->NewObject(env, table_class, ctor, names, units, columns);
}

static int progress_to_java(void *user, int64_t done, int64_t total) {
    mumloc_jni_progress *pr = user;
    if (!pthread_equal(pthread_self(), pr->thread)) return 0; /* JNIEnv is only valid on its thread */
    JNIEnv *env = pr->env;
    if ((*env)->ExceptionCheck(env)) return 1;
    jboolean cancel = (*env)->CallBooleanMethod(env, pr->listener, pr->method, (jlong)done, (jlong)total);
    if ((*env)->ExceptionCheck(env)) return 1; /* the listener threw: stop, rethrow it afterwards */
    return cancel ? 1 : 0;
}

int mumloc_jni_progress_init(JNIEnv *env, jobject listener, mumloc_jni_progress *progress) {
    *progress = (mumloc_jni_progress){env, listener, NULL, pthread_self()};
    if (!listener) return 0;
    jclass cls = (*env)->GetObjectClass(env, listener);
    if (!cls) return 1;
    progress->method = (*env)->GetMethodID(env, cls, "progress", "(JJ)Z");
    (*env)->DeleteLocalRef(env, cls);
    return progress->method ? 0 : 1;
}

mumloc_progress_fn mumloc_jni_progress_fn_for(const mumloc_jni_progress *progress) {
    return progress->listener ? progress_to_java : NULL;
}

jfieldID mumloc_jni_field(JNIEnv *env, jobject obj, const char *name, const char *sig) {
    jclass cls = (*env)->GetObjectClass(env, obj);
    if (!cls) return NULL;
    jfieldID id = (*env)->GetFieldID(env, cls, name, sig);
    (*env)->DeleteLocalRef(env, cls);
    return id;
}

int mumloc_jni_get_double(JNIEnv *env, jobject obj, const char *name, double *out) {
    jfieldID id = mumloc_jni_field(env, obj, name, "D");
    if (!id) return -1;
    *out = (*env)->GetDoubleField(env, obj, id);
    return 0;
}

int mumloc_jni_get_int(JNIEnv *env, jobject obj, const char *name, int *out) {
    jfieldID id = mumloc_jni_field(env, obj, name, "I");
    if (!id) return -1;
    *out = (int)(*env)->GetIntField(env, obj, id);
    return 0;
}

int mumloc_jni_get_long(JNIEnv *env, jobject obj, const char *name, int64_t *out) {
    jfieldID id = mumloc_jni_field(env, obj, name, "J");
    if (!id) return -1;
    *out = (int64_t)(*env)->GetLongField(env, obj, id);
    return 0;
}

int mumloc_jni_get_flag(JNIEnv *env, jobject obj, const char *name, int *out) {
    jfieldID id = mumloc_jni_field(env, obj, name, "Z");
    if (!id) return -1;
    *out = (*env)->GetBooleanField(env, obj, id) ? 1 : 0;
    return 0;
}

jobject mumloc_jni_get_object(JNIEnv *env, jobject obj, const char *name, const char *sig,
                              const char *what) {
    jfieldID id = mumloc_jni_field(env, obj, name, sig);
    if (!id) return NULL;
    jobject v = (*env)->GetObjectField(env, obj, id);
    if (!v) mumloc_jni_invalid(env, "%s is null", what);
    return v;
}

int mumloc_jni_camera_from_java(JNIEnv *env, jobject jc, mumloc_camera *c) {
    if (!jc) {
        mumloc_jni_invalid(env, "camera is null");
        return -1;
    }
    memset(c, 0, sizeof *c);
    if (mumloc_jni_get_double(env, jc, "backgroundPhotons", &c->background_photons) ||
        mumloc_jni_get_double(env, jc, "readNoiseE", &c->read_noise_e) || mumloc_jni_get_double(env, jc, "emGain", &c->em_gain) ||
        mumloc_jni_get_double(env, jc, "aduPerElectron", &c->adu_per_electron) ||
        mumloc_jni_get_double(env, jc, "offsetAdu", &c->offset_adu))
        return -1;
    return 0;
}
