/* Recursive-descent JSON parser (see json.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash_index.h"
#include "io/c_number.h"
#include "io/json.h"

enum { MAX_DEPTH = 256 };

typedef struct parser {
    const char *text, *label;
    size_t len, pos;
    int depth;
    int line;          /* line of pos: newlines only occur in whitespace, which skip_space counts */
    size_t line_start; /* offset where that line starts */
} parser;

/* Line and column (1-based, in bytes) of pos, which must lie on the current line. */
static void position(const parser *p, size_t pos, int *line, int *column) {
    *line = p->line;
    *column = (int)(pos - p->line_start) + 1;
}

static mumloc_status fail_at(const parser *p, size_t pos, const char *what) {
    int line, column;
    position(p, pos, &line, &column);
    if (pos >= p->len)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d, column %d: %s, found the end of the text",
                           p->label, line, column, what);
    unsigned char c = (unsigned char)p->text[pos];
    if (c >= 0x20 && c < 0x7f)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d, column %d: %s, found '%c'", p->label,
                           line, column, what, c);
    return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d, column %d: %s, found byte 0x%02X", p->label,
                       line, column, what, c);
}

static void skip_space(parser *p) {
    for (; p->pos < p->len; p->pos++) {
        char c = p->text[p->pos];
        if (c == '\n') {
            p->line++;
            p->line_start = p->pos + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            break;
        }
    }
}

static int peek(const parser *p) { return p->pos < p->len ? (unsigned char)p->text[p->pos] : -1; }

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static mumloc_status parse_value(parser *p, json_value *v);

static mumloc_status parse_literal(parser *p, json_value *v) {
    static const struct { const char *word; json_type type; int boolean; } words[] = {
        {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].word);
        if (p->len - p->pos >= n && memcmp(p->text + p->pos, words[i].word, n) == 0) {
            v->type = words[i].type;
            v->boolean = words[i].boolean;
            p->pos += n;
            return MUMLOC_OK;
        }
    }
    return fail_at(p, p->pos, "expected a value (object, array, string, number, true, false or null)");
}

static mumloc_status parse_number(parser *p, json_value *v) {
    size_t start = p->pos;
    if (peek(p) == '-') p->pos++;
    if (peek(p) == '0') {
        p->pos++;
    } else if (is_digit(peek(p))) {
        while (is_digit(peek(p))) p->pos++;
    } else {
        return fail_at(p, p->pos, "expected a digit");
    }
    if (peek(p) == '.') {
        p->pos++;
        if (!is_digit(peek(p))) return fail_at(p, p->pos, "expected a digit after the decimal point");
        while (is_digit(peek(p))) p->pos++;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') p->pos++;
        if (!is_digit(peek(p))) return fail_at(p, p->pos, "expected a digit in the exponent");
        while (is_digit(peek(p))) p->pos++;
    }
    size_t n = p->pos - start;
    char small[64], *copy = n < sizeof small ? small : malloc(n + 1);
    if (!copy) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory parsing JSON");
    memcpy(copy, p->text + start, n);
    copy[n] = '\0';
    v->type = JSON_NUMBER;
    v->number = strtod_c(copy, NULL);
    if (copy != small) free(copy);
    if (isinf(v->number)) return fail_at(p, start, "number too large for a double");
    return MUMLOC_OK;
}

static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static mumloc_status read_hex4(parser *p, unsigned *code) {
    *code = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(peek(p));
        if (h < 0) return fail_at(p, p->pos, "expected 4 hex digits after \\u");
        *code = *code * 16 + (unsigned)h;
        p->pos++;
    }
    return MUMLOC_OK;
}

static void put_utf8(text_buffer *t, unsigned code) {
    char b[4];
    size_t n;
    if (code < 0x80) { b[0] = (char)code; n = 1; }
    else if (code < 0x800) { b[0] = (char)(0xC0 | code >> 6); b[1] = (char)(0x80 | (code & 0x3F)); n = 2; }
    else if (code < 0x10000) {
        b[0] = (char)(0xE0 | code >> 12); b[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        b[2] = (char)(0x80 | (code & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | code >> 18); b[1] = (char)(0x80 | ((code >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((code >> 6) & 0x3F)); b[3] = (char)(0x80 | (code & 0x3F)); n = 4;
    }
    text_append(t, b, n);
}

static mumloc_status parse_escape(parser *p, text_buffer *t) {
    size_t at = p->pos;
    int c = peek(p);
    p->pos++;
    switch (c) {
    case '"': text_append(t, "\"", 1); return MUMLOC_OK;
    case '\\': text_append(t, "\\", 1); return MUMLOC_OK;
    case '/': text_append(t, "/", 1); return MUMLOC_OK;
    case 'b': text_append(t, "\b", 1); return MUMLOC_OK;
    case 'f': text_append(t, "\f", 1); return MUMLOC_OK;
    case 'n': text_append(t, "\n", 1); return MUMLOC_OK;
    case 'r': text_append(t, "\r", 1); return MUMLOC_OK;
    case 't': text_append(t, "\t", 1); return MUMLOC_OK;
    case 'u': {
        unsigned code;
        ERROR_TRY(read_hex4(p, &code));
        if (code >= 0xDC00 && code <= 0xDFFF) return fail_at(p, at - 1, "lone low surrogate escape");
        if (code >= 0xD800 && code <= 0xDBFF) {
            if (peek(p) != '\\' || p->pos + 1 >= p->len || p->text[p->pos + 1] != 'u')
                return fail_at(p, p->pos, "expected a \\u low surrogate after a high surrogate");
            p->pos += 2;
            unsigned low;
            ERROR_TRY(read_hex4(p, &low));
            if (low < 0xDC00 || low > 0xDFFF) return fail_at(p, p->pos - 6, "expected a low surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        if (code == 0) return fail_at(p, at - 1, "\\u0000 is not allowed in mumloc's JSON strings");
        put_utf8(t, code);
        return MUMLOC_OK;
    }
    default: return fail_at(p, at, "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
    }
}

/* Parses a string starting at its opening quote into a malloc'ed C string. */
static mumloc_status parse_string(parser *p, char **out) {
    text_buffer t = {0};
    p->pos++; /* opening quote */
    mumloc_status s = MUMLOC_OK;
    for (;;) {
        int c = peek(p);
        if (c < 0) { s = fail_at(p, p->pos, "unterminated string: expected '\"'"); break; }
        if (c == '"') { p->pos++; break; }
        if (c < 0x20) { s = fail_at(p, p->pos, "control character in a string (escape it)"); break; }
        if (c == '\\') {
            p->pos++;
            s = parse_escape(p, &t);
            if (s != MUMLOC_OK) break;
            continue;
        }
        size_t run = p->pos;
        while (run < p->len && p->text[run] != '"' && p->text[run] != '\\' &&
               (unsigned char)p->text[run] >= 0x20)
            run++;
        text_append(&t, p->text + p->pos, run - p->pos);
        p->pos = run;
    }
    if (s == MUMLOC_OK && !t.data) text_append(&t, "", 0);
    if (s == MUMLOC_OK) s = text_status(&t);
    if (s != MUMLOC_OK) {
        text_free(&t);
        return s;
    }
    *out = t.data;
    return MUMLOC_OK;
}

/* Appends a zeroed slot to a growing array of values (and keys for objects). */
static mumloc_status grow(json_value *v, size_t *cap, int with_keys) {
    if (v->count < *cap) return MUMLOC_OK;
    size_t n = *cap ? *cap * 2 : 4;
    json_value *items = realloc(v->items, n * sizeof *items);
    if (items) v->items = items;
    char **keys = with_keys ? realloc(v->keys, n * sizeof *keys) : NULL;
    if (keys) v->keys = keys;
    if (!items || (with_keys && !keys))
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory parsing JSON");
    *cap = n;
    return MUMLOC_OK;
}

static mumloc_status parse_array(parser *p, json_value *v) {
    v->type = JSON_ARRAY;
    size_t cap = 0;
    p->pos++;
    skip_space(p);
    if (peek(p) == ']') { p->pos++; return MUMLOC_OK; }
    for (;;) {
        ERROR_TRY(grow(v, &cap, 0));
        memset(&v->items[v->count], 0, sizeof v->items[0]);
        v->count++;
        ERROR_TRY(parse_value(p, &v->items[v->count - 1]));
        skip_space(p);
        if (peek(p) == ',') { p->pos++; continue; }
        if (peek(p) == ']') { p->pos++; return MUMLOC_OK; }
        return fail_at(p, p->pos, "expected ',' or ']' in an array");
    }
}

typedef struct key_probe {
    char *const *keys;
    const char *key;
} key_probe;

static int same_key(const void *probe, uint64_t stored) {
    const key_probe *k = probe;
    return strcmp(k->keys[stored], k->key) == 0;
}

/* Parses the members after '{' (hashing the names, so that the duplicate check stays linear). */
static mumloc_status parse_members(parser *p, json_value *v, hash_index *seen) {
    size_t cap = 0;
    for (;;) {
        skip_space(p);
        if (peek(p) != '"') return fail_at(p, p->pos, "expected a member name in double quotes");
        size_t key_pos = p->pos;
        if (v->count == JSON_MAX_MEMBERS) {
            int line, column;
            position(p, key_pos, &line, &column);
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d, column %d: an object with more than %d members; "
                               "mumloc's JSON files have far fewer (is this the right file?)",
                               p->label, line, column, JSON_MAX_MEMBERS);
        }
        ERROR_TRY(grow(v, &cap, 1));
        memset(&v->items[v->count], 0, sizeof v->items[0]);
        v->keys[v->count] = NULL;
        v->count++;
        ERROR_TRY(parse_string(p, &v->keys[v->count - 1]));
        const char *key = v->keys[v->count - 1];
        uint64_t hash = hash_string(key);
        key_probe probe = {v->keys, key};
        if (hash_index_find(seen, hash, same_key, &probe, NULL)) {
            int line, column;
            position(p, key_pos, &line, &column);
            return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d, column %d: \"%s\" appears twice",
                               p->label, line, column, key);
        }
        ERROR_TRY(hash_index_add(seen, hash, v->count - 1));
        skip_space(p);
        if (peek(p) != ':') return fail_at(p, p->pos, "expected ':' after a member name");
        p->pos++;
        ERROR_TRY(parse_value(p, &v->items[v->count - 1]));
        skip_space(p);
        if (peek(p) == ',') { p->pos++; continue; }
        if (peek(p) == '}') { p->pos++; return MUMLOC_OK; }
        return fail_at(p, p->pos, "expected ',' or '}' in an object");
    }
}

static mumloc_status parse_object(parser *p, json_value *v) {
    v->type = JSON_OBJECT;
    p->pos++;
    skip_space(p);
    if (peek(p) == '}') { p->pos++; return MUMLOC_OK; }
    hash_index seen = {0};
    mumloc_status s = parse_members(p, v, &seen);
    hash_index_free(&seen);
    return s;
}

static mumloc_status parse_value(parser *p, json_value *v) {
    skip_space(p);
    position(p, p->pos, &v->line, &v->column);
    int c = peek(p);
    if (c == '{' || c == '[') {
        if (++p->depth > MAX_DEPTH) return fail_at(p, p->pos, "nesting deeper than 256 levels");
        mumloc_status s = c == '{' ? parse_object(p, v) : parse_array(p, v);
        p->depth--;
        return s;
    }
    if (c == '"') {
        v->type = JSON_STRING;
        return parse_string(p, &v->string);
    }
    if (c == '-' || is_digit(c)) return parse_number(p, v);
    return parse_literal(p, v);
}

static void free_contents(json_value *v) {
    for (size_t i = 0; i < v->count; i++) {
        free_contents(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
}

void json_free(json_value *v) {
    if (!v) return;
    free_contents(v);
    free(v);
}

mumloc_status json_parse(const char *text, size_t len, const char *label, json_value **out) {
    if (!text || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "JSON text and output are required");
    *out = NULL;
    parser p = {text, label ? label : "(JSON)", len, 0, 0, 1, 0};
    json_value *v = calloc(1, sizeof *v);
    if (!v) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory parsing JSON");
    mumloc_status s = parse_value(&p, v);
    if (s == MUMLOC_OK) {
        skip_space(&p);
        if (p.pos < p.len) s = fail_at(&p, p.pos, "expected the end of the text after the value");
    }
    if (s != MUMLOC_OK) {
        json_free(v);
        return s;
    }
    *out = v;
    return MUMLOC_OK;
}

const json_value *json_get(const json_value *object, const char *key) {
    if (!object || object->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], key) == 0) return &object->items[i];
    return NULL;
}

const char *json_type_name(json_type type) {
    switch (type) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "true or false";
    case JSON_NUMBER: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    case JSON_OBJECT: return "an object";
    }
    return "an unknown value";
}
