/* A private scratch folder per io test run: $MUMLOC_TEST_TMP (or /tmp) / <name>_<pid>, emptied and
 * removed at the end when every check passed (kept for inspection otherwise). */
#ifndef TESTS_TEST_IO_DIR_H
#define TESTS_TEST_IO_DIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char test_dir[512];

static void test_dir_create(const char *name) {
    const char *base = getenv("MUMLOC_TEST_TMP");
    snprintf(test_dir, sizeof test_dir, "%s", base && *base ? base : "/tmp");
    mkdir(test_dir, 0777);
    size_t len = strlen(test_dir);
    snprintf(test_dir + len, sizeof test_dir - len, "/%s_%ld", name, (long)getpid());
    mkdir(test_dir, 0777);
}

/* test_dir/name; a few results stay valid at once */
static const char *path_of(const char *name) {
    static char paths[8][1024];
    static int next = 0;
    next = (next + 1) % 8;
    snprintf(paths[next], sizeof paths[next], "%s/%s", test_dir, name);
    return paths[next];
}

static void test_dir_remove(int keep) {
    if (keep) {
        fprintf(stderr, "test files kept in %s\n", test_dir);
        return;
    }
    DIR *d = opendir(test_dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) unlink(path_of(e->d_name));
    if (d) closedir(d);
    rmdir(test_dir);
}

#endif
