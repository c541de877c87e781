/* JNI glue for org.mumloc.Table: ThunderSTORM CSV files read and written by the library's one parser
 * and formatter (mumloc_table_read_csv / mumloc_table_write_csv), and unit conversion. The Java side
 * holds a table as parallel arrays (names, units, double[] columns); each call builds a library table
 * from them, uses it and destroys it, so no native handle outlives a call. */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define TABLE_FN(ret, name, ...)                                                                   \
    JNIEXPORT ret JNICALL Java_org_mumloc_Table_##name(__VA_ARGS__);                               \
    JNIEXPORT ret JNICALL Java_org_mumloc_Table_##name(__VA_ARGS__)

TABLE_FN(jobject, nReadCsv, JNIEnv *env, jclass cls, jstring jpath, jstring jrequired) {
    char *path = mumloc_jni_required_utf8(env, jpath, "the CSV file path");
    if (!path) return NULL;
    int failed;
    char *required = mumloc_jni_utf8(env, jrequired, "the required columns", &failed);
    if (failed) {
        free(path);
        return NULL;
    }
    mumloc_table *t = NULL;
    mumloc_status st = mumloc_table_read_csv(path, required && *required ? required : NULL, &t);
    free(path);
    free(required);
    if (mumloc_jni_check(env, st)) return NULL;
    jobject out = mumloc_jni_table_to_java(env, t);
    mumloc_table_destroy(t);
    return out;
}

TABLE_FN(void, nWriteCsv, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                          jobjectArray columns, jstring jpath) {
    char *path = mumloc_jni_required_utf8(env, jpath, "the CSV file path");
    if (!path) return;
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the table");
    if (t) mumloc_jni_check(env, mumloc_table_write_csv(t, path));
    mumloc_table_destroy(t);
    free(path);
}

TABLE_FN(jobject, nToNm, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                      jobjectArray columns, jdouble pixel_nm) {
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the table");
    if (!t) return NULL;
    jobject out = NULL;
    if (!mumloc_jni_check(env, mumloc_table_convert_to_nm(t, pixel_nm))) out = mumloc_jni_table_to_java(env, t);
    mumloc_table_destroy(t);
    return out;
}

/* The header field of a column (mumloc_table_heading): how Fiji heads a results-table column. */
TABLE_FN(jstring, nHeading, JNIEnv *env, jclass cls, jstring jname, jstring junit) {
    (void)cls;
    char *name = mumloc_jni_required_utf8(env, jname, "the column name");
    if (!name) return NULL;
    int failed;
    char *unit = mumloc_jni_utf8(env, junit, "the column unit", &failed);
    jstring out = NULL;
    size_t cap = strlen(name) + (unit ? strlen(unit) : 0) + 8; /* name, " [", unit, "]" or " []" */
    char *heading = failed ? NULL : malloc(cap);
    if (!failed && !heading) mumloc_jni_oom(env, "a column heading");
    if (heading && !mumloc_jni_check(env, mumloc_table_heading(name, unit, heading, cap)))
        out = mumloc_jni_string(env, heading);
    free(heading);
    free(unit);
    free(name);
    return out;
}

/* {name, unit} of a header field by the CSV reader's rule (mumloc_table_split_heading). */
TABLE_FN(jobjectArray, nSplitHeading, JNIEnv *env, jclass cls, jstring jheading) {
    (void)cls;
    char *heading = mumloc_jni_required_utf8(env, jheading, "the column heading");
    if (!heading) return NULL;
    size_t cap = strlen(heading) + 1;
    char *name = malloc(cap), *unit = malloc(cap);
    jobjectArray out = NULL;
    if (!name || !unit) {
        mumloc_jni_oom(env, "splitting a column heading");
    } else if (!mumloc_jni_check(env, mumloc_table_split_heading(heading, name, cap, unit, cap))) {
        jclass string_class = (*env)->FindClass(env, "java/lang/String");
        jstring jname = string_class ? mumloc_jni_string(env, name) : NULL;
        jstring junit = jname ? mumloc_jni_string(env, unit) : NULL;
        if (junit) out = (*env)->NewObjectArray(env, 2, string_class, NULL);
        if (out) {
            (*env)->SetObjectArrayElement(env, out, 0, jname);
            (*env)->SetObjectArrayElement(env, out, 1, junit);
        }
    }
    free(name);
    free(unit);
    free(heading);
    return out;
}
