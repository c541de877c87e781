/* A small table-driven option parser shared by every `mumloc` command.
 *
 * A command describes its options once, in a table whose destinations already hold the defaults; the
 * same table parses argv and prints --help, so the help always lists every option with its default.
 * The parser checks syntax only (is it an integer, one of the choices, W[xH]); ranges belong to the
 * library, which validates the filled-in parameter structs.
 *
 * Accepted forms: --name VALUE, --name=VALUE, --flag, -h/--help anywhere, and "--" to end options.
 * Every error is one line on stderr, "mumloc COMMAND: --name expects ..., got '...'". */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include <stdint.h>

typedef enum cli_option_type {
    CLI_INT,    /* int *dest */
    CLI_INT64,  /* int64_t *dest */
    CLI_UINT64, /* uint64_t *dest */
    CLI_DOUBLE, /* double *dest (finite) */
    CLI_STRING, /* const char **dest (non-empty; points into argv) */
    CLI_CHOICE, /* int *dest, one of choices[] */
    CLI_SIZE,   /* int *dest = width, int *dest2 = height; "W" means W×W */
    CLI_FLAG    /* int *dest set to 1; takes no value */
} cli_option_type;

typedef struct cli_choice {
    const char *name;
    int value;
} cli_choice;

/* Room for an enum's choices plus the terminator. */
#define CLI_MAX_CHOICES 16

/* Fills choices with the library's names of an enum (mumloc_noise_name, mumloc_arch_name, ...):
 * value v named name(v) for v = 0, 1, ... until name returns NULL; ends with a NULL name. The
 * library holds the words, so the CLI, Java and the files cannot disagree. */
void cli_choices_from_names(const char *(*name)(int), cli_choice choices[CLI_MAX_CHOICES]);

/* The rig layouts' choices (mumloc_rig_layout_name of each layout). */
void cli_rig_layout_choices(cli_choice choices[CLI_MAX_CHOICES]);

enum { CLI_REQUIRED = 1,
       CLI_REPEATED = 2 /* positionals: the last one takes every remaining argument (FILE...) */ };

typedef struct cli_option {
    const char *name;         /* long name without the dashes; NULL ends the table */
    const char *value_name;   /* shown in help, e.g. "N", "FILE" (ignored for flags) */
    const char *help;         /* one short line */
    cli_option_type type;
    void *dest;
    void *dest2;              /* CLI_SIZE only: the height */
    const cli_choice *choices;/* CLI_CHOICE only: ends with a NULL name */
    unsigned flags;           /* CLI_REQUIRED */
    const char *default_text; /* overrides the default shown in help; "" shows none */
} cli_option;

typedef struct cli_positional {
    const char *name;         /* NULL ends the table */
    const char *help;
    const char **dest;        /* CLI_REPEATED: a zeroed array with room for argc + 1 entries,
                                 filled in order and ending with NULL */
    unsigned flags;           /* CLI_REQUIRED, CLI_REPEATED */
} cli_positional;

typedef struct cli_command_spec {
    const char *command;      /* "simulate" */
    const char *summary;      /* one line: what the command does */
    cli_option *options;      /* may be NULL */
    cli_positional *positionals; /* may be NULL */
    const char *notes;        /* printed after the options in --help; may be NULL */
} cli_command_spec;

/* Parse result: continue with the command, or exit with the given code (help printed: 0; usage
 * error printed: 2). */
enum { CLI_PARSE_CONTINUE = -1 };

/* Parses argv[1..argc) (argv[0] is the command name) into the table's destinations. Returns
 * CLI_PARSE_CONTINUE, or an exit code after printing help (stdout) or one error line (stderr). */
int cli_parse(const cli_command_spec *spec, int argc, char **argv);

/* Prints the command's help: usage, summary, every option with its default, notes. */
void cli_print_help(const cli_command_spec *spec);

#endif
