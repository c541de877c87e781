/* The rig branches of `mumloc simulate`: a movie as a rig's cameras record it (--rig), and a bead
 * z-stack for calibration (--beads). cmd_simulate.c parses the options and calls these. */
#ifndef CLI_SIMULATE_RIG_H
#define CLI_SIMULATE_RIG_H

#include "mumloc.h"

/* Camera options given on the command line (NaN: not given). */
typedef struct cli_camera_options {
    double offset, gain, em_gain, read_noise;
} cli_camera_options;

/* The rig of --rig FILE, or for --beads without --rig one made from the optics, --size and the
 * camera options. Returns CLI_PARSE_CONTINUE or an exit code after one error line; a camera option
 * given together with --rig is an error (the rig file holds each camera's model). */
int cli_simulate_rig(const char *rig_path, const mumloc_sim_params *params,
                     const cli_camera_options *camera, int size_given, int optics_given,
                     mumloc_rig *rig);

/* --rig: the movie in the rig's layout. Returns the exit code. */
int cli_simulate_rig_movie(const mumloc_sim_params *params, const mumloc_rig *rig, int bits,
                           const char *movie_path, const char *truth_path, const char *drift_path,
                           int quiet);

/* --beads: the bead z-stack. z_range "A:B" or NULL (the default range). Returns the exit code. */
int cli_simulate_beads(const mumloc_rig *rig, mumloc_bead_params *beads, const char *z_range,
                       const char *stack_path, const char *truth_path, const char *scan_path,
                       int quiet);

#endif
