package org.gpcrace.bridge.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import org.gpcrace.bridge.NativeLibrary;

/**
 * Shared plumbing of the FFM bridge classes: symbol lookup in libc and libgpcrace.so, downcall
 * handles with errno capture, the per-thread capture buffer, C strings.
 */
public final class Ffm {
    private Ffm() {}

    public static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final SymbolLookup HELPER = SymbolLookup.libraryLookup(NativeLibrary.path(), Arena.global());
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** One capture buffer per thread, so a call allocates nothing. */
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE_LAYOUT));

    /**
     * A downcall handle linked on first use. Linking spins classes for each call shape (3-5 ms
     * apiece at start-up, about 70 handles in all) and a command uses a handful of them, so only
     * the symbol is looked up at once (a missing one still fails when the class loads). Two
     * threads linking at once get equal handles (the linker caches them), so no lock.
     */
    public static final class Downcall {
        private final MemorySegment symbol;
        private final FunctionDescriptor fd;
        private final Linker.Option[] options;
        private volatile MethodHandle handle;

        private Downcall(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options) {
            this.symbol = find(lookup, name);
            this.fd = fd;
            this.options = options;
        }

        public MethodHandle get() {
            MethodHandle h = handle;
            if (h == null) handle = h = LINKER.downcallHandle(symbol, fd, options);
            return h;
        }
    }

    /** A libc function whose errno is captured: the handle takes the state segment first. */
    public static Downcall libcErrno(String name, FunctionDescriptor fd) {
        return new Downcall(LIBC, name, fd, ERRNO);
    }

    /** A variadic libc function (fixed arguments before {@code firstVariadic}), errno captured. */
    public static Downcall libcErrnoVariadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return new Downcall(LIBC, name, fd, ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** A libc function that cannot fail. */
    public static Downcall libc(String name, FunctionDescriptor fd) {
        return new Downcall(LIBC, name, fd);
    }

    /** A libgpcrace.so function. */
    public static Downcall helper(String name, FunctionDescriptor fd) {
        return new Downcall(HELPER, name, fd);
    }

    /** A libgpcrace.so function that sets errno on failure. */
    public static Downcall helperErrno(String name, FunctionDescriptor fd) {
        return new Downcall(HELPER, name, fd, ERRNO);
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("native symbol not found: " + name));
    }

    public static MemorySegment state() { return STATE.get(); }

    public static int errno(MemorySegment state) { return (int) ERRNO_HANDLE.get(state, 0L); }

    /** A NUL-terminated C string at a returned address, or null for NULL. */
    public static String string(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? null : p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    public static String hex(long v) { return "0x" + Long.toHexString(v); }

    /** invokeExact declares Throwable; anything but a RuntimeException or Error is a bug here. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed: " + t, t);
    }
}
