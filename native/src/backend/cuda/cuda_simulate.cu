// The simulator's pixels on the GPU: one thread per output pixel renders the pixel-integrated PSFs of
// its frame's emitters (the Gaussian, optics/psf.h, or a measured PSF, optics/spline_eval.h) and draws the camera noise (simulate/camera_noise.h) from the
// Philox stream the CPU uses for that pixel, so a GPU frame equals the CPU frame up to the last bits
// of erf/log/exp (CUDA's and glibc's differ by an ulp or two). Built with --fmad=false (CMake) so the
// sums round as the CPU's do.
#include <stdlib.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "optics/psf.h"
#include "optics/spline_eval.h"

// The fraction of a unit 1-D Gaussian on pixel i, as simulate/psf_pixels.c computes it.
static __device__ double mass(int i, double centre, double k, double pixel) {
    return 0.5 * (psf_edge((i + 1) * pixel, centre, k) - psf_edge(i * pixel, centre, k));
}

// One pixel's photons from the Gaussian model, as simulate/psf_pixels.c adds them.
static __device__ double gaussian_signal(mumloc_plane_psf curve, double depth,
                                         const mumloc_emitter *e, int n, double dx, double dy, int i,
                                         int j, int width, int height, double p,
                                         double photons_per_weight, double gain) {
    double signal = 0.0;
    for (int m = 0; m < n; m++) {
        double w = psf_width(curve.w0_nm, curve.d_nm, curve.A, curve.B, depth - e[m].z_nm);
        double reach = PSF_WINDOW_WIDTHS * w;
        double cx = e[m].x_nm - dx, cy = e[m].y_nm - dy;
        int j0, j1, i0, i1;
        if (!pixel_span(cy - reach, cy + reach, p, 0, height - 1, &j0, &j1) || j < j0 || j > j1)
            continue;
        if (!pixel_span(cx - reach, cx + reach, p, 0, width - 1, &i0, &i1) || i < i0 || i > i1)
            continue;
        double k = 1.0 / (sqrt(2.0) * w);
        double row_factor = e[m].weight * photons_per_weight * gain * mass(j, cy, k, p);
        signal += row_factor * mass(i, cx, k, p);
    }
    return signal;
}

// One pixel's photons from a measured PSF, as render_spline.c adds them: each molecule located
// against its whole window's origin, so the basis weights are the CPU's to the bit.
static __device__ double spline_signal(const spline_plane_psf *psf, const mumloc_emitter *e, int n,
                                       double dx, double dy, int i, int j, int width, int height,
                                       double p, double photons_per_weight, double gain) {
    double signal = 0.0;
    for (int m = 0; m < n; m++) {
        const double reach = spline_reach_nm(psf, e[m].z_nm);
        const double cx = e[m].x_nm - dx, cy = e[m].y_nm - dy;
        int j0, j1, i0, i1;
        if (!pixel_span(cy - reach, cy + reach, p, 0, height - 1, &j0, &j1) || j < j0 || j > j1)
            continue;
        if (!pixel_span(cx - reach, cx + reach, p, 0, width - 1, &i0, &i1) || i < i0 || i > i1)
            continue;
        spline_at at;
        spline_locate(psf, cx, cy, e[m].z_nm, i0, j0, &at);
        const double amplitude = e[m].weight * photons_per_weight * gain;
        signal += amplitude * spline_photon_share(psf, &at, i - i0, j - j0);
    }
    return signal;
}

static __global__ void simulate_kernel(cuda_sim_job job, const double *drift,
                                       const int *counts, const mumloc_emitter *emitters,
                                       camera_noise_model cam, float *out, int64_t total) {
    const int64_t hw = (int64_t)job.width * job.height;
    const double p = job.pixel_nm, photons_per_weight = job.psf_amplitude / (p * p);
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t f = idx / (job.planes * hw);
        const int plane = (int)((idx / hw) % job.planes);
        const int px = (int)(idx % hw), j = px / job.width, i = px % job.width;
        const double gain = job.plane_gain[plane];
        const double dx = drift[f * 2 * job.planes + 2 * plane], dy = drift[f * 2 * job.planes + 2 * plane + 1];
        const mumloc_emitter *e = emitters + f * job.emitter_stride;
        double signal = 0.0;
        if (job.spline_psf)
            signal = spline_signal(&job.spline[plane], e, counts[f], dx, dy, i, j, job.width,
                                   job.height, p, photons_per_weight, gain);
        else
            signal = gaussian_signal(job.plane_psf[plane], job.depth_nm[plane], e, counts[f], dx, dy,
                                     i, j, job.width, job.height, p, photons_per_weight, gain);
        philox_rng r = rng_stream(job.seed, job.first_frame + f, RNG_NOISE, plane,
                                         (uint32_t)px);
        out[idx] = (float)camera_pixel(&cam, signal, &r);
    }
}

namespace {
// Device copies of everything the kernel reads, freed together.
struct sim_buffers {
    void *ptr[12 + 2 * MUMLOC_MAX_PLANES];
    int n;
    sim_buffers() : n(0) { memset(ptr, 0, sizeof ptr); }
    ~sim_buffers() {
        for (int i = 0; i < n; i++) cudaFree(ptr[i]);
    }
    template <typename T> mumloc_status copy(const T *host, size_t count, T **dev) {
        *dev = NULL;
        if (count == 0) count = 1; // a valid pointer even for empty arrays
        CUDA_CALL(cudaMalloc((void **)dev, count * sizeof(T)), "allocating simulator buffers");
        ptr[n++] = *dev;
        if (host) CUDA_CALL(cudaMemcpy(*dev, host, count * sizeof(T), cudaMemcpyHostToDevice),
                            "copying simulator inputs");
        return MUMLOC_OK;
    }
};
} // namespace

// The camera's Poisson tables and ziggurat, with device pointers inside.
static mumloc_status camera_to_device(sim_buffers &b, const camera_noise_model &host,
                                      camera_noise_model *dev) {
    *dev = host;
    dev->tables = NULL;
    dev->ziggurat = NULL;
    if (host.ziggurat) {
        ziggurat_table *z;
        CU_TRY(b.copy(host.ziggurat, 1, &z));
        dev->ziggurat = z;
    }
    if (host.table_count > 0) {
        size_t cdf = 0, guide = 0;
        for (int t = 0; t < host.table_count; t++) {
            cdf += (size_t)host.tables[t].size;
            guide += (size_t)host.tables[t].size;
        }
        double *hc = (double *)malloc(cdf * sizeof *hc);
        int *hg = (int *)malloc(guide * sizeof *hg);
        poisson_table *ht = (poisson_table *)malloc(host.table_count * sizeof *ht);
        double *dc = NULL;
        int *dg = NULL;
        mumloc_status st = hc && hg && ht ? MUMLOC_OK
                                          : CU_FAIL(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for tables");
        if (st == MUMLOC_OK) {
            size_t at = 0;
            for (int t = 0; t < host.table_count; t++) {
                memcpy(hc + at, host.tables[t].cdf, host.tables[t].size * sizeof *hc);
                memcpy(hg + at, host.tables[t].guide, host.tables[t].size * sizeof *hg);
                at += (size_t)host.tables[t].size;
            }
            st = b.copy(hc, cdf, &dc);
        }
        if (st == MUMLOC_OK) st = b.copy(hg, guide, &dg);
        if (st == MUMLOC_OK) {
            size_t at = 0;
            for (int t = 0; t < host.table_count; t++) {
                ht[t] = host.tables[t];
                ht[t].cdf = dc + at;
                ht[t].guide = dg + at;
                at += (size_t)host.tables[t].size;
            }
            poisson_table *dt;
            st = b.copy(ht, (size_t)host.table_count, &dt);
            dev->tables = dt;
        }
        free(hc);
        free(hg);
        free(ht);
        CU_TRY(st);
    }
    return MUMLOC_OK;
}

static mumloc_status simulate_on_current(const cuda_sim_job *job, float *pixels);

mumloc_status cuda_simulate(int device, const cuda_sim_job *job, float *pixels) {
    if (job->frames <= 0) return MUMLOC_OK;
    // A backend on this thread may be bound to another device: give it its device back afterwards.
    int previous = 0;
    CUDA_CALL(cudaGetDevice(&previous), "querying the current device");
    CUDA_CALL(cudaSetDevice(device), "selecting the device");
    mumloc_status st = simulate_on_current(job, pixels);
    cudaSetDevice(previous);
    return st;
}

static mumloc_status simulate_on_current(const cuda_sim_job *job, float *pixels) {
    const int64_t total = job->frames * job->planes * (int64_t)job->width * job->height;
    sim_buffers b;
    double *drift;
    int *counts;
    mumloc_emitter *emitters;
    float *out;
    camera_noise_model cam;
    CU_TRY(b.copy(job->drift, (size_t)(job->frames * 2 * job->planes), &drift));
    CU_TRY(b.copy(job->emitter_count, (size_t)job->frames, &counts));
    CU_TRY(b.copy(job->emitters, (size_t)(job->frames * job->emitter_stride), &emitters));
    CU_TRY(b.copy((const float *)NULL, (size_t)total, &out));
    CU_TRY(camera_to_device(b, job->camera, &cam));
    cuda_sim_job dev_job = *job; // the splines' tables as device copies
    for (int d = 0; job->spline_psf && d < job->planes; d++) {
        const spline_plane_psf *h = &job->spline[d];
        float *coef;
        double *rms;
        CU_TRY(b.copy(h->coef, (size_t)h->n * h->n * h->nz, &coef));
        CU_TRY(b.copy(h->rms_nm, (size_t)h->nz, &rms));
        dev_job.spline[d].coef = coef;
        dev_job.spline[d].rms_nm = rms;
    }
    simulate_kernel<<<cuda_blocks(total), CUDA_THREADS>>>(dev_job, drift, counts, emitters, cam, out, total);
    CUDA_LAUNCHED("simulating frames");
    CUDA_CALL(cudaMemcpy(pixels, out, (size_t)total * sizeof(float), cudaMemcpyDeviceToHost),
              "copying simulated frames");
    return MUMLOC_OK;
}
