/* `mumloc merge --out TABLE TABLE...`: maps options onto mumloc_merge_options and runs
 * mumloc_merge_tables (the parts of a cluster job array, or several movies, → one table). */
#include "cli.h"
#include "mumloc.h"
#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_choice movies_choices[] = {{"one", MUMLOC_MERGE_ONE_MOVIE},
                                            {"column", MUMLOC_MERGE_MOVIE_COLUMN},
                                            {"offset", MUMLOC_MERGE_FRAME_OFFSET},
                                            {NULL, 0}};

/* The tables and their sidecars are read, --out and its sidecar written: none may be another. */
static int check_files(const char **tables, int count, const char *out_path) {
    mumloc_file_role *files = calloc(2 * (size_t)count + 2, sizeof *files);
    char **sidecars = calloc((size_t)count + 1, sizeof *sidecars);
    int rc = CLI_EXIT_FAILURE;
    for (int i = 0; files && sidecars && i <= count; i++) {
        const char *table = i < count ? tables[i] : out_path;
        size_t size = strlen(table) + 16;
        if (!(sidecars[i] = malloc(size))) break;
        if (mumloc_provenance_sidecar_path(table, sidecars[i], size) != MUMLOC_OK) break;
        files[2 * i] = (mumloc_file_role){table, i < count ? "TABLE" : "--out", i == count};
        files[2 * i + 1] = (mumloc_file_role){sidecars[i], i < count ? "TABLE's sidecar" : "--out's sidecar",
                                              i == count};
        if (i == count) rc = cli_check_files("merge", files, 2 * count + 2);
    }
    if (rc == CLI_EXIT_FAILURE) fprintf(stderr, "mumloc merge: out of memory\n");
    for (int i = 0; sidecars && i <= count; i++) free(sidecars[i]);
    free(sidecars);
    free(files);
    return rc;
}

int cmd_merge(int argc, char **argv) {
    mumloc_merge_options opt;
    mumloc_merge_options_default(&opt);
    const char *out_path = NULL;
    int movies = (int)opt.movies, quiet = 0;
    const char **tables = calloc((size_t)argc + 1, sizeof *tables);
    if (!tables) {
        fprintf(stderr, "mumloc merge: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    cli_option options[] = {
        {"out", "FILE", "merged table to write (ThunderSTORM CSV, with FILE.json)", CLI_STRING,
         &out_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"movies", NULL, "tables of several movies: one (refuse them), column (add a \"movie\" "
         "column: 1, 2, ... in order of appearance), offset (frames continue from movie to movie)",
         CLI_CHOICE, &movies, NULL, movies_choices, 0, NULL},
        {"force", NULL, "merge despite missing sidecars, different models, optics, thresholds or "
         "refinements, or overlapping frames (each is reported)", CLI_FLAG, &opt.force, NULL, NULL,
         0, NULL},
        {"quiet", NULL, "no summary line", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    cli_positional positionals[] = {
        {"TABLE", "tables to merge (written by mumloc localize, each with its TABLE.json)", tables,
         CLI_REQUIRED | CLI_REPEATED},
        {NULL, NULL, NULL, 0},
    };
    const cli_command_spec spec = {
        "merge",
        "Merges localization tables into one: the parts of a movie localized in frame ranges\n"
        "(mumloc localize --frames FIRST-LAST, e.g. the tasks of a cluster job array), or the\n"
        "tables of several movies. Rows are sorted by frame (stably), ids renumbered 1..n.",
        options, positionals,
        "Each table's sidecar TABLE.json (written by mumloc localize) records the model's SHA-256,\n"
        "the optics, threshold, refinement, movie and frame range; merge refuses tables made\n"
        "differently or overlapping in frames of one movie unless --force, reports frames that no\n"
        "table covers, and writes the merged table's sidecar OUT.json listing every part.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error or refused tables.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) {
        free(tables);
        return rc;
    }
    opt.movies = (mumloc_merge_movies)movies;
    int table_count = 0;
    while (tables[table_count]) table_count++;
    if ((rc = check_files(tables, table_count, out_path)) != CLI_PARSE_CONTINUE) {
        free(tables);
        return rc;
    }
    mumloc_merge_summary summary;
    mumloc_status status = mumloc_merge_tables(tables, table_count, out_path, &opt, &summary);
    free(tables);
    if (status != MUMLOC_OK) {
        fprintf(stderr, "mumloc merge: %s\n", mumloc_last_error());
        return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
    }
    if (summary.overridden > 0)
        fprintf(stderr, "mumloc merge: warning: --force let %d problem%s through; the first: %s\n",
                summary.overridden, summary.overridden == 1 ? "" : "s", summary.first_overridden);
    if (summary.frames_missing > 0)
        fprintf(stderr, "mumloc merge: warning: %lld frame%s of the movie%s are in no table (a "
                "task that failed or was not run?); see %s.json for the parts\n",
                (long long)summary.frames_missing, summary.frames_missing == 1 ? "" : "s",
                summary.movies == 1 ? "" : "s", out_path);
    if (!quiet)
        printf("mumloc merge: %d table%s of %d movie%s, %lld localizations; wrote %s\n",
               summary.tables, summary.tables == 1 ? "" : "s", summary.movies,
               summary.movies == 1 ? "" : "s", (long long)summary.rows, out_path);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
