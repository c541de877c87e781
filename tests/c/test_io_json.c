/* JSON: valid documents parse to the expected DOM, invalid ones fail with the right position, and
 * write → parse round trips. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "io/json.h"
#include "mumloc.h"

static json_value *parse(const char *text) {
    json_value *v = NULL;
    CHECK_OK(json_parse(text, strlen(text), "doc", &v));
    return v;
}

/* The document must fail with a message containing `where` (e.g. "line 2, column 5") and `what`. */
static void expect_error(const char *text, const char *where, const char *what) {
    json_value *v = NULL;
    mumloc_status s = json_parse(text, strlen(text), "doc", &v);
    const char *msg = mumloc_last_error();
    if (s != MUMLOC_ERR_FORMAT || v != NULL || !strstr(msg, where) || !strstr(msg, what) ||
        !strstr(msg, "'doc'")) {
        fprintf(stderr, "parse(%.60s): %s \"%s\", expected \"%s\" and \"%s\"\n", text,
                mumloc_status_string(s), msg, where, what);
        check_failures++;
    }
    json_free(v);
}

static void test_valid(void) {
    json_value *v = parse(" {\"a\": 1.5, \"b\": [true, false, null, -0, 2e3, -1.25E-2],\n"
                           "  \"s\": \"q\\\"\\\\\\/\\n\\t\\u00e9\\ud83d\\ude00\", \"o\": {}, \"e\": []} ");
    if (!v) return;
    CHECK(v->type == JSON_OBJECT && v->count == 5);
    CHECK(v->line == 1 && v->column == 2);
    const json_value *a = json_get(v, "a");
    CHECK(a && a->type == JSON_NUMBER && a->number == 1.5);
    const json_value *b = json_get(v, "b");
    CHECK(b && b->type == JSON_ARRAY && b->count == 6);
    if (b && b->count == 6) {
        CHECK(b->items[0].type == JSON_BOOL && b->items[0].boolean == 1);
        CHECK(b->items[1].type == JSON_BOOL && b->items[1].boolean == 0);
        CHECK(b->items[2].type == JSON_NULL);
        CHECK(b->items[3].number == 0);
        CHECK(b->items[4].number == 2000);
        CHECK(b->items[5].number == -0.0125);
    }
    const json_value *s = json_get(v, "s");
    /* q " \ / newline tab é (C3 A9) 😀 (F0 9F 98 80) */
    CHECK(s && s->type == JSON_STRING &&
          strcmp(s->string, "q\"\\/\n\t\xC3\xA9\xF0\x9F\x98\x80") == 0);
    CHECK(s && s->line == 2 && s->column == 8);
    const json_value *o = json_get(v, "o");
    CHECK(o && o->type == JSON_OBJECT && o->count == 0);
    CHECK(json_get(v, "missing") == NULL);
    json_free(v);

    v = parse("42");
    CHECK(v && v->type == JSON_NUMBER && v->number == 42);
    json_free(v);
    v = parse("\"\"");
    CHECK(v && v->type == JSON_STRING && v->string[0] == '\0');
    json_free(v);
}

static void test_invalid(void) {
    expect_error("", "line 1, column 1", "expected a value");
    expect_error("{\"a\": 1,}", "line 1, column 9", "expected a member name");
    expect_error("[1, 2", "line 1, column 6", "expected ',' or ']'");
    expect_error("{\n  \"a\" 1}", "line 2, column 7", "expected ':'");
    expect_error("{\"a\": 1 \"b\": 2}", "line 1, column 9", "expected ',' or '}'");
    expect_error("[01]", "line 1, column 3", "expected ',' or ']'");
    expect_error("[1.]", "line 1, column 4", "digit after the decimal point");
    expect_error("[-]", "line 1, column 3", "expected a digit");
    expect_error("[1e]", "line 1, column 4", "exponent");
    expect_error("[NaN]", "line 1, column 2", "expected a value");
    expect_error("[1e999]", "line 1, column 2", "too large");
    expect_error("\"abc", "line 1, column 5", "unterminated string");
    expect_error("\"a\tb\"", "line 1, column 3", "control character");
    expect_error("\"\\x\"", "line 1, column 3", "expected an escape");
    expect_error("\"\\u12G4\"", "line 1, column 6", "hex digits");
    expect_error("\"\\ud83d\"", "line 1, column 8", "low surrogate");
    expect_error("\"\\u0000\"", "line 1, column 2", "\\u0000");
    expect_error("{\"a\": 1, \"a\": 2}", "line 1, column 10", "\"a\" appears twice");
    expect_error("{} x", "line 1, column 4", "expected the end");
    expect_error("// c\n{}", "line 1, column 1", "expected a value");
    expect_error("[tru]", "line 1, column 2", "expected a value");
    char deep[600];
    memset(deep, '[', 300);
    deep[300] = '\0';
    expect_error(deep, "line 1, column 257", "nesting deeper than 256");
}

static void test_write_round_trip(void) {
    text_buffer t = {0};
    text_puts(&t, "{\"name\":");
    json_write_string(&t, "tab\tquote\"back\\slash\x01");
    text_puts(&t, ",\"values\":[");
    const double values[] = {0.1, 1.0 / 3.0, -2.5e-300, 1e20, 12288, 5.00e7, 7.37e-4, NAN};
    for (int i = 0; i < 8; i++) {
        if (i) text_puts(&t, ",");
        json_write_number(&t, values[i]);
    }
    text_puts(&t, "]}");
    CHECK_OK(text_status(&t));
    CHECK(strstr(t.data, "0.1,0.333333333333333") != NULL);  /* shortest text that round-trips */
    CHECK(strstr(t.data, ",12288,50000000,0.000737,null]") != NULL);
    json_value *v = parse(t.data);
    if (v) {
        const json_value *name = json_get(v, "name");
        CHECK(name && strcmp(name->string, "tab\tquote\"back\\slash\x01") == 0);
        const json_value *arr = json_get(v, "values");
        CHECK(arr && arr->count == 8);
        for (int i = 0; arr && i < 7; i++) CHECK(arr->items[i].number == values[i]);
        CHECK(arr && arr->items[7].type == JSON_NULL);
        /* DOM → text → DOM gives the same text */
        text_buffer again = {0};
        json_write(&again, v);
        json_value *v2 = parse(again.data);
        text_buffer third = {0};
        if (v2) json_write(&third, v2);
        CHECK(third.data && strcmp(again.data, third.data) == 0);
        json_free(v2);
        text_free(&again);
        text_free(&third);
    }
    json_free(v);
    text_free(&t);
}

/* A long document (a safetensors header can hold thousands of entries) parses in linear time and
 * still reports the right line for an error at its end. */
static void test_long_document(void) {
    text_buffer t = {0};
    text_puts(&t, "[\n");
    for (int i = 0; i < 50000; i++) text_printf(&t, "  {\"tensor_%d\": [%d, 3, 3]},\n", i, i);
    text_puts(&t, "  nul]");
    expect_error(t.data, "line 50002, column 3", "expected a value");
    t.data[t.len - 4] = '7'; /* "  7ul]" */
    expect_error(t.data, "line 50002, column 4", "expected ',' or ']'");
    memcpy(t.data + t.len - 4, "7  ]", 4);
    json_value *v = parse(t.data);
    CHECK(v && v->count == 50001 && v->items[49999].line == 50001 && v->items[49999].column == 3);
    json_free(v);
    text_free(&t);
}

int main(void) {
    test_valid();
    test_long_document();
    test_invalid();
    test_write_round_trip();
    return CHECK_DONE("test_io_json");
}
