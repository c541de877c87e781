/* mumloc_simulate_frames: the batch is cut into tasks (frame, plane, band of rows) run by the OpenMP
 * pool. Every pixel is a pure function of (seed, frame, plane, pixel index), so neither the thread
 * count nor the cut changes a single bit of the output. */
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "simulate/camera_noise.h"
#include "simulate/simulator.h"

/* Bands are never thinner than this many rows: thinner ones would recompute the x integrals of every
 * emitter more often than they save. */
#define MIN_BAND_ROWS 16
/* Tasks per thread wanted so that dynamic scheduling can balance uneven planes. */
#define TASKS_PER_THREAD 4
/* Per-thread buffers hold at most this many pixels of a band (4 MiB): huge frames are cut into
 * bands too, so memory stays bounded whatever the frame size. */
#define MAX_BAND_PIXELS (1 << 18)

typedef struct thread_scratch {
    mumloc_emitter *emitters;
    mumloc_emitter *mapped; /* the emitters as a rig camera sees them */
    double *signal;   /* one band of one plane, photons */
    double *edges;    /* scratch for the renderer */
    int64_t cached_frame;
    int count;
    double drift[2 * MUMLOC_MAX_PLANES];
} thread_scratch;

static int scratch_init(thread_scratch *s, const mumloc_simulator *sim, int band_rows) {
    const mumloc_sim_params *p = &sim->params;
    s->emitters = malloc(((size_t)sim->max_emitters + 1) * sizeof *s->emitters);
    s->mapped = malloc(((size_t)sim->max_emitters + 1) * sizeof *s->mapped);
    s->signal = malloc((size_t)band_rows * p->width * sizeof *s->signal);
    s->edges = malloc(2 * ((size_t)p->width + p->height + 2) * sizeof *s->edges);
    s->cached_frame = INT64_MIN; /* a view's frame offset can make any index, −1 included */
    s->count = 0;
    return s->emitters && s->mapped && s->signal && s->edges;
}

static void scratch_free(thread_scratch *s) {
    free(s->emitters);
    free(s->mapped);
    free(s->signal);
    free(s->edges);
}

/* One task: rows [row0, row1) of plane `plane` of frame `frame`, written to out (that band). */
static void simulate_band(const mumloc_simulator *sim, const camera_noise_model *cam,
                          const sim_view *view, thread_scratch *s, int64_t frame, int plane,
                          int row0, int row1, float *out) {
    const mumloc_sim_params *p = &sim->params;
    const int width = p->width;
    /* a view's camera frame shows the reference frame frame + frame_offset; none before frame 0 */
    const int64_t source = view ? frame + view->frame_offset : frame;
    if (s->cached_frame != source) {
        if (source >= 0) {
            s->count = sim_frame_imaged_emitters(sim, source, s->emitters);
            sim_frame_drift(sim, source, s->drift);
        } else {
            s->count = 0;
            memset(s->drift, 0, sizeof s->drift);
        }
        s->cached_frame = source;
    }
    size_t n = (size_t)(row1 - row0) * width;
    memset(s->signal, 0, n * sizeof *s->signal);
    sim_render_view(&p->optics, sim_spline(sim, plane), view, plane, width, p->height, row0, row1, s->drift[2 * plane],
                           s->drift[2 * plane + 1], s->emitters, s->count, s->mapped, s->signal,
                           s->edges);
    uint32_t first_pixel = (uint32_t)row0 * (uint32_t)width;
    for (size_t i = 0; i < n; i++) {
        philox_rng r = rng_stream(p->seed, frame, RNG_NOISE, plane,
                                         first_pixel + (uint32_t)i);
        out[i] = (float)camera_pixel(cam, s->signal[i], &r);
    }
}

mumloc_status mumloc_simulate_frames(const mumloc_simulator *sim, int64_t first, int64_t count,
                                     float *pixels) {
    return sim_frames_viewed(sim, NULL, first, count, pixels);
}

mumloc_status sim_frames_viewed(const mumloc_simulator *sim, const sim_view *views,
                                       int64_t first, int64_t count, float *pixels) {
    if (!sim) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulator must not be NULL");
    if (first < 0 || count < 0 || first > RNG_MAX_FRAME - count)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "simulate frames: first (%lld) and count (%lld) must be non-negative with "
                           "first + count at most %lld",
                           (long long)first, (long long)count, (long long)RNG_MAX_FRAME);
    if (count == 0) return MUMLOC_OK;
    for (int d = 0; views && d < sim->params.optics.planes; d++)
        if (first + count + views[d].frame_offset > RNG_MAX_FRAME)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "simulate frames: frame %lld of camera %d (frame offset %lld) is past "
                               "the last frame index %lld",
                               (long long)(first + count), d + 1, (long long)views[d].frame_offset,
                               (long long)RNG_MAX_FRAME);
    if (!pixels) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate frames: pixels must not be NULL");

    const mumloc_sim_params *p = &sim->params;
    const int planes = p->optics.planes, height = p->height, width = p->width;
    camera_noise_model cams[MUMLOC_MAX_PLANES];
    for (int d = 0; d < planes; d++)
        cams[d] = sim_camera_model(&p->camera, views ? &views[d] : NULL,
                                          p->noise == MUMLOC_NOISE_PHYSICAL, sim->tables,
                                          sim->table_count, &sim->ziggurat);

    /* Small batches are cut into bands of rows so that every thread has work. */
    threads_apply();
    int threads = omp_get_max_threads();
    int64_t plane_tasks = count * planes;
    int64_t bands = 1;
    int64_t wanted = (int64_t)TASKS_PER_THREAD * threads;
    if (plane_tasks < wanted) bands = (wanted + plane_tasks - 1) / plane_tasks;
    int64_t max_bands = (height + MIN_BAND_ROWS - 1) / MIN_BAND_ROWS;
    if (bands > max_bands) bands = max_bands;
    if (bands < 1) bands = 1;
    int band_rows = (int)((height + bands - 1) / bands);
    int max_rows = MAX_BAND_PIXELS / width > 0 ? MAX_BAND_PIXELS / width : 1;
    if (band_rows > max_rows) band_rows = max_rows;
    bands = (height + band_rows - 1) / band_rows;
    const int64_t tasks = plane_tasks * bands;
    const size_t plane_size = (size_t)height * width;

    int failed = 0;
#pragma omp parallel
    {
        thread_scratch s;
        int ok = scratch_init(&s, sim, band_rows);
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int64_t t = 0; t < tasks; t++) {
            if (!ok) continue;
            int64_t band = t % bands;
            int64_t plane_task = t / bands;
            int plane = (int)(plane_task % planes);
            int64_t f = plane_task / planes;
            int row0 = (int)band * band_rows;
            int row1 = row0 + band_rows > height ? height : row0 + band_rows;
            float *out = pixels + (size_t)plane_task * plane_size + (size_t)row0 * width;
            simulate_band(sim, &cams[plane], views ? &views[plane] : NULL, &s, first + f, plane, row0,
                          row1, out);
        }
        scratch_free(&s);
    }
    if (failed)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                           "simulate frames: out of memory for the per-thread buffers (%d x %d pixels, "
                           "%d emitters); try fewer threads or a smaller frame",
                           width, height, sim->max_emitters);
    return MUMLOC_OK;
}
