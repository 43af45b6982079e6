package org.gpcrace.bridge;

import org.gpcrace.bridges.Bridges;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The load-time ABI check passes for the real layouts and fires, precisely, on a wrong one. */
class AbiCheckTest {

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void realLayoutsMatchTheHelper(String bridge) {
        assertEquals(List.of(), Bridges.open(bridge).abiDescription().mismatches(Layouts.ALL));
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void wrongOffsetAndSizeAreReported(String bridge) {
        // uffdio_api with 'features' as a 4-byte int: shifts 'ioctls' and shrinks the struct
        StructLayout wrong = MemoryLayout.structLayout(JAVA_LONG.withName("api"), JAVA_INT.withName("features"),
                JAVA_INT.withName("pad0"), JAVA_LONG.withName("ioctls")).withName("uffdio_api");
        List<String> bad = Bridges.open(bridge).abiDescription().mismatches(Map.of("uffdio_api", wrong));
        assertEquals(List.of("struct uffdio_api.features: size 4 in Java, 8 in C"), bad);
        StructLayout shifted = MemoryLayout.structLayout(JAVA_LONG.withName("api"), JAVA_LONG.withName("ioctls"),
                JAVA_LONG.withName("features")).withName("uffdio_api");
        List<String> bad2 = Bridges.open(bridge).abiDescription().mismatches(Map.of("uffdio_api", shifted));
        assertTrue(bad2.contains("struct uffdio_api.ioctls: offset 8 in Java, 16 in C"), bad2.toString());
    }

    @Test
    void bothBridgesReadTheSameTable() {
        AbiDescription ffm = Bridges.open("ffm").abiDescription(), jna = Bridges.open("jna").abiDescription();
        assertEquals(ffm, jna);
        assertTrue(ffm.structs().size() > 10 && ffm.structs().get("gpcrace_gpc_round").fields().containsKey("pfn_after"), ffm.toString());
    }

    @Test
    void tableTextParsesAndABadLineIsRefused() {
        AbiDescription d = AbiDescription.parse("S uffdio_api 24\nF api 0 8\nF features 8 8\nF ioctls 16 8\n");
        assertEquals(new AbiDescription.FieldInfo("ioctls", 16, 8), d.structs().get("uffdio_api").fields().get("ioctls"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AbiDescription.parse("S uffdio_api 24\nF api 0\n"));
        assertTrue(e.getMessage().contains("bad line: 'F api 0'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> AbiDescription.parse("F api 0 8\n"), "a field before any struct");
    }

    @Test
    void unknownStructIsReported() {
        StructLayout ghost = MemoryLayout.structLayout(JAVA_LONG.withName("x")).withName("ghost");
        assertEquals(List.of("struct ghost: the native helper does not describe it"),
                Bridges.open().abiDescription().mismatches(Map.of("ghost", ghost)));
    }

    @Test
    void bridgeWithWrongDescriptionRefusesToOpen() {
        NativeBridge real = Bridges.open();
        AbiDescription doctored = new AbiDescription.Builder().struct("uffdio_api", 24).field("api", 0, 8)
                .field("features", 8, 8).field("ioctls", 12, 8).struct("io_uring_params", 120).build();
        NativeBridge lying = (NativeBridge) Proxy.newProxyInstance(NativeBridge.class.getClassLoader(),
                new Class<?>[] {NativeBridge.class}, (p, m, a) -> m.getName().equals("abiDescription") ? doctored : m.invoke(real, a));
        AbiMismatchException e = assertThrows(AbiMismatchException.class, () -> Bridges.checked(lying));
        assertTrue(e.getMessage().contains("struct uffdio_api.ioctls: offset 16 in Java, 12 in C"), e.getMessage());
    }
}
