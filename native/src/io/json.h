/* A small JSON (RFC 8259) module: a parser to a DOM with source positions for messages, and
 * writers. Used for optics files and, later, safetensors metadata.
 *
 * The parser is strict: no comments, no trailing commas, no duplicate keys in an object, no NaN;
 * strings are UTF-8 with \uXXXX escapes decoded (surrogate pairs joined; \u0000 is refused so that
 * every string is a plain C string). Nesting is limited to 256 levels, and an object to
 * JSON_MAX_MEMBERS members (a format error beyond): mumloc's files (optics, simulation
 * parameters, model headers) have far fewer, and the cap bounds the work a hostile file can cause.
 * Parsing takes time linear in the text's length (duplicate names are found by hashing). */
#ifndef IO_JSON_H
#define IO_JSON_H

#include <stddef.h>

#include "io/text_buffer.h"
#include "mumloc.h"

#define JSON_MAX_MEMBERS 65536

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_value json_value;
struct json_value {
    json_type type;
    int boolean;          /* BOOL */
    double number;        /* NUMBER */
    char *string;         /* STRING */
    size_t count;         /* ARRAY elements / OBJECT members */
    json_value *items;   /* ARRAY elements / OBJECT member values, in document order */
    char **keys;          /* OBJECT member names */
    int line, column;     /* where the value starts (1-based), for messages */
};

/* Parses text[0..len). label names the document in messages, e.g. the file path. Errors are
 * MUMLOC_ERR_FORMAT: "'label' line L, column C: what was expected". */
mumloc_status json_parse(const char *text, size_t len, const char *label, json_value **out);
void json_free(json_value *value);

/* Member of an object by name, or NULL. */
const json_value *json_get(const json_value *object, const char *key);
/* "null", "true or false", "a number", "a string", "an array", "an object". */
const char *json_type_name(json_type type);

/* Writers. Numbers are written as the shortest text that reads back to the same double (integers
 * plainly); non-finite numbers, which JSON cannot hold, are written as null. */
void json_write_string(text_buffer *out, const char *s);
void json_write_number(text_buffer *out, double v);
/* Writes a DOM compactly (no spaces). */
void json_write(text_buffer *out, const json_value *value);

#endif
