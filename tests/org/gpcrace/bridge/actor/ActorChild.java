package org.gpcrace.bridge.actor;

import org.gpcrace.bridges.Bridges;

/** A JVM that starts an actor, prints its pid and waits to be killed (ActorLifetimeTest). */
public final class ActorChild {
    private ActorChild() {}

    public static void main(String[] args) throws Exception {
        ActorBridge a = new ActorBridge(Bridges.open(args.length > 0 ? args[0] : "ffm"));
        System.out.println("actor " + a.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
