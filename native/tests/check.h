/* Minimal check macros for the native tests: print the failed expression, file, line, errno. */
#ifndef GPCRACE_CHECK_H
#define GPCRACE_CHECK_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...) do { \
    if (!(cond)) { \
        fprintf(stderr, "%s:%d: CHECK(%s) failed (errno %d %s): ", __FILE__, __LINE__, #cond, \
                errno, strerror(errno)); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); \
    } } while (0)
#endif
