/* SHA-256 (FIPS 180-4), for recording which model file made a table (table/provenance.c): a
 * standard digest anyone can recompute with `sha256sum`, so a record can be checked outside mumloc. */
#ifndef MUMLOC_CORE_SHA256_H
#define MUMLOC_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct mumloc_sha256 {
    uint32_t state[8];
    uint64_t bytes;         /* message length so far */
    unsigned char block[64];
    size_t used;            /* bytes waiting in block */
} mumloc_sha256;

void mumloc_sha256_init(mumloc_sha256 *h);
void mumloc_sha256_update(mumloc_sha256 *h, const void *data, size_t len);
/* Finishes and writes the digest as 64 lowercase hex digits and a NUL into hex. */
void mumloc_sha256_hex(mumloc_sha256 *h, char hex[65]);

/* The digest of a whole file (read in chunks); MUMLOC_ERR_IO naming the file on failure. */
mumloc_status mumloc_sha256_file(const char *path, char hex[65]);

#endif
