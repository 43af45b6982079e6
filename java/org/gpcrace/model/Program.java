package org.gpcrace.model;

import java.util.List;

/**
 * One actor's code: instructions run from index 0; the actor has finished when its program
 * counter reaches the end. Each instruction may name where control goes next ({@code next},
 * -1 = the following instruction) and alternative targets ({@code alt}, {@code alt2}, {@code alt3}) of a
 * branching step; {@code arg} parameterizes the op (which lock, which event), {@code what} says
 * what the instruction is for. A daemon actor (a kick's signal in flight, the defer worker) may
 * wait forever without that being a deadlock.
 */
public record Program(String actor, String role, boolean daemon, List<Instr> code) {

    public record Instr(Op op, int next, int alt, int alt2, int alt3, int arg, String what) {
        /** How reachability names the instruction: its role in the program and its op. */
        public String label(String role) { return role + ": " + (what.isEmpty() ? op.text() : what); }
    }

    public int size() { return code.size(); }

    public Instr at(int pc) { return code.get(pc); }

    /** The follow-on of {@code pc}: its explicit next, or the next instruction. */
    public int next(int pc) {
        int n = code.get(pc).next();
        return n >= 0 ? n : pc + 1;
    }

    /** A numbered listing, with jumps, as printed by `gpcrace model --programs`. */
    public String listing() {
        StringBuilder s = new StringBuilder(actor).append(daemon ? " (daemon)" : "").append(":\n");
        for (int pc = 0; pc < code.size(); pc++) {
            Instr i = code.get(pc);
            s.append(String.format("  %2d  %s", pc, i.what().isEmpty() ? i.op().text() : i.what()));
            if ((i.arg() & Programs.JOIN) != 0) s.append("  (joins the step before)");
            if ((i.arg() & Programs.FUSE) != 0) s.append((i.arg() & Programs.INVISIBLE) != 0 ? "  (one step with the next, waits with it)"
                    : "  (goes on into the next)");
            if (i.next() >= 0) s.append("  -> ").append(i.next() == code.size() ? "end" : i.next());
            if (i.alt() >= 0) s.append("  [alt -> ").append(i.alt() == code.size() ? "end" : i.alt()).append(']');
            if (i.alt2() >= 0) s.append("  [alt2 -> ").append(i.alt2() == code.size() ? "end" : i.alt2()).append(']');
            if (i.alt3() >= 0) s.append("  [alt3 -> ").append(i.alt3() == code.size() ? "end" : i.alt3()).append(']');
            s.append('\n');
        }
        return s.toString();
    }
}
