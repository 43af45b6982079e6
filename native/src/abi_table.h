/* Helpers to describe a struct for the ABI table in abi.c. */
#ifndef GPCRACE_ABI_TABLE_H
#define GPCRACE_ABI_TABLE_H
#include <stddef.h>
#include <stdint.h>

struct abi_field { const char *name; int64_t offset; int64_t size; };
struct abi_struct { const char *name; int64_t size; int nfields; const struct abi_field *fields; };

#define ABI_FIELD(type, field) { #field, (int64_t)offsetof(type, field), (int64_t)sizeof(((type *)0)->field) }
#define ABI_STRUCT(label, type, fieldarray) \
    { label, (int64_t)sizeof(type), (int)(sizeof(fieldarray) / sizeof(fieldarray[0])), fieldarray }
#endif
