/* Open-addressing hash index with linear probing, kept at most half full (see hash_index.h). */
#include "core/hash_index.h"

#include <stdlib.h>

#include "core/error.h"

uint64_t hash_u64(uint64_t v) { /* the splitmix64 finaliser: every input bit moves the low bits */
    v ^= v >> 30;
    v *= 0xBF58476D1CE4E5B9ull;
    v ^= v >> 27;
    v *= 0x94D049BB133111EBull;
    return v ^ (v >> 31);
}

uint64_t hash_string(const char *text) {
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * 1099511628211ull;
    return hash_u64(h); /* FNV-1a alone leaves the low bits, which pick the slot, weak */
}

int hash_index_find(const hash_index *index, uint64_t hash, hash_match match,
                           const void *probe, uint64_t *stored) {
    if (index->cap == 0) return 0;
    for (size_t i = (size_t)hash & (index->cap - 1);; i = (i + 1) & (index->cap - 1)) {
        const hash_slot *slot = &index->slots[i];
        if (!slot->used) return 0;
        if (slot->hash == hash &&
            (match ? match(probe, slot->value) : slot->value == *(const uint64_t *)probe)) {
            if (stored) *stored = slot->value;
            return 1;
        }
    }
}

static void put(hash_slot *slots, size_t cap, uint64_t hash, uint64_t value) {
    size_t i = (size_t)hash & (cap - 1);
    while (slots[i].used) i = (i + 1) & (cap - 1);
    slots[i] = (hash_slot){hash, value, 1};
}

mumloc_status hash_index_add(hash_index *index, uint64_t hash, uint64_t value) {
    if (2 * (index->count + 1) > index->cap) {
        size_t cap = index->cap ? 2 * index->cap : 16;
        hash_slot *slots = calloc(cap, sizeof *slots);
        if (!slots) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory indexing names");
        for (size_t i = 0; i < index->cap; i++)
            if (index->slots[i].used) put(slots, cap, index->slots[i].hash, index->slots[i].value);
        free(index->slots);
        index->slots = slots;
        index->cap = cap;
    }
    put(index->slots, index->cap, hash, value);
    index->count++;
    return MUMLOC_OK;
}

void hash_index_free(hash_index *index) {
    free(index->slots);
    *index = (hash_index){0};
}
