package org.gpcrace.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gpcrace.compare.ResultsSchema;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.RunInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The host block results.json carries is read from this machine's files, complete where they exist, and schema-valid. */
class HostFactsInfoTest {

    @Test
    void thisHostsBlockNamesItsKernelConfigKvmParametersAndMitigationsAndIsValid() throws Exception {
        HostInfo h = HostFacts.probe().info();
        var doc = new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "now", h,
                new RunInfo("run gpc", "ffm", "jvm", "jvm", List.of(), "dev", RunInfo.buildCommit(), Map.of()), List.of());
        assertEquals(List.of(), ResultsSchema.problems("doc", Json.MAPPER.readTree(Json.write(doc))));
        assertFalse(h.kernelBuild().isBlank());
        // each fact is asserted where this machine publishes it, so a reader that silently lost one fails here
        if (Files.isReadable(Path.of("/proc/config.gz"))) {
            assertEquals("/proc/config.gz", h.kernelConfigSource());
            assertTrue(h.kernelConfig().containsKey("PREEMPT_RT") || h.kernelConfig().containsKey("PREEMPT_DYNAMIC"), h.kernelConfig().toString());
            assertTrue(h.kernelConfig().containsKey("KVM"), h.kernelConfig().toString());
        }
        if (Files.isDirectory(Path.of("/sys/module/kvm/parameters"))) {
            assertTrue(h.kvm().containsKey("kvm") && h.kvm().get("kvm").containsKey("halt_poll_ns"), h.kvm().toString());
        }
        if (Files.isDirectory(Path.of("/sys/devices/system/cpu/vulnerabilities"))) {
            assertTrue(h.vulnerabilities().containsKey("spectre_v2"), h.vulnerabilities().toString());
        }
        boolean hypervisorBit = Files.readString(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("flags"))
                .anyMatch(l -> (l + " ").contains(" hypervisor "));
        assertEquals(hypervisorBit, h.nested());
    }

    @Test
    void kernelConfigKeepsTheOptionsThatMatterWithNotSetAsN() {
        Map<String, String> c = KernelConfig.parse("CONFIG_PREEMPT_RT=y\n# CONFIG_KASAN is not set\nCONFIG_HZ=250\nCONFIG_KVM=m\n"
                + "CONFIG_SOMETHING_ELSE=y\nCONFIG_LOCALVERSION=\"-rt\"\n");
        assertEquals(Map.of("PREEMPT_RT", "y", "KASAN", "n", "HZ", "250", "KVM", "m"), c);
    }

    @Test
    void theBuildRecordedItsCommit() {
        // a build from a git tree (this one, or CI's fresh clone) records git describe; outside one, "unknown"
        Assumptions.assumeTrue(Files.exists(Path.of(".git")), "not built from a git tree: the commit is 'unknown' by design");
        String c = RunInfo.buildCommit();
        assertNotEquals("unknown", c);
        assertTrue(c.matches("[0-9A-Za-z._/+-]+"), c);
    }
}
