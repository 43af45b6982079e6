package org.gpcrace.scenario.kvm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.kvm.Kvm;
import org.gpcrace.sys.kvm.KvmApi;
import org.gpcrace.sys.kvm.KvmVcpu;
import org.gpcrace.sys.kvm.KvmVm;

/**
 * The smallest guest with live GPCs. Two memslots over private anonymous memory mapped by Java:
 * <ul>
 *   <li>slot 0, gpa 0: the code page, {@code hlt; jmp $-1} (every KVM_RUN enters, halts, returns
 *       KVM_EXIT_HLT), shared by every vCPU;</li>
 *   <li>slot 2, gpa 2 MiB: the data region, where each vCPU's kvmclock structure lives:
 *       MSR_KVM_SYSTEM_TIME_NEW = gpa | 1 activates that vCPU's pv_time gfn-to-pfn cache. The
 *       region is 16 anonymous pages, or one 2 MiB THP region (thp backing: collapse, split);
 *       the last page is the KSM twin. With {@code alternate} a second region of the same shape
 *       exists, and {@link #flipDataSlot} deletes slot 2 and adds it back over the other one.</li>
 * </ul>
 * The code never lives in the data region, so invalidating data never takes the guest's code
 * away. Several vCPUs put their structures on the same page (32 bytes apart) or on distinct pages.
 * close() releases everything, in reverse order.
 */
public final class PvclockGuest implements AutoCloseable {
    public static final long CODE_GFN = 0;
    static final int CODE_SLOT = 0;
    /** Slot 1 is the memslot updater's (MemslotUpdater). */
    static final int DATA_SLOT = 2;
    /** 2 MiB-aligned on both sides, so a THP region can be mapped huge in the guest too. */
    public static final long DATA_GPA = 2L << 20;
    static final long ANON_DATA_PAGES = 16;
    public static final int MAX_VCPUS = 8;
    /** A byte of the pvclock page that no vCPU's structure covers: the writes that break COW or refault the page go here. */
    static final long SPARE_OFFSET = 4000;
    /** hlt; jmp back to the hlt (EB FD: jmp -3 from the end of the jmp). */
    private static final byte[] CODE = {(byte) 0xf4, (byte) 0xeb, (byte) 0xfd};

    private static final VarHandle VERSION = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("version"));
    private static final VarHandle SYSTEM_TIME = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("system_time"));
    private static final VarHandle MUL = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("tsc_to_system_mul"));

    /**
     * The guest's shape.
     *
     * @param distinctPages each vCPU's structure on its own page (else all on page 0, 32 bytes apart)
     * @param alternate     a second data region for {@link #flipDataSlot}
     */
    public record Layout(int vcpus, boolean distinctPages, Backing backing, boolean alternate) {
        public Layout {
            if (vcpus < 1 || vcpus > MAX_VCPUS) throw new IllegalArgumentException("--vcpus must be 1.." + MAX_VCPUS + ", got " + vcpus);
            if (backing != Backing.ANON && backing != Backing.THP) throw new IllegalArgumentException("kvm-pvclock backs its data with anon or thp");
        }

        public static Layout single() { return new Layout(1, false, Backing.ANON, false); }

        long dataPages() { return backing == Backing.THP ? Linux.HUGE_PAGE_SIZE / Linux.PAGE_SIZE : ANON_DATA_PAGES; }
    }

    private final Kvm kvm;
    private final KvmVm vm;
    private final Layout layout;
    private final GuestMemory code;
    private final GuestMemory[] data;
    private final List<KvmVcpu> vcpus;
    /** [region][vcpu]: allocated once, the vCPU loop allocates nothing. */
    private final MemorySegment[][] pvclock;
    private final MemorySegment regionBuf;
    private final Arena arena = Arena.ofShared();
    private volatile int current;
    private boolean closed;

    private PvclockGuest(Kvm kvm, KvmVm vm, Layout layout, GuestMemory code, GuestMemory[] data, List<KvmVcpu> vcpus) {
        this.kvm = kvm;
        this.vm = vm;
        this.layout = layout;
        this.code = code;
        this.data = data;
        this.vcpus = vcpus;
        this.pvclock = new MemorySegment[data.length][layout.vcpus()];
        for (int r = 0; r < data.length; r++) {
            for (int v = 0; v < layout.vcpus(); v++) {
                pvclock[r][v] = data[r].segment().asSlice(offsetOf(layout, v), Layouts.PVCLOCK_VCPU_TIME_INFO);
            }
        }
        this.regionBuf = KvmVm.regionBuffer(arena);
    }

    /** One vCPU, its structure on an anonymous page: the classic kvm-pvclock guest. */
    public static PvclockGuest create(NativeBridge bridge) { return create(bridge, Layout.single()); }

    /** Opens /dev/kvm (KvmUnavailableException when it cannot be used) and builds the guest. */
    public static PvclockGuest create(NativeBridge bridge, Layout layout) {
        Kvm kvm = Kvm.open(bridge);
        KvmVm vm = null;
        GuestMemory codeMem = null;
        GuestMemory[] data = new GuestMemory[layout.alternate() ? 2 : 1];
        try {
            vm = kvm.createVm();
            codeMem = GuestMemory.map(bridge, Backing.ANON, 1);
            MemorySegment c = codeMem.segment().asSlice(0, CODE.length);
            for (int i = 0; i < CODE.length; i++) c.set(JAVA_BYTE, i, CODE[i]);
            vm.setMemoryRegion(CODE_SLOT, 0, codeMem.bytes(), codeMem.base());
            for (int r = 0; r < data.length; r++) {
                data[r] = GuestMemory.map(bridge, layout.backing(), layout.dataPages());
                data[r].writeLong(0, SPARE_OFFSET & ~7, 1); // present, so the first refresh finds a page
            }
            vm.setMemoryRegion(DATA_SLOT, DATA_GPA, data[0].bytes(), data[0].base());
            List<KvmVcpu> vs = new ArrayList<>();
            for (int v = 0; v < layout.vcpus(); v++) {
                KvmVcpu vcpu = vm.createVcpu(v);
                vcpu.enterRealMode(CODE_GFN * Linux.PAGE_SIZE);
                vcpu.setMsr(KvmApi.MSR_KVM_SYSTEM_TIME_NEW, gpaOf(layout, v) | 1);
                vs.add(vcpu);
            }
            return new PvclockGuest(kvm, vm, layout, codeMem, data, vs);
        } catch (RuntimeException | Error e) {
            List<AutoCloseable> all = new ArrayList<>(List.of());
            if (vm != null) all.add(vm);
            for (GuestMemory d : data) if (d != null) all.add(d);
            if (codeMem != null) all.add(codeMem);
            all.add(kvm);
            closeAll(e, all);
            throw e;
        }
    }

    private static long offsetOf(Layout l, int vcpu) {
        return l.distinctPages() ? vcpu * Linux.PAGE_SIZE : vcpu * Layouts.PVCLOCK_VCPU_TIME_INFO.byteSize();
    }

    static long gpaOf(Layout l, int vcpu) { return DATA_GPA + offsetOf(l, vcpu); }

    private static void closeAll(Throwable primary, List<AutoCloseable> cs) {
        for (AutoCloseable c : cs) {
            try {
                c.close();
            } catch (Exception e) {
                primary.addSuppressed(e);
            }
        }
    }

    public Layout layout() { return layout; }
    public KvmVm vm() { return vm; }
    public int vcpuCount() { return vcpus.size(); }
    public KvmVcpu vcpu(int v) { return vcpus.get(v); }
    /** vCPU 0. */
    public KvmVcpu vcpu() { return vcpus.get(0); }
    public NativeBridge bridge() { return code.bridge(); }

    /** The data region slot 2 maps now (0, or 1 after an odd number of flips). */
    public int currentRegion() { return current; }

    /** Base address of the data region {@code region}. */
    public long dataBase(int region) { return data[region].base(); }
    public long dataBase() { return dataBase(current); }
    public long dataBytes() { return data[0].bytes(); }

    /** Where vCPU {@code v}'s structure is in the process, in data region {@code region}. */
    public long pvclockAddress(int region, int v) { return data[region].base() + offsetOf(layout, v); }

    /** The number of data regions (2 with {@code alternate}). */
    public int regions() { return data.length; }

    /** Where vCPU {@code v}'s structure is in the process, in the region slot 2 maps now. */
    public long pvclockAddress(int v) { return data[current].base() + offsetOf(layout, v); }
    public long pvclockAddress() { return pvclockAddress(0); }

    /** The pages that hold some vCPU's structure: [first address, length) in the current region. */
    public long pvclockSpanBytes() { return layout.distinctPages() ? layout.vcpus() * Linux.PAGE_SIZE : Linux.PAGE_SIZE; }

    /** The last page of the current data region: no structure, the KSM twin. */
    public long twinAddress() { return data[current].base() + data[current].bytes() - Linux.PAGE_SIZE; }

    /** Zeroes vCPU v's structure in {@code region}: a write KVM then has to redo, through its GPC. */
    public void zeroPvclock(int region, int v) { pvclock[region][v].fill((byte) 0); }
    public int pvclockVersion(int region, int v) { return (int) VERSION.get(pvclock[region][v], 0L); }
    public long pvclockSystemTime(int region, int v) { return (long) SYSTEM_TIME.get(pvclock[region][v], 0L); }
    public int pvclockMul(int region, int v) { return (int) MUL.get(pvclock[region][v], 0L); }

    // the single-vCPU view (vCPU 0, current region)
    public void zeroPvclock() { zeroPvclock(current, 0); }
    public int pvclockVersion() { return pvclockVersion(current, 0); }
    public long pvclockSystemTime() { return pvclockSystemTime(current, 0); }
    public int pvclockMul() { return pvclockMul(current, 0); }

    /**
     * Activates (gpa | 1, kvm_gpc_activate + refresh) or deactivates (0, kvm_gpc_deactivate) vCPU
     * v's pv_time cache: the "without the cache" baseline of the sequential measurements.
     */
    public void setPvclockActive(int v, boolean on) {
        vcpus.get(v).setMsr(KvmApi.MSR_KVM_SYSTEM_TIME_NEW, on ? gpaOf(layout, v) | 1 : 0);
    }

    /**
     * The memslot source: deletes slot 2 and adds it back over the other data region (two
     * KVM_SET_USER_MEMORY_REGION calls, each ending in kvm_swap_active_memslots, which bumps the
     * memslot generation every GPC checks). The region index changes once the new slot is in.
     * One thread at a time (the invalidator).
     */
    public void flipDataSlot() {
        if (data.length < 2) throw new IllegalStateException("the guest was built without an alternate data region");
        int next = 1 - current;
        vm.setMemoryRegion(regionBuf, DATA_SLOT, DATA_GPA, 0, data[current].base());
        vm.setMemoryRegion(regionBuf, DATA_SLOT, DATA_GPA, data[next].bytes(), data[next].base());
        current = next;
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        List<AutoCloseable> all = new ArrayList<>();
        all.add(vm);
        all.addAll(List.of(data));
        all.add(code);
        all.add(kvm);
        all.add(arena::close);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
