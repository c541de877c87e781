/* --molecules M or A-B, shared by simulate and train: a fixed count per frame, or a range from
 * which each frame's count is drawn uniformly (mumloc_sim_params.molecules_min). */
#ifndef CLI_MOLECULES_OPTION_H
#define CLI_MOLECULES_OPTION_H

/* Help text of the option, the same for every command. */
#define CLI_MOLECULES_HELP "molecules per frame, or A-B: uniform per frame; --density overrides"

/* Parses text into *molecules_min and *molecules: "M" gives 0 (off) and M, "A-B" gives A and B.
 * Returns CLI_PARSE_CONTINUE (options.h), or CLI_EXIT_USAGE after one error line naming the
 * problem ("mumloc COMMAND: --molecules ..."). Counts are whole decimal numbers; the library
 * checks their upper bound. */
int cli_molecules(const char *command, const char *text, int *molecules_min, int *molecules);

#endif
