/* org.mumloc.Table: a handle on a mumloc_table (the Java object owns it and frees it when closed
 * or unreachable), its columns read on demand, ThunderSTORM CSV files read and written by the
 * library's one parser and formatter, unit conversion and headings. */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define TABLE_CLASS "org/mumloc/Table"

static const jni_field table_fields[] = {{"handle", "J", 0}};
static jni_mirror table_mirror = JNI_MIRROR("the table", table_fields);

mumloc_table *jni_table_of(JNIEnv *env, jobject table, const char *what) {
    if (!table) {
        jni_invalid(env, "%s is null", what);
        return NULL;
    }
    if (jni_mirror_ids(env, &table_mirror, table)) return NULL;
    jlong handle = (*env)->GetLongField(env, table, jni_id(&table_mirror, 0));
    if (handle == 0) {
        jni_invalid(env, "%s is closed", what);
        return NULL;
    }
    return (mumloc_table *)(intptr_t)handle;
}

jobject jni_table_wrap(JNIEnv *env, mumloc_table *t) {
    jclass cls = (*env)->FindClass(env, TABLE_CLASS);
    jmethodID ctor = cls ? (*env)->GetMethodID(env, cls, "<init>", "(J)V") : NULL;
    jobject out = ctor ? (*env)->NewObject(env, cls, ctor, (jlong)(intptr_t)t) : NULL;
    if (!out) {
        mumloc_table_destroy(t);
        jni_alloc_failed(env, "handing a table to Java");
    }
    if (cls) (*env)->DeleteLocalRef(env, cls);
    return out;
}

jobject jni_table_copy(JNIEnv *env, const mumloc_table *t) {
    mumloc_table *copy = NULL;
    if (jni_check(env, mumloc_table_copy(t, &copy))) return NULL;
    return jni_table_wrap(env, copy);
}

/* A table from Java's parallel arrays (the Java constructor checked their shapes). */
JNI_METHOD(Table, jlong, nCreate, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
           jobjectArray columns) {
    (void)cls;
    jsize n = names ? (*env)->GetArrayLength(env, names) : 0;
    if (!names || !units || !columns || (*env)->GetArrayLength(env, units) != n ||
        (*env)->GetArrayLength(env, columns) != n) {
        jni_invalid(env, "a table needs as many names, units and columns");
        return 0;
    }
    mumloc_table *t = NULL;
    if (jni_check(env, mumloc_table_create(&t))) return 0;
    jsize rows = -1;
    for (jsize c = 0; c < n; c++) {
        jstring jname = (jstring)(*env)->GetObjectArrayElement(env, names, c);
        jstring junit = (jstring)(*env)->GetObjectArrayElement(env, units, c);
        jdoubleArray col = (jdoubleArray)(*env)->GetObjectArrayElement(env, columns, c);
        if ((*env)->ExceptionCheck(env)) goto fail;
        jsize len = col ? (*env)->GetArrayLength(env, col) : -1;
        if (c == 0) rows = len;
        if (len < 0 || len != rows) {
            jni_invalid(env, "column %d of the table is missing or has another length", (int)c + 1);
            goto fail;
        }
        char *name = jni_required_utf8(env, jname, "a column name");
        if (!name) goto fail;
        int failed;
        char *unit = jni_utf8(env, junit, "a column unit", &failed);
        mumloc_status st = failed ? MUMLOC_OK : mumloc_table_add_column(t, name, unit ? unit : "", NULL);
        free(name);
        free(unit);
        if (failed || jni_check(env, st)) goto fail;
        if (c == 0 && rows > 0 && jni_check(env, mumloc_table_set_rows(t, rows))) goto fail;
        if (rows > 0) {
            double *values = (*env)->GetDoubleArrayElements(env, col, NULL);
            if (!values) {
                jni_alloc_failed(env, "reading a column");
                goto fail;
            }
            st = mumloc_table_set_column(t, (int)c, 0, values, rows);
            (*env)->ReleaseDoubleArrayElements(env, col, values, JNI_ABORT);
            if (jni_check(env, st)) goto fail;
        }
        (*env)->DeleteLocalRef(env, jname);
        if (junit) (*env)->DeleteLocalRef(env, junit);
        (*env)->DeleteLocalRef(env, col);
    }
    return (jlong)(intptr_t)t;
fail:
    mumloc_table_destroy(t);
    return 0;
}

/* Called once per table, by Table's cleaning action (close or unreachable). */
JNI_METHOD(Table, void, nDestroy, JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    mumloc_table_destroy((mumloc_table *)(intptr_t)handle);
}

JNI_METHOD(Table, jlong, nRows, JNIEnv *env, jclass cls, jobject table) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, table, "the table");
    return t ? (jlong)mumloc_table_rows(t) : 0;
}

JNI_METHOD(Table, jint, nColumns, JNIEnv *env, jclass cls, jobject table) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, table, "the table");
    return t ? mumloc_table_columns(t) : 0;
}

/* The table's column index c, or NULL with an exception naming the range. */
static mumloc_table *column_of(JNIEnv *env, jobject table, jint c) {
    mumloc_table *t = jni_table_of(env, table, "the table");
    if (t && (c < 0 || c >= mumloc_table_columns(t))) {
        jni_invalid(env, "column %d is not one of the table's 0..%d", (int)c,
                           mumloc_table_columns(t) - 1);
        return NULL;
    }
    return t;
}

JNI_METHOD(Table, jstring, nName, JNIEnv *env, jclass cls, jobject table, jint c) {
    (void)cls;
    mumloc_table *t = column_of(env, table, c);
    return t ? jni_string(env, mumloc_table_column_name(t, c)) : NULL;
}

JNI_METHOD(Table, jstring, nUnit, JNIEnv *env, jclass cls, jobject table, jint c) {
    (void)cls;
    mumloc_table *t = column_of(env, table, c);
    return t ? jni_string(env, mumloc_table_column_unit(t, c)) : NULL;
}

JNI_METHOD(Table, jdoubleArray, nColumn, JNIEnv *env, jclass cls, jobject table, jint c) {
    (void)cls;
    mumloc_table *t = column_of(env, table, c);
    return t ? jni_doubles(env, mumloc_table_column_data(t, c), mumloc_table_rows(t)) : NULL;
}

JNI_METHOD(Table, jint, nFind, JNIEnv *env, jclass cls, jobject table, jstring jname) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, table, "the table");
    char *name = t ? jni_required_utf8(env, jname, "the column name") : NULL;
    if (!name) return -1;
    int c = mumloc_table_find_column(t, name, NULL);
    free(name);
    return c;
}

JNI_METHOD(Table, jobject, nReadCsv, JNIEnv *env, jclass cls, jstring jpath, jstring jrequired) {
    (void)cls;
    char *path = jni_required_utf8(env, jpath, "the CSV file path");
    if (!path) return NULL;
    int failed;
    char *required = jni_utf8(env, jrequired, "the required columns", &failed);
    if (failed) {
        free(path);
        return NULL;
    }
    mumloc_table *t = NULL;
    mumloc_status st = mumloc_table_read_csv(path, required && *required ? required : NULL, &t);
    free(path);
    free(required);
    if (jni_check(env, st)) return NULL;
    return jni_table_wrap(env, t);
}

JNI_METHOD(Table, void, nWriteCsv, JNIEnv *env, jclass cls, jobject table, jstring jpath) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, table, "the table");
    char *path = t ? jni_required_utf8(env, jpath, "the CSV file path") : NULL;
    if (!path) return;
    jni_check(env, mumloc_table_write_csv(t, path));
    free(path);
}

JNI_METHOD(Table, jobject, nToNm, JNIEnv *env, jclass cls, jobject table, jdouble pixel_nm) {
    (void)cls;
    mumloc_table *t = jni_table_of(env, table, "the table"), *copy = NULL;
    if (!t || jni_check(env, mumloc_table_copy(t, &copy))) return NULL;
    if (jni_check(env, mumloc_table_convert_to_nm(copy, pixel_nm))) {
        mumloc_table_destroy(copy);
        return NULL;
    }
    return jni_table_wrap(env, copy);
}

/* The header field of a column (mumloc_table_heading): how Fiji heads a results-table column. */
JNI_METHOD(Table, jstring, nHeading, JNIEnv *env, jclass cls, jstring jname, jstring junit) {
    (void)cls;
    char *name = jni_required_utf8(env, jname, "the column name");
    if (!name) return NULL;
    int failed;
    char *unit = jni_utf8(env, junit, "the column unit", &failed);
    jstring out = NULL;
    size_t cap = strlen(name) + (unit ? strlen(unit) : 0) + 8; /* name, " [", unit, "]" or " []" */
    char *heading = failed ? NULL : malloc(cap);
    if (!failed && !heading) jni_oom(env, "making a column heading");
    if (heading && !jni_check(env, mumloc_table_heading(name, unit, heading, cap)))
        out = jni_string(env, heading);
    free(heading);
    free(unit);
    free(name);
    return out;
}

/* {name, unit} of a header field by the CSV reader's rule (mumloc_table_split_heading). */
JNI_METHOD(Table, jobjectArray, nSplitHeading, JNIEnv *env, jclass cls, jstring jheading) {
    (void)cls;
    char *heading = jni_required_utf8(env, jheading, "the column heading");
    if (!heading) return NULL;
    size_t cap = strlen(heading) + 1;
    char *name = malloc(cap), *unit = malloc(cap);
    jobjectArray out = NULL;
    if (!name || !unit) {
        jni_oom(env, "splitting a column heading");
    } else if (!jni_check(env, mumloc_table_split_heading(heading, name, cap, unit, cap))) {
        const char *parts[2] = {name, unit};
        out = jni_strings(env, parts, 2);
    }
    free(name);
    free(unit);
    free(heading);
    return out;
}

JNI_METHOD(Table, jstring, nFormatNumber, JNIEnv *env, jclass cls, jdouble value) {
    (void)cls;
    char buf[64];
    if (jni_check(env, mumloc_format_number(value, buf, sizeof buf))) return NULL;
    return jni_string(env, buf);
}
