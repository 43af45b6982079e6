package org.gpcrace.model;

import java.util.List;

/**
 * One actor's code: instructions run from index 0; the actor has finished when its program
 * counter reaches the end. Each instruction may name where control goes next ({@code next},
 * -1 = the following instruction) and an alternative target ({@code alt}, {@code alt2}) used by
 * branching steps.
 */
public record Program(String actor, List<Instr> code) {

    public record Instr(Op op, int next, int alt, int alt2) {}

    public int size() { return code.size(); }

    public Instr at(int pc) { return code.get(pc); }

    /** The follow-on of {@code pc}: its explicit next, or the next instruction. */
    public int next(int pc) {
        int n = code.get(pc).next();
        return n >= 0 ? n : pc + 1;
    }

    /** A numbered listing, with jumps, as printed by `gpcrace model --programs`. */
    public String listing() {
        StringBuilder s = new StringBuilder(actor).append(":\n");
        for (int pc = 0; pc < code.size(); pc++) {
            Instr i = code.get(pc);
            s.append(String.format("  %2d  %s", pc, i.op().text()));
            if (i.next() >= 0) s.append("  -> ").append(i.next() == code.size() ? "end" : i.next());
            if (i.alt() >= 0) s.append("  [alt -> ").append(i.alt()).append(']');
            if (i.alt2() >= 0) s.append("  [alt2 -> ").append(i.alt2()).append(']');
            s.append('\n');
        }
        return s.toString();
    }
}
