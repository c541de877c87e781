/* JNI glue for org.mumloc.Rendering: mumloc_render_table on a table given as Java arrays, returning
 * the RGB canvas (with the colour bar) and optionally the z-stack, and writing the image / z-stack
 * files when paths are given. Parameters cross as a double[] in the order of PARAM_* below. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

#define RENDER_FN(ret, name, ...)                                                                  \
    JNIEXPORT ret JNICALL Java_org_mumloc_Rendering_##name(__VA_ARGS__);                           \
    JNIEXPORT ret JNICALL Java_org_mumloc_Rendering_##name(__VA_ARGS__)

enum {
    PARAM_PIXEL, PARAM_METHOD, PARAM_SIGMA, PARAM_SIGMA_MIN, PARAM_SIGMA_MAX, PARAM_ASH_SHIFTS,
    PARAM_FIELD_W, PARAM_FIELD_H, PARAM_Z_MIN, PARAM_Z_MAX, PARAM_Z_FROM_DATA, PARAM_COLORMAP,
    PARAM_SAT_PERCENTILE, PARAM_SAT_DENSITY, PARAM_COLORBAR, PARAM_ZSTACK, PARAM_Z_BIN, PARAM_COUNT
};
#define INFO_COUNT 11

RENDER_FN(jdoubleArray, nDefaultParams, JNIEnv *env, jclass cls) {
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    double v[PARAM_COUNT] = {p.pixel_nm, (double)p.method, p.sigma_nm, p.sigma_min_nm, p.sigma_max_nm,
                             (double)p.ash_shifts, p.field_width_nm, p.field_height_nm, p.z_min_nm,
                             p.z_max_nm, (double)p.z_from_data, (double)p.colormap,
                             p.saturation_percentile, p.saturation_density, (double)p.colorbar,
                             (double)p.zstack, p.z_bin_nm};
    jdoubleArray out = (*env)->NewDoubleArray(env, PARAM_COUNT);
    if (out) (*env)->SetDoubleArrayRegion(env, out, 0, PARAM_COUNT, v);
    return out;
}

/* An int-valued parameter: a whole number in [lo, hi], else an error naming it. */
static int int_param(JNIEnv *env, double v, const char *name, int lo, int hi, int *out) {
    if (!isfinite(v) || v != floor(v) || v < lo || v > hi) {
        mumloc_jni_invalid(env, "%s must be a whole number from %d to %d, got %g", name, lo, hi, v);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int params_from_java(JNIEnv *env, jdoubleArray jparams, mumloc_render_params *p) {
    if (!jparams || (*env)->GetArrayLength(env, jparams) != PARAM_COUNT) {
        mumloc_jni_invalid(env, "render parameters: %d numbers expected", PARAM_COUNT);
        return -1;
    }
    double v[PARAM_COUNT];
    (*env)->GetDoubleArrayRegion(env, jparams, 0, PARAM_COUNT, v);
    mumloc_render_params_default(p);
    int method, colormap, ash, from_data, colorbar, zstack;
    if (int_param(env, v[PARAM_METHOD], "method", 0, 2, &method) ||
        int_param(env, v[PARAM_COLORMAP], "colormap", 0, MUMLOC_COLORMAP_COUNT - 1, &colormap) ||
        int_param(env, v[PARAM_ASH_SHIFTS], "ash_shifts", -1000000, 1000000, &ash) ||
        int_param(env, v[PARAM_Z_FROM_DATA], "z_from_data", 0, 1, &from_data) ||
        int_param(env, v[PARAM_COLORBAR], "colorbar", 0, 1, &colorbar) ||
        int_param(env, v[PARAM_ZSTACK], "zstack", 0, 1, &zstack))
        return -1;
    p->pixel_nm = v[PARAM_PIXEL];
    p->method = (mumloc_render_method)method;
    p->sigma_nm = v[PARAM_SIGMA];
    p->sigma_min_nm = v[PARAM_SIGMA_MIN];
    p->sigma_max_nm = v[PARAM_SIGMA_MAX];
    p->ash_shifts = ash;
    p->field_width_nm = v[PARAM_FIELD_W];
    p->field_height_nm = v[PARAM_FIELD_H];
    p->z_min_nm = v[PARAM_Z_MIN];
    p->z_max_nm = v[PARAM_Z_MAX];
    p->z_from_data = from_data;
    p->colormap = (mumloc_colormap)colormap;
    p->saturation_percentile = v[PARAM_SAT_PERCENTILE];
    p->saturation_density = v[PARAM_SAT_DENSITY];
    p->colorbar = colorbar;
    p->zstack = zstack;
    p->z_bin_nm = v[PARAM_Z_BIN];
    return 0;
}

/* Returns Object[] {double[11] info (width, height, slices, canvas width, canvas height, pixel,
 * z min, z max, saturation density, rendered, outside), byte[] RGB canvas, float[] z-stack or null}.
 * Writes image_path / zstack_path when given (atomically, by the library). */
RENDER_FN(jobjectArray, nRender, JNIEnv *env, jclass cls, jobjectArray names, jobjectArray units,
                                 jobjectArray columns, jdoubleArray jparams, jstring jimage, jstring jzstack) {
    mumloc_render_params p;
    if (params_from_java(env, jparams, &p)) return NULL;
    int failed;
    char *image_path = mumloc_jni_utf8(env, jimage, "the image path", &failed);
    if (failed) return NULL;
    char *zstack_path = mumloc_jni_utf8(env, jzstack, "the z-stack path", &failed);
    if (failed) {
        free(image_path);
        return NULL;
    }
    jobjectArray result = NULL;
    mumloc_renderer *r = NULL;
    unsigned char *rgb = NULL;
    float *zs = NULL;
    mumloc_table *t = mumloc_jni_table_from_java(env, names, units, columns, "the localizations");
    if (!t) goto done;
    if (zstack_path && !p.zstack) {
        mumloc_jni_invalid(env, "a z-stack file needs the z-stack to be rendered");
        goto done;
    }
    if (mumloc_jni_check(env, mumloc_render_table(&p, t, &r))) goto done;
    mumloc_render_info info;
    if (mumloc_jni_check(env, mumloc_renderer_info(r, &info))) goto done;
    if (image_path && mumloc_jni_check(env, mumloc_renderer_write_image(r, image_path))) goto done;
    if (zstack_path && mumloc_jni_check(env, mumloc_renderer_write_zstack(r, zstack_path))) goto done;
    int64_t canvas = (int64_t)info.canvas_width * info.canvas_height * 3;
    int64_t voxels = p.zstack ? (int64_t)info.width * info.height * info.slices : 0;
    if (canvas > INT32_MAX - 8 || voxels > INT32_MAX - 8) {
        mumloc_jni_invalid(env, "the rendering (%d x %d pixels, %d slices) is larger than ImageJ holds; use a larger "
                           "pixel or z bin, or write it to a file", info.width, info.height, info.slices);
        goto done;
    }
    rgb = malloc((size_t)canvas);
    if (!rgb) {
        mumloc_jni_oom(env, "rendering");
        goto done;
    }
    if (mumloc_jni_check(env, mumloc_renderer_rgb(r, rgb))) goto done;
    jfloatArray jz = NULL;
    if (voxels > 0) {
        zs = malloc((size_t)voxels * sizeof *zs);
        if (!zs) {
            mumloc_jni_oom(env, "rendering the z-stack");
            goto done;
        }
        if (mumloc_jni_check(env, mumloc_renderer_zstack(r, zs))) goto done;
        jz = (*env)->NewFloatArray(env, (jsize)voxels);
        if (!jz) goto done;
        (*env)->SetFloatArrayRegion(env, jz, 0, (jsize)voxels, zs);
    }
    double iv[INFO_COUNT] = {info.width, info.height, info.slices, info.canvas_width, info.canvas_height,
                             info.pixel_nm, info.z_min_nm, info.z_max_nm, info.saturation_density,
                             (double)info.rendered, (double)info.outside};
    jdoubleArray jinfo = (*env)->NewDoubleArray(env, INFO_COUNT);
    if (!jinfo) goto done;
    (*env)->SetDoubleArrayRegion(env, jinfo, 0, INFO_COUNT, iv);
    jbyteArray jrgb = (*env)->NewByteArray(env, (jsize)canvas);
    if (!jrgb) goto done;
    (*env)->SetByteArrayRegion(env, jrgb, 0, (jsize)canvas, (const jbyte *)rgb);
    jclass object_class = (*env)->FindClass(env, "java/lang/Object");
    if (!object_class) goto done;
    jobjectArray out = (*env)->NewObjectArray(env, 3, object_class, NULL);
    if (!out) goto done;
    (*env)->SetObjectArrayElement(env, out, 0, jinfo);
    (*env)->SetObjectArrayElement(env, out, 1, jrgb);
    (*env)->SetObjectArrayElement(env, out, 2, jz);
    result = out;
done:
    free(rgb);
    free(zs);
    mumloc_renderer_destroy(r);
    mumloc_table_destroy(t);
    free(image_path);
    free(zstack_path);
    return result;
}

/* Streams a CSV file into the image file (and z-stack file) in bounded memory; returns the info array
 * of nRender. listener may be null. */
RENDER_FN(jdoubleArray, nRenderFile, JNIEnv *env, jclass cls, jstring jtable, jdoubleArray jparams,
                                     jstring jimage, jstring jzstack, jobject listener) {
    mumloc_render_params p;
    if (params_from_java(env, jparams, &p)) return NULL;
    jdoubleArray result = NULL;
    int failed;
    char *table = mumloc_jni_required_utf8(env, jtable, "the table path");
    char *image = table ? mumloc_jni_required_utf8(env, jimage, "the image path") : NULL;
    char *zstack = image ? mumloc_jni_utf8(env, jzstack, "the z-stack path", &failed) : NULL;
    if (!table || !image || (*env)->ExceptionCheck(env)) goto done;
    mumloc_jni_progress pr;
    if (mumloc_jni_progress_init(env, listener, &pr)) goto done;
    mumloc_render_info info;
    mumloc_status st = mumloc_render_file(&p, table, image, zstack, &info,
                                          mumloc_jni_progress_fn_for(&pr), &pr);
    if ((*env)->ExceptionCheck(env) || mumloc_jni_check(env, st)) goto done;
    double iv[INFO_COUNT] = {info.width, info.height, info.slices, info.canvas_width, info.canvas_height,
                             info.pixel_nm, info.z_min_nm, info.z_max_nm, info.saturation_density,
                             (double)info.rendered, (double)info.outside};
    result = (*env)->NewDoubleArray(env, INFO_COUNT);
    if (result) (*env)->SetDoubleArrayRegion(env, result, 0, INFO_COUNT, iv);
done:
    free(table);
    free(image);
    free(zstack);
    return result;
}
