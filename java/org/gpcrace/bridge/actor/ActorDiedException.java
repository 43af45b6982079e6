package org.gpcrace.bridge.actor;

/** The actor process ended while a call waited for it (a crash, a kill): the call's work is lost. */
public final class ActorDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ActorDiedException(String message) { super(message); }
}
