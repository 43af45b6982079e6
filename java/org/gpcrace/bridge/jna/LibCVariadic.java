package org.gpcrace.bridge.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The variadic libc calls, which only JNA's interface mapping can call. */
interface LibCVariadic extends Library {
    LibCVariadic INSTANCE = Native.load("c", LibCVariadic.class);

    int open(String path, int flags, Object... mode);
    int ioctl(int fd, long request, Object... arg);
    long syscall(long number, Object... args);
}
