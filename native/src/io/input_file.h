/* Opening the files the library reads. Every reader goes through here so that anything but a
 * regular file is refused at once with a clear message: a FIFO would otherwise block the reader
 * until another process writes to it, /dev/zero never ends, and a folder "opens" but cannot be read. */
#ifndef IO_INPUT_FILE_H
#define IO_INPUT_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "mumloc.h"

/* Opens path read-only as a regular file and gives its size. what names the file in the message
 * when it cannot be opened ("model" → "cannot open model 'm.st': ..."; NULL → "cannot open 'x': ...").
 * Fails with MUMLOC_ERR_IO; nothing stays open on failure. */
mumloc_status input_open(const char *path, const char *what, int *fd, uint64_t *size);

/* Reads exactly n bytes at offset (pread, retried on EINTR). MUMLOC_ERR_IO "cannot read WHAT 'PATH':
 * why" on an error or when the file ends early (is it being written?). */
mumloc_status input_read_at(int fd, void *buf, size_t n, uint64_t offset, const char *path,
                                   const char *what);

/* The same as a stdio stream (binary reading). */
mumloc_status input_fopen(const char *path, const char *what, FILE **file);

/* What a file of this mode is, for messages: "a directory", "a FIFO (named pipe)", "a character
 * device", "a block device", "a socket", "not a regular file"; NULL for a regular file. */
const char *file_kind(mode_t mode);

#endif
