/* org.mumloc.Rendering: mumloc_render_table on a Table, or mumloc_render_file on a CSV file, with
 * the parameters as a Rendering.Params mirror; the result (numbers, RGB canvas with its colour bar,
 * optionally the z-stack) fills a Rendering. Image and z-stack files are written by the library. */
#include <stdint.h>
#include <stdlib.h>

#include "jni/jni_common.h"

_Static_assert(sizeof(mumloc_render_method) == sizeof(int) && sizeof(mumloc_colormap) == sizeof(int),
               "enums cross as int fields");

#define F(name, sig, member) {name, sig, offsetof(mumloc_render_params, member)}
static const jni_field params_fields[] = {
    F("pixelNm", "D", pixel_nm), F("method", "I", method), F("sigmaNm", "D", sigma_nm),
    F("sigmaMinNm", "D", sigma_min_nm), F("sigmaMaxNm", "D", sigma_max_nm),
    F("ashShifts", "I", ash_shifts), F("fieldWidthNm", "D", field_width_nm),
    F("fieldHeightNm", "D", field_height_nm), F("zMinNm", "D", z_min_nm), F("zMaxNm", "D", z_max_nm),
    F("zFromData", "Z", z_from_data), F("colormap", "I", colormap),
    F("saturationPercentile", "D", saturation_percentile),
    F("saturationDensity", "D", saturation_density), F("colorbar", "Z", colorbar),
    F("zstack", "Z", zstack), F("zBinNm", "D", z_bin_nm),
};
#undef F
static jni_mirror params_mirror = JNI_MIRROR("the render parameters", params_fields);

#define F(name, sig, member) {name, sig, offsetof(mumloc_render_info, member)}
enum { RGB, ZSTACK };
static const jni_field result_fields[] = {
    {"rgb", "[B", 0}, {"zstack", "[F", 0},
    F("width", "I", width), F("height", "I", height), F("slices", "I", slices),
    F("canvasWidth", "I", canvas_width), F("canvasHeight", "I", canvas_height),
    F("pixelNm", "D", pixel_nm), F("zMinNm", "D", z_min_nm), F("zMaxNm", "D", z_max_nm),
    F("saturationDensity", "D", saturation_density), F("rendered", "J", rendered),
    F("outside", "J", outside),
};
#undef F
static jni_mirror result_mirror = JNI_MIRROR("the rendering", result_fields);

JNI_METHOD(Rendering, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    jni_mirror_write(env, &params_mirror, &p, out);
}

static int params_from_java(JNIEnv *env, jobject jp, mumloc_render_params *p) {
    mumloc_render_params_default(p);
    if (jni_mirror_read(env, &params_mirror, jp, p)) return -1;
    if (!mumloc_render_method_name((int)p->method) || !mumloc_colormap_name((int)p->colormap)) {
        jni_invalid(env, "render method %d or colormap %d is not one of the library's", (int)p->method,
                           (int)p->colormap);
        return -1;
    }
    return 0;
}

/* The renderer's pixels into out's rgb (and zstack when rendered). */
static int pixels_to_java(JNIEnv *env, mumloc_renderer *r, const mumloc_render_info *info,
                          int zstack, jobject out) {
    int64_t canvas = (int64_t)info->canvas_width * info->canvas_height * 3;
    int64_t voxels = zstack ? (int64_t)info->width * info->height * info->slices : 0;
    if (canvas > INT32_MAX - 8 || voxels > INT32_MAX - 8) {
        jni_invalid(env, "the rendering (%d x %d pixels, %d slices) is larger than ImageJ holds; use a larger "
                           "pixel or z bin, or write it to a file", info->width, info->height, info->slices);
        return -1;
    }
    jbyteArray jrgb = (*env)->NewByteArray(env, (jsize)canvas);
    if (!jrgb) return jni_alloc_failed(env, "handing the rendering to Java");
    jbyte *rgb = (*env)->GetPrimitiveArrayCritical(env, jrgb, NULL);
    if (!rgb) return jni_alloc_failed(env, "handing the rendering to Java");
    mumloc_status st = mumloc_renderer_rgb(r, (unsigned char *)rgb);
    (*env)->ReleasePrimitiveArrayCritical(env, jrgb, rgb, 0);
    if (jni_check(env, st)) return -1;
    jni_mirror_set_object(env, &result_mirror, out, RGB, jrgb);
    if (voxels == 0) return 0;
    jfloatArray jz = (*env)->NewFloatArray(env, (jsize)voxels);
    if (!jz) return jni_alloc_failed(env, "handing the z-stack to Java");
    float *zs = (*env)->GetPrimitiveArrayCritical(env, jz, NULL);
    if (!zs) return jni_alloc_failed(env, "handing the z-stack to Java");
    st = mumloc_renderer_zstack(r, zs);
    (*env)->ReleasePrimitiveArrayCritical(env, jz, zs, 0);
    if (jni_check(env, st)) return -1;
    jni_mirror_set_object(env, &result_mirror, out, ZSTACK, jz);
    return 0;
}

/* Renders table into out; writes image_path / zstack_path when given (atomically, by the library). */
JNI_METHOD(Rendering, void, nRender, JNIEnv *env, jclass cls, jobject jtable, jobject jparams,
           jstring jimage, jstring jzstack, jobject out) {
    (void)cls;
    mumloc_render_params p;
    if (params_from_java(env, jparams, &p) || jni_mirror_ids(env, &result_mirror, out)) return;
    mumloc_table *t = jni_table_of(env, jtable, "the localizations");
    if (!t) return;
    int failed;
    char *image_path = jni_utf8(env, jimage, "the image path", &failed);
    if (failed) return;
    char *zstack_path = jni_utf8(env, jzstack, "the z-stack path", &failed);
    mumloc_renderer *r = NULL;
    mumloc_render_info info;
    if (failed) goto done;
    if (zstack_path && !p.zstack) {
        jni_invalid(env, "a z-stack file needs the z-stack to be rendered");
        goto done;
    }
    if (jni_check(env, mumloc_render_table(&p, t, &r)) ||
        jni_check(env, mumloc_renderer_info(r, &info)) ||
        (image_path && jni_check(env, mumloc_renderer_write_image(r, image_path))) ||
        (zstack_path && jni_check(env, mumloc_renderer_write_zstack(r, zstack_path))) ||
        jni_mirror_write(env, &result_mirror, &info, out))
        goto done;
    pixels_to_java(env, r, &info, p.zstack, out);
done:
    mumloc_renderer_destroy(r);
    free(image_path);
    free(zstack_path);
}

/* Streams a CSV file into the image file (and z-stack file) in bounded memory; out gets the numbers
 * (no pixels). listener may be null. */
JNI_METHOD(Rendering, void, nRenderFile, JNIEnv *env, jclass cls, jstring jtable, jobject jparams,
           jstring jimage, jstring jzstack, jobject listener, jobject out) {
    (void)cls;
    mumloc_render_params p;
    if (params_from_java(env, jparams, &p) || jni_mirror_ids(env, &result_mirror, out)) return;
    int failed = 0;
    char *table = jni_required_utf8(env, jtable, "the table path");
    char *image = table ? jni_required_utf8(env, jimage, "the image path") : NULL;
    char *zstack = image ? jni_utf8(env, jzstack, "the z-stack path", &failed) : NULL;
    jni_progress pr;
    if (image && !failed && !jni_progress_init(env, listener, &pr)) {
        mumloc_render_info info;
        if (!jni_check_progress(env, mumloc_render_file(&p, table, image, zstack, &info,
                                                               jni_progress_fn_for(&pr), &pr)))
            jni_mirror_write(env, &result_mirror, &info, out);
    }
    free(table);
    free(image);
    free(zstack);
}
