/* org.mumloc.Localizer: the streaming localizer (frames pushed batch by batch from an ImageJ stack,
 * localizations gathered into a library table, handed to Java as a Table handle) and a rig's raw
 * movie localized by the library's own reader. Options cross as a Localizer.Options mirror. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define F(name, sig, member) {name, sig, offsetof(mumloc_localize_options, member)}
enum { CAMERA, OPTICS, DEVICE, REFINE, PRECISION };
static const jni_field options_fields[] = {
    {"camera", "Lorg/mumloc/Camera;", 0}, {"optics", "Lorg/mumloc/Optics;", 0},
    {"device", "Ljava/lang/String;", 0}, {"refine", "Ljava/lang/String;", 0},
    {"precision", "Ljava/lang/String;", 0},
    F("threshold", "D", threshold), F("threads", "I", threads), F("csLambda", "D", cs.lambda),
    F("csFrames", "I", cs.frames), F("csKnownCount", "I", cs.known_count),
    F("csMinPhotons", "D", cs.min_photons), F("driftWindow", "I", drift_window),
};
#undef F
static jni_mirror options_mirror = JNI_MIRROR("the localize options", options_fields);

/* A string option parsed by the library's from_name (NULL string: the default stays). */
static int parse(JNIEnv *env, jobject jo, int field, mumloc_status (*from_name)(const char *, void *),
                 void *out) {
    int failed = 0;
    char *text = jni_mirror_utf8(env, &options_mirror, jo, field, &failed);
    if (failed) return -1;
    mumloc_status st = text ? from_name(text, out) : MUMLOC_OK;
    free(text);
    return jni_check(env, st) ? -1 : 0;
}

static mumloc_status device_from_name(const char *name, void *out) { return mumloc_device_parse(name, out); }
static mumloc_status refine_from_name(const char *name, void *out) { return mumloc_refine_mode_from_name(name, out); }
static mumloc_status precision_from_name(const char *name, void *out) { return mumloc_precision_from_name(name, out); }

/* Localizer.Options into o (the library's defaults first); its optics, if any, into *optics with
 * o->optics pointing there. -1 with an exception pending on failure. */
static int options_from_java(JNIEnv *env, jobject jo, mumloc_localize_options *o, mumloc_optics *optics) {
    mumloc_localize_options_default(o);
    if (jni_mirror_read(env, &options_mirror, jo, o)) return -1;
    jobject jc = (*env)->GetObjectField(env, jo, jni_id(&options_mirror, CAMERA));
    if (!jc) {
        jni_invalid(env, "options.camera is null");
        return -1;
    }
    if (jni_camera_from_java(env, jc, &o->camera)) return -1;
    (*env)->DeleteLocalRef(env, jc);
    jobject jop = (*env)->GetObjectField(env, jo, jni_id(&options_mirror, OPTICS));
    if (jop) {
        if (jni_optics_from_java(env, jop, optics)) return -1;
        (*env)->DeleteLocalRef(env, jop);
        o->optics = optics;
    }
    return parse(env, jo, DEVICE, device_from_name, &o->device) ||
                   parse(env, jo, REFINE, refine_from_name, &o->refine) ||
                   parse(env, jo, PRECISION, precision_from_name, &o->precision)
               ? -1
               : 0;
}

/* The library's defaults (mumloc_localize_options_default) into a new Localizer.Options. */
JNI_METHOD(Localizer, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    char device[32];
    if (jni_mirror_write(env, &options_mirror, &o, out) ||
        jni_check(env, mumloc_device_format(o.device, device, sizeof device)))
        return;
    jobject camera = (*env)->GetObjectField(env, out, jni_id(&options_mirror, CAMERA));
    if (camera && jni_camera_to_java(env, &o.camera, camera)) return;
    const int fields[3] = {DEVICE, REFINE, PRECISION};
    const char *names[3] = {device, mumloc_refine_mode_name((int)o.refine), mumloc_precision_name((int)o.precision)};
    for (int i = 0; i < 3; i++) {
        jstring s = jni_string(env, names[i]);
        if (!s) return;
        jni_mirror_set_object(env, &options_mirror, out, fields[i], s);
        (*env)->DeleteLocalRef(env, s);
    }
}

typedef struct jni_localizer {
    mumloc_localizer *loc;
    mumloc_table *table; /* every localization taken so far (mumloc_localizations_to_table) */
    mumloc_table *drift; /* refine "drift": a row per frame and plane (mumloc_plane_drift_to_table) */
    mumloc_status drift_status; /* the first failure of the drift callback */
    int planes, width, height;
} jni_localizer;

static void collect_drift(void *user, int64_t frame, const mumloc_frame_drift *drift) {
    jni_localizer *j = user;
    if (j->drift_status == MUMLOC_OK)
        j->drift_status = mumloc_plane_drift_to_table(frame, j->planes, drift, 1, j->drift);
}

static jni_localizer *localizer_of(JNIEnv *env, jlong handle) {
    if (handle == 0) jni_invalid(env, "the localizer handle is 0 (closed or never created)");
    return (jni_localizer *)(intptr_t)handle;
}

static void destroy(jni_localizer *j) {
    if (!j) return;
    mumloc_localizer_destroy(j->loc);
    mumloc_table_destroy(j->table);
    mumloc_table_destroy(j->drift);
    free(j);
}

/* The network localizer of model, or with model null the compressed-sensing one (options.optics
 * required), for frames of width × height; the library validates the options. */
JNI_METHOD(Localizer, jlong, nCreate, JNIEnv *env, jclass cls, jobject jmodel, jobject joptions,
           jint width, jint height) {
    (void)cls;
    mumloc_model *m = NULL;
    if (jmodel && !(m = jni_model_of(env, jmodel))) return 0;
    mumloc_localize_options o;
    mumloc_optics optics;
    if (options_from_java(env, joptions, &o, &optics)) return 0;
    if (!m) {
        if (!o.optics) {
            jni_invalid(env, "compressed sensing needs the optics (options.optics)");
            return 0;
        }
        o.method = MUMLOC_METHOD_CS;
    } else {
        o.optics = NULL;
        mumloc_model_optics(m, &optics);
    }
    jni_localizer *j = calloc(1, sizeof *j);
    if (!j) {
        jni_oom(env, "creating the localizer");
        return 0;
    }
    if (o.refine == MUMLOC_REFINE_DRIFT) {
        o.drift_callback = collect_drift;
        o.drift_user = j;
    }
    j->planes = optics.planes;
    j->width = width;
    j->height = height;
    mumloc_status st = mumloc_localizer_create(m, &o, width, height, &j->loc);
    if (st == MUMLOC_OK) st = mumloc_table_create(&j->table);
    if (st == MUMLOC_OK) st = mumloc_localizations_to_table(NULL, 0, j->table); /* the columns */
    if (st == MUMLOC_OK) st = mumloc_table_create(&j->drift);
    if (jni_check(env, st)) {
        destroy(j);
        return 0;
    }
    return (jlong)(intptr_t)j;
}

JNI_METHOD(Localizer, void, nDestroy, JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    destroy((jni_localizer *)(intptr_t)handle);
}

/* Moves the pending localizations into the table; how many, or 0 (exception pending). */
static jlong take_pending(JNIEnv *env, jni_localizer *j) {
    int64_t pending = mumloc_localizer_pending(j->loc);
    if (pending <= 0) return 0;
    mumloc_localization *locs = malloc((size_t)pending * sizeof *locs);
    if (!locs) {
        jni_oom(env, "taking the localizations");
        return 0;
    }
    int64_t taken = 0;
    mumloc_status st = mumloc_localizer_take(j->loc, locs, pending, &taken);
    if (st == MUMLOC_OK) st = mumloc_localizations_to_table(locs, taken, j->table);
    free(locs);
    return jni_check(env, st) ? 0 : taken;
}

/* The end of the pushed frames: the windowed drift (drift_window >= 2) is estimated over them and
 * their localizations taken; nothing to do otherwise. 1 on success, 0 (exception pending). */
static int finish(JNIEnv *env, jni_localizer *j) {
    if (jni_check(env, mumloc_localizer_finish(j->loc))) return 0;
    if (j->drift_status != MUMLOC_OK) {
        jni_check(env, j->drift_status);
        j->drift_status = MUMLOC_OK;
        return 0;
    }
    take_pending(env, j);
    return !(*env)->ExceptionCheck(env);
}

/* Pushes count frames (frame, plane, row, column floats) numbered from first_frame (0-based), then
 * moves what was found into the table; returns how many localizations this batch gave. */
JNI_METHOD(Localizer, jlong, nPush, JNIEnv *env, jclass cls, jlong handle, jfloatArray jframes,
           jint count, jlong first_frame) {
    (void)cls;
    jni_localizer *j = localizer_of(env, handle);
    if (!j) return 0;
    if (!jframes) {
        jni_invalid(env, "the frames are null");
        return 0;
    }
    if (count < 1 || first_frame < 0) {
        jni_invalid(env, "push: count must be >= 1 and the first frame >= 0 (got %d, %lld)", (int)count,
                           (long long)first_frame);
        return 0;
    }
    int64_t need = (int64_t)count * j->planes * j->width * j->height;
    jsize have = (*env)->GetArrayLength(env, jframes);
    if ((int64_t)have < need) {
        jni_invalid(env, "push: %d frames of %d planes of %dx%d need %lld floats, the array holds %d",
                           (int)count, j->planes, j->width, j->height, (long long)need, (int)have);
        return 0;
    }
    /* Copied out (not pinned) so that the library runs outside a critical section. */
    float *frames = malloc((size_t)need * sizeof *frames);
    if (!frames) {
        jni_oom(env, "copying the frames");
        return 0;
    }
    (*env)->GetFloatArrayRegion(env, jframes, 0, (jsize)need, frames);
    mumloc_status st = mumloc_localizer_push(j->loc, frames, count, first_frame);
    free(frames);
    if (jni_check(env, st)) return 0;
    if (j->drift_status != MUMLOC_OK) {
        st = j->drift_status;
        j->drift_status = MUMLOC_OK;
        jni_check(env, st);
        return 0;
    }
    return take_pending(env, j);
}

/* Everything found so far, as a Table of its own (a copy inside the library, not through Java). */
JNI_METHOD(Localizer, jobject, nTable, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    jni_localizer *j = localizer_of(env, handle);
    return j && finish(env, j) ? jni_table_copy(env, j->table) : NULL;
}

/* The drift estimated so far (refine "drift"; otherwise no rows), with its columns even when empty. */
JNI_METHOD(Localizer, jobject, nDrift, JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    jni_localizer *j = localizer_of(env, handle);
    if (!j || !finish(env, j)) return NULL;
    if (mumloc_table_columns(j->drift) == 0) {
        mumloc_frame_drift none;
        memset(&none, 0, sizeof none);
        if (jni_check(env, mumloc_plane_drift_to_table(0, 1, &none, 1, j->drift)) ||
            jni_check(env, mumloc_table_set_rows(j->drift, 0)))
            return NULL;
    }
    return jni_table_copy(env, j->drift);
}

/* Loads the rig file, with the layout named (NULL: the file's); 1 with an exception pending. */
static int rig_of(JNIEnv *env, jstring jrig, jstring jlayout, mumloc_rig *rig) {
    char *path = jni_required_utf8(env, jrig, "the rig file");
    if (!path) return 1;
    mumloc_status st = mumloc_rig_load(path, rig);
    free(path);
    if (jni_check(env, st)) return 1;
    int failed = 0;
    char *layout = jni_utf8(env, jlayout, "the layout", &failed);
    if (failed) return 1;
    if (layout) {
        st = mumloc_rig_layout_from_name(layout, &rig->layout);
        free(layout);
        if (jni_check(env, st)) return 1;
    }
    return jni_check(env, mumloc_rig_validate(rig));
}

/* A rig's raw movie file(s) localized by the library's reader in the rig's layout
 * (mumloc_localize_files with options.rig), table and sidecar written by the library. Returns the
 * rows written to csv. first: 0-based from the rig movie's first frame; count 0: to the end.
 * jdrift: the drift CSV (refine "drift"), or null. */
JNI_METHOD(Localizer, jlong, nLocalizeRig, JNIEnv *env, jclass cls, jobject jmodel, jstring jrig,
           jstring jlayout, jobjectArray jpaths, jstring jcsv, jobject joptions, jlong first,
           jlong count, jstring jdrift, jobject listener) {
    (void)cls;
    mumloc_model *model = jni_model_of(env, jmodel);
    if (!model) return 0;
    jsize n = jpaths ? (*env)->GetArrayLength(env, jpaths) : 0;
    if (n < 1 || n > MUMLOC_MAX_PLANES) {
        jni_invalid(env, "a rig's movie is 1 to %d files, got %d", MUMLOC_MAX_PLANES, (int)n);
        return 0;
    }
    if (first < 0 || count < 0) {
        jni_invalid(env, "frames: first %lld and count %lld must be >= 0", (long long)first,
                           (long long)count);
        return 0;
    }
    mumloc_rig *rig = malloc(sizeof *rig); /* large: its calibration record */
    if (!rig) {
        jni_oom(env, "loading the rig");
        return 0;
    }
    char *paths[MUMLOC_MAX_PLANES] = {0}, *csv = NULL, *drift = NULL;
    int copied = 0, failed = 0;
    jlong rows = 0;
    mumloc_localize_options o;
    mumloc_optics unused;
    if (options_from_java(env, joptions, &o, &unused) || rig_of(env, jrig, jlayout, rig)) goto done;
    o.optics = NULL;
    for (; copied < n; copied++) {
        jstring s = (jstring)(*env)->GetObjectArrayElement(env, jpaths, copied);
        paths[copied] = jni_required_utf8(env, s, "a movie file");
        if (!paths[copied]) goto done;
    }
    if (!(csv = jni_required_utf8(env, jcsv, "the table file"))) goto done;
    drift = jni_utf8(env, jdrift, "the drift file", &failed);
    if (failed) goto done;
    o.first_frame = first;
    o.frame_count = count;
    o.drift_path = drift;
    o.rig = rig; /* camera 1's noise model is the rig's; the options' camera is unused */
    jni_progress pr;
    if (jni_progress_init(env, listener, &pr)) goto done;
    mumloc_localize_summary summary;
    if (!jni_check_progress(env, mumloc_localize_files(model, (const char *const *)paths, (int)n,
                                                              csv, &o, &summary,
                                                              jni_progress_fn_for(&pr), &pr)))
        rows = summary.localizations;
done:
    for (int i = 0; i < copied; i++) free(paths[i]);
    free(csv);
    free(drift);
    free(rig);
    return rows;
}
