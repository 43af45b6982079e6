package org.gpcrace.model.faultreader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;

/**
 * fault-in-reader as a small transition system, explored exhaustively (breadth first, sequential
 * consistency): the same actors and steps as native/src/fault_reader_actors.c, at the same
 * granularity. One batch of {@code pages} pages; each reader makes up to {@code sections}
 * read-side sections over every page.
 *
 * <pre>
 *   reader     read_lock | touch page k (enabled only while k is mapped: a fault waits)
 *              | read_unlock                        (wait-outside-reader: touching an unmapped page
 *              raises SIGBUS: read_unlock, wait outside until k is mapped, begin the section again)
 *   migrator   unmap every page (migrate_folio_unmap), then per page: UFFDIO_COPY (migrate_folio_move),
 *              synchronize_rcu begins (it waits for every reader inside a global-domain section now),
 *              synchronize_rcu returns (enabled once they all left), free the old frame
 *              (srcu variants: call_srcu; a final srcu_barrier); preallocate: unmap + UFFDIO_COPY per page,
 *              then one grace period, then the frees
 *   reclaimer  (srcu variants) synchronize_srcu of the separate domain, then free what was queued
 * </pre>
 *
 * A final state with no step enabled while work is left is a deadlock. A grace period that waits
 * for a reader blocked in a fault can only end once the migrator maps the page, which it does
 * after that grace period: in these programs such a wait is always the cycle, so the model has no
 * separate stall (a long grace period that ends by itself).
 */
public final class FaultReaderModel {
    /** Outcome of the exploration: final states per kind, and the shortest path to a deadlock. */
    public record Exploration(long states, long transitions, long finalStates, long deadlocks, long migrated, int maxDepth,
            List<String[]> deadlockTrace, double seconds) {}

    private enum M { UNMAP, COPY, GP_START, GP_END, FREE, QUEUE, BARRIER }

    private record MStep(M kind, int page) {}

    private final FaultReaderVariant variant;
    private final int readers, pages, sections;
    private final List<MStep> program = new ArrayList<>();

    // state layout (int[]): [0] present bits, [1] migrator pc, [2] gp wait set, [3] reclaimer queued,
    // [4] reclaimer taking, [5] reclaimer pc (0 idle, 1 in synchronize_srcu), [6] srcu wait set,
    // then per reader: pc, inCs, sections left, page waited for outside (-1)
    private static final int R0 = 7, RW = 4;

    public FaultReaderModel(FaultReaderVariant variant, int readers, int pages, int sections) {
        if (readers < 1 || readers > 3 || pages < 2 || pages > 3 || sections < 1 || sections > 3) {
            throw new IllegalArgumentException("model: 1-3 readers, 2-3 pages, 1-3 sections");
        }
        this.variant = variant;
        this.readers = readers;
        this.pages = pages;
        this.sections = sections;
        boolean deferred = variant == FaultReaderVariant.SRCU_DOMAIN || variant == FaultReaderVariant.SRCU_BUSTED;
        if (variant == FaultReaderVariant.PREALLOCATE) {
            for (int i = 0; i < pages; i++) { program.add(new MStep(M.UNMAP, i)); program.add(new MStep(M.COPY, i)); }
            program.add(new MStep(M.GP_START, -1));
            program.add(new MStep(M.GP_END, -1));
            for (int i = 0; i < pages; i++) program.add(new MStep(M.FREE, i));
        } else {
            for (int i = 0; i < pages; i++) program.add(new MStep(M.UNMAP, i));
            for (int i = 0; i < pages; i++) {
                program.add(new MStep(M.COPY, i));
                program.add(new MStep(M.GP_START, -1));
                program.add(new MStep(M.GP_END, -1));
                program.add(new MStep(deferred ? M.QUEUE : M.FREE, i));
            }
            if (deferred) program.add(new MStep(M.BARRIER, -1));
        }
    }

    private boolean deferred() { return variant == FaultReaderVariant.SRCU_DOMAIN || variant == FaultReaderVariant.SRCU_BUSTED; }

    private int[] initial() {
        int[] s = new int[R0 + RW * readers];
        s[0] = (1 << pages) - 1;
        for (int r = 0; r < readers; r++) {
            s[R0 + RW * r + 2] = sections;
            s[R0 + RW * r + 3] = -1;
        }
        return s;
    }

    private record Move(int[] next, String actor, String step) {}

    /** Every step enabled in s. */
    private List<Move> moves(int[] s) {
        List<Move> out = new ArrayList<>();
        int pc = s[1];
        if (pc < program.size()) {
            MStep m = program.get(pc);
            int[] n = s.clone();
            n[1]++;
            String step = switch (m.kind()) {
                case UNMAP -> { n[0] &= ~(1 << m.page()); yield "unmap page " + m.page() + " (migrate_folio_unmap)"; }
                case COPY -> { n[0] |= 1 << m.page(); yield "UFFDIO_COPY page " + m.page() + " (migrate_folio_move)"; }
                case GP_START -> {
                    int w = 0;
                    for (int r = 0; r < readers; r++) if (s[R0 + RW * r + 1] == 1 && variant.readersInGlobalDomain()) w |= 1 << r;
                    n[2] = w;
                    yield "synchronize_rcu begins (waits for " + readerList(w) + ")";
                }
                case GP_END -> s[2] == 0 ? "synchronize_rcu returns" : null;
                case FREE -> "free old frame " + m.page();
                case QUEUE -> { n[3]++; yield "call_srcu(free old frame " + m.page() + ")"; }
                case BARRIER -> s[3] == 0 && s[5] == 0 ? "srcu_barrier" : null;
            };
            if (step != null) out.add(new Move(n, "migrator", step));
        }
        if (deferred()) {
            if (s[5] == 0 && s[3] > 0) {
                int[] n = s.clone();
                int w = 0;
                for (int r = 0; r < readers; r++) if (s[R0 + RW * r + 1] == 1 && !variant.readersInGlobalDomain()) w |= 1 << r;
                n[4] = s[3];
                n[5] = 1;
                n[6] = w;
                out.add(new Move(n, "reclaimer", "synchronize_srcu begins"));
            } else if (s[5] == 1 && s[6] == 0) {
                int[] n = s.clone();
                n[3] -= s[4];
                n[4] = 0;
                n[5] = 0;
                out.add(new Move(n, "reclaimer", "synchronize_srcu returns; free the queued frames"));
            }
        }
        for (int r = 0; r < readers; r++) reader(s, r, out);
        return out;
    }

    private void reader(int[] s, int r, List<Move> out) {
        int o = R0 + RW * r, pc = s[o], left = s[o + 2], waiting = s[o + 3];
        String who = "reader" + r, lock = variant.readersInGlobalDomain() ? "rcu_read" : "srcu_read";
        if (waiting >= 0) {
            if ((s[0] & (1 << waiting)) != 0) {
                int[] n = s.clone();
                n[o + 3] = -1;
                out.add(new Move(n, who, "page " + waiting + " is mapped: stop waiting outside, begin the section again"));
            }
            return;
        }
        if (pc == 0) {
            if (left == 0) return;
            int[] n = s.clone();
            n[o] = 1;
            n[o + 1] = 1;
            out.add(new Move(n, who, lock + "_lock"));
        } else if (pc <= pages) {
            int k = pc - 1;
            if ((s[0] & (1 << k)) != 0) {
                int[] n = s.clone();
                n[o]++;
                out.add(new Move(n, who, "touch page " + k));
            } else if (variant == FaultReaderVariant.WAIT_OUTSIDE) {
                int[] n = leave(s, r);
                n[o] = 0;
                n[o + 3] = k;
                out.add(new Move(n, who, "touch page " + k + ": SIGBUS, " + lock + "_unlock, wait outside"));
            } // else: the fault waits in the kernel, no step
        } else {
            int[] n = leave(s, r);
            n[o] = 0;
            n[o + 2]--;
            out.add(new Move(n, who, lock + "_unlock"));
        }
    }

    /** Leaves the read-side section: no grace period waits for this reader any more. */
    private int[] leave(int[] s, int r) {
        int[] n = s.clone();
        n[R0 + RW * r + 1] = 0;
        n[2] &= ~(1 << r);
        n[6] &= ~(1 << r);
        return n;
    }

    private String readerList(int set) {
        List<String> l = new ArrayList<>();
        for (int r = 0; r < readers; r++) if ((set & (1 << r)) != 0) l.add("reader" + r);
        return l.isEmpty() ? "no reader" : String.join(", ", l);
    }

    private boolean workLeft(int[] s) {
        if (s[1] < program.size() || s[3] > 0) return true;
        for (int r = 0; r < readers; r++) if (s[R0 + RW * r + 2] > 0 || s[R0 + RW * r + 3] >= 0) return true;
        return false;
    }

    private static String key(int[] s) { return java.util.Arrays.toString(s); }

    public Exploration explore(int maxStates) {
        long t0 = System.nanoTime();
        Map<String, String[]> parent = new HashMap<>(); // key -> {parent key, actor, step}
        Map<String, Integer> depth = new HashMap<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        int[] init = initial();
        parent.put(key(init), null);
        depth.put(key(init), 0);
        queue.add(init);
        long transitions = 0, finals = 0, deadlocks = 0, migrated = 0;
        int maxDepth = 0;
        String firstDeadlock = null;
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            String k = key(s);
            List<Move> ms = moves(s);
            if (ms.isEmpty()) {
                finals++;
                if (workLeft(s)) {
                    deadlocks++;
                    if (firstDeadlock == null) firstDeadlock = k;
                } else {
                    migrated++;
                }
                continue;
            }
            for (Move m : ms) {
                transitions++;
                String nk = key(m.next());
                if (parent.containsKey(nk)) continue;
                if (parent.size() >= maxStates) throw new IllegalStateException("model: more than " + maxStates + " states");
                parent.put(nk, new String[] {k, m.actor(), m.step()});
                int d = depth.get(k) + 1;
                depth.put(nk, d);
                maxDepth = Math.max(maxDepth, d);
                queue.add(m.next());
            }
        }
        List<String[]> trace = new ArrayList<>();
        for (String at = firstDeadlock; at != null && parent.get(at) != null; at = parent.get(at)[0]) {
            trace.addFirst(new String[] {parent.get(at)[1], parent.get(at)[2]});
        }
        return new Exploration(parent.size(), transitions, finals, deadlocks, migrated, maxDepth, trace, (System.nanoTime() - t0) / 1e9);
    }

    /** The migrator's program, one step a line (for --programs and the README). */
    public List<String> migratorProgram() { return program.stream().map(m -> m.kind() + (m.page() >= 0 ? " " + m.page() : "")).toList(); }
}
