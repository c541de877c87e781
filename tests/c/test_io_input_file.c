/* Every reader refuses what is not a regular file at once: a FIFO (which would block the reader
 * until some process writes to it), a folder and a device (/dev/zero never ends), each with an I/O
 * error naming the path and what it is; and a folder as an output fails before anything is written.
 * An alarm turns a regression (a blocked open) into a failure instead of a hang. */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "io/tiff_read.h"
#include "test_io_dir.h"
#include "mumloc.h"

static void expect_io_error(mumloc_status status, const char *path, const char *kind) {
    CHECK_STATUS(status, MUMLOC_ERR_IO);
    char want[1200];
    snprintf(want, sizeof want, "'%s' is %s, not a regular file", path, kind);
    const int ok = strstr(mumloc_last_error(), want) != NULL;
    if (!ok) fprintf(stderr, "message '%s' lacks \"%s\"\n", mumloc_last_error(), want);
    CHECK(ok);
}

/* Each reader on path, expecting "'path' is kind". */
static void readers_refuse(const char *path, const char *kind) {
    mumloc_table *table = NULL;
    expect_io_error(mumloc_table_read_csv(path, "x", &table), path, kind);
    CHECK(table == NULL);
    mumloc_optics optics;
    expect_io_error(mumloc_optics_load(path, &optics), path, kind);
    mumloc_model *model = NULL;
    expect_io_error(mumloc_model_load(path, &model), path, kind);
    CHECK(model == NULL);
    tiff_reader *reader = NULL;
    expect_io_error(tiff_reader_open(path, &reader), path, kind);
    CHECK(reader == NULL);
}

static int entries(const char *folder) {
    int n = 0;
    DIR *d = opendir(folder);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d) closedir(d);
    return n;
}

static void test_outputs(void) {
    const char *folder = path_of("folder");
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    CHECK_STATUS(mumloc_optics_save(folder, &optics), MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "is a directory: give the name of a regular file to write") != NULL);
    CHECK(entries(test_dir) == 2 && entries(folder) == 0); /* no temporary file left anywhere */
    /* a FIFO as output would be replaced by a plain file: refused too, and left a FIFO */
    CHECK_STATUS(mumloc_optics_save(path_of("pipe"), &optics), MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "is a FIFO (named pipe): give the name of a regular file") != NULL);
    struct stat st;
    CHECK(stat(path_of("pipe"), &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK_OK(mumloc_optics_save(path_of("optics.json"), &optics));
    CHECK_OK(mumloc_optics_load(path_of("optics.json"), &optics));
}

int main(void) {
    alarm(60); /* a blocked open ends the test (SIGALRM) rather than hanging it */
    test_dir_create("io_input_file");
    CHECK(mkfifo(path_of("pipe"), 0600) == 0);
    CHECK(mkdir(path_of("folder"), 0777) == 0);
    readers_refuse(path_of("pipe"), "a FIFO (named pipe)");
    readers_refuse(path_of("folder"), "a directory");
    readers_refuse("/dev/zero", "a character device");
    test_outputs();
    rmdir(path_of("folder"));
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_input_file");
}
