package org.gpcrace.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pagemap entry decoding: a hidden frame (0) is "unknown", never frame 0. */
class PageInfoTest {
    @Test
    void presentWithFrame() {
        PageInfo p = PageInfo.decode(0x1000, (1L << 63) | (1L << 56) | 0x1234);
        assertTrue(p.present());
        assertTrue(p.exclusive());
        assertEquals(0x1234, p.frame().getAsLong());
        assertEquals("0x1234", p.frameText());
    }

    @Test
    void presentWithHiddenFrameIsUnknown() {
        PageInfo p = PageInfo.decode(0x1000, 1L << 63);
        assertTrue(p.present());
        assertTrue(p.frame().isEmpty());
        assertEquals("unknown", p.frameText());
    }

    @Test
    void swappedAndSoftDirty() {
        PageInfo p = PageInfo.decode(0, (1L << 62) | (1L << 55) | 0x77);
        assertFalse(p.present());
        assertTrue(p.swapped());
        assertTrue(p.softDirty());
        assertTrue(p.frame().isEmpty(), "a swapped entry holds a swap offset, not a frame");
    }
}
