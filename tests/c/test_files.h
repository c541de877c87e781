/* Whole-file helpers for the C tests: read a file, compare two files byte for byte, find the bundled
 * model. */
#ifndef TESTS_TEST_FILES_H
#define TESTS_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's bytes, NUL-terminated (so text files read as strings); NULL if it cannot be opened or
 * read whole. *size (if not NULL) gets the byte count. Free with free(). */
static inline char *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (!data) return NULL;
    data[n] = '\0';
    if (size) *size = n;
    return data;
}

/* 1 if both files exist, are non-empty and have the same bytes. */
static inline int same_file(const char *a, const char *b) {
    long na = -1, nb = -2;
    char *da = slurp(a, &na), *db = slurp(b, &nb);
    int same = da && db && na == nb && na > 0 && memcmp(da, db, (size_t)na) == 0;
    free(da);
    free(db);
    return same;
}

/* test-data/default-model.safetensors of this source tree (found from this header's own path). */
static inline void bundled_model_path(char *path, size_t cap) {
    snprintf(path, cap, "%s", __FILE__);
    char *slash = strrchr(path, '/');
    if (slash) *slash = '\0';
    else snprintf(path, cap, ".");
    size_t used = strlen(path);
    snprintf(path + used, cap - used, "/../../test-data/default-model.safetensors");
}

#endif
