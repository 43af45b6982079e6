/* The ABI description is complete and self-consistent: every field lies inside its struct. */
#include "gpcrace.h"
#include "check.h"
#include <string.h>

int main(void)
{
    int n = gpcrace_abi_struct_count();
    CHECK(n > 0, "no structs described");
    for (int s = 0; s < n; s++) {
        const char *name = gpcrace_abi_struct_name(s);
        int64_t size = gpcrace_abi_struct_size(s);
        CHECK(name && *name, "struct %d has no name", s);
        CHECK(size > 0, "%s: size %lld", name, (long long)size);
        int nf = gpcrace_abi_field_count(s);
        CHECK(nf > 0, "%s: no fields", name);
        for (int f = 0; f < nf; f++) {
            const char *fname = gpcrace_abi_field_name(s, f);
            int64_t off = gpcrace_abi_field_offset(s, f), fsz = gpcrace_abi_field_size(s, f);
            CHECK(fname && off >= 0 && fsz > 0 && off + fsz <= size, "%s.%s: offset %lld size %lld",
                  name, fname ? fname : "?", (long long)off, (long long)fsz);
        }
    }
    const char *text = gpcrace_abi_text();
    CHECK(text != NULL, "no ABI text");
    int lines = 0, structs = 0;
    for (const char *p = text; *p; p++) {
        if (p == text || p[-1] == '\n') structs += *p == 'S';
        lines += *p == '\n';
    }
    int fields = 0;
    for (int s = 0; s < n; s++) fields += gpcrace_abi_field_count(s);
    CHECK(structs == n && lines == n + fields, "ABI text: %d struct lines of %d lines, want %d of %d", structs, lines, n, n + fields);
    CHECK(strncmp(text, "S ", 2) == 0 && strstr(text, gpcrace_abi_struct_name(0)) == text + 2, "ABI text starts with the first struct");
    CHECK(gpcrace_abi_struct_name(n) == NULL && gpcrace_abi_struct_size(-1) == -1, "bounds");
    CHECK(strcmp(gpcrace_errno_name(ENOMEM), "ENOMEM") == 0, "errno name");
    CHECK(gpcrace_errno_name(99999) == NULL, "unknown errno");
    CHECK(gpcrace_noop(42) == 42, "noop");
    printf("test_abi: %d structs ok\n", n);
    return 0;
}
