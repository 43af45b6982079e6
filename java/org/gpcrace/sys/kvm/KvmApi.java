package org.gpcrace.sys.kvm;

import org.gpcrace.bridge.Layouts;

/**
 * KVM uapi numbers (include/uapi/linux/kvm.h, arch/x86/include/uapi/asm/kvm.h). Ioctls that take
 * a struct are encoded from the size of its layout in {@link Layouts}, which the bridge checks
 * against the compiler's view at load: a struct that changed size changes the number too.
 */
public final class KvmApi {
    private KvmApi() {}

    static final int KVMIO = 0xAE;
    /** The only API version there has ever been. */
    public static final int API_VERSION = 12;

    // system ioctls (/dev/kvm)
    public static final long KVM_GET_API_VERSION = Ioc.io(KVMIO, 0x00);
    public static final long KVM_CREATE_VM = Ioc.io(KVMIO, 0x01);
    public static final long KVM_CHECK_EXTENSION = Ioc.io(KVMIO, 0x03);
    public static final long KVM_GET_VCPU_MMAP_SIZE = Ioc.io(KVMIO, 0x04);
    // VM ioctls
    public static final long KVM_CREATE_VCPU = Ioc.io(KVMIO, 0x41);
    public static final long KVM_CREATE_IRQCHIP = Ioc.io(KVMIO, 0x60);
    public static final long KVM_SET_USER_MEMORY_REGION = Ioc.iow(KVMIO, 0x46, Layouts.KVM_USERSPACE_MEMORY_REGION.byteSize());
    public static final long KVM_SET_CLOCK = Ioc.iow(KVMIO, 0x7b, Layouts.KVM_CLOCK_DATA.byteSize());
    public static final long KVM_GET_CLOCK = Ioc.ior(KVMIO, 0x7c, Layouts.KVM_CLOCK_DATA.byteSize());
    // vCPU ioctls
    public static final long KVM_RUN = Ioc.io(KVMIO, 0x80);
    public static final long KVM_GET_REGS = Ioc.ior(KVMIO, 0x81, Layouts.KVM_REGS.byteSize());
    public static final long KVM_SET_REGS = Ioc.iow(KVMIO, 0x82, Layouts.KVM_REGS.byteSize());
    public static final long KVM_GET_SREGS = Ioc.ior(KVMIO, 0x83, Layouts.KVM_SREGS.byteSize());
    public static final long KVM_SET_SREGS = Ioc.iow(KVMIO, 0x84, Layouts.KVM_SREGS.byteSize());
    public static final long KVM_SET_MSRS = Ioc.iow(KVMIO, 0x89, Layouts.KVM_MSRS.byteSize());
    public static final long KVM_KVMCLOCK_CTRL = Ioc.io(KVMIO, 0xad);
    /** struct kvm_mp_state { __u32 mp_state; } */
    public static final long KVM_GET_MP_STATE = Ioc.ior(KVMIO, 0x98, 4);
    public static final long KVM_SET_MP_STATE = Ioc.iow(KVMIO, 0x99, 4);
    public static final int KVM_MP_STATE_RUNNABLE = 0, KVM_MP_STATE_HALTED = 3;

    // capabilities
    public static final long KVM_CAP_SYNC_MMU = 16;
    public static final long KVM_CAP_ADJUST_CLOCK = 39;
    public static final long KVM_CAP_KVMCLOCK_CTRL = 76;

    /** MSR_KVM_SYSTEM_TIME_NEW: gpa | 1 activates the vCPU's kvmclock (the pv_time GPC). */
    public static final int MSR_KVM_SYSTEM_TIME_NEW = 0x4b564d01;

    public static final int KVM_EXIT_HLT = 5;
    public static final int KVM_EXIT_INTR = 10;

    /** kvm_run.exit_reason as text, for error messages. */
    public static String exitName(int reason) {
        return switch (reason) {
            case 0 -> "KVM_EXIT_UNKNOWN";
            case 1 -> "KVM_EXIT_EXCEPTION";
            case 2 -> "KVM_EXIT_IO";
            case 4 -> "KVM_EXIT_DEBUG";
            case 5 -> "KVM_EXIT_HLT";
            case 6 -> "KVM_EXIT_MMIO";
            case 8 -> "KVM_EXIT_SHUTDOWN";
            case 9 -> "KVM_EXIT_FAIL_ENTRY";
            case 10 -> "KVM_EXIT_INTR";
            case 17 -> "KVM_EXIT_INTERNAL_ERROR";
            default -> "exit reason " + reason;
        };
    }
}
