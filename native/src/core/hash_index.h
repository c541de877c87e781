/* A hash index for duplicate checks and lookups that must stay linear on hostile input (JSON keys,
 * CSV column names, TIFF IFD offsets): open addressing over (hash, value) pairs. The caller keeps
 * the items (e.g. an array of names) and stores their indices or values here; matching is decided
 * by the caller's function, so one index serves strings and integers alike. */
#ifndef MUMLOC_CORE_HASH_INDEX_H
#define MUMLOC_CORE_HASH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct mumloc_hash_slot {
    uint64_t hash, value;
    int used;
} mumloc_hash_slot;

typedef struct mumloc_hash_index {
    mumloc_hash_slot *slots; /* NULL until the first add; zero-initialise the struct */
    size_t cap, count;
} mumloc_hash_index;

/* Whether the stored value is the item the caller looks for (probe: the caller's context). NULL
 * as a match function compares values for equality. */
typedef int (*mumloc_hash_match)(const void *probe, uint64_t stored);

/* FNV-1a of a C string, and a mix of a 64-bit integer, for use as hashes. */
uint64_t mumloc_hash_string(const char *text);
uint64_t mumloc_hash_u64(uint64_t value);

/* 1 and *stored (if not NULL) = the first stored value with this hash that match accepts, or 0. */
int mumloc_hash_index_find(const mumloc_hash_index *index, uint64_t hash, mumloc_hash_match match,
                           const void *probe, uint64_t *stored);
/* Stores value under hash (duplicates are the caller's to refuse, with find first). */
mumloc_status mumloc_hash_index_add(mumloc_hash_index *index, uint64_t hash, uint64_t value);
void mumloc_hash_index_free(mumloc_hash_index *index);

#endif
