/* The streaming localizer (mumloc.h "Localization pipeline"): per frame, camera values → photons →
 * network (whole or in tiles, assembled into one full-frame output) → decode → optional refinement
 * (positions, or positions and the frame's drift) → photometry and bounds → pending records until
 * the caller takes them. This file runs the network frame by frame (the CPU, tiled frames); on a GPU
 * untiled frames go through the batch queue instead (pipeline_queue.c), with the same steps after
 * the network (pipeline_frame.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "localize/pipeline.h"
#include "localize/pipeline_frame.h"
#include "localize/pipeline_localizer.h"
#include "localize/tiling.h"
#include "model/model_handle.h"
#include "model/model_infer.h"

/* An output bigger than this many floats per frame is refused (8 GiB). */
#define MAX_OUTPUT_FLOATS ((int64_t)1 << 31)
/* Tiles per forward call on the CPU: up to about this many input pixels (a GPU sizes it to its free
 * memory, model_infer.h). */
#define TILE_CALL_PIXELS (1 << 18)
/* Input floats of the tiles of one forward call on a GPU at most (64 MiB of host memory). */
#define GPU_CALL_FLOATS ((int64_t)1 << 24)
/* Frames localized together after the network (pipeline_frame.c): this many per thread, and
 * their photons and network outputs in at most this many bytes. */
#define GROUP_FRAMES_PER_THREAD 4
#define GROUP_BYTES ((int64_t)64 << 20)


static float *alloc_floats(int64_t n) { return n > 0 ? malloc((size_t)n * sizeof(float)) : NULL; }

void mumloc_localizer_destroy(mumloc_localizer *l) {
    if (!l) return;
    pipeline_queue_free(l);
    pipeline_window_free(l);
    pipeline_free_slots(l);
    pipeline_rig_free(l->rig);
    free(l->xs);
    free(l->ys);
    free(l->photons);
    free(l->tile_in);
    free(l->tile_out);
    free(l->output);
    free(l->staging);
    free(l->found);
    free(l->pending);
    free(l);
}

static mumloc_status plan_tiles(mumloc_localizer *l) {
    const int tile = l->opt.tile > 0 ? l->opt.tile : pipeline_default_tile(l->model);
    const int overlap = tiling_receptive_radius(l->model);
    l->tiled = l->width > tile || l->height > tile;
    if (!l->tiled) return MUMLOC_OK;
    if (tile <= 2 * overlap)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "tile %d is too small for this network: tiles overlap by its receptive "
                           "radius of %d pixels on each side, so a tile needs more than %d pixels",
                           tile, overlap, 2 * overlap);
    l->nx = tiling_axis(l->width, tile, overlap, NULL, 0);
    l->ny = tiling_axis(l->height, tile, overlap, NULL, 0);
    l->xs = malloc(sizeof *l->xs * (size_t)l->nx);
    l->ys = malloc(sizeof *l->ys * (size_t)l->ny);
    if (!l->xs || !l->ys) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the tiles");
    tiling_axis(l->width, tile, overlap, l->xs, l->nx);
    tiling_axis(l->height, tile, overlap, l->ys, l->ny);
    l->tile_w = l->xs[0].size;
    l->tile_h = l->ys[0].size;
    int c = 0;
    mumloc_model_output_size(l->model, l->tile_w, l->tile_h, &c, &l->tile_out_w, &l->tile_out_h);
    const int64_t tile_pixels = (int64_t)l->tile_w * l->tile_h;
    l->tiles_per_call = (int)(TILE_CALL_PIXELS / tile_pixels);
    if (l->tiles_per_call < 1) l->tiles_per_call = 1;
    /* a GPU: as many as its memory takes, at most GPU_CALL_FLOATS of host input (the CPU keeps the
     * value above: its budget is unknown) */
    int64_t gpu_cap = GPU_CALL_FLOATS / ((int64_t)l->planes * tile_pixels);
    if (gpu_cap > (int64_t)l->nx * l->ny) gpu_cap = (int64_t)l->nx * l->ny;
    l->tiles_per_call = model_infer_frames_for_budget(l->model, l->tile_w, l->tile_h,
                                                      model_infer_budget(l->model),
                                                      gpu_cap < 1 ? 1 : (int)gpu_cap,
                                                      l->tiles_per_call);
    if (l->tiles_per_call > l->nx * l->ny) l->tiles_per_call = l->nx * l->ny;
    l->tile_in = alloc_floats((int64_t)l->tiles_per_call * l->planes * tile_pixels);
    l->tile_out = alloc_floats((int64_t)l->tiles_per_call * l->channels * l->tile_out_w *
                               l->tile_out_h);
    if (!l->tile_in || !l->tile_out)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d tiles of %dx%d",
                           l->tiles_per_call, l->tile_w, l->tile_h);
    return MUMLOC_OK;
}

/* Frames per group on the frame-by-frame path: a few per thread (pipeline_frame.c), as many as
 * GROUP_BYTES of photons and outputs hold; 1 with one thread, and with a rig (whose fits read the
 * one raw frame the rig keeps). */
static int frame_group(const mumloc_localizer *l, int64_t floats_per_frame) {
    const int threads = mumloc_get_threads();
    if (threads < 2 || l->rig) return 1;
    int64_t group = (int64_t)GROUP_FRAMES_PER_THREAD * threads;
    const int64_t fit = GROUP_BYTES / (floats_per_frame * (int64_t)sizeof(float));
    if (group > fit) group = fit;
    return group < 1 ? 1 : (int)group;
}

mumloc_status mumloc_localizer_create(mumloc_model *model, const mumloc_localize_options *options,
                                      int width, int height, mumloc_localizer **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_localizer_create needs out");
    *out = NULL;
    mumloc_localize_options defaults;
    mumloc_localize_options_default(&defaults);
    if (!options) options = &defaults;
    const int cs = options->method == MUMLOC_METHOD_CS;
    if (!model && !cs)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "a localizer needs a model (or method cs)");
    ERROR_TRY(mumloc_localize_options_validate(options));
    if (options->threads > 0) ERROR_TRY(mumloc_set_threads(options->threads));
    return pipeline_localizer_create(model, options, width, height, out);
}

mumloc_status pipeline_localizer_create(mumloc_model *model, const mumloc_localize_options *options,
                                        int width, int height, mumloc_localizer **out) {
    *out = NULL;
    if (width < 1 || height < 1 || width > 65536 || height > 65536)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frames must be 1 to 65536 pixels a side, got %dx%d", width, height);
    if (options->method == MUMLOC_METHOD_CS) return pipeline_cs_create(options, width, height, out);
    /* before anything is sized from the model: the network then runs where it was asked to */
    ERROR_TRY(mumloc_model_set_device(model, &options->device, NULL));
    ERROR_TRY(mumloc_model_set_precision(model, options->precision));
    mumloc_localizer *l = calloc(1, sizeof *l);
    if (!l) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a localizer");
    l->model = model;
    l->opt = *options;
    l->arch = mumloc_model_arch(model);
    mumloc_model_optics(model, &l->optics);
    l->planes = l->optics.planes;
    l->width = width;
    l->height = height;
    if (options->rig) {
        mumloc_status rs = pipeline_rig_create(l, options->rig, width, height);
        if (rs != MUMLOC_OK) {
            mumloc_localizer_destroy(l);
            return rs;
        }
        width = l->width; /* the network's frame from here on */
        height = l->height;
    }
    mumloc_decode_options_default(&l->decode);
    l->decode.threshold = options->threshold > 0 ? options->threshold : mumloc_model_threshold(model);
    l->decode.merge_distance_nm = options->merge_distance_nm;
    l->decode.neighbourhood = options->neighbourhood;
    mumloc_model_output_size(model, width, height, &l->channels, &l->out_width, &l->out_height);
    l->upsampling = l->out_width / width;
    const int64_t out_floats = (int64_t)l->channels * l->out_width * l->out_height;
    mumloc_status st = MUMLOC_OK;
    if (out_floats > MAX_OUTPUT_FLOATS)
        st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                         "a %dx%d frame gives %lld network output values (%s network), more than "
                         "the 2^31 this pipeline holds per frame; crop the movie",
                         width, height, (long long)out_floats, mumloc_arch_name((int)l->arch));
    if (st == MUMLOC_OK) {
        l->group = frame_group(l, (int64_t)l->planes * width * height + out_floats);
        l->photons = alloc_floats((int64_t)l->group * l->planes * width * height);
        l->output = alloc_floats((int64_t)l->group * out_floats);
        if (!l->photons || !l->output)
            st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a %dx%d frame's output",
                             width, height);
    }
    if (st == MUMLOC_OK) st = plan_tiles(l);
    if (st == MUMLOC_OK) {
        int64_t staged = (int64_t)l->planes * width * height;
        if (l->tiled) staged = (int64_t)l->tiles_per_call * l->planes * l->tile_w * l->tile_h;
        if (!(l->staging = alloc_floats(staged)))
            st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the network's input");
    }
    if (st == MUMLOC_OK) st = pipeline_alloc_slots(l, l->group);
    if (st == MUMLOC_OK) st = pipeline_queue_plan(l);
    if (st == MUMLOC_OK) st = pipeline_window_create(l);
    if (st != MUMLOC_OK) {
        mumloc_localizer_destroy(l);
        return st;
    }
    *out = l;
    return MUMLOC_OK;
}

/* Copies tile (tx, ty) of the photon frame into dst (k × tile_h × tile_w). */
static void cut_tile(const mumloc_localizer *l, const float *photons, int tx, int ty, float *dst) {
    const tile_span *sx = &l->xs[tx], *sy = &l->ys[ty];
    for (int d = 0; d < l->planes; d++)
        for (int r = 0; r < l->tile_h; r++) {
            const float *src = photons + ((int64_t)d * l->height + sy->start + r) * l->width +
                               sx->start;
            memcpy(dst + ((int64_t)d * l->tile_h + r) * l->tile_w, src,
                   sizeof(float) * (size_t)l->tile_w);
        }
}

/* Copies the core of tile (tx, ty)'s output into the frame's output. */
static void paste_core(const mumloc_localizer *l, int tx, int ty, const float *src, float *output) {
    const tile_span *sx = &l->xs[tx], *sy = &l->ys[ty];
    const int u = l->upsampling;
    const int col0 = sx->core_begin * u, cols = (sx->core_end - sx->core_begin) * u;
    const int row0 = sy->core_begin * u, rows = (sy->core_end - sy->core_begin) * u;
    const int tile_col0 = col0 - sx->start * u, tile_row0 = row0 - sy->start * u;
    for (int c = 0; c < l->channels; c++)
        for (int r = 0; r < rows; r++)
            memcpy(output + ((int64_t)c * l->out_height + row0 + r) * l->out_width + col0,
                   src + ((int64_t)c * l->tile_out_h + tile_row0 + r) * l->tile_out_w + tile_col0,
                   sizeof(float) * (size_t)cols);
}

/* One frame's photons through the network into its full output. */
static mumloc_status run_network(mumloc_localizer *l, const float *photons, float *output) {
    double start = pipeline_now();
    mumloc_status st = MUMLOC_OK;
    if (!l->tiled) {
        st = model_forward_staged(l->model, photons, 1, l->width, l->height, l->staging, output);
    } else {
        const int total = l->nx * l->ny;
        const int64_t in_floats = (int64_t)l->planes * l->tile_w * l->tile_h;
        const int64_t out_floats = (int64_t)l->channels * l->tile_out_w * l->tile_out_h;
        for (int first = 0; first < total && st == MUMLOC_OK; first += l->tiles_per_call) {
            int count = total - first < l->tiles_per_call ? total - first : l->tiles_per_call;
            for (int t = 0; t < count; t++)
                cut_tile(l, photons, (first + t) % l->nx, (first + t) / l->nx,
                         l->tile_in + t * in_floats);
            st = model_forward_staged(l->model, l->tile_in, count, l->tile_w, l->tile_h,
                                      l->staging, l->tile_out);
            for (int t = 0; t < count && st == MUMLOC_OK; t++)
                paste_core(l, (first + t) % l->nx, (first + t) / l->nx,
                           l->tile_out + t * out_floats, output);
        }
    }
    l->network_seconds += pipeline_now() - start;
    return st;
}

static mumloc_status check_finite(const mumloc_localizer *l, const float *frames, int count,
                                  int64_t first_frame) {
    const int64_t plane_px = pipeline_input_floats(l) / l->planes;
    for (int f = 0; f < count; f++)
        for (int d = 0; d < l->planes; d++) {
            const float *p = frames + ((int64_t)f * l->planes + d) * plane_px;
            int bad = 0;
            for (int64_t i = 0; i < plane_px; i++) bad |= !isfinite(p[i]);
            if (bad)
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "frame %lld, plane %d holds NaN or infinite pixels; the "
                                   "network needs finite pixels",
                                   (long long)(first_frame + f + 1), d + 1);
        }
    return MUMLOC_OK;
}

mumloc_status mumloc_localizer_push(mumloc_localizer *l, const float *frames, int count,
                                    int64_t first_frame) {
    if (!l || (!frames && count > 0) || count < 0 || first_frame < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "push needs a localizer, frames, count >= 0 and first_frame >= 0");
    threads_apply();
    ERROR_TRY(check_finite(l, frames, count, first_frame));
    if (l->cs) return pipeline_cs_push(l, frames, count, first_frame);
    if (l->queue) return pipeline_queue_push(l, frames, count, first_frame);
    /* the network frame by frame, then the group's frames localized together */
    const int64_t frame_floats = pipeline_input_floats(l);
    const int64_t photon_floats = (int64_t)l->planes * l->width * l->height;
    const int64_t out_floats = (int64_t)l->channels * l->out_width * l->out_height;
    for (int first = 0; first < count; first += l->group) {
        const int n = count - first < l->group ? count - first : l->group;
        for (int g = 0; g < n; g++) {
            double start = pipeline_now();
            pipeline_convert_frame(l, frames + (first + g) * frame_floats,
                                   l->photons + g * photon_floats);
            l->convert_seconds += pipeline_now() - start;
            ERROR_TRY(run_network(l, l->photons + g * photon_floats, l->output + g * out_floats));
            l->last_slot = g;
            l->has_output = 1;
        }
        ERROR_TRY(pipeline_localize_frames(l, first_frame + first, n, l->photons, photon_floats,
                                            l->output, out_floats));
    }
    return MUMLOC_OK;
}

int64_t mumloc_localizer_pending(const mumloc_localizer *l) { return l ? l->pending_count : 0; }

mumloc_status mumloc_localizer_take(mumloc_localizer *l, mumloc_localization *out, int64_t cap,
                                    int64_t *taken) {
    if (!l || !taken || cap < 0 || (!out && cap > 0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "take needs a localizer, a buffer of cap >= 0 records and taken");
    int64_t n = l->pending_count < cap ? l->pending_count : cap;
    if (n > 0) memcpy(out, l->pending + l->pending_first, sizeof *out * (size_t)n);
    l->pending_first = l->pending_count == n ? 0 : l->pending_first + n;
    l->pending_count -= n;
    *taken = n;
    return MUMLOC_OK;
}

const float *mumloc_localizer_last_output(const mumloc_localizer *l) {
    if (!l || !l->has_output) return NULL;
    return l->output + (int64_t)l->last_slot * l->channels * l->out_width * l->out_height;
}

double pipeline_network_seconds(const mumloc_localizer *l) { return l ? l->network_seconds : 0.0; }

void pipeline_stage_seconds(const mumloc_localizer *l, mumloc_localize_summary *s) {
    if (!l) return;
    s->network_seconds = l->network_seconds;
    s->convert_seconds = l->convert_seconds;
    s->decode_seconds = l->decode_seconds;
    s->refine_seconds = l->refine_seconds;
    s->measure_seconds = l->measure_seconds;
}
