/* SHA-256 against the published FIPS 180-4 / NIST example digests: the empty message, "abc", the
 * two-block 448-bit message, and a million 'a' fed in uneven pieces (padding at every block
 * boundary case, and updates that straddle blocks). */
#include <string.h>

#include "check.h"
#include "core/sha256.h"

static int digest_is(const char *message, size_t len, size_t piece, const char *expected) {
    sha256_state h;
    sha256_init(&h);
    for (size_t at = 0; at < len; at += piece)
        sha256_update(&h, message + at, len - at < piece ? len - at : piece);
    char hex[65];
    sha256_hex(&h, hex);
    if (strcmp(hex, expected) != 0) fprintf(stderr, "got %s\nexpected %s\n", hex, expected);
    return strcmp(hex, expected) == 0;
}

int main(void) {
    CHECK(digest_is("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK(digest_is("abc", 3, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(digest_is(two_blocks, strlen(two_blocks), 7,
                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    static char million[1000000];
    memset(million, 'a', sizeof million);
    CHECK(digest_is(million, sizeof million, 1000000,
                    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    CHECK(digest_is(million, sizeof million, 977,
                    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    /* 55 and 56 bytes: the length fits in the last block, or needs one more */
    char a55[56];
    memset(a55, 'a', sizeof a55);
    CHECK(digest_is(a55, 55, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
    CHECK(digest_is(a55, 56, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
    return CHECK_DONE("test_core_sha256");
}
