package org.gpcrace.util;

/** A constant with the id users type and files carry ("seqcount-srcu", "dontneed"). */
public interface HasId {
    String id();
}
