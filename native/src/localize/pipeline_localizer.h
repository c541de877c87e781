/* The streaming localizer's state, shared by pipeline.c (creation, the frame-by-frame path, taking
 * records), pipeline_queue.c (the batched path through the device batch queue on a GPU),
 * pipeline_cs.c (the CS path) and pipeline_frame.c (one frame's steps, which they all call). */
#ifndef LOCALIZE_PIPELINE_LOCALIZER_H
#define LOCALIZE_PIPELINE_LOCALIZER_H

#include "localize/tiling.h"
#include "model/model_infer.h"
#include "mumloc.h"
#include "optics/plane_map.h"
#include "optics/spline_file.h"

/* A rig's raw frames (options.rig): the cameras' images, their photons, and where the network's
 * registered field lies in camera 1's frame (pipeline_rig.c). */
typedef struct pipeline_rig {
    mumloc_rig rig;
    plane_map map;       /* with the rig's spline PSF (psf) when it has one */
    spline_set psf;      /* the rig's measured PSF; empty for a Gaussian rig */
    mumloc_rig_field field;
    mumloc_camera noise_camera; /* camera 1's read noise and EM gain, for the fits' noise model */
    int raw_width, raw_height;
    float *raw_photons;         /* the frame's k camera images in photons */
} pipeline_rig;

/* One frame's work after the network (pipeline_frame.c): its inputs, its records and what the
 * stages cost; several frames of a push are worked on in parallel, one per thread. */
typedef struct pipeline_frame {
    int64_t frame;
    const float *photons, *output; /* the frame's photons and full network output */
    mumloc_localization *found;    /* its records (found_cap allocated) */
    int found_cap, count;
    mumloc_frame_drift drift; /* refine drift: the frame's estimate */
    int has_drift;
    int held; /* drift window: decoded only, held by commit for the finish */
    mumloc_status status;
    double decode_seconds, refine_seconds, measure_seconds; /* thread time of each stage */
} pipeline_frame;

struct mumloc_localizer {
    int cs; /* 1: the compressed-sensing path (pipeline_cs.c), no model */
    mumloc_model *model;
    mumloc_localize_options opt;
    mumloc_optics optics;
    mumloc_decode_options decode;
    mumloc_arch arch;
    int width, height, planes;  /* the network's frames (a rig's common field) */
    pipeline_rig *rig;          /* NULL: the frames are registered planes */
    int channels, out_width, out_height, upsampling;
    /* tiles */
    int tiled, nx, ny, tile_w, tile_h, tile_out_w, tile_out_h, tiles_per_call;
    tile_span *xs, *ys;
    /* frames localized together after the network: `group` frames of photons and outputs on the
     * frame-by-frame path (1 with one thread or a rig), `slot_count` >= group work slots (the queue's
     * batch on a GPU) */
    int group, slot_count, last_slot;
    pipeline_frame *slots;
    float *photons;  /* group frames, each k × H × W */
    float *tile_in;  /* tiles_per_call × k × tile_h × tile_w */
    float *tile_out; /* tiles_per_call × channels × tile_out_h × tile_out_w */
    float *output;   /* group frames' assembled outputs, each channels × out_height × out_width */
    float *staging;  /* the network's normalised input of one forward call (model_forward_staged) */
    int has_output;
    /* the batched path (pipeline_queue.c): NULL queue = frame by frame */
    model_infer_queue *queue;
    int queue_batch;      /* frames per queued batch */
    float *batch_photons; /* two batches of photons: 2 × queue_batch × k × H × W */
    /* records: found holds a CS frame's (pipeline_cs.c; the network paths decode into slots) */
    mumloc_localization *found;
    int found_cap;
    mumloc_localization *pending; /* records [pending_first, pending_first + pending_count) */
    int64_t pending_first, pending_count, pending_cap;
    double network_seconds;
    double convert_seconds, decode_seconds, refine_seconds, measure_seconds; /* per-stage timers */
    struct pipeline_window *window; /* refine DRIFT with drift_window ≥ 2: held frames, else NULL */
};

/* pipeline_window.c: the windowed drift (options.drift_window ≥ 2). create sets l->window up (a
 * no-op otherwise); hold keeps a decoded frame's records (records[0..count)) and spools its fit
 * frame (k × fit_width × fit_height photons) until mumloc_localizer_finish; frames are held in the
 * order they are committed (frame order). */
mumloc_status pipeline_window_create(mumloc_localizer *l);
void pipeline_window_free(mumloc_localizer *l);
mumloc_status pipeline_window_hold(mumloc_localizer *l, int64_t frame, const float *fit_frame,
                                   const mumloc_localization *records, int count);

/* mumloc_localizer_create after its checks: options valid, threads set (mumloc_localize_file makes
 * them once for the whole run). */
mumloc_status pipeline_localizer_create(mumloc_model *model, const mumloc_localize_options *options,
                                        int width, int height, mumloc_localizer **out);

/* pipeline_rig.c: sets up l->rig for options->rig and frames of width × height camera pixels; the
 * network's frame is the common field (l->width, l->height set to its size). */
mumloc_status pipeline_rig_create(mumloc_localizer *l, const mumloc_rig *rig, int width,
                                  int height);
void pipeline_rig_free(pipeline_rig *rig);
/* Floats of one pushed frame: k × the raw camera frame with a rig, else k × width × height. */
int64_t pipeline_input_floats(const mumloc_localizer *l);

/* pipeline_cs.c: the localizer of options->method CS (optics from options->optics; regions of
 * cs.tile pixels reuse the tile spans xs, ys), and its push. */
mumloc_status pipeline_cs_create(const mumloc_localize_options *options, int width, int height,
                                 mumloc_localizer **out);
mumloc_status pipeline_cs_push(mumloc_localizer *l, const float *frames, int count,
                               int64_t first_frame);

/* pipeline_queue.c: creates the batch queue when the model's backend reports its memory (a GPU)
 * and the frames are not tiled; leaves the frame-by-frame path otherwise (the CPU). */
mumloc_status pipeline_queue_plan(mumloc_localizer *l);
/* mumloc_localizer_push through the queue (l->queue set). */
mumloc_status pipeline_queue_push(mumloc_localizer *l, const float *frames, int count,
                                  int64_t first_frame);
void pipeline_queue_free(mumloc_localizer *l);

#endif
