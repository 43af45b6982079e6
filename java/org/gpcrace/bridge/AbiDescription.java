package org.gpcrace.bridge;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The C helper's description of the structs that cross the boundary (sizes, field offsets). */
public record AbiDescription(Map<String, StructInfo> structs) {

    public record FieldInfo(String name, long offset, long size) {}

    public record StructInfo(String name, long size, Map<String, FieldInfo> fields) {}

    /**
     * Compares Java layouts with this description. Returns one line per difference, empty when
     * they agree. Every Java struct must be described; every described field Java declares must
     * have the same offset and size (Java may omit fields it never touches, and padding).
     */
    public List<String> mismatches(Map<String, StructLayout> javaLayouts) {
        List<String> out = new ArrayList<>();
        for (var e : javaLayouts.entrySet()) {
            String name = e.getKey();
            StructLayout layout = e.getValue();
            StructInfo c = structs.get(name);
            if (c == null) {
                out.add("struct " + name + ": the native helper does not describe it");
                continue;
            }
            if (c.size() != layout.byteSize()) {
                out.add("struct " + name + ": size " + layout.byteSize() + " in Java, " + c.size() + " in C");
            }
            for (MemoryLayout m : layout.memberLayouts()) {
                if (m.name().isEmpty() || m.name().get().startsWith("pad")) continue;
                String f = m.name().get();
                FieldInfo cf = c.fields().get(f);
                if (cf == null) {
                    out.add("struct " + name + "." + f + ": the native helper does not describe it");
                    continue;
                }
                long off = layout.byteOffset(MemoryLayout.PathElement.groupElement(f));
                if (off != cf.offset()) {
                    out.add("struct " + name + "." + f + ": offset " + off + " in Java, " + cf.offset() + " in C");
                }
                if (m.byteSize() != cf.size()) {
                    out.add("struct " + name + "." + f + ": size " + m.byteSize() + " in Java, " + cf.size() + " in C");
                }
            }
        }
        return out;
    }

    /**
     * The table as gpcrace_abi_text() gives it: "S name size" per struct, then "F name offset
     * size" per field of it. Both bridges read it through this one parser.
     */
    public static AbiDescription parse(String text) {
        if (text == null) throw new IllegalStateException("the native helper gave no ABI description (out of memory)");
        Builder b = new Builder();
        for (String line : text.split("\n")) {
            String[] w = line.split(" ");
            if (w.length == 3 && w[0].equals("S")) b.struct(w[1], Long.parseLong(w[2]));
            else if (w.length == 4 && w[0].equals("F") && b.current != null) b.field(w[1], Long.parseLong(w[2]), Long.parseLong(w[3]));
            else throw new IllegalStateException("the native helper's ABI description has a bad line: '" + line + "'");
        }
        return b.build();
    }

    /** Builder used by the bridges while reading the table through their own calls. */
    public static final class Builder {
        private final Map<String, StructInfo> structs = new LinkedHashMap<>();
        private Map<String, FieldInfo> current;

        public Builder struct(String name, long size) {
            current = new LinkedHashMap<>();
            structs.put(name, new StructInfo(name, size, current));
            return this;
        }

        public Builder field(String name, long offset, long size) {
            current.put(name, new FieldInfo(name, offset, size));
            return this;
        }

        public AbiDescription build() { return new AbiDescription(Map.copyOf(structs)); }
    }
}
