/* mumloc_merge_tables: tables of frame ranges (a job array's parts) or of several movies → one
 * table. Every input is read whole (a merge is one pass over rows that fit in memory: 88 bytes a
 * row of the 11 ThunderSTORM columns), checked against its sidecar, concatenated, stably sorted by
 * (movie, frame), renumbered, and written with the merged sidecar. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "table/provenance.h"
#include "table/table.h"

typedef struct merge_input {
    const char *path;
    mumloc_table *table;
    provenance record;  /* the sidecar's, or one made up from the table (forced, no sidecar) */
    int movie;          /* 1-based index among the distinct movies */
} merge_input;

typedef struct merge_state {
    const mumloc_merge_options *options;
    mumloc_merge_summary *summary;
} merge_state;

void mumloc_merge_options_default(mumloc_merge_options *options) {
    memset(options, 0, sizeof *options);
    options->movies = MUMLOC_MERGE_ONE_MOVIE;
}

/* A problem force may override: without force it fails, with force it is counted (first kept). */
static mumloc_status problem(merge_state *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static mumloc_status problem(merge_state *m, const char *fmt, ...) {
    char text[sizeof m->summary->first_overridden];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    if (!m->options->force) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s (--force merges anyway)", text);
    if (m->summary->overridden++ == 0)
        snprintf(m->summary->first_overridden, sizeof m->summary->first_overridden, "%s", text);
    return MUMLOC_OK;
}

/* ---- reading and checking each input --------------------------------------------------------- */

static void frame_range(const mumloc_table *t, int frame_column, double *lo, double *hi) {
    const double *f = mumloc_table_column_data(t, frame_column);
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int64_t r = 0; r < t->rows; r++) {
        if (f[r] < *lo) *lo = f[r];
        if (f[r] > *hi) *hi = f[r];
    }
}

/* A record for a table without a usable sidecar: an unknown model and movie, its own frames. */
static mumloc_status made_up_record(merge_input *in, int frame_column) {
    double lo, hi;
    frame_range(in->table, frame_column, &lo, &hi);
    provenance_part q;
    memset(&q, 0, sizeof q);
    snprintf(q.version, sizeof q.version, "unknown");
    mumloc_optics_default(&q.optics);
    q.movie = "";
    q.movie_bytes = -1;
    q.first_frame = in->table->rows > 0 ? (int64_t)lo : 1;
    q.last_frame = in->table->rows > 0 ? (int64_t)hi : 1;
    q.movie_frames = q.last_frame;
    q.rows = in->table->rows;
    q.movie_index = 1;
    in->record.rows = in->table->rows;
    return provenance_add_part(&in->record, &q);
}

static mumloc_status read_input(merge_state *m, merge_input *in, const mumloc_table *first) {
    ERROR_TRY(mumloc_table_read_csv(in->path, "frame", &in->table));
    const mumloc_table *t = in->table;
    if (first && (t->columns != first->columns)) goto columns_differ;
    for (int c = 0; first && c < t->columns; c++)
        if (strcmp(t->names[c], first->names[c]) != 0 || strcmp(t->units[c], first->units[c]) != 0)
            goto columns_differ;
    const int frame_column = mumloc_table_find_column(t, "frame", NULL);
    int found = 0;
    ERROR_TRY(provenance_read(in->path, &in->record, &found));
    if (!found) {
        ERROR_TRY(problem(m, "'%s' has no sidecar '%s.json' recording what made it (mumloc "
                           "localize writes one)", in->path, in->path));
        return made_up_record(in, frame_column);
    }
    if (in->record.rows != t->rows) {
        ERROR_TRY(problem(m, "'%s' has %lld rows but its sidecar records %lld: the sidecar is "
                           "from another table", in->path, (long long)t->rows,
                           (long long)in->record.rows));
        provenance_free(&in->record);
        return made_up_record(in, frame_column);
    }
    if (in->record.movies != MUMLOC_MERGE_ONE_MOVIE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "'%s' is already a merge of several movies; merge its parts together "
                           "with the other tables in one go", in->path);
    return MUMLOC_OK;
columns_differ:
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "'%s' has other columns than '%s' (%d and %d columns, or other names or "
                       "units); tables to merge must have the same columns", in->path,
                       first->label, t->columns, first->columns);
}

static int same_movie(const provenance_part *a, const provenance_part *b) {
    return strcmp(a->movie, b->movie) == 0 && a->movie_bytes == b->movie_bytes;
}

static int same_optics(const mumloc_optics *a, const mumloc_optics *b) {
    if (a->planes != b->planes || a->pixel_nm != b->pixel_nm || a->psf_amplitude != b->psf_amplitude ||
        a->psf_w0_nm != b->psf_w0_nm || a->psf_d_nm != b->psf_d_nm || a->psf_A != b->psf_A ||
        a->psf_B != b->psf_B)
        return 0;
    for (int d = 0; d < a->planes; d++) {
        /* each plane's own curve and photon share, as the localizer used them */
        mumloc_plane_psf pa = mumloc_optics_plane_psf(a, d), pb = mumloc_optics_plane_psf(b, d);
        if (a->plane_depth_nm[d] != b->plane_depth_nm[d] || pa.w0_nm != pb.w0_nm ||
            pa.d_nm != pb.d_nm || pa.A != pb.A || pa.B != pb.B ||
            mumloc_optics_plane_share(a, d) != mumloc_optics_plane_share(b, d))
            return 0;
    }
    return 1;
}

/* Model, optics, threshold and refinement of every part against the first table's first part. */
static mumloc_status check_recipe(merge_state *m, const merge_input *in, int count) {
    const provenance_part *ref = &in[0].record.parts[0];
    for (int i = 0; i < count; i++)
        for (int j = 0; j < in[i].record.part_count; j++) {
            const provenance_part *q = &in[i].record.parts[j];
            if (!q->movie[0] || !ref->movie[0]) continue; /* made up: already a problem */
            if (strcmp(q->sha256, ref->sha256) != 0)
                ERROR_TRY(problem(m, "'%s' was made by another model (SHA-256 %.12s…) than '%s' "
                                   "(%.12s…)", in[i].path, q->sha256[0] ? q->sha256 : "unknown",
                                   in[0].path, ref->sha256[0] ? ref->sha256 : "unknown"));
            else if (!same_optics(&q->optics, &ref->optics))
                ERROR_TRY(problem(m, "'%s' was made for other optics than '%s'", in[i].path,
                                   in[0].path));
            else if (q->threshold != ref->threshold || q->refine != ref->refine)
                ERROR_TRY(problem(m, "'%s' was made with another threshold or refinement (%g, %s) "
                                   "than '%s' (%g, %s)", in[i].path, q->threshold,
                                   mumloc_refine_mode_name(q->refine), in[0].path, ref->threshold,
                                   mumloc_refine_mode_name(ref->refine)));
        }
    return MUMLOC_OK;
}

/* ---- movies: identity, overlaps, gaps, offsets ----------------------------------------------- */

typedef struct movie_info {
    const provenance_part *first; /* the first part seen of this movie */
    int64_t frames;               /* its frame count (the largest recorded) */
    int64_t offset;
} movie_info;

static int compare_ranges(const void *a, const void *b) {
    const provenance_part *p = *(const provenance_part *const *)a, *q = *(const provenance_part *const *)b;
    return p->first_frame < q->first_frame ? -1 : p->first_frame > q->first_frame;
}

/* The parts of movie `movie` sorted by first frame: overlaps are problems, gaps are counted. */
static mumloc_status check_coverage(merge_state *m, merge_input *in, int count, int movie,
                                    const movie_info *info, const provenance_part **scratch) {
    int n = 0;
    for (int i = 0; i < count; i++)
        for (int j = 0; j < in[i].record.part_count; j++)
            if (in[i].movie == movie) scratch[n++] = &in[i].record.parts[j];
    qsort(scratch, (size_t)n, sizeof *scratch, compare_ranges);
    int64_t covered_to = 0; /* frames 1..covered_to are covered so far */
    for (int k = 0; k < n; k++) {
        const provenance_part *q = scratch[k];
        if (q->first_frame <= covered_to)
            ERROR_TRY(problem(m, "frames %lld..%lld of '%s' are in more than one table: their "
                               "rows would be there twice", (long long)q->first_frame,
                               (long long)(q->last_frame < covered_to ? q->last_frame : covered_to),
                               q->movie[0] ? q->movie : "(unknown movie)"));
        else m->summary->frames_missing += q->first_frame - covered_to - 1;
        if (q->last_frame > covered_to) covered_to = q->last_frame;
    }
    if (info->frames > covered_to) m->summary->frames_missing += info->frames - covered_to;
    return MUMLOC_OK;
}

/* Numbers the movies in order of first appearance (all parts of one input share its movie). */
static mumloc_status assign_movies(merge_state *m, merge_input *in, int count, movie_info *movies) {
    int n = 0;
    for (int i = 0; i < count; i++) {
        const provenance_part *q = &in[i].record.parts[0];
        for (int j = 1; j < in[i].record.part_count; j++)
            if (!same_movie(q, &in[i].record.parts[j]))
                return error_fail(MUMLOC_ERR_FORMAT, "'%s.json' lists parts of several movies but "
                                   "says \"movies\": \"one\"", in[i].path);
        int k = 0;
        while (k < n && !same_movie(movies[k].first, q)) k++;
        if (k == n) movies[n++] = (movie_info){q, 0, 0};
        for (int j = 0; j < in[i].record.part_count; j++)
            if (in[i].record.parts[j].movie_frames > movies[k].frames)
                movies[k].frames = in[i].record.parts[j].movie_frames;
        in[i].movie = k + 1;
    }
    m->summary->movies = n;
    if (n > 1 && m->options->movies == MUMLOC_MERGE_ONE_MOVIE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the tables come from %d movies ('%s' and '%s' among them): choose how "
                           "to tell them apart, --movies column (a \"movie\" column) or --movies "
                           "offset (frames of each movie follow the previous one's)", n,
                           movies[0].first->movie[0] ? movies[0].first->movie : "(unknown)",
                           movies[1].first->movie[0] ? movies[1].first->movie : "(unknown)");
    for (int k = 1; k < n; k++) movies[k].offset = movies[k - 1].offset + movies[k - 1].frames;
    return MUMLOC_OK;
}

/* ---- the merged table ------------------------------------------------------------------------ */

typedef struct row_key {
    double movie, frame;
    int64_t sequence; /* position in the concatenation: makes the sort stable */
} row_key;

static int compare_rows(const void *a, const void *b) {
    const row_key *p = a, *q = b;
    if (p->movie != q->movie) return p->movie < q->movie ? -1 : 1;
    if (p->frame != q->frame) return p->frame < q->frame ? -1 : 1;
    return p->sequence < q->sequence ? -1 : p->sequence > q->sequence;
}

/* Concatenates the inputs (frames offset, movie column) into out, then sorts its rows. */
static mumloc_status build_table(const merge_state *m, const merge_input *in, int count,
                                 const movie_info *movies, mumloc_table *out) {
    const mumloc_table *first = in[0].table;
    int64_t rows = 0;
    for (int i = 0; i < count; i++) rows += in[i].table->rows;
    for (int c = 0; c < first->columns; c++)
        ERROR_TRY(mumloc_table_add_column(out, first->names[c], first->units[c], NULL));
    const int with_movie = m->options->movies == MUMLOC_MERGE_MOVIE_COLUMN && m->summary->movies > 1;
    int movie_column = -1;
    if (with_movie) ERROR_TRY(mumloc_table_add_column(out, "movie", NULL, &movie_column));
    const int frame_column = mumloc_table_find_column(first, "frame", NULL);
    const int offset = m->options->movies == MUMLOC_MERGE_FRAME_OFFSET;
    ERROR_TRY(mumloc_table_set_rows(out, rows));
    row_key *keys = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *keys);
    double *sorted = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *sorted);
    if (!keys || !sorted) {
        free(keys);
        free(sorted);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory merging %lld rows", (long long)rows);
    }
    int64_t at = 0;
    for (int i = 0; i < count; i++) {
        const mumloc_table *t = in[i].table;
        const double shift = offset ? (double)movies[in[i].movie - 1].offset : 0.0;
        for (int c = 0; c < t->columns; c++) memcpy(out->data[c] + at, t->data[c], (size_t)t->rows * sizeof(double));
        for (int64_t r = 0; r < t->rows; r++) {
            out->data[frame_column][at + r] += shift;
            if (with_movie) out->data[movie_column][at + r] = in[i].movie;
            keys[at + r] = (row_key){in[i].movie, out->data[frame_column][at + r], at + r};
        }
        at += t->rows;
    }
    qsort(keys, (size_t)rows, sizeof *keys, compare_rows);
    for (int c = 0; c < out->columns; c++) {
        for (int64_t r = 0; r < rows; r++) sorted[r] = out->data[c][keys[r].sequence];
        memcpy(out->data[c], sorted, (size_t)rows * sizeof *sorted);
    }
    const int id_column = mumloc_table_find_column(out, "id", NULL);
    for (int64_t r = 0; id_column >= 0 && r < rows; r++) out->data[id_column][r] = (double)(r + 1);
    free(keys);
    free(sorted);
    return MUMLOC_OK;
}

/* The merged record: every part, with its movie's index and frame offset, in (movie, frame) order. */
static int compare_parts(const void *a, const void *b) {
    const provenance_part *p = a, *q = b;
    if (p->movie_index != q->movie_index) return p->movie_index < q->movie_index ? -1 : 1;
    return p->first_frame < q->first_frame ? -1 : p->first_frame > q->first_frame;
}

static mumloc_status merged_record(const merge_state *m, const merge_input *in, int count,
                                   const movie_info *movies, int64_t rows, provenance *out) {
    out->rows = rows;
    out->movies = m->summary->movies > 1 ? m->options->movies : MUMLOC_MERGE_ONE_MOVIE;
    for (int i = 0; i < count; i++)
        for (int j = 0; j < in[i].record.part_count; j++) {
            provenance_part q = in[i].record.parts[j];
            q.movie_index = in[i].movie;
            q.frame_offset = out->movies == MUMLOC_MERGE_FRAME_OFFSET ? movies[in[i].movie - 1].offset : 0;
            ERROR_TRY(provenance_add_part(out, &q));
        }
    qsort(out->parts, (size_t)out->part_count, sizeof *out->parts, compare_parts);
    return MUMLOC_OK;
}

static mumloc_status merge(merge_state *m, merge_input *in, int count, const char *out_path) {
    for (int i = 0; i < count; i++) ERROR_TRY(read_input(m, &in[i], i ? in[0].table : NULL));
    ERROR_TRY(check_recipe(m, in, count));
    int parts = 0;
    for (int i = 0; i < count; i++) parts += in[i].record.part_count;
    movie_info *movies = calloc((size_t)count, sizeof *movies);
    const provenance_part **scratch = calloc((size_t)parts, sizeof *scratch);
    mumloc_table *table = NULL;
    provenance record = {0};
    atomic_file af = {0};
    mumloc_status s = movies && scratch ? MUMLOC_OK
                                        : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory merging tables");
    if (s == MUMLOC_OK) s = assign_movies(m, in, count, movies);
    for (int k = 0; s == MUMLOC_OK && k < m->summary->movies; k++)
        s = check_coverage(m, in, count, k + 1, &movies[k], scratch);
    if (s == MUMLOC_OK) s = mumloc_table_create(&table);
    if (s == MUMLOC_OK) s = build_table(m, in, count, movies, table);
    if (s == MUMLOC_OK) s = merged_record(m, in, count, movies, table->rows, &record);
    if (s == MUMLOC_OK) s = atomic_open(&af, out_path);
    if (s == MUMLOC_OK) s = table_write_csv_to(table, &af, out_path);
    if (s == MUMLOC_OK) s = provenance_commit_with_table(&af, out_path, &record);
    atomic_abort(&af);
    if (s == MUMLOC_OK) m->summary->rows = table->rows;
    mumloc_table_destroy(table);
    provenance_free(&record);
    free(movies);
    free(scratch);
    return s;
}

/* The output must not replace an input (by any name: it is read before it is written, but the
 * rename would still destroy it). */
static mumloc_status check_paths(const char *const *paths, int count, const char *out_path) {
    for (int i = 0; i < count; i++) {
        if (!paths[i]) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "merge: table %d is NULL", i + 1);
        if (mumloc_files_same(paths[i], out_path))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the merged table '%s' must not overwrite the input table '%s'",
                               out_path, paths[i]);
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_merge_tables(const char *const *table_paths, int count, const char *out_path,
                                  const mumloc_merge_options *options, mumloc_merge_summary *summary) {
    if (!table_paths || count < 1 || !out_path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "mumloc_merge_tables needs at least one table and an output path");
    mumloc_merge_options defaults;
    mumloc_merge_options_default(&defaults);
    if (!options) options = &defaults;
    if ((int)options->movies < 0 || (int)options->movies > MUMLOC_MERGE_FRAME_OFFSET)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "merge: movies must be one, column or offset");
    ERROR_TRY(check_paths(table_paths, count, out_path));
    mumloc_merge_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.tables = count;
    merge_state m = {options, &sum};
    merge_input *in = calloc((size_t)count, sizeof *in);
    if (!in) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory merging %d tables", count);
    for (int i = 0; i < count; i++) in[i].path = table_paths[i];
    mumloc_status s = merge(&m, in, count, out_path);
    for (int i = 0; i < count; i++) {
        mumloc_table_destroy(in[i].table);
        provenance_free(&in[i].record);
    }
    free(in);
    if (summary) *summary = sum;
    return s;
}
