package org.gpcrace.sys.kvm;

/** The kernel's ioctl number encoding (include/uapi/asm-generic/ioctl.h): dir, size, type, nr. */
public final class Ioc {
    private Ioc() {}

    private static final int NONE = 0, WRITE = 1, READ = 2;

    private static long ioc(int dir, int type, int nr, long size) {
        if (size < 0 || size >= (1 << 14)) throw new IllegalArgumentException("ioctl argument size " + size + " does not fit 14 bits");
        return ((long) dir << 30) | (size << 16) | ((long) type << 8) | nr;
    }

    /** _IO(type, nr) */
    public static long io(int type, int nr) { return ioc(NONE, type, nr, 0); }

    /** _IOR(type, nr, size): the kernel writes the struct. */
    public static long ior(int type, int nr, long size) { return ioc(READ, type, nr, size); }

    /** _IOW(type, nr, size): the kernel reads the struct. */
    public static long iow(int type, int nr, long size) { return ioc(WRITE, type, nr, size); }

    /** _IOWR(type, nr, size) */
    public static long iowr(int type, int nr, long size) { return ioc(READ | WRITE, type, nr, size); }
}
