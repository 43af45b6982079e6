package org.gpcrace.sys.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.sys.KvmAccess;
import org.gpcrace.bridge.Linux;

/**
 * /dev/kvm, opened and checked: API version 12, MMU notifiers (KVM_CAP_SYNC_MMU) and
 * KVM_CAP_KVMCLOCK_CTRL, or {@link KvmUnavailableException} with the fix. Creates VMs.
 */
public final class Kvm implements AutoCloseable {
    static final String ENABLE_FIX = "load kvm_intel or kvm_amd (modprobe), enable virtualization (nested: expose"
            + " VMX/SVM to this VM), and run as root or add the user to group kvm";

    private final NativeBridge bridge;
    private final int fd;
    private final int vcpuMmapSize;
    private boolean closed;

    private Kvm(NativeBridge bridge, int fd, int vcpuMmapSize) {
        this.bridge = bridge;
        this.fd = fd;
        this.vcpuMmapSize = vcpuMmapSize;
    }

    public static Kvm open(NativeBridge bridge) {
        int fd;
        try {
            fd = bridge.open("/dev/kvm", Linux.O_RDWR | Linux.O_CLOEXEC);
        } catch (NativeCallException e) {
            throw new KvmUnavailableException("/dev/kvm: " + e.errnoName() + " (" + e.getMessage() + ")", KvmAccess.fix(e.errnoName()), e);
        }
        try {
            long api = bridge.ioctl(fd, KvmApi.KVM_GET_API_VERSION, 0);
            if (api != KvmApi.API_VERSION) {
                throw new KvmUnavailableException("/dev/kvm API version " + api + ", expected " + KvmApi.API_VERSION,
                        "a Linux KVM (API version 12)", null);
            }
            if (bridge.ioctl(fd, KvmApi.KVM_CHECK_EXTENSION, KvmApi.KVM_CAP_SYNC_MMU) <= 0) {
                throw new KvmUnavailableException("KVM without MMU notifiers (KVM_CAP_SYNC_MMU = 0): it pins guest memory"
                        + " and has no GPC invalidation to observe", "a KVM built with MMU notifiers (any mainline x86 KVM)", null);
            }
            if (bridge.ioctl(fd, KvmApi.KVM_CHECK_EXTENSION, KvmApi.KVM_CAP_KVMCLOCK_CTRL) <= 0) {
                throw new KvmUnavailableException("KVM without KVM_CAP_KVMCLOCK_CTRL", "an x86 KVM (kvmclock)", null);
            }
            int size = (int) bridge.ioctl(fd, KvmApi.KVM_GET_VCPU_MMAP_SIZE, 0);
            return new Kvm(bridge, fd, size);
        } catch (RuntimeException e) {
            bridge.close(fd);
            throw e;
        }
    }

    public NativeBridge bridge() { return bridge; }

    int vcpuMmapSize() { return vcpuMmapSize; }

    public long checkExtension(long cap) { return bridge.ioctl(fd, KvmApi.KVM_CHECK_EXTENSION, cap); }

    /** KVM_CREATE_VM (default machine type). The VM must be closed before this Kvm. */
    public KvmVm createVm() {
        int vmFd = (int) bridge.ioctl(fd, KvmApi.KVM_CREATE_VM, 0);
        return new KvmVm(this, vmFd);
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        bridge.close(fd);
    }
}
