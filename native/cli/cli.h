/* What every `mumloc` command shares: exit codes and the command entry points (one file each). */
#ifndef CLI_H
#define CLI_H

/* Exit codes of the `mumloc` tool. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1,   /* the library failed at run time (message printed) */
    CLI_EXIT_USAGE = 2,     /* bad command line or parameters outside their range */
    CLI_EXIT_CANCELLED = 130 /* interrupted by Ctrl-C (128 + SIGINT, as shells report it) */
};

struct mumloc_device;
struct mumloc_device_choice;
struct mumloc_file_role;

/* --device TEXT (auto, cpu, cuda, cuda:N) for `command`: parses and resolves it into *device and
 * *choice. Returns CLI_PARSE_CONTINUE (options.h), or an exit code after one error line: 2 for
 * text that is no device, 1 for a CUDA device that cannot be used here (the line says why). */
int cli_device(const char *command, const char *text, struct mumloc_device *device,
               struct mumloc_device_choice *choice);

/* Checks the files one command reads and writes (mumloc_check_files) before any work. Returns
 * CLI_PARSE_CONTINUE, or 2 after one error line naming both files. */
int cli_check_files(const char *command, const struct mumloc_file_role *files, int count);

/* A command: argv[0] is the command's name, the rest its arguments. Returns the exit code. */
typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_simulate(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_localize(int argc, char **argv);
int cmd_drift_correct(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_merge_blinks(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_frc(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

#endif
