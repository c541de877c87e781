/* `mumloc <command> [options]`: finds the command in the table and hands it the rest of argv. */
#include "cli.h"
#include "mumloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct command_entry {
    const char *name;
    cli_command_fn run;
    const char *summary;
} command_entry;

/* One row per command; each command lives in its own cmd_<name>.c. */
static const command_entry commands[] = {
    {"simulate", cmd_simulate, "simulate a multifocal-plane movie with its ground truth"},
    {"train", cmd_train, "train a network on frames simulated on the fly"},
    {"info", cmd_info, "print a model file's metadata"},
    {"bench", cmd_bench, "time a network alone (random weights)"},
    {"render", cmd_render, "render a localization table as a depth-coloured image"},
    {"evaluate", cmd_evaluate, "score localizations against ground truth (Jaccard, RMSE, ...)"},
    {"localize", cmd_localize, "localize molecules in a movie into a ThunderSTORM table"},
    {"drift-correct", cmd_drift_correct, "estimate and remove sample drift from a localization table"},
    {"merge", cmd_merge, "merge tables of frame ranges or movies into one (cluster runs)"},
    {"merge-blinks", cmd_merge_blinks, "merge a blink's localizations in consecutive frames"},
    {"filter", cmd_filter, "keep localizations by a condition on columns and/or density"},
    {"frc", cmd_frc, "resolution by Fourier ring correlation (curve, plot)"},
    {"calibrate", cmd_calibrate, "calibrate a multifocal rig from a bead z-stack (rig file)"},
};
static const size_t command_count = sizeof commands / sizeof commands[0];

static void print_command_names(FILE *out) {
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "%s%s", i ? ", " : "", commands[i].name);
}

static void print_usage(void) {
    printf("Usage: mumloc <command> [options]\n"
           "       mumloc <command> --help\n"
           "       mumloc --version\n\n"
           "Deep-learning 3D localization for multifocal-plane microscopy.\n\n"
           "Commands:\n");
    for (size_t i = 0; i < command_count; i++)
        printf("  %-13s %s\n", commands[i].name, commands[i].summary);
    printf("\nExit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted.\n");
}

static const command_entry *find_command(const char *name) {
    for (size_t i = 0; i < command_count; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static int unknown_command(const char *name) {
    fprintf(stderr, "mumloc: unknown command '%s'; commands are: ", name);
    print_command_names(stderr);
    fprintf(stderr, " (mumloc --help)\n");
    return CLI_EXIT_USAGE;
}

/* OpenMP reads OMP_WAIT_POLICY when the program starts, before main: with the variable unset,
 * re-execute once with "passive" (idle threads sleep rather than spin on a core that a sibling or
 * another program needs; see mumloc_omp_wait_policy). If the re-exec fails, run as we are. */
static void ensure_passive_omp_wait(char **argv) {
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT")) return;
    if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0) return;
    execv("/proc/self/exe", argv);
}

int main(int argc, char **argv) {
    ensure_passive_omp_wait(argv);
    if (argc < 2) {
        fprintf(stderr, "mumloc: missing command; commands are: ");
        print_command_names(stderr);
        fprintf(stderr, " (mumloc --help)\n");
        return CLI_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_usage();
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0) {
        printf("mumloc %s\n", mumloc_version());
        printf("threads: %d, OpenMP wait policy: %s\n", mumloc_get_threads(), mumloc_omp_wait_policy());
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "help") == 0) { /* "mumloc help simulate" = "mumloc simulate --help" */
        if (argc < 3) { print_usage(); return CLI_EXIT_OK; }
        const command_entry *entry = find_command(argv[2]);
        if (!entry) return unknown_command(argv[2]);
        char help_flag[] = "--help";
        char *help_argv[] = {argv[2], help_flag, NULL};
        return entry->run(2, help_argv);
    }
    if (first[0] == '-') {
        fprintf(stderr, "mumloc: unknown option '%s'; expected a command first (mumloc --help)\n",
                first);
        return CLI_EXIT_USAGE;
    }
    const command_entry *entry = find_command(first);
    if (!entry) return unknown_command(first);
    return entry->run(argc - 1, argv + 1);
}
