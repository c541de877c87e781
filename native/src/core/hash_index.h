/* A hash index for duplicate checks and lookups that must stay linear on hostile input (JSON keys,
 * CSV column names, TIFF IFD offsets): open addressing over (hash, value) pairs. The caller keeps
 * the items (e.g. an array of names) and stores their indices or values here; matching is decided
 * by the caller's function, so one index serves strings and integers alike. */
#ifndef CORE_HASH_INDEX_H
#define CORE_HASH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct hash_slot {
    uint64_t hash, value;
    int used;
} hash_slot;

typedef struct hash_index {
    hash_slot *slots; /* NULL until the first add; zero-initialise the struct */
    size_t cap, count;
} hash_index;

/* Whether the stored value is the item the caller looks for (probe: the caller's context). NULL
 * as a match function compares values for equality. */
typedef int (*hash_match)(const void *probe, uint64_t stored);

/* FNV-1a of a C string, and a mix of a 64-bit integer, for use as hashes. */
uint64_t hash_string(const char *text);
uint64_t hash_u64(uint64_t value);

/* 1 and *stored (if not NULL) = the first stored value with this hash that match accepts, or 0. */
int hash_index_find(const hash_index *index, uint64_t hash, hash_match match,
                           const void *probe, uint64_t *stored);
/* Stores value under hash (duplicates are the caller's to refuse, with find first). */
mumloc_status hash_index_add(hash_index *index, uint64_t hash, uint64_t value);
void hash_index_free(hash_index *index);

#endif
