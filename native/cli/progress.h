/* Progress lines and Ctrl-C cancellation for long-running commands.
 *
 * cli_progress_report is a mumloc_progress_fn: it prints "mumloc COMMAND: 40% (80/200)" to stderr
 * each time another tenth of the work is done (nothing when quiet), and asks the library to stop once
 * the user pressed Ctrl-C. A second Ctrl-C kills the process the ordinary way. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdint.h>

typedef struct cli_progress {
    const char *command;
    int quiet;
    int next_tenth; /* the next 10 % step to report */
} cli_progress;

void cli_progress_init(cli_progress *progress, const char *command, int quiet);
int cli_progress_report(void *progress, int64_t done, int64_t total);

/* Installs the SIGINT handler that sets the cancel flag (one shot: the next SIGINT is fatal). */
void cli_cancel_on_interrupt(void);
int cli_interrupted(void);
/* Puts back the default SIGINT action once the cancellable work is over. */
void cli_interrupt_default(void);

/* Monotonic wall-clock time in seconds, for the summaries' timings. */
double cli_seconds_now(void);

#endif
