package org.gpcrace.bridge.jna;

import com.sun.jna.Library;

/** libgpcrace.so as seen by JNA; one method per function of native/include/gpcrace.h used here. */
public interface LibGpcrace extends Library {
    // core
    String gpcrace_version();
    int gpcrace_abi_version();
    String gpcrace_errno_name(int err);
    long gpcrace_noop(long x);
    int gpcrace_abi_struct_count();
    String gpcrace_abi_struct_name(int s);
    long gpcrace_abi_struct_size(int s);
    int gpcrace_abi_field_count(int s);
    String gpcrace_abi_field_name(int s, int f);
    long gpcrace_abi_field_offset(int s, int f);
    long gpcrace_abi_field_size(int s, int f);

    // ---- sync / gpc

    // ---- probe

    // ---- kernel
    int gpcrace_pin_pipe(long fds);
    long gpcrace_pin_vmsplice(int pipeWr, long addr, long len);
    int gpcrace_pin_uring_open(long uring, int entries);
    int gpcrace_pin_uring_register(long uring, long addr, long len);
    int gpcrace_pin_uring_unregister(long uring);
    long gpcrace_pin_uring_write_fixed(long uring, int fd, long addr, long len, long offset);
    int gpcrace_pin_uring_close(long uring);
    int gpcrace_kvm_storm(long storm);
    void gpcrace_fairness_init(long fairness);
    int gpcrace_fairness_invalidator(long fairness, int index);
    long gpcrace_fairness_updater(long fairness, long waits, long n, long budgetNs);
}
