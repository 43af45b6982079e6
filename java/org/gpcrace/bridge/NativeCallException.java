package org.gpcrace.bridge;

/**
 * A native call failed: names the call, the arguments that matter and the errno (name and text),
 * e.g. {@code madvise(0x7f.., 4096, MADV_DONTNEED) failed: EINVAL (Invalid argument)}.
 */
public final class NativeCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;
    private final String errnoName;

    public NativeCallException(String call, int errno, String errnoName, String errnoText) {
        super(call + " failed: " + errnoName + " (" + errnoText + ")");
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    public String call() { return call; }
    public int errno() { return errno; }
    public String errnoName() { return errnoName; }
}
