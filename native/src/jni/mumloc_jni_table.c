/* JNI glue for org.mumloc.Table: ThunderSTORM CSV files read and written by the library's one parser
 * and formatter (mumloc_table_read_csv / mumloc_table_write_csv), and unit conversion. The Java side
 * holds a table as parallel arrays (names, units, double[] columns); each call builds a library table
 * from them, uses it and destroys it, so no native handle outlives a call. */
#include <stdlib.h>

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
