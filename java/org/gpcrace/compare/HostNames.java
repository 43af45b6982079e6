package org.gpcrace.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.RunInfo;

/**
 * Column names of a comparison of hosts, from each results file's host block: CPU model, kernel,
 * and whether the machine is a guest (nested) or bare metal. Hosts with equal names are told
 * apart by the first facts that differ among them (hostname, microcode, kernel build, THP,
 * mitigations, then how the run was made: bridge, isolation, commit, options), then by the
 * directory the file came from (a fleet fetches each host into a directory named after it),
 * then by position.
 */
public final class HostNames {
    private HostNames() {}

    /** A column's name as one line, and as the lines of a table header. */
    public record Name(String line, List<String> lines) {}

    public static List<Name> of(List<Input> inputs) {
        List<List<String>> base = new ArrayList<>();
        for (Input in : inputs) base.add(base(in));
        List<List<String>> out = new ArrayList<>();
        for (List<String> b : base) out.add(new ArrayList<>(b));
        for (int i = 0; i < inputs.size(); i++) {
            List<Integer> same = new ArrayList<>();
            for (int j = 0; j < inputs.size(); j++) if (base.get(j).equals(base.get(i))) same.add(j);
            if (same.size() < 2) continue;
            List<String> told = distinguish(inputs, same, i);
            if (!told.isEmpty()) out.get(i).add(String.join(", ", told));
        }
        // still equal (the same file twice, identical runs from one directory): by position among the equals
        List<Name> names = new ArrayList<>();
        Map<List<String>, Integer> seen = new LinkedHashMap<>();
        Map<List<String>, Integer> total = new LinkedHashMap<>();
        for (List<String> o : out) total.merge(o, 1, Integer::sum);
        for (List<String> o : out) {
            List<String> lines = new ArrayList<>(o);
            if (total.get(o) > 1) lines.add("#" + seen.merge(o, 1, Integer::sum));
            names.add(new Name(String.join(", ", lines), List.copyOf(lines)));
        }
        return names;
    }

    /** "AMD EPYC 7763", "Linux 6.1.0-18-amd64", "nested" / "bare metal"; a litmus log: its file name. */
    static List<String> base(Input in) {
        HostInfo h = in.host();
        if (h == null) return List.of(in.shortName());
        return List.of(shortCpu(h.cpuModel()), "Linux " + h.kernel(), h.nested() ? "nested" : "bare metal");
    }

    /** The CPU model without trademarks, "CPU" and the nominal clock: "Intel Xeon Platinum 8375C". */
    static String shortCpu(String model) {
        if (model == null) return "unknown CPU";
        String s = model.replaceAll("\\((R|r|TM|tm)\\)", "").replaceAll("\\s+CPU\\b", "").replaceAll("\\s*@\\s*[0-9.]+\\s*GHz", "")
                .replaceAll("\\s+\\d+-Core Processor", "").replaceAll("\\s+", " ").strip();
        return s.isEmpty() ? model.strip() : s;
    }

    /** The facts that differ among the inputs {@code same} (equal base names), as input i has them; at most two. */
    private static List<String> distinguish(List<Input> inputs, List<Integer> same, int i) {
        List<Map<String, String>> facts = new ArrayList<>();
        for (Input in : inputs) facts.add(facts(in));
        List<String> keys = new ArrayList<>();
        for (int j : same) for (String k : facts.get(j).keySet()) if (!keys.contains(k)) keys.add(k);
        List<String> told = new ArrayList<>();
        for (String k : keys) {
            String v = facts.get(i).get(k);
            boolean differs = same.stream().anyMatch(j -> !Objects.equals(facts.get(j).get(k), v));
            if (differs) told.add(k + "=" + (v == null ? "-" : v));
            if (told.size() == 2) break;
        }
        return told;
    }

    /** What can tell two runs on equal-looking hosts apart, in the order it is tried. */
    private static Map<String, String> facts(Input in) {
        Map<String, String> f = new LinkedHashMap<>();
        HostInfo h = in.host();
        if (h != null) {
            f.put("host", h.hostname());
            f.put("microcode", h.microcode());
            f.put("build", h.kernelBuild());
            f.put("thp", h.thpMode());
            f.put("mitigations", h.mitigations());
            f.put("PREEMPT_RT", h.preemptRt() ? "y" : "n");
        }
        RunInfo r = in.run();
        if (r != null) {
            f.put("bridge", r.bridge());
            f.put("isolation", r.isolation());
            f.put("commit", r.toolCommit());
            r.options().forEach((k, v) -> f.put(k, String.valueOf(v)));
        }
        f.put("from", in.origin());
        return f;
    }
}
