/* SHA-256 (FIPS 180-4), for recording which model file made a table (table/provenance.c): a
 * standard digest anyone can recompute with `sha256sum`, so a record can be checked outside mumloc. */
#ifndef CORE_SHA256_H
#define CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct sha256_state {
    uint32_t state[8];
    uint64_t bytes;         /* message length so far */
    unsigned char block[64];
    size_t used;            /* bytes waiting in block */
} sha256_state;

void sha256_init(sha256_state *h);
void sha256_update(sha256_state *h, const void *data, size_t len);
/* Finishes and writes the digest as 64 lowercase hex digits and a NUL into hex. */
void sha256_hex(sha256_state *h, char hex[65]);

/* The digest of a whole file (read in chunks); MUMLOC_ERR_IO naming the file on failure. */
mumloc_status sha256_file(const char *path, char hex[65]);

#endif
