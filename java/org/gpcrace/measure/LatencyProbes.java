package org.gpcrace.measure;

import java.util.List;

/** Every probe of `gpcrace latency`, in the order `--probe all` runs them. */
public final class LatencyProbes {
    private LatencyProbes() {}

    public static List<LatencyProbe> all() {
        return List.of(new ClockProbe(), new MadviseProbe(), new ShootdownProbe(), new RefaultProbe(), new UffdRemoveProbe(),
                new DrainProbe(), new FutexProbe(), new BridgeProbe());
    }

    public static List<String> ids() { return all().stream().map(LatencyProbe::id).toList(); }

    public static LatencyProbe byId(String id) {
        return all().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--probe: unknown probe '" + id + "' (expected "
                        + String.join(", ", ids()) + ", or all)"));
    }
}
