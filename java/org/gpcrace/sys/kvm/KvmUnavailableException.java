package org.gpcrace.sys.kvm;

import org.gpcrace.result.Skip;

/** /dev/kvm cannot be used here: the reason and the exact fix, reported as a skip. */
public final class KvmUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String fix;

    public KvmUnavailableException(String reason, String fix, Throwable cause) {
        super(reason, cause);
        this.fix = fix;
    }

    public Skip skip() { return new Skip(getMessage(), fix); }
}
