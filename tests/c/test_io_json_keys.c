/* JSON objects with many members: duplicates found wherever they are (by hashing), the member cap
 * refused with a clear message, nested objects checked separately, and keys with hostile bytes
 * escaped in messages. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "io/json.h"
#include "io/text_buffer.h"
#include "mumloc.h"

/* {"k0":0,"k1":1,...} with n members, one per line; member `duplicate` (if >= 0) repeats "k0". */
static char *object_text(int n, int duplicate) {
    text_buffer t = {0};
    text_puts(&t, "{");
    for (int i = 0; i < n; i++)
        text_printf(&t, "%s\n\"k%d\":%d", i ? "," : "", i == duplicate ? 0 : i, i);
    text_puts(&t, "\n}");
    return t.data;
}

static mumloc_status parse(const char *text, json_value **out) {
    *out = NULL;
    return json_parse(text, strlen(text), "many.json", out);
}

static void test_many_members(void) {
    json_value *v = NULL;
    char *text = object_text(JSON_MAX_MEMBERS, -1);
    CHECK_OK(parse(text, &v));
    if (v) {
        CHECK(v->count == JSON_MAX_MEMBERS);
        const json_value *last = json_get(v, "k65535");
        CHECK(last && last->number == 65535);
    }
    json_free(v);
    free(text);

    text = object_text(JSON_MAX_MEMBERS + 1, -1);
    CHECK_STATUS(parse(text, &v), MUMLOC_ERR_FORMAT);
    CHECK(v == NULL && strstr(mumloc_last_error(), "'many.json' line 65538, column 1") &&
          strstr(mumloc_last_error(), "more than 65536 members"));
    free(text);

    /* the duplicate is the 50,001st member, on line 50,002 */
    text = object_text(60000, 50000);
    CHECK_STATUS(parse(text, &v), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "line 50002, column 1: \"k0\" appears twice"));
    free(text);
}

static void test_nested_objects(void) {
    json_value *v = NULL;
    /* the same names in sibling and nested objects are fine */
    CHECK_OK(parse("{\"a\":{\"a\":1,\"b\":{\"a\":2}},\"b\":{\"a\":3}}", &v));
    json_free(v);
    CHECK_STATUS(parse("{\"a\":{\"x\":1,\"y\":{\"x\":2,\"x\":3}}}", &v), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "column 24: \"x\" appears twice"));
}

static void test_hostile_key_escaped(void) {
    json_value *v = NULL;
    CHECK_STATUS(parse("{\"\\u001b[2J\":1,\"\\u001b[2J\":2}", &v), MUMLOC_ERR_FORMAT);
    CHECK(strchr(mumloc_last_error(), '\x1b') == NULL);
    CHECK(strstr(mumloc_last_error(), "\"\\x1B[2J\" appears twice"));
}

int main(void) {
    test_many_members();
    test_nested_objects();
    test_hostile_key_escaped();
    return CHECK_DONE("test_io_json_keys");
}
