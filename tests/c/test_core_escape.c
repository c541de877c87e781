/* Messages never carry raw control bytes from a file: the escaping helper byte by byte, and every
 * message of error_fail (which escapes once, whatever the caller quoted). */
#include <string.h>

#include "check.h"
#include "core/error.h"
#include "core/text_escape.h"
#include "mumloc.h"

static void expect_escaped(const char *in, const char *expected) {
    char out[256];
    size_t n = escape_text(in, out, sizeof out);
    if (strcmp(out, expected) != 0 || n != strlen(expected)) {
        fprintf(stderr, "escape: got \"%s\", expected \"%s\"\n", out, expected);
        check_failures++;
    }
}

/* No byte below 0x20, no DEL, and only valid UTF-8 without C1 controls. */
static int printable(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)) return 0;
    return 1;
}

static void test_bytes(void) {
    expect_escaped("x [nm], 12.5", "x [nm], 12.5");
    expect_escaped("\x1b[31mred\x1b[0m", "\\x1B[31mred\\x1B[0m");
    expect_escaped("a\tb\r\nc\x7f", "a\\x09b\\x0D\\x0Ac\\x7F");
    expect_escaped("\xC2\xB5m", "\xC2\xB5m");                      /* µm stays readable */
    expect_escaped("\xE2\x82\xAC 5", "\xE2\x82\xAC 5");            /* € */
    expect_escaped("\xF0\x9F\x94\xAC", "\xF0\x9F\x94\xAC");        /* a 4-byte character */
    expect_escaped("\xC2\x9B" "2J", "\\xC2\\x9B2J");                /* C1 CSI: a terminal control */
    expect_escaped("a\xE2\x80\xAE" "b", "a\\xE2\\x80\\xAEb");       /* right-to-left override */
    expect_escaped("\xFF\xC3", "\\xFF\\xC3");                       /* invalid and cut UTF-8 */
    expect_escaped("\xC0\xAF", "\\xC0\\xAF");                       /* overlong '/' */
    expect_escaped("\xED\xA0\x80", "\\xED\\xA0\\x80");              /* a UTF-16 surrogate */
    expect_escaped("back\\slash", "back\\slash");                   /* not doubled */
}

static void test_truncation(void) {
    char out[6];
    /* "ab" + \x1B needs 2 + 4 bytes + NUL: the escape is left out whole, never cut */
    CHECK(escape_text("ab\x1b", out, sizeof out) == 2 && strcmp(out, "ab") == 0);
    /* a 2-byte character that does not fit is left out whole */
    CHECK(escape_text("abcd\xC2\xB5", out, sizeof out) == 4 && strcmp(out, "abcd") == 0);
    CHECK(escape_text("abc", out, 1) == 0 && out[0] == '\0');
}

static void test_fail_escapes(void) {
    error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d: '%s' is not a number", "t.csv", 2,
                "1\x1b]0;owned\x07");
    CHECK(strcmp(mumloc_last_error(), "'t.csv' line 2: '1\\x1B]0;owned\\x07' is not a number") == 0);
    CHECK(printable(mumloc_last_error()));
    /* a message that quotes the previous one is not escaped twice, and does not overlap itself */
    error_fail(MUMLOC_ERR_FORMAT, "reading 'x': %s", mumloc_last_error());
    CHECK(strcmp(mumloc_last_error(),
                 "reading 'x': 't.csv' line 2: '1\\x1B]0;owned\\x07' is not a number") == 0);
    /* a long hostile message stays within the buffer, escapes whole */
    char field[2000];
    memset(field, '\x1b', sizeof field - 1);
    field[sizeof field - 1] = '\0';
    error_fail(MUMLOC_ERR_FORMAT, "%s", field);
    size_t n = strlen(mumloc_last_error());
    CHECK(n > 900 && n < 1024 && n % 4 == 0 && printable(mumloc_last_error()));
}

int main(void) {
    test_bytes();
    test_truncation();
    test_fail_escapes();
    return CHECK_DONE("test_core_escape");
}
