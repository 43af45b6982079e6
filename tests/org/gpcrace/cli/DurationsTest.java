package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one time parser: whole numbers (its fast path) and decimals give the same exact values and refusals. */
class DurationsTest {
    static long ns(String t) { return Durations.nanos(t, 1_000_000_000L, "--duration"); }

    @Test
    void wholeAndDecimalValuesAreExact() {
        assertEquals(500_000_000L, ns("500ms"));
        assertEquals(500_000_000L, ns("500.0ms"));
        assertEquals(5_000_000_000L, ns("5"));
        assertEquals(120_000_000_000L, ns("2m"));
        assertEquals(120_000_000_000L, ns("2min"));
        assertEquals(1500, ns("1.5us"));
        assertEquals(1, ns("0.0005us"), "half up");
        assertEquals(0, ns("0.0004us"));
        assertEquals(0, ns("0"));
        assertEquals(Durations.MAX.toNanos(), ns("8760h"));
        assertEquals(7, Durations.nanos("7", 1, "--storm-gap"), "a bare number takes the option's unit");
    }

    @Test
    void refusalsNameTheOptionAndTheValue() {
        for (String bad : new String[] {"8761h", "31536000001", "999999999999999999999s", "-1s", "abc", "", "1.2.3s"}) {
            UserInputException e = assertThrows(UserInputException.class, () -> ns(bad), bad);
            assertTrue(e.getMessage().startsWith("--duration") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
