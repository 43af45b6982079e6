package org.gpcrace.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.protocol.GpcOutcome;
import org.junit.jupiter.api.Test;

/** The shared outcome table mechanism: accessors come from the spec, lookup by id names the choices. */
class DeclaredOutcomeTest {
    @Test
    void accessorsAndLookup() {
        assertEquals("stale-lost", GpcOutcome.STALE_LOST.id());
        assertEquals(Grade.FORBIDDEN, GpcOutcome.STALE_LOST.grade());
        assertEquals(GpcOutcome.STALE_LOST.spec(), new OutcomeSpec("stale-lost", Grade.FORBIDDEN, GpcOutcome.STALE_LOST.description()));
        assertEquals(GpcOutcome.EAGAIN, GpcOutcome.byId("eagain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpcOutcome.byId("stale"));
        assertTrue(e.getMessage().contains("unknown outcome 'stale'") && e.getMessage().contains("stale-visible"), e.getMessage());
    }
}
