package org.gpcrace.bridge;

import java.util.List;

/**
 * A bridge whose calls run in a process of their own (the actor process of
 * {@code --isolation process}): what a measurement needs to show that the measured address space
 * held only the actors.
 */
public interface Isolated {
    /** The pid of the process the calls act in. */
    long pid();

    /** CPUs the process's threads ran on during the last probe call or race batch. */
    List<Integer> lastCpus();

    /** Threads of that process alive at most during the last probe call or race batch. */
    int lastThreads();

    /** The CPU its request-taking thread waits on between calls (-1: any). */
    void home(int cpu);

    /** The JVM-side bridge that drives it. */
    NativeBridge local();
}
