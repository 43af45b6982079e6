package org.gpcrace.bridges;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.AbiMismatchException;
import org.gpcrace.bridge.Abi;
import org.gpcrace.bridge.Layouts;
import java.util.List;
import org.gpcrace.bridge.ffm.FfmBridge;
import org.gpcrace.bridge.jna.JnaBridge;

/** Opens a bridge by name; each is created once per JVM and checks the ABI when it opens. */
public final class Bridges {
    public static final List<String> NAMES = List.of("ffm", "jna");
    private static volatile NativeBridge ffm;
    private static volatile NativeBridge jna;

    private Bridges() {}

    public static synchronized NativeBridge open(String name) {
        return switch (name) {
            case "ffm" -> ffm != null ? ffm : (ffm = checked(FfmBridge.create()));
            case "jna" -> jna != null ? jna : (jna = checked(JnaBridge.create()));
            default -> throw new IllegalArgumentException("unknown bridge '" + name + "' (expected ffm or jna)");
        };
    }

    /** The native helper's version string through the named bridge, opening as little as the call needs (--version). */
    public static String helperVersion(String name) {
        return name.equals("ffm") ? org.gpcrace.bridge.ffm.FfmVersion.helperVersion() : open(name).helperVersion();
    }

    /** The default bridge (FFM). */
    public static NativeBridge open() { return open("ffm"); }

    /** Refuses a helper whose ABI version or struct layouts differ from Java's. */
    /** Checks the ABI of a bridge made outside this factory (tests hand in a broken one). */
    public static NativeBridge checked(NativeBridge b) {
        if (b.helperAbiVersion() != Abi.VERSION) {
            throw new AbiMismatchException(b.name(), List.of("ABI version " + Abi.VERSION
                    + " in Java, " + b.helperAbiVersion() + " in " + b.helperVersion()));
        }
        List<String> bad = b.abiDescription().mismatches(Layouts.ALL);
        if (!bad.isEmpty()) throw new AbiMismatchException(b.name(), bad);
        return b;
    }
}
