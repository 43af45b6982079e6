package org.gpcrace.sys.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The ioctl numbers Java encodes from its layouts equal the ones gcc computes from <linux/kvm.h>
 * (values printed by a C program on x86-64: printf("%lx", (long)KVM_SET_USER_MEMORY_REGION) ...).
 */
class KvmApiTest {
    @Test
    void structIoctlsMatchTheKernelHeaders() {
        assertEquals(0x4020ae46L, KvmApi.KVM_SET_USER_MEMORY_REGION);
        assertEquals(0x8138ae83L, KvmApi.KVM_GET_SREGS);
        assertEquals(0x4138ae84L, KvmApi.KVM_SET_SREGS);
        assertEquals(0x8090ae81L, KvmApi.KVM_GET_REGS);
        assertEquals(0x4090ae82L, KvmApi.KVM_SET_REGS);
        assertEquals(0x4008ae89L, KvmApi.KVM_SET_MSRS);
        assertEquals(0x4030ae7bL, KvmApi.KVM_SET_CLOCK);
        assertEquals(0x8030ae7cL, KvmApi.KVM_GET_CLOCK);
    }

    @Test
    void plainIoctls() {
        assertEquals(0xae00L, KvmApi.KVM_GET_API_VERSION);
        assertEquals(0xae01L, KvmApi.KVM_CREATE_VM);
        assertEquals(0xae41L, KvmApi.KVM_CREATE_VCPU);
        assertEquals(0xae80L, KvmApi.KVM_RUN);
        assertEquals(0xaeadL, KvmApi.KVM_KVMCLOCK_CTRL);
        assertEquals(0xae60L, KvmApi.KVM_CREATE_IRQCHIP);
        assertEquals(0x8004ae98L, KvmApi.KVM_GET_MP_STATE);
        assertEquals(0x4004ae99L, KvmApi.KVM_SET_MP_STATE);
    }

    @Test
    void oversizedArgumentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ioc.iow(0xAE, 1, 1 << 14));
    }
}
