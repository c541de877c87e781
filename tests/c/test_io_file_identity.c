/* Files by identity, not by spelling: the same file through "./", "sub/..", a symbolic link or a
 * hard link is recognised (and a file still to be made by its folder and name); mumloc_check_files
 * refuses an output that is an input or another output, a folder as output, and a FIFO, device or
 * folder as input, with a message naming both files; different files pass. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "test_io_dir.h"
#include "mumloc.h"

static void touch(const char *path) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs("data\n", f);
        fclose(f);
    }
}

/* A path to the same file as name, spelled through a subfolder and "..". */
static const char *roundabout(const char *name) {
    static char path[1200];
    snprintf(path, sizeof path, "%s/sub/../%s", test_dir, name);
    return path;
}

static void test_same(void) {
    CHECK(mkdir(path_of("sub"), 0777) == 0);
    touch(path_of("movie.tif"));
    touch(path_of("other.tif"));
    CHECK(mumloc_files_same(path_of("movie.tif"), path_of("movie.tif")));
    CHECK(mumloc_files_same(path_of("movie.tif"), roundabout("movie.tif")));
    CHECK(!mumloc_files_same(path_of("movie.tif"), path_of("other.tif")));
    CHECK(symlink(path_of("movie.tif"), path_of("soft.tif")) == 0);
    CHECK(link(path_of("movie.tif"), path_of("hard.tif")) == 0);
    CHECK(mumloc_files_same(path_of("soft.tif"), path_of("movie.tif")));
    CHECK(mumloc_files_same(path_of("movie.tif"), path_of("hard.tif")));
    CHECK(mumloc_files_same(path_of("soft.tif"), path_of("hard.tif")));
    /* files still to be made: the same name in the same folder, however spelled */
    CHECK(mumloc_files_same(path_of("new.csv"), roundabout("new.csv")));
    CHECK(!mumloc_files_same(path_of("new.csv"), path_of("new2.csv")));
    CHECK(!mumloc_files_same(path_of("new.csv"), path_of("movie.tif")));
    CHECK(!mumloc_files_same(NULL, path_of("movie.tif")));
    CHECK(!mumloc_files_same(path_of("movie.tif"), NULL));
}

/* count files, expecting failure with a message holding every fragment */
static void expect_refused(const mumloc_file_role *files, int count, const char *a, const char *b) {
    CHECK_STATUS(mumloc_check_files(files, count), MUMLOC_ERR_INVALID_ARGUMENT);
    const char *message = mumloc_last_error();
    int ok = strstr(message, a) != NULL && (!b || strstr(message, b) != NULL);
    if (!ok) fprintf(stderr, "message '%s' lacks '%s' or '%s'\n", message, a, b ? b : "");
    CHECK(ok);
}

static void test_check(void) {
    char movie[1100], table[1100]; /* path_of reuses its buffers */
    snprintf(movie, sizeof movie, "%s", path_of("movie.tif"));
    snprintf(table, sizeof table, "%s", path_of("table.csv"));
    /* good: different files, missing ones (left to their readers), NULL (not given) skipped */
    mumloc_file_role good[] = {{movie, "--in", 0}, {path_of("missing.st"), "--model", 0},
                               {table, "--out", 1}, {NULL, "--drift-out", 1}};
    CHECK_OK(mumloc_check_files(good, 4));
    /* two inputs may be one file (read twice, nothing lost) */
    mumloc_file_role twice[] = {{movie, "--truth", 0}, {path_of("hard.tif"), "--in", 0}};
    CHECK_OK(mumloc_check_files(twice, 2));
    CHECK_OK(mumloc_check_files(NULL, 0));

    /* an output that is the input, by every kind of name */
    const char *aliases[] = {movie, roundabout("movie.tif"), path_of("soft.tif"), path_of("hard.tif")};
    for (int i = 0; i < 4; i++) {
        mumloc_file_role files[] = {{movie, "--in", 0}, {aliases[i], "--out", 1}};
        expect_refused(files, 2, "--out", "is the same file as --in");
        CHECK(strstr(mumloc_last_error(), aliases[i]) && strstr(mumloc_last_error(), movie));
        mumloc_file_role reversed[] = {{aliases[i], "--out", 1}, {movie, "--in", 0}};
        expect_refused(reversed, 2, "--out", "is the same file as --in");
    }
    /* two outputs that are one file, existing or still to be made */
    mumloc_file_role outs[] = {{path_of("t.csv"), "--truth", 1}, {roundabout("t.csv"), "--drift-file", 1}};
    expect_refused(outs, 2, "--truth", "and --drift-file");
    /* a folder as output */
    mumloc_file_role folder_out[] = {{movie, "--in", 0}, {path_of("sub"), "--out", 1}};
    expect_refused(folder_out, 2, "--out", "is a directory: give the name of a regular file to write");
    mumloc_file_role fifo_out[] = {{movie, "--in", 0}, {path_of("pipe"), "--out", 1}};
    CHECK(mkfifo(path_of("pipe"), 0600) == 0);
    expect_refused(fifo_out, 2, "--out", "is a FIFO (named pipe): give the name of a regular file");
    /* anything but a regular file as input */
    mumloc_file_role fifo_in[] = {{path_of("pipe"), "--in", 0}, {table, "--out", 1}};
    expect_refused(fifo_in, 2, "--in", "is a FIFO");
    mumloc_file_role folder_in[] = {{path_of("sub"), "--in", 0}};
    expect_refused(folder_in, 1, "--in", "is a directory");
    mumloc_file_role device_in[] = {{"/dev/zero", "--optics", 0}};
    expect_refused(device_in, 1, "--optics '/dev/zero' is a character device", NULL);
}

int main(void) {
    test_dir_create("io_file_identity");
    test_same();
    test_check();
    rmdir(path_of("sub"));
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_file_identity");
}
