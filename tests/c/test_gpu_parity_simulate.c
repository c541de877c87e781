/* The simulator on a chosen device. Always: mumloc_simulate_frames_on for "cpu" and "auto" (the CPU
 * without a GPU) gives the CPU frames bit for bit. With a GPU: the CUDA frames equal the CPU frames —
 * without noise within 1e-6 relative (erf differs by an ulp between CUDA and glibc); with physical
 * noise within 1e-5 relative + 1e-3 ADU for all but at most 1 pixel in 10,000 (a uniform drawn within
 * rounding of a Poisson CDF step or an accept/reject threshold may flip one draw). Otherwise prints
 * "skipped: no CUDA device: <reason>" for the GPU part. Cases include per-plane optics (each plane its
 * own curve and photon share) and a measured PSF (splines, optics/spline_eval.h: the same functions
 * on both sides, so without noise within 1e-6 relative as well). */
#include <string.h>

#include "gaussian_spline.h"
#include "gpu_parity.h"
#include "simulate/simulator.h"
#include "rig_optics.h"

#define FRAMES 6

/* per_plane: a rig whose planes have their own PSF curves and transmissions (issue 10). */
/* per_plane 2: per-plane optics drawn with splines built from them. */
static mumloc_simulator *make(mumloc_noise noise, mumloc_sample sample, int per_plane) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    if (per_plane) test_rig_optics(&p.optics);
    p.width = 40;
    p.height = 36;
    p.seed = 77;
    p.molecules = 25;
    p.noise = noise;
    p.sample = sample;
    p.camera.em_gain = noise == MUMLOC_NOISE_PHYSICAL ? 100.0 : p.camera.em_gain;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    if (sim && per_plane == 2) {
        spline_plane_psf s[MUMLOC_MAX_PLANES];
        for (int d = 0; d < p.optics.planes; d++)
            gaussian_spline_of_plane(&p.optics, d, 4, 12, 45, -200.0, 50.0, &s[d]);
        CHECK_OK(sim_set_spline(sim, s));
        for (int d = 0; d < p.optics.planes; d++) spline_psf_free(&s[d]);
    }
    return sim;
}

static int64_t frame_floats(const mumloc_simulator *sim) {
    const mumloc_sim_params *p = mumloc_simulator_params(sim);
    return (int64_t)FRAMES * p->optics.planes * p->width * p->height;
}

static void test_cpu_paths(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, MUMLOC_SAMPLE_UNIFORM, 0);
    if (!sim) return;
    const int64_t n = frame_floats(sim);
    float *a = malloc(n * 4), *b = malloc(n * 4);
    CHECK_OK(mumloc_simulate_frames(sim, 3, FRAMES, a));
    CHECK_OK(mumloc_simulate_frames_on(sim, (mumloc_device){MUMLOC_DEVICE_CPU, 0}, 3, FRAMES, b));
    CHECK(memcmp(a, b, n * 4) == 0);
    if (device_cuda_probe_cached()->count == 0) {
        memset(b, 0, n * 4);
        CHECK_OK(mumloc_simulate_frames_on(sim, (mumloc_device){MUMLOC_DEVICE_AUTO, 0}, 3, FRAMES, b));
        CHECK(memcmp(a, b, n * 4) == 0);
        CHECK_STATUS(mumloc_simulate_frames_on(sim, (mumloc_device){MUMLOC_DEVICE_CUDA, 0}, 3, FRAMES, b),
                     MUMLOC_ERR_UNSUPPORTED);
    }
    CHECK_STATUS(mumloc_simulate_frames_on(sim, (mumloc_device){MUMLOC_DEVICE_CPU, 0}, -1, 1, b),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    free(a), free(b);
    mumloc_simulator_destroy(sim);
}

static void gpu_case(const char *name, mumloc_noise noise, mumloc_sample sample, int per_plane) {
    mumloc_simulator *sim = make(noise, sample, per_plane);
    if (!sim) return;
    const int64_t n = frame_floats(sim);
    float *cpu = malloc(n * 4), *gpu = malloc(n * 4);
    CHECK_OK(mumloc_simulate_frames(sim, 10, FRAMES, cpu));
    CHECK_OK(mumloc_simulate_frames_on(sim, (mumloc_device){MUMLOC_DEVICE_CUDA, 0}, 10, FRAMES, gpu));
    printf("%s\n", name);
    if (noise != MUMLOC_NOISE_PHYSICAL) {
        gpu_compare("frames (no noise)", gpu, cpu, n, 1e-6, 0);
    } else {
        int64_t off = 0, identical = 0;
        for (int64_t i = 0; i < n; i++) {
            if (gpu[i] == cpu[i]) identical++;
            if (!(fabsf(gpu[i] - cpu[i]) <= 1e-5f * fabsf(cpu[i]) + 1e-3f)) off++;
        }
        printf("  %lld of %lld pixels identical, %lld outside tolerance (at most %lld allowed)\n",
               (long long)identical, (long long)n, (long long)off, (long long)(n / 10000 + 1));
        CHECK(off <= n / 10000 + 1);
    }
    free(cpu), free(gpu);
    mumloc_simulator_destroy(sim);
}

int main(void) {
    mumloc_set_threads(2);
    test_cpu_paths();
    if (device_cuda_probe_cached()->count < 1) {
        printf("test_gpu_parity_simulate: GPU part skipped: no CUDA device: %s\n",
               device_cuda_probe_cached()->reason);
        return CHECK_DONE("test_gpu_parity_simulate");
    }
    gpu_case("no noise, uniform sample", MUMLOC_NOISE_NONE, MUMLOC_SAMPLE_UNIFORM, 0);
    gpu_case("physical noise (EM gain 100), uniform sample", MUMLOC_NOISE_PHYSICAL, MUMLOC_SAMPLE_UNIFORM, 0);
    gpu_case("physical noise, helix", MUMLOC_NOISE_PHYSICAL, MUMLOC_SAMPLE_HELIX, 0);
    gpu_case("no noise, per-plane optics", MUMLOC_NOISE_NONE, MUMLOC_SAMPLE_UNIFORM, 1);
    gpu_case("physical noise, per-plane optics", MUMLOC_NOISE_PHYSICAL, MUMLOC_SAMPLE_UNIFORM, 1);
    gpu_case("no noise, spline PSF", MUMLOC_NOISE_NONE, MUMLOC_SAMPLE_UNIFORM, 2);
    gpu_case("physical noise, spline PSF", MUMLOC_NOISE_PHYSICAL, MUMLOC_SAMPLE_UNIFORM, 2);
    return CHECK_DONE("test_gpu_parity_simulate");
}
