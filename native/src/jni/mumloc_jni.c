/* JNI glue for org.mumloc.Mumloc: every native method of the Java class, as a thin client of mumloc.h.
 *
 * Rules kept by every function here:
 *   - inputs are checked before the library is called (null objects, array lengths, offsets, sizes
 *     that would overflow Java's int indices); a bad input throws org.mumloc.MumlocException with
 *     status "invalid argument";
 *   - a failing library call throws MumlocException carrying the status and mumloc_last_error();
 *   - after any JNI call that can throw, the function returns at once with the exception pending;
 *   - strings cross the boundary as real UTF-8 (String.getBytes / new String(bytes, "UTF-8")), not
 *     JNI's modified UTF-8, so paths and messages with any characters survive intact.
 * Nothing here aborts, exits or prints: the JVM (and the user's unsaved work in Fiji) stays up. */
#include <jni.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"
#include "mumloc.h"

/* Declares and defines a native method of org.mumloc.Mumloc, exported with default visibility (the
 * library is built with -fvisibility=hidden): JNI_FN(ret, name, params...) { body }. */
#define JNI_FN(ret, name, ...)                                                                     \
    JNIEXPORT ret JNICALL Java_org_mumloc_Mumloc_##name(__VA_ARGS__);                              \
    JNIEXPORT ret JNICALL Java_org_mumloc_Mumloc_##name(__VA_ARGS__)


/* ---------------------------------------------------------------------------------------------- */
/* Fields of the Java mirrors (org.mumloc.Optics, Camera, SimParams), read and written by name       */
/* ---------------------------------------------------------------------------------------------- */

static int set_double(JNIEnv *env, jobject obj, const char *name, double v) {
    jfieldID id = mumloc_jni_field(env, obj, name, "D");
    if (!id) return -1;
    (*env)->SetDoubleField(env, obj, id, (jdouble)v);
    return 0;
}

static int set_int(JNIEnv *env, jobject obj, const char *name, int v) {
    jfieldID id = mumloc_jni_field(env, obj, name, "I");
    if (!id) return -1;
    (*env)->SetIntField(env, obj, id, (jint)v);
    return 0;
}

static int set_long(JNIEnv *env, jobject obj, const char *name, int64_t v) {
    jfieldID id = mumloc_jni_field(env, obj, name, "J");
    if (!id) return -1;
    (*env)->SetLongField(env, obj, id, (jlong)v);
    return 0;
}

int mumloc_jni_optics_from_java(JNIEnv *env, jobject jo, mumloc_optics *o) {
    if (!jo) {
        mumloc_jni_invalid(env, "optics is null");
        return -1;
    }
    memset(o, 0, sizeof *o);
    if (mumloc_jni_get_int(env, jo, "planes", &o->planes)) return -1;
    jdoubleArray depths = (jdoubleArray)mumloc_jni_get_object(env, jo, "planeDepthNm", "[D", "optics.planeDepthNm");
    if (!depths) return -1;
    jsize n = (*env)->GetArrayLength(env, depths);
    if (o->planes >= 1 && o->planes <= MUMLOC_MAX_PLANES && n < o->planes) {
        mumloc_jni_invalid(env, "optics.planeDepthNm holds %d values but planes is %d", (int)n, o->planes);
        return -1;
    }
    if (n > MUMLOC_MAX_PLANES) n = MUMLOC_MAX_PLANES;
    (*env)->GetDoubleArrayRegion(env, depths, 0, n, o->plane_depth_nm);
    (*env)->DeleteLocalRef(env, depths);
    if (mumloc_jni_get_double(env, jo, "pixelNm", &o->pixel_nm) || mumloc_jni_get_double(env, jo, "psfAmplitude", &o->psf_amplitude) ||
        mumloc_jni_get_double(env, jo, "psfW0Nm", &o->psf_w0_nm) || mumloc_jni_get_double(env, jo, "psfDNm", &o->psf_d_nm) ||
        mumloc_jni_get_double(env, jo, "psfA", &o->psf_A) || mumloc_jni_get_double(env, jo, "psfB", &o->psf_B))
        return -1;
    return mumloc_jni_plane_psf_from_java(env, jo, o);
}

static int optics_to_java(JNIEnv *env, const mumloc_optics *o, jobject jo) {
    if (!jo) {
        mumloc_jni_invalid(env, "the output optics object is null");
        return -1;
    }
    if (set_int(env, jo, "planes", o->planes)) return -1;
    jdoubleArray depths = (*env)->NewDoubleArray(env, MUMLOC_MAX_PLANES);
    if (!depths) return -1;
    (*env)->SetDoubleArrayRegion(env, depths, 0, MUMLOC_MAX_PLANES, o->plane_depth_nm);
    jfieldID id = mumloc_jni_field(env, jo, "planeDepthNm", "[D");
    if (!id) return -1;
    (*env)->SetObjectField(env, jo, id, depths);
    (*env)->DeleteLocalRef(env, depths);
    if (set_double(env, jo, "pixelNm", o->pixel_nm) || set_double(env, jo, "psfAmplitude", o->psf_amplitude) ||
        set_double(env, jo, "psfW0Nm", o->psf_w0_nm) || set_double(env, jo, "psfDNm", o->psf_d_nm) ||
        set_double(env, jo, "psfA", o->psf_A) || set_double(env, jo, "psfB", o->psf_B))
        return -1;
    return mumloc_jni_plane_psf_to_java(env, o, jo);
}

static int camera_to_java(JNIEnv *env, const mumloc_camera *c, jobject jc) {
    if (!jc) {
        mumloc_jni_invalid(env, "the output camera object is null");
        return -1;
    }
    if (set_double(env, jc, "backgroundPhotons", c->background_photons) ||
        set_double(env, jc, "readNoiseE", c->read_noise_e) || set_double(env, jc, "emGain", c->em_gain) ||
        set_double(env, jc, "aduPerElectron", c->adu_per_electron) ||
        set_double(env, jc, "offsetAdu", c->offset_adu))
        return -1;
    return 0;
}

static int params_from_java(JNIEnv *env, jobject jp, mumloc_sim_params *p) {
    if (!jp) {
        mumloc_jni_invalid(env, "simulation parameters are null");
        return -1;
    }
    memset(p, 0, sizeof *p);
    jobject jo = mumloc_jni_get_object(env, jp, "optics", "Lorg/mumloc/Optics;", "params.optics");
    if (!jo || mumloc_jni_optics_from_java(env, jo, &p->optics)) return -1;
    (*env)->DeleteLocalRef(env, jo);
    jobject jc = mumloc_jni_get_object(env, jp, "camera", "Lorg/mumloc/Camera;", "params.camera");
    if (!jc || mumloc_jni_camera_from_java(env, jc, &p->camera)) return -1;
    (*env)->DeleteLocalRef(env, jc);
    int noise, sample;
    int64_t seed;
    if (mumloc_jni_get_int(env, jp, "noise", &noise) || mumloc_jni_get_int(env, jp, "sample", &sample) ||
        mumloc_jni_get_int(env, jp, "width", &p->width) || mumloc_jni_get_int(env, jp, "height", &p->height) ||
        mumloc_jni_get_long(env, jp, "frames", &p->frames) || mumloc_jni_get_long(env, jp, "seed", &seed) ||
        mumloc_jni_get_int(env, jp, "molecules", &p->molecules) ||
        mumloc_jni_get_double(env, jp, "densityPerUm2", &p->density_per_um2) ||
        mumloc_jni_get_double(env, jp, "weightMin", &p->weight_min) || mumloc_jni_get_double(env, jp, "weightMax", &p->weight_max) ||
        mumloc_jni_get_double(env, jp, "zMinNm", &p->z_min_nm) || mumloc_jni_get_double(env, jp, "zMaxNm", &p->z_max_nm) ||
        mumloc_jni_get_double(env, jp, "driftMaxNm", &p->drift_max_nm) ||
        mumloc_jni_get_double(env, jp, "driftStepNm", &p->drift_step_nm) || mumloc_jni_get_int(env, jp, "filaments", &p->filaments) ||
        mumloc_jni_get_int(env, jp, "moleculesMin", &p->molecules_min) ||
        mumloc_jni_get_double(env, jp, "stageDriftNm", &p->stage_drift_nm))
        return -1;
    /* Enum values outside the header's enums never reach the library. */
    if (noise != MUMLOC_NOISE_PHYSICAL && noise != MUMLOC_NOISE_NONE) {
        mumloc_jni_invalid(env, "noise must be %d (physical) or %d (none), got %d", MUMLOC_NOISE_PHYSICAL,
                      MUMLOC_NOISE_NONE, noise);
        return -1;
    }
    if (sample != MUMLOC_SAMPLE_UNIFORM && sample != MUMLOC_SAMPLE_HELIX && sample != MUMLOC_SAMPLE_FILAMENTS) {
        mumloc_jni_invalid(env, "sample must be %d (uniform), %d (helix) or %d (filaments), got %d",
                      MUMLOC_SAMPLE_UNIFORM, MUMLOC_SAMPLE_HELIX, MUMLOC_SAMPLE_FILAMENTS, sample);
        return -1;
    }
    p->noise = (mumloc_noise)noise;
    p->sample = (mumloc_sample)sample;
    p->seed = (uint64_t)seed; /* Java's long holds the unsigned seed's bits */
    return 0;
}

static int params_to_java(JNIEnv *env, const mumloc_sim_params *p, jobject jp) {
    if (!jp) {
        mumloc_jni_invalid(env, "the output parameters object is null");
        return -1;
    }
    jobject jo = mumloc_jni_get_object(env, jp, "optics", "Lorg/mumloc/Optics;", "params.optics");
    if (!jo || optics_to_java(env, &p->optics, jo)) return -1;
    (*env)->DeleteLocalRef(env, jo);
    jobject jc = mumloc_jni_get_object(env, jp, "camera", "Lorg/mumloc/Camera;", "params.camera");
    if (!jc || camera_to_java(env, &p->camera, jc)) return -1;
    (*env)->DeleteLocalRef(env, jc);
    if (set_int(env, jp, "noise", (int)p->noise) || set_int(env, jp, "sample", (int)p->sample) ||
        set_int(env, jp, "width", p->width) || set_int(env, jp, "height", p->height) ||
        set_long(env, jp, "frames", p->frames) || set_long(env, jp, "seed", (int64_t)p->seed) ||
        set_int(env, jp, "molecules", p->molecules) ||
        set_double(env, jp, "densityPerUm2", p->density_per_um2) ||
        set_double(env, jp, "weightMin", p->weight_min) || set_double(env, jp, "weightMax", p->weight_max) ||
        set_double(env, jp, "zMinNm", p->z_min_nm) || set_double(env, jp, "zMaxNm", p->z_max_nm) ||
        set_double(env, jp, "driftMaxNm", p->drift_max_nm) ||
        set_double(env, jp, "driftStepNm", p->drift_step_nm) || set_int(env, jp, "filaments", p->filaments) ||
        set_int(env, jp, "moleculesMin", p->molecules_min) ||
        set_double(env, jp, "stageDriftNm", p->stage_drift_nm))
        return -1;
    return 0;
}

/* The simulator behind a Java handle; NULL (exception thrown) for 0. */
static mumloc_simulator *simulator(JNIEnv *env, jlong handle) {
    if (handle == 0) {
        mumloc_jni_invalid(env, "the simulator handle is 0 (closed or never created)");
        return NULL;
    }
    return (mumloc_simulator *)(intptr_t)handle;
}

/* ---------------------------------------------------------------------------------------------- */
/* Status, version, threads                                                                        */
/* ---------------------------------------------------------------------------------------------- */

JNI_FN(jstring, nVersion, JNIEnv *env, jclass cls) { return mumloc_jni_string(env, mumloc_version()); }

JNI_FN(jstring, nStatusString, JNIEnv *env, jclass cls, jint status) {
    return mumloc_jni_string(env, mumloc_status_string((mumloc_status)status));
}

JNI_FN(void, nSetThreads, JNIEnv *env, jclass cls, jint threads) { mumloc_jni_check(env, mumloc_set_threads(threads)); }

JNI_FN(jint, nGetThreads, JNIEnv *env, jclass cls) { return mumloc_get_threads(); }

JNI_FN(jstring, nOmpWaitPolicy, JNIEnv *env, jclass cls) { return mumloc_jni_string(env, mumloc_omp_wait_policy()); }

static const char *rig_layout_word(int layout) {
    return layout >= 0 && layout < MUMLOC_RIG_LAYOUT_COUNT
               ? mumloc_rig_layout_name((mumloc_rig_layout)layout)
               : NULL;
}

/* The library's names of one enum (its _name function read until NULL), so that Java's choice lists
 * are the CLI's. */
static const struct {
    const char *which;
    const char *(*name)(int);
} enum_tables[] = {{"noise", mumloc_noise_name},
                   {"sample", mumloc_sample_name},
                   {"plane_axis", mumloc_plane_axis_name},
                   {"render_method", mumloc_render_method_name},
                   {"refine", mumloc_refine_mode_name},
                   {"arch", mumloc_arch_name},
                   {"bundled_model", mumloc_bundled_model_file},
                   {"colormap", mumloc_colormap_name},
                   {"drift_method", mumloc_drift_method_name},
                   {"precision", mumloc_precision_name},
                   {"rig_layout", rig_layout_word},
                   {"localize_method", mumloc_localize_method_name}};

JNI_FN(jobjectArray, nEnumNames, JNIEnv *env, jclass cls, jstring jwhich) {
    char *which = mumloc_jni_required_utf8(env, jwhich, "enum");
    if (!which) return NULL;
    const char *(*name)(int) = NULL;
    for (size_t i = 0; i < sizeof enum_tables / sizeof enum_tables[0]; i++)
        if (strcmp(which, enum_tables[i].which) == 0) name = enum_tables[i].name;
    if (!name) {
        mumloc_jni_invalid(env, "no enum named '%s'", which);
        free(which);
        return NULL;
    }
    free(which);
    int count = 0;
    while (name(count)) count++;
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (!string_class) return NULL;
    jobjectArray out = (*env)->NewObjectArray(env, count, string_class, NULL);
    for (int i = 0; out && i < count; i++) {
        jstring s = mumloc_jni_string(env, name(i));
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}

/* ---------------------------------------------------------------------------------------------- */
/* Optics and camera                                                                               */
/* ---------------------------------------------------------------------------------------------- */

JNI_FN(void, nOpticsDefault, JNIEnv *env, jclass cls, jobject out) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    optics_to_java(env, &o, out);
}

JNI_FN(void, nOpticsValidate, JNIEnv *env, jclass cls, jobject jo) {
    mumloc_optics o;
    if (mumloc_jni_optics_from_java(env, jo, &o)) return;
    mumloc_jni_check(env, mumloc_optics_validate(&o));
}

/* The optics a movie's description records (mumloc_optics_from_description) into out; false when
 * it records none. */
JNI_FN(jboolean, nOpticsRecorded, JNIEnv *env, jclass cls, jstring jdescription, jobject out) {
    int failed = 0, found = 0;
    char *description = mumloc_jni_utf8(env, jdescription, "the description", &failed);
    if (failed) return JNI_FALSE;
    mumloc_optics o;
    mumloc_status st = mumloc_optics_from_description(description, &found, &o);
    free(description);
    if (mumloc_jni_check(env, st) || !found) return JNI_FALSE;
    return optics_to_java(env, &o, out) ? JNI_FALSE : JNI_TRUE;
}

JNI_FN(void, nOpticsLoad, JNIEnv *env, jclass cls, jstring jpath, jobject out) {
    int failed;
    char *path = mumloc_jni_utf8(env, jpath, "the optics file path", &failed);
    if (!path) {
        if (!failed) mumloc_jni_invalid(env, "the optics file path is null");
        return;
    }
    mumloc_optics o;
    mumloc_optics_default(&o);
    mumloc_status st = mumloc_optics_load(path, &o);
    free(path);
    if (mumloc_jni_check(env, st)) return;
    optics_to_java(env, &o, out);
}

JNI_FN(void, nOpticsSave, JNIEnv *env, jclass cls, jstring jpath, jobject jo) {
    mumloc_optics o;
    if (mumloc_jni_optics_from_java(env, jo, &o)) return;
    int failed;
    char *path = mumloc_jni_utf8(env, jpath, "the optics file path", &failed);
    if (!path) {
        if (!failed) mumloc_jni_invalid(env, "the optics file path is null");
        return;
    }
    mumloc_status st = mumloc_optics_save(path, &o);
    free(path);
    mumloc_jni_check(env, st);
}

JNI_FN(jdouble, nPsfWidthNm, JNIEnv *env, jclass cls, jobject jo, jdouble dz) {
    mumloc_optics o;
    if (mumloc_jni_optics_from_java(env, jo, &o)) return 0;
    if (mumloc_jni_check(env, mumloc_optics_validate(&o))) return 0;
    return mumloc_psf_width_nm(&o, dz);
}

JNI_FN(void, nCameraDefault, JNIEnv *env, jclass cls, jobject out) {
    mumloc_camera c;
    mumloc_camera_default(&c);
    camera_to_java(env, &c, out);
}

JNI_FN(void, nCameraValidate, JNIEnv *env, jclass cls, jobject jc) {
    mumloc_camera c;
    if (mumloc_jni_camera_from_java(env, jc, &c)) return;
    mumloc_jni_check(env, mumloc_camera_validate(&c));
}

/* ---------------------------------------------------------------------------------------------- */
/* Simulation parameters                                                                           */
/* ---------------------------------------------------------------------------------------------- */

JNI_FN(void, nSimParamsDefault, JNIEnv *env, jclass cls, jobject out) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    params_to_java(env, &p, out);
}

JNI_FN(void, nSimParamsValidate, JNIEnv *env, jclass cls, jobject jp) {
    mumloc_sim_params p;
    if (params_from_java(env, jp, &p)) return;
    mumloc_jni_check(env, mumloc_sim_params_validate(&p));
}

JNI_FN(jstring, nSimParamsToJson, JNIEnv *env, jclass cls, jobject jp) {
    mumloc_sim_params p;
    if (params_from_java(env, jp, &p)) return NULL;
    size_t needed = 0;
    char small[4096];
    mumloc_status st = mumloc_sim_params_to_json(&p, small, sizeof small, &needed);
    if (st == MUMLOC_OK) return mumloc_jni_string(env, small);
    if (needed <= sizeof small || needed > ((size_t)1 << 30)) {
        mumloc_jni_check(env, st);
        return NULL;
    }
    char *buf = malloc(needed);
    if (!buf) {
        mumloc_jni_oom(env, "writing the parameters as JSON");
        return NULL;
    }
    st = mumloc_sim_params_to_json(&p, buf, needed, NULL);
    jstring s = mumloc_jni_check(env, st) ? NULL : mumloc_jni_string(env, buf);
    free(buf);
    return s;
}

/* ---------------------------------------------------------------------------------------------- */
/* Simulator                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

JNI_FN(jlong, nSimulatorCreate, JNIEnv *env, jclass cls, jobject jp) {
    mumloc_sim_params p;
    if (params_from_java(env, jp, &p)) return 0;
    mumloc_simulator *sim = NULL;
    if (mumloc_jni_check(env, mumloc_simulator_create(&p, &sim))) return 0;
    if (!sim) {
        mumloc_jni_throw(env, (int)MUMLOC_ERR_INTERNAL, "mumloc_simulator_create returned no simulator");
        return 0;
    }
    return (jlong)(intptr_t)sim;
}

JNI_FN(void, nSimulatorDestroy, JNIEnv *env, jclass cls, jlong handle) {
    if (handle != 0) mumloc_simulator_destroy((mumloc_simulator *)(intptr_t)handle);
}

JNI_FN(void, nSimulatorParams, JNIEnv *env, jclass cls, jlong handle, jobject out) {
    mumloc_simulator *sim = simulator(env, handle);
    if (!sim) return;
    if (!out) {
        mumloc_jni_invalid(env, "the output parameters object is null");
        return;
    }
    params_to_java(env, mumloc_simulator_params(sim), out);
}

JNI_FN(jint, nSimulatorMaxEmitters, JNIEnv *env, jclass cls, jlong handle) {
    mumloc_simulator *sim = simulator(env, handle);
    return sim ? mumloc_simulator_max_emitters(sim) : 0;
}

static int check_frame(JNIEnv *env, const mumloc_simulator *sim, jlong frame) {
    int64_t frames = mumloc_simulator_params(sim)->frames;
    if (frame < 0 || frame >= frames) {
        mumloc_jni_invalid(env, "frame %lld is outside the movie's frames 0..%lld", (long long)frame,
                      (long long)frames - 1);
        return -1;
    }
    return 0;
}

JNI_FN(jobjectArray, nSimulateTruth, JNIEnv *env, jclass cls, jlong handle, jlong frame) {
    mumloc_simulator *sim = simulator(env, handle);
    if (!sim || check_frame(env, sim, frame)) return NULL;
    int cap = mumloc_simulator_max_emitters(sim);
    if (cap < 0) cap = 0;
    mumloc_emitter *buf = malloc(((size_t)cap + 1) * sizeof *buf);
    if (!buf) {
        mumloc_jni_oom(env, "reading the ground truth");
        return NULL;
    }
    int count = 0;
    if (mumloc_jni_check(env, mumloc_simulate_truth(sim, frame, buf, cap, &count))) {
        free(buf);
        return NULL;
    }
    if (count < 0 || count > cap) {
        free(buf);
        mumloc_jni_throw(env, (int)MUMLOC_ERR_INTERNAL, "mumloc_simulate_truth returned a count outside its buffer");
        return NULL;
    }
    jobjectArray result = NULL;
    jclass ecls = (*env)->FindClass(env, "org/mumloc/Emitter");
    jmethodID ctor = ecls ? (*env)->GetMethodID(env, ecls, "<init>", "(JDDDDD)V") : NULL;
    if (ctor) result = (*env)->NewObjectArray(env, count, ecls, NULL);
    for (int i = 0; result && i < count; i++) {
        const mumloc_emitter *e = &buf[i];
        jobject je = (*env)->NewObject(env, ecls, ctor, (jlong)e->frame, e->x_nm, e->y_nm, e->z_nm, e->weight,
                                       e->photons);
        if (!je) {
            result = NULL;
            break;
        }
        (*env)->SetObjectArrayElement(env, result, i, je);
        (*env)->DeleteLocalRef(env, je);
    }
    free(buf);
    return result;
}

JNI_FN(jdoubleArray, nSimulateDrift, JNIEnv *env, jclass cls, jlong handle, jlong frame) {
    mumloc_simulator *sim = simulator(env, handle);
    if (!sim || check_frame(env, sim, frame)) return NULL;
    int planes = mumloc_simulator_params(sim)->optics.planes;
    if (planes < 1 || planes > MUMLOC_MAX_PLANES) planes = MUMLOC_MAX_PLANES;
    double dxdy[2 * MUMLOC_MAX_PLANES] = {0};
    if (mumloc_jni_check(env, mumloc_simulate_drift(sim, frame, dxdy))) return NULL;
    jdoubleArray out = (*env)->NewDoubleArray(env, 2 * planes);
    if (!out) return NULL;
    (*env)->SetDoubleArrayRegion(env, out, 0, 2 * planes, dxdy);
    return out;
}

JNI_FN(void, nSimulateFrames, JNIEnv *env, jclass cls, jlong handle, jlong first, jlong count,
                              jfloatArray out, jint offset) {
    mumloc_simulator *sim = simulator(env, handle);
    if (!sim) return;
    if (!out) {
        mumloc_jni_invalid(env, "the pixel array is null");
        return;
    }
    const mumloc_sim_params *p = mumloc_simulator_params(sim);
    if (first < 0 || count < 0 || first > p->frames || count > p->frames - first) {
        mumloc_jni_invalid(env, "frames %lld..%lld are outside the movie's frames 0..%lld", (long long)first,
                      (long long)(first + count - 1), (long long)p->frames - 1);
        return;
    }
    if (count == 0) return;
    int64_t frame_floats = (int64_t)p->optics.planes * p->height * p->width;
    jsize len = (*env)->GetArrayLength(env, out);
    if (offset < 0 || offset > len) {
        mumloc_jni_invalid(env, "offset %d is outside the pixel array (length %d)", (int)offset, (int)len);
        return;
    }
    if (frame_floats <= 0 || count > ((int64_t)len - offset) / frame_floats) {
        mumloc_jni_invalid(env,
                      "%lld frames of %lld pixels do not fit in the pixel array (%d floats from offset %d)",
                      (long long)count, (long long)frame_floats, (int)len, (int)offset);
        return;
    }
    size_t n = (size_t)(count * frame_floats);
    float *buf = malloc(n * sizeof *buf);
    if (!buf) {
        mumloc_jni_oom(env, "simulating frames");
        return;
    }
    if (!mumloc_jni_check(env, mumloc_simulate_frames(sim, first, count, buf)))
        (*env)->SetFloatArrayRegion(env, out, offset, (jsize)n, buf);
    free(buf);
}

JNI_FN(void, nSimulateToFiles, JNIEnv *env, jclass cls, jobject jp, jstring jmovie, jstring jtruth,
                               jstring jdrift, jobject listener) {
    mumloc_sim_params p;
    if (params_from_java(env, jp, &p)) return;
    int failed = 0;
    char *movie = NULL, *truth = NULL, *drift = NULL;
    movie = mumloc_jni_utf8(env, jmovie, "the movie path", &failed);
    if (!movie) {
        if (!failed) mumloc_jni_invalid(env, "the movie path is null");
        return;
    }
    truth = mumloc_jni_utf8(env, jtruth, "the truth path", &failed);
    if (failed) goto done;
    drift = mumloc_jni_utf8(env, jdrift, "the drift path", &failed);
    if (failed) goto done;

    mumloc_jni_progress pr;
    if (mumloc_jni_progress_init(env, listener, &pr)) goto done;
    mumloc_status st =
        mumloc_simulate_to_files(&p, movie, truth, drift, mumloc_jni_progress_fn_for(&pr), &pr);
    /* An exception thrown by the listener is the one the caller sees. */
    if (!(*env)->ExceptionCheck(env)) mumloc_jni_check(env, st);
done:
    free(movie);
    free(truth);
    free(drift);
}

/* ---------------------------------------------------------------------------------------------- */
/* Numbers                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

JNI_FN(jstring, nFormatNumber, JNIEnv *env, jclass cls, jdouble value) {
    char buf[64];
    if (mumloc_jni_check(env, mumloc_format_number(value, buf, sizeof buf))) return NULL;
    return mumloc_jni_string(env, buf);
}
