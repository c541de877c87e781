/* A small JSON (RFC 8259) module: a parser to a DOM with source positions for messages, and
 * writers. Used for optics files and, later, safetensors metadata.
 *
 * The parser is strict: no comments, no trailing commas, no duplicate keys in an object, no NaN;
 * strings are UTF-8 with \uXXXX escapes decoded (surrogate pairs joined; \u0000 is refused so that
 * every string is a plain C string). Nesting is limited to 256 levels, and an object to
 * MUMLOC_JSON_MAX_MEMBERS members (a format error beyond): mumloc's files (optics, simulation
 * parameters, model headers) have far fewer, and the cap bounds the work a hostile file can cause.
 * Parsing takes time linear in the text's length (duplicate names are found by hashing). */
#ifndef MUMLOC_IO_JSON_H
#define MUMLOC_IO_JSON_H

#include <stddef.h>

#include "io/text_buffer.h"
#include "mumloc.h"

#define MUMLOC_JSON_MAX_MEMBERS 65536

typedef enum mumloc_json_type {
    MUMLOC_JSON_NULL,
    MUMLOC_JSON_BOOL,
    MUMLOC_JSON_NUMBER,
    MUMLOC_JSON_STRING,
    MUMLOC_JSON_ARRAY,
    MUMLOC_JSON_OBJECT
} mumloc_json_type;

typedef struct mumloc_json mumloc_json;
struct mumloc_json {
    mumloc_json_type type;
    int boolean;          /* BOOL */
    double number;        /* NUMBER */
    char *string;         /* STRING */
    size_t count;         /* ARRAY elements / OBJECT members */
    mumloc_json *items;   /* ARRAY elements / OBJECT member values, in document order */
    char **keys;          /* OBJECT member names */
    int line, column;     /* where the value starts (1-based), for messages */
};

/* Parses text[0..len). label names the document in messages, e.g. the file path. Errors are
 * MUMLOC_ERR_FORMAT: "'label' line L, column C: what was expected". */
mumloc_status mumloc_json_parse(const char *text, size_t len, const char *label, mumloc_json **out);
void mumloc_json_free(mumloc_json *value);

/* Member of an object by name, or NULL. */
const mumloc_json *mumloc_json_get(const mumloc_json *object, const char *key);
/* "null", "true or false", "a number", "a string", "an array", "an object". */
const char *mumloc_json_type_name(mumloc_json_type type);

/* Writers. Numbers are written as the shortest text that reads back to the same double (integers
 * plainly); non-finite numbers, which JSON cannot hold, are written as null. */
void mumloc_json_write_string(mumloc_text *out, const char *s);
void mumloc_json_write_number(mumloc_text *out, double v);
/* Writes a DOM compactly (no spaces). */
void mumloc_json_write(mumloc_text *out, const mumloc_json *value);

#endif
