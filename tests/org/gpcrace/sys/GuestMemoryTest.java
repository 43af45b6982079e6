package org.gpcrace.sys;

import org.gpcrace.bridge.Linux;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the kernel does to guest memory, checked through each bridge. */
class GuestMemoryTest {
    static final long PATTERN = 0x5a5a_1234_abcd_0001L;

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void dontneedZeroesAnonContent(String bridge) {
        try (GuestMemory m = GuestMemory.map(Bridges.open(bridge), Backing.ANON, 2)) {
            m.writeLong(1, 8, PATTERN);
            m.madvise(1, 1, Linux.MADV_DONTNEED);
            assertEquals(0, m.readLong(1, 8), "anon page after DONTNEED + touch must be a fresh zero page");
        }
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void dontneedGivesAnonANewFrame(String bridge) {
        TestCaps.assume("pagemap-frames");
        try (GuestMemory m = GuestMemory.map(Bridges.open(bridge), Backing.ANON, 1); Pagemap pm = new Pagemap()) {
            m.writeLong(0, 0, PATTERN);
            long before = pm.page(m.base()).frame().orElseThrow();
            // keep the old frame busy so the allocator cannot hand the same one back at once
            try (GuestMemory hog = GuestMemory.map(Bridges.open(bridge), Backing.ANON, 64)) {
                m.madvise(0, 1, Linux.MADV_DONTNEED);
                for (long g = 0; g < 64; g++) hog.writeLong(g, 0, g);
                m.writeLong(0, 0, 1);
                long after = pm.page(m.base()).frame().orElseThrow();
                assertNotEquals(before, after, "a write after DONTNEED must fault in a new frame");
            }
        }
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void dontneedKeepsShmemContentAndFrame(String bridge) {
        try (GuestMemory m = GuestMemory.map(Bridges.open(bridge), Backing.SHMEM, 1); Pagemap pm = new Pagemap()) {
            m.writeLong(0, 16, PATTERN);
            PageInfo before = pm.page(m.base());
            m.madvise(0, 1, Linux.MADV_DONTNEED);
            assertEquals(PATTERN, m.readLong(0, 16), "shmem keeps its page in the page cache across DONTNEED");
            PageInfo after = pm.page(m.base());
            assertTrue(after.present());
            if (before.frame().isPresent()) assertEquals(before.frame(), after.frame(), "same page-cache frame");
        }
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void punchHoleZeroesShmem(String bridge) {
        try (GuestMemory m = GuestMemory.map(Bridges.open(bridge), Backing.SHMEM, 2)) {
            m.writeLong(0, 0, PATTERN);
            m.writeLong(1, 0, PATTERN);
            m.punchHole(1, 1);
            assertEquals(PATTERN, m.readLong(0, 0), "the page outside the hole is untouched");
            assertEquals(0, m.readLong(1, 0), "PUNCH_HOLE frees the page: the next read sees zeroes");
        }
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void mlockedDontneedIsRefusedWithEinval(String bridge) {
        NativeBridge b = Bridges.open(bridge);
        try (GuestMemory m = GuestMemory.map(b, Backing.ANON, 1)) {
            m.writeLong(0, 0, PATTERN);
            b.mlock(m.base(), Linux.PAGE_SIZE);
            NativeCallException e = assertThrows(NativeCallException.class, () -> m.madvise(0, 1, Linux.MADV_DONTNEED));
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.getMessage().contains("madvise(") && e.getMessage().contains("MADV_DONTNEED"), e.getMessage());
            assertEquals(PATTERN, m.readLong(0, 0), "the refused DONTNEED left the page alone");
            b.munlock(m.base(), Linux.PAGE_SIZE);
        }
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void madviseOnUnmappedRangeRaisesEnomem(String bridge) {
        NativeBridge b = Bridges.open(bridge);
        long a = b.mmap(0, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        b.munmap(a, Linux.PAGE_SIZE);
        NativeCallException e = assertThrows(NativeCallException.class, () -> b.madvise(a, Linux.PAGE_SIZE, Linux.MADV_DONTNEED));
        assertEquals("ENOMEM", e.errnoName());
        assertEquals(12, e.errno());
        assertTrue(e.getMessage().contains("Cannot allocate memory"), e.getMessage());
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void thpMappingIsHugePageAligned(String bridge) {
        TestCaps.assume("thp");
        try (GuestMemory m = GuestMemory.map(Bridges.open(bridge), Backing.THP, 1)) {
            assertEquals(0, m.base() % Linux.HUGE_PAGE_SIZE);
            assertEquals(512, m.pages(), "thp rounds up to one 2 MiB huge page");
        }
    }

    @ParameterizedTest @ValueSource(strings = {"ffm", "jna"})
    void hugetlbNeedsReservedPages(String bridge) {
        TestCaps.assume("hugetlb");
        try (GuestMemory m = GuestMemory.map(Bridges.open(bridge), Backing.HUGETLB, 512)) {
            m.writeLong(0, 0, PATTERN);
            assertEquals(PATTERN, m.readLong(0, 0));
        }
    }

    @org.junit.jupiter.api.Test
    void sizeThatCannotFitIsRefusedBeforeMapping() {
        long tooMany = HostFacts.probe().memAvailableBytes() / Linux.PAGE_SIZE * 4 + 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestMemory.map(Bridges.open(), Backing.ANON, tooMany));
        assertTrue(e.getMessage().contains("available"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void slotTableMapsGfnToAddressAndRejectsOutOfRange() {
        try (GuestMemory m = GuestMemory.map(Bridges.open(), Backing.ANON, 3)) {
            assertEquals(m.base() + 2 * Linux.PAGE_SIZE, m.addressOf(2));
            assertThrows(IndexOutOfBoundsException.class, () -> m.addressOf(3));
        }
    }
}
