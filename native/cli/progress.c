/* Progress lines, Ctrl-C cancellation and timing for long-running commands (see progress.h). */
#include "progress.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t interrupted = 0;

static void on_interrupt(int signal_number) {
    (void)signal_number;
    interrupted = 1;
}

void cli_cancel_on_interrupt(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    /* One shot: if the library does not come back, a second Ctrl-C ends the process. */
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, NULL);
}

int cli_interrupted(void) { return interrupted != 0; }

void cli_interrupt_default(void) { signal(SIGINT, SIG_DFL); }

void cli_progress_init(cli_progress *progress, const char *command, int quiet) {
    progress->command = command;
    progress->quiet = quiet;
    progress->next_tenth = 1;
}

int cli_progress_report(void *user, int64_t done, int64_t total) {
    cli_progress *progress = user;
    if (!progress->quiet && total > 0 && progress->next_tenth <= 10) {
        int tenth = (int)((done * 10) / total);
        if (tenth >= progress->next_tenth) {
            fprintf(stderr, "mumloc %s: %d%% (%" PRId64 "/%" PRId64 ")\n", progress->command,
                    tenth * 10, done, total);
            progress->next_tenth = tenth + 1;
        }
    }
    return cli_interrupted();
}

double cli_seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}
