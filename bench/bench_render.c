/* Rendering speed (issue 5: "10^7 localizations in seconds, bounded memory").
 *
 *   usage: bench_render [rows (default 10000000)] [threads (default 2)]
 *
 * 1. Accumulation alone: localizations from memory (10^6 at a time) into the renderer, per method.
 * 2. End to end: a synthetic ThunderSTORM CSV of `rows` rows (id, frame, x, y, z, uncertainty_xy;
 *    filaments-like structure over a 24.576 µm field), written to /tmp at bench time and removed
 *    after, rendered to PNG with mumloc_render_file, with the field given (one pass over the text) and
 *    from the data (first pass spills parsed rows to a temporary file).
 * Each figure is printed as rows per second, best of 2 runs (the machines are shared and noisy).
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"
#include "mumloc.h"

#define FIELD_NM 24576.0 /* 128 camera pixels of 192 nm */

/* Localizations near a few straight filaments, z varying along each. */
static void synthesize(uint64_t *state, int64_t n, double *x, double *y, double *z, double *s) {
    for (int64_t i = 0; i < n; i++) {
        int filament = (int)(bench_uniform(state) * 8);
        double t = bench_uniform(state);
        double x0 = 1000 + 2800.0 * filament, angle = 0.2 + 0.15 * filament;
        x[i] = x0 + t * 20000.0 * angle + (bench_uniform(state) - 0.5) * 60.0;
        y[i] = 500 + t * 23000.0 + (bench_uniform(state) - 0.5) * 60.0;
        z[i] = 1600.0 * t;
        s[i] = 8.0 + 20.0 * bench_uniform(state);
    }
}

/* Appends v with 2 decimals (v >= 0). */
static char *put_fixed(char *p, double v) {
    int64_t hundredths = (int64_t)(v * 100.0 + 0.5);
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + hundredths % 10);
        hundredths /= 10;
        if (n == 2) digits[n++] = '.';
    } while (hundredths > 0 || n < 4);
    while (n > 0) *p++ = digits[--n];
    return p;
}

static char *put_int(char *p, int64_t v) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0) *p++ = digits[--n];
    return p;
}

static int write_table(const char *path, int64_t rows) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fputs("\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"uncertainty_xy [nm]\"\n", f);
    enum { CHUNK = 100000 };
    double *v = malloc(sizeof *v * 4 * CHUNK);
    char *text = malloc((size_t)CHUNK * 96);
    uint64_t state = 7;
    int ok = v && text;
    for (int64_t first = 0; ok && first < rows; first += CHUNK) {
        int n = (int)(rows - first < CHUNK ? rows - first : CHUNK);
        synthesize(&state, n, v, v + CHUNK, v + 2 * CHUNK, v + 3 * CHUNK);
        char *p = text;
        for (int i = 0; i < n; i++) {
            p = put_int(p, first + i + 1);
            *p++ = ',';
            p = put_int(p, (first + i) / 50 + 1);
            for (int c = 0; c < 4; c++) {
                *p++ = ',';
                p = put_fixed(p, v[c * CHUNK + i]);
            }
            *p++ = '\n';
        }
        ok = fwrite(text, 1, (size_t)(p - text), f) == (size_t)(p - text);
    }
    free(v);
    free(text);
    return fclose(f) == 0 && ok;
}

static mumloc_render_params params_for(mumloc_render_method method) {
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    p.method = method;
    p.field_width_nm = p.field_height_nm = FIELD_NM;
    return p;
}

static const char *method_names[] = {"histogram", "gaussian", "ash"};

static int bench_accumulation(int64_t rows) {
    enum { BATCH = 1000000 };
    double *x = malloc(sizeof *x * BATCH), *y = malloc(sizeof *y * BATCH),
           *z = malloc(sizeof *z * BATCH), *s = malloc(sizeof *s * BATCH);
    if (!x || !y || !z || !s) return 1;
    uint64_t state = 3;
    synthesize(&state, BATCH, x, y, z, s);
    for (int m = 0; m < 3; m++) {
        double best = 1e30, best_cpu = 0;
        for (int run = 0; run < 2; run++) {
            mumloc_render_params p = params_for((mumloc_render_method)m);
            mumloc_renderer *r = NULL;
            if (mumloc_renderer_create(&p, &r) != MUMLOC_OK) {
                fprintf(stderr, "bench_render: %s\n", mumloc_last_error());
                return 1;
            }
            mumloc_render_info info;
            double t0 = omp_get_wtime(), c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
            for (int64_t done = 0; done < rows; done += BATCH) {
                int64_t n = rows - done < BATCH ? rows - done : BATCH;
                if (mumloc_renderer_add(r, n, x, y, z, s) != MUMLOC_OK) return 1;
            }
            if (mumloc_renderer_info(r, &info) != MUMLOC_OK) return 1; /* finishes (ASH, S) */
            double t = omp_get_wtime() - t0;
            if (t < best) {
                best = t;
                best_cpu = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
            }
            mumloc_renderer_destroy(r);
        }
        printf("  accumulate %-9s %lld localizations, %.0fx%.0f nm at 10 nm (%d px side): "
               "%.2f s (cpu %.2f s), %.2e rows/s\n",
               method_names[m], (long long)rows, FIELD_NM, FIELD_NM, (int)(FIELD_NM / 10 + 0.5),
               best, best_cpu, (double)rows / best);
    }
    free(x);
    free(y);
    free(z);
    free(s);
    return 0;
}

static int bench_file(const char *table, int64_t rows, mumloc_render_method method, int field) {
    char image[256];
    snprintf(image, sizeof image, "/tmp/bench_render_%ld.png", (long)getpid());
    mumloc_render_params p = params_for(method);
    if (!field) p.field_width_nm = p.field_height_nm = 0;
    double best = 1e30, best_cpu = 0;
    for (int run = 0; run < 2; run++) {
        double t0 = omp_get_wtime(), c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
        if (mumloc_render_file(&p, table, image, NULL, NULL, NULL, NULL) != MUMLOC_OK) {
            fprintf(stderr, "bench_render: %s\n", mumloc_last_error());
            return 1;
        }
        double t = omp_get_wtime() - t0;
        if (t < best) {
            best = t;
            best_cpu = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
    }
    remove(image);
    printf("  file -> PNG %-9s %s: %.2f s (cpu %.2f s), %.2e rows/s\n", method_names[method],
           field ? "field given (--field)  " : "field from the data    ", best, best_cpu,
           (double)rows / best);
    return 0;
}

int main(int argc, char **argv) {
    int64_t rows = argc > 1 ? atoll(argv[1]) : 10000000;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    if (rows < 1 || threads < 1) {
        fprintf(stderr, "usage: bench_render [rows >= 1] [threads >= 1]\n");
        return 2;
    }
    if (mumloc_set_threads(threads) != MUMLOC_OK) {
        fprintf(stderr, "bench_render: %s\n", mumloc_last_error());
        return 1;
    }
    printf("bench_render: %lld rows, %d threads\n", (long long)rows, threads);
    fflush(stdout);
    if (bench_accumulation(rows)) return 1;

    char table[256];
    snprintf(table, sizeof table, "/tmp/bench_render_%ld.csv", (long)getpid());
    double t0 = omp_get_wtime();
    if (!write_table(table, rows)) {
        fprintf(stderr, "bench_render: cannot write %s\n", table);
        remove(table);
        return 1;
    }
    long long bytes = 0;
    FILE *f = fopen(table, "rb");
    if (f && fseek(f, 0, SEEK_END) == 0) bytes = ftell(f);
    if (f) fclose(f);
    printf("  (synthetic table: %.0f MB written in %.1f s)\n", bytes / 1e6, omp_get_wtime() - t0);
    int rc = bench_file(table, rows, MUMLOC_RENDER_HISTOGRAM, 1) ||
             bench_file(table, rows, MUMLOC_RENDER_HISTOGRAM, 0) ||
             bench_file(table, rows, MUMLOC_RENDER_GAUSSIAN, 1);
    remove(table);
    return rc;
}
