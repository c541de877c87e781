/* `mumloc bench`: the speed of a network alone (random weights and input), through
 * mumloc_model_benchmark — the figure scripts/bench.sh compares with PyTorch. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"

#include <stdio.h>

static const cli_choice arch_choices[] = {
    {"regression", MUMLOC_ARCH_REGRESSION}, {"voxel", MUMLOC_ARCH_VOXEL}, {NULL, 0}};

static int library_error(mumloc_status status) {
    fprintf(stderr, "mumloc bench: %s\n", mumloc_last_error());
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

int cmd_bench(int argc, char **argv) {
    int arch = -1, width = 0, height = 0, batch = 1, threads = 0, training = 0;
    double seconds = 2.0;
    const char *device_text = "auto";
    int precision = MUMLOC_PRECISION_FP32;
    const cli_choice precision_choices[] = {
        {mumloc_precision_name(MUMLOC_PRECISION_AUTO), MUMLOC_PRECISION_AUTO},
        {mumloc_precision_name(MUMLOC_PRECISION_FP32), MUMLOC_PRECISION_FP32},
        {mumloc_precision_name(MUMLOC_PRECISION_BF16), MUMLOC_PRECISION_BF16},
        {NULL, 0}};
    cli_option options[] = {
        {"arch", NULL, "network", CLI_CHOICE, &arch, NULL, arch_choices, CLI_REQUIRED, ""},
        {"size", "W[xH]", "input frame size in pixels", CLI_SIZE, &width, &height, NULL, 0,
         "regression 64, voxel 16"},
        {"batch", "B", "frames per call", CLI_INT, &batch, NULL, NULL, 0, NULL},
        {"train", NULL, "time training steps (forward, loss, backward, Adam) instead", CLI_FLAG,
         &training, NULL, NULL, 0, NULL},
        {"seconds", "S", "time spent repeating calls (at least 3 calls)", CLI_DOUBLE, &seconds,
         NULL, NULL, 0, NULL},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &threads, NULL, NULL, 0, NULL},
        {"device", "DEV", "where to run: auto (CUDA when usable, else CPU), cpu, cuda, cuda:N",
         CLI_STRING, &device_text, NULL, NULL, 0, NULL},
        {"precision", NULL, "inference arithmetic: fp32, bf16 (CPUs with AVX512_BF16), auto",
         CLI_CHOICE, &precision, NULL, precision_choices, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "bench",
        "Times a network alone with random weights on random input: two warm-up calls, then calls\n"
        "for --seconds; prints the best call as ms/frame, frames/s and GFLOP/s (2 FLOPs per\n"
        "multiply-add; training counts forward + two backward passes), and the median call.",
        options, NULL,
        "Other processes competing for the cores stall multithreaded calls; compare the best calls\n"
        "of runs made at the same time.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    mumloc_status status;
    mumloc_device device;
    mumloc_device_choice choice;
    if ((rc = cli_device("bench", device_text, &device, &choice)) != CLI_PARSE_CONTINUE) return rc;
    if (width <= 0) width = height = arch == MUMLOC_ARCH_VOXEL ? 16 : 64;
    if ((status = mumloc_set_threads(threads)) != MUMLOC_OK) return library_error(status);
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *model = NULL;
    if ((status = mumloc_model_create((mumloc_arch)arch, &optics, NULL, 1.0, 1, &model)) != MUMLOC_OK)
        return library_error(status);
    if ((status = mumloc_model_set_device(model, &device, &choice)) != MUMLOC_OK ||
        (!training &&
         (status = mumloc_model_set_precision(model, (mumloc_precision)precision)) != MUMLOC_OK)) {
        mumloc_model_destroy(model);
        return library_error(status);
    }
    char where[16];
    mumloc_device_format(choice.device, where, sizeof where);
    mumloc_bench_result r;
    status = mumloc_model_benchmark(model, batch, width, height, training, seconds, &r);
    const int used = (int)mumloc_model_precision(model);
    mumloc_model_destroy(model);
    if (status != MUMLOC_OK) return library_error(status);
    /* after the run, so that an error stays the only line */
    fprintf(stderr, "mumloc bench: device: %s\n", choice.reason);
    printf("mumloc bench: %s %s %dx%dx%d batch %d threads %d device %s: %.3f ms/frame, %.1f "
           "frames/s, %.1f GFLOP/s (best of %d calls; median %.3f ms/frame%s%s)\n",
           mumloc_arch_name(arch), training ? "training" : "inference", width, height,
           optics.planes, batch, mumloc_get_threads(), where, 1e3 * r.best_seconds / batch,
           r.frames_per_second, r.gflops, r.calls, 1e3 * r.median_seconds / batch, training ? "" : "; precision ",
           training ? "" : mumloc_precision_name(used));
    return CLI_EXIT_OK;
}
