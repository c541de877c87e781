/* Simulation speed: frames per second of 64×64×4 with 50 molecules and of 256×256×4 with 500
 * molecules, physical noise (issue 2's "Speed"). Target: ≥ 2,000 frames/s for 64×64×4 on 2 threads.
 *
 *   usage: bench_simulate [threads (default 2)] [seconds per case (default 2)]
 *
 * Besides wall-clock frames per second (best batch), it prints the rate the CPU time implies
 * (frames per CPU-second × threads): on a shared machine the wall-clock figure drops when other work
 * takes the cores, the CPU-time figure much less.
 */

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mumloc.h"

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int run_case(const char *argv0, int threads, double seconds, int side, int molecules,
                    int batch) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = p.height = side;
    p.molecules = molecules;
    p.frames = 1000000000;
    p.noise = MUMLOC_NOISE_PHYSICAL;
    mumloc_simulator *sim = NULL;
    if (mumloc_simulator_create(&p, &sim) != MUMLOC_OK) {
        fprintf(stderr, "bench_simulate: %s\n", mumloc_last_error());
        return 1;
    }
    size_t frame_floats = (size_t)p.optics.planes * side * side;
    float *pixels = malloc((size_t)batch * frame_floats * sizeof *pixels);
    if (!pixels) {
        fprintf(stderr, "bench_simulate: out of memory\n");
        mumloc_simulator_destroy(sim);
        return 1;
    }
    /* Best of repeated timed batches: the machines are shared and noisy. */
    double best = 0.0, start = omp_get_wtime(), cpu_start = cpu_seconds();
    int64_t first = 0;
    while (omp_get_wtime() - start < seconds) {
        double t0 = omp_get_wtime();
        if (mumloc_simulate_frames(sim, first, batch, pixels) != MUMLOC_OK) {
            fprintf(stderr, "bench_simulate: %s\n", mumloc_last_error());
            break;
        }
        double fps = batch / (omp_get_wtime() - t0);
        if (fps > best) best = fps;
        first += batch;
    }
    double cpu = cpu_seconds() - cpu_start;
    printf("simulate %dx%dx%d, %d molecules, physical noise, %d threads, batch %d: %.0f frames/s "
           "(best batch; %lld frames in %.1f s; CPU time implies %.0f frames/s)   [%s %d %g]\n",
           side, side, p.optics.planes, molecules, threads, batch, best, (long long)first,
           omp_get_wtime() - start, first / cpu * threads, argv0, threads, seconds);
    free(pixels);
    mumloc_simulator_destroy(sim);
    return 0;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    double seconds = argc > 2 ? atof(argv[2]) : 2.0;
    if (mumloc_set_threads(threads) != MUMLOC_OK) {
        fprintf(stderr, "bench_simulate: %s\n", mumloc_last_error());
        return 2;
    }
    int status = run_case(argv[0], threads, seconds, 64, 50, 256);
    status |= run_case(argv[0], threads, seconds, 256, 500, 16);
    return status;
}
