/* The table sidecar: one JSON object, written by localization and merge, read by merge. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "table/provenance.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "io/input_file.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "io/text_buffer.h"

#define FORMAT_VERSION 1
#define MAX_SIDECAR_BYTES ((long)64 << 20)

static const char *const movies_names[] = {"one", "column", "offset"};

static char *copy_string(const char *text) {
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (copy) memcpy(copy, text, len + 1);
    return copy;
}

#define SIDECAR_SUFFIX ".json"

mumloc_status mumloc_provenance_sidecar_path(const char *table_path, char *out, size_t size) {
    if (!table_path || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "sidecar path: null argument");
    size_t len = strlen(table_path), suffix = sizeof SIDECAR_SUFFIX; /* suffix counts the NUL */
    if (size < suffix || len > size - suffix)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the sidecar path of '%s' needs %zu bytes, %zu given", table_path,
                           len + suffix, size);
    memcpy(out, table_path, len);
    memcpy(out + len, SIDECAR_SUFFIX, suffix);
    return MUMLOC_OK;
}

char *provenance_sidecar_path(const char *table_path) {
    size_t size = strlen(table_path) + sizeof SIDECAR_SUFFIX;
    char *path = malloc(size);
    if (path && mumloc_provenance_sidecar_path(table_path, path, size) != MUMLOC_OK) {
        free(path);
        path = NULL;
    }
    return path;
}

void provenance_free(provenance *p) {
    for (int i = 0; i < p->part_count; i++) free(p->parts[i].movie);
    free(p->parts);
    memset(p, 0, sizeof *p);
}

mumloc_status provenance_add_part(provenance *p, const provenance_part *part) {
    provenance_part *grown = realloc(p->parts, (size_t)(p->part_count + 1) * sizeof *grown);
    if (!grown) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory recording a table's parts");
    p->parts = grown;
    provenance_part *copy = &p->parts[p->part_count];
    *copy = *part;
    if (!(copy->movie = copy_string(part->movie ? part->movie : "")))
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory recording a table's parts");
    p->part_count++;
    return MUMLOC_OK;
}

mumloc_status provenance_for_run(provenance *p, const mumloc_model *model,
                                 const mumloc_localize_options *options,
                                 const mumloc_table_origin *origin) {
    mumloc_localize_options defaults;
    mumloc_localize_options_default(&defaults);
    if (!options) options = &defaults;
    memset(p, 0, sizeof *p);
    provenance_part part;
    memset(&part, 0, sizeof part);
    snprintf(part.version, sizeof part.version, "%s", mumloc_version());
    if (model) {
        snprintf(part.sha256, sizeof part.sha256, "%s", mumloc_model_sha256(model));
        mumloc_model_optics(model, &part.optics);
        part.threshold = options->threshold > 0 ? options->threshold : mumloc_model_threshold(model);
    } else { /* the CS solver: no model (sha256 null), the run's optics */
        if (options->optics) part.optics = *options->optics;
        else mumloc_optics_default(&part.optics);
        part.threshold = options->threshold;
    }
    part.refine = (int)options->refine;
    part.precision = (int)mumloc_model_precision(model);
    part.merge_distance_nm = options->merge_distance_nm;
    struct stat st;
    if (stat(origin->movie_path, &st) != 0)
        return error_fail(MUMLOC_ERR_IO, "cannot read the size of the movie '%s': %s",
                           origin->movie_path, strerror(errno));
    part.movie_bytes = (int64_t)st.st_size;
    /* absolute, so that tasks started from different folders name the same movie alike */
    char *absolute = realpath(origin->movie_path, NULL);
    part.movie = absolute ? absolute : (char *)origin->movie_path;
    part.movie_frames = origin->movie_frames;
    part.first_frame = origin->first_frame + 1;
    part.last_frame = origin->first_frame + origin->frame_count;
    part.rows = origin->rows;
    part.movie_index = 1;
    p->rows = origin->rows;
    p->movies = MUMLOC_MERGE_ONE_MOVIE;
    mumloc_status s = provenance_add_part(p, &part);
    free(absolute);
    if (s != MUMLOC_OK) provenance_free(p);
    return s;
}

/* ---- writing --------------------------------------------------------------------------------- */

static void write_part(text_buffer *t, const provenance_part *q) {
    text_puts(t, "{\"mumloc\":");
    json_write_string(t, q->version);
    text_puts(t, ",\"model_sha256\":");
    if (q->sha256[0]) json_write_string(t, q->sha256);
    else text_puts(t, "null");
    text_puts(t, ",\"optics\":");
    optics_write_json(t, &q->optics, 0);
    text_puts(t, ",\"threshold\":");
    json_write_number(t, q->threshold);
    text_puts(t, ",\"refine\":");
    json_write_string(t, mumloc_refine_mode_name(q->refine));
    text_puts(t, ",\"precision\":");
    json_write_string(t, mumloc_precision_name(q->precision));
    text_puts(t, ",\"merge_distance_nm\":");
    json_write_number(t, q->merge_distance_nm);
    text_puts(t, ",\"movie\":");
    json_write_string(t, q->movie);
    text_printf(t, ",\"movie_bytes\":%lld,\"movie_frames\":%lld,\"first_frame\":%lld,"
                          "\"last_frame\":%lld,\"rows\":%lld,\"movie_index\":%d,\"frame_offset\":%lld}",
                       (long long)q->movie_bytes, (long long)q->movie_frames,
                       (long long)q->first_frame, (long long)q->last_frame, (long long)q->rows,
                       q->movie_index, (long long)q->frame_offset);
}

static void write_record(text_buffer *t, const provenance *p) {
    text_printf(t, "{\"mumloc_table\":%d,\"rows\":%lld,\"movies\":\"%s\",\"parts\":[",
                       FORMAT_VERSION, (long long)p->rows, movies_names[p->movies]);
    for (int i = 0; i < p->part_count; i++) {
        text_puts(t, i ? ",\n  " : "\n  "); /* a part per line: readable, diffable */
        write_part(t, &p->parts[i]);
    }
    text_puts(t, "\n]}\n");
}

/* Writes the record into a pending atomic file beside the table (the caller commits or aborts). */
static mumloc_status open_sidecar(const provenance *p, const char *table_path,
                                  atomic_file *side) {
    text_buffer text = {0};
    write_record(&text, p);
    mumloc_status s = text_status(&text);
    char *path = provenance_sidecar_path(table_path);
    if (s == MUMLOC_OK && !path) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory naming a sidecar");
    if (s == MUMLOC_OK) s = atomic_open(side, path);
    if (s == MUMLOC_OK && fwrite(text.data, 1, text.len, side->file) != text.len)
        s = error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    text_free(&text);
    free(path);
    return s;
}

mumloc_status provenance_commit_with_table(atomic_file *table, const char *table_path,
                                           const provenance *p) {
    atomic_file side = {0};
    mumloc_status s = open_sidecar(p, table_path, &side);
    if (s == MUMLOC_OK) s = atomic_commit(table);
    if (s == MUMLOC_OK) {
        s = atomic_commit(&side);
        if (s != MUMLOC_OK) remove(table_path); /* a table without its record is half a result */
    }
    atomic_abort(table);
    atomic_abort(&side);
    return s;
}

/* ---- reading --------------------------------------------------------------------------------- */

static mumloc_status read_text(const char *path, char **text, size_t *len, int *found) {
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) return MUMLOC_OK; /* no sidecar */
    FILE *f = NULL;
    ERROR_TRY(input_fopen(path, "the sidecar", &f));
    *found = 1;
    text_buffer t = {0};
    char chunk[1 << 14];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && t.len <= (size_t)MAX_SIDECAR_BYTES)
        text_append(&t, chunk, n);
    int failed = ferror(f);
    fclose(f);
    mumloc_status s = text_status(&t);
    if (s == MUMLOC_OK && failed) s = error_fail(MUMLOC_ERR_IO, "cannot read '%s'", path);
    if (s == MUMLOC_OK && t.len > (size_t)MAX_SIDECAR_BYTES)
        s = error_fail(MUMLOC_ERR_FORMAT, "'%s' is over 64 MiB: not a table's sidecar", path);
    if (s == MUMLOC_OK && !t.data) s = error_fail(MUMLOC_ERR_FORMAT, "'%s' is empty", path);
    if (s != MUMLOC_OK) {
        text_free(&t);
        return s;
    }
    *text = t.data;
    *len = t.len;
    return MUMLOC_OK;
}

static mumloc_status bad_field(const char *path, const char *field, const char *expected) {
    return error_fail(MUMLOC_ERR_FORMAT, "'%s': \"%s\" must be %s (not a mumloc table sidecar, "
                       "or a damaged one)", path, field, expected);
}

static mumloc_status get_number(const json_value *o, const char *key, const char *path, double *v) {
    const json_value *m = json_get(o, key);
    if (!m || m->type != JSON_NUMBER) return bad_field(path, key, "a number");
    *v = m->number;
    return MUMLOC_OK;
}

static mumloc_status get_integer(const json_value *o, const char *key, const char *path,
                                 int64_t min, int64_t *v) {
    double d = 0;
    ERROR_TRY(get_number(o, key, path, &d));
    if (!(d >= (double)min && d <= 9e15 && d == floor(d))) {
        char expected[64];
        snprintf(expected, sizeof expected, "an integer >= %lld", (long long)min);
        return bad_field(path, key, expected);
    }
    *v = (int64_t)d;
    return MUMLOC_OK;
}

static mumloc_status get_string(const json_value *o, const char *key, const char *path,
                                const char **v) {
    const json_value *m = json_get(o, key);
    if (!m || m->type != JSON_STRING) return bad_field(path, key, "a string");
    *v = m->string;
    return MUMLOC_OK;
}

static mumloc_status read_part(const json_value *o, const char *path, provenance_part *q) {
    if (o->type != JSON_OBJECT) return bad_field(path, "parts", "an array of objects");
    const char *text = NULL;
    ERROR_TRY(get_string(o, "mumloc", path, &text));
    snprintf(q->version, sizeof q->version, "%s", text);
    const json_value *hash = json_get(o, "model_sha256");
    if (!hash || (hash->type != JSON_NULL &&
                  (hash->type != JSON_STRING || strlen(hash->string) != 64)))
        return bad_field(path, "model_sha256", "64 hex digits or null");
    if (hash->type == JSON_STRING) memcpy(q->sha256, hash->string, 65);
    const json_value *optics = json_get(o, "optics");
    if (!optics) return bad_field(path, "optics", "an object");
    mumloc_optics_default(&q->optics);
    ERROR_TRY(optics_from_json(optics, path, 1, &q->optics));
    ERROR_TRY(get_number(o, "threshold", path, &q->threshold));
    ERROR_TRY(get_string(o, "refine", path, &text));
    mumloc_refine_mode refine;
    if (mumloc_refine_mode_from_name(text, &refine) != MUMLOC_OK)
        return bad_field(path, "refine", "none, positions or drift");
    q->refine = (int)refine;
    q->precision = MUMLOC_PRECISION_FP32;
    if (json_get(o, "precision")) {
        mumloc_precision precision;
        ERROR_TRY(get_string(o, "precision", path, &text));
        if (mumloc_precision_from_name(text, &precision) != MUMLOC_OK ||
            precision == MUMLOC_PRECISION_AUTO)
            return bad_field(path, "precision", "fp32 or bf16");
        q->precision = (int)precision;
    }
    ERROR_TRY(get_number(o, "merge_distance_nm", path, &q->merge_distance_nm));
    ERROR_TRY(get_string(o, "movie", path, &text));
    int64_t index = 0;
    ERROR_TRY(get_integer(o, "movie_bytes", path, -1, &q->movie_bytes));
    ERROR_TRY(get_integer(o, "movie_frames", path, 1, &q->movie_frames));
    ERROR_TRY(get_integer(o, "first_frame", path, 1, &q->first_frame));
    ERROR_TRY(get_integer(o, "last_frame", path, q->first_frame, &q->last_frame));
    ERROR_TRY(get_integer(o, "rows", path, 0, &q->rows));
    ERROR_TRY(get_integer(o, "movie_index", path, 1, &index));
    ERROR_TRY(get_integer(o, "frame_offset", path, 0, &q->frame_offset));
    q->movie_index = (int)index;
    q->movie = (char *)text; /* borrowed until provenance_add_part copies it */
    return MUMLOC_OK;
}

static mumloc_status read_record(const json_value *doc, const char *path, provenance *p) {
    if (doc->type != JSON_OBJECT) return bad_field(path, "(document)", "an object");
    int64_t format = 0;
    ERROR_TRY(get_integer(doc, "mumloc_table", path, 1, &format));
    if (format != FORMAT_VERSION)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' is a sidecar of format %lld; this mumloc (%s) "
                           "reads format %d: use a newer mumloc", path, (long long)format,
                           mumloc_version(), FORMAT_VERSION);
    ERROR_TRY(get_integer(doc, "rows", path, 0, &p->rows));
    const char *movies = NULL;
    ERROR_TRY(get_string(doc, "movies", path, &movies));
    int known = 0;
    for (int i = 0; i < 3; i++)
        if (strcmp(movies, movies_names[i]) == 0) p->movies = (mumloc_merge_movies)i, known = 1;
    if (!known) return bad_field(path, "movies", "one, column or offset");
    const json_value *parts = json_get(doc, "parts");
    if (!parts || parts->type != JSON_ARRAY || parts->count == 0)
        return bad_field(path, "parts", "a non-empty array");
    for (size_t i = 0; i < parts->count; i++) {
        provenance_part q;
        memset(&q, 0, sizeof q);
        ERROR_TRY(read_part(&parts->items[i], path, &q));
        ERROR_TRY(provenance_add_part(p, &q));
    }
    return MUMLOC_OK;
}

mumloc_status provenance_read(const char *table_path, provenance *p, int *found) {
    *found = 0;
    char *path = provenance_sidecar_path(table_path);
    if (!path) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory naming a sidecar");
    char *text = NULL;
    size_t len = 0;
    mumloc_status s = read_text(path, &text, &len, found);
    json_value *doc = NULL;
    if (s == MUMLOC_OK && *found) s = json_parse(text, len, path, &doc);
    provenance read;
    memset(&read, 0, sizeof read);
    if (s == MUMLOC_OK && doc) s = read_record(doc, path, &read);
    if (s == MUMLOC_OK && *found) *p = read;
    else provenance_free(&read);
    json_free(doc);
    free(text);
    free(path);
    return s;
}

/* ---- the public writer ----------------------------------------------------------------------- */

mumloc_status mumloc_provenance_write(const char *table_path, const mumloc_model *model,
                                      const mumloc_localize_options *options,
                                      const mumloc_table_origin *origin) {
    if (!table_path || !model || !origin || !origin->movie_path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "mumloc_provenance_write needs a table path, a model and an origin with "
                           "the movie's path");
    if (origin->movie_frames < 1 || origin->first_frame < 0 || origin->frame_count < 1 ||
        origin->first_frame + origin->frame_count > origin->movie_frames || origin->rows < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "provenance of '%s': frames %lld..%lld are not within the movie's 1..%lld "
                           "(or rows < 0)", table_path, (long long)origin->first_frame + 1,
                           (long long)(origin->first_frame + origin->frame_count),
                           (long long)origin->movie_frames);
    provenance p;
    ERROR_TRY(provenance_for_run(&p, model, options, origin));
    atomic_file side = {0};
    mumloc_status s = open_sidecar(&p, table_path, &side);
    provenance_free(&p);
    if (s == MUMLOC_OK) s = atomic_commit(&side);
    atomic_abort(&side);
    return s;
}
