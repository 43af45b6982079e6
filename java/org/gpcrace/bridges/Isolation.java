package org.gpcrace.bridges;

import java.util.Locale;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.actor.ActorBridge;

/**
 * Where the measured actors run (--isolation). PROCESS: in gpcrace-actor, an address space that
 * holds the actors and nothing else, so no JVM thread (JIT, GC) can make it active on another
 * CPU; JVM: in the JVM's own address space, through the bridge directly (needed by the Java
 * invalidator, and kept to compare the two).
 */
public enum Isolation implements org.gpcrace.util.HasId {
    PROCESS, JVM;

    @Override public String id() { return name().toLowerCase(Locale.ROOT); }

    /** The bridge the measured calls go through: the actor bridge over {@code local}, or {@code local} itself. */
    public NativeBridge bridge(NativeBridge local) {
        return this == PROCESS ? ActorBridge.shared(local) : local;
    }

    /** Starts the actor process of {@code local}'s actor bridge now, ahead of its first call (fast start). */
    public void prestart(NativeBridge local) {
        if (this == PROCESS) ActorBridge.shared(local).pid();
    }

    public static Isolation byId(String id) { return org.gpcrace.util.Ids.byId(Isolation.class, id, "--isolation mode"); }

    /** The mode a bridge given to a measurement stands for. */
    public static Isolation of(NativeBridge b) { return b instanceof org.gpcrace.bridge.Isolated ? PROCESS : JVM; }
}
