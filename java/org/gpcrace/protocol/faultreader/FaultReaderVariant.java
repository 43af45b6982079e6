package org.gpcrace.protocol.faultreader;

import org.gpcrace.result.Expectation;
import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/**
 * fault-in-reader's variants (the rcu list thread on page faults inside RCU read-side critical
 * sections during kernel page migration, January 2025): how a reader that touches a migrating
 * page waits, and which grace period the migrator waits for. Shared by the hardware run and the
 * model: the same ids, test names and expectations. Numbered as in gpcrace.h (GPCRACE_FR_*).
 */
public enum FaultReaderVariant implements HasId {
    SPIN_IN_FAULT("spin-in-fault", 0, "the fault waits for the migration inside the read-side section, while the migrator's"
            + " grace period (after page i) waits for that reader, blocked on page i+1",
            Expectation.unsafe("the thread's handler: waiting in a fault inside an RCU reader closes the cycle reader -> fault ->"
                    + " migrator -> grace period -> reader (\"the entire system stopped working\")", "deadlock", "stall")),
    WAIT_OUTSIDE("wait-outside-reader", 1, "the fault is delivered as SIGBUS (pagefault_disable()); the reader leaves its"
            + " read-side section, waits for the page outside it, and retries",
            Expectation.safe("no reader ever waits for a migration inside its read-side section, so no grace period waits for a fault")),
    PREALLOCATE("preallocate", 2, "each new page is in place (unmap and UFFDIO_COPY back to back) before the migrator waits"
            + " for any grace period: one grace period per batch, after the moves",
            Expectation.safe("a fault's completion never waits for a grace period: every new page is in place first")),
    SRCU_DOMAIN("srcu-domain", 3, "readers of migratable pages use a separate SRCU-like domain; the global grace period does"
            + " not wait for them, and old frames are freed after that domain's grace period (call_srcu)",
            Expectation.safe("the global grace period the migrator waits for does not wait for readers in the separate domain")),
    SRCU_BUSTED("srcu-domain-busted", 4, "negative control: srcu-domain's migrator, but the readers of migratable pages stay"
            + " in the global domain",
            Expectation.unsafe("negative control: the separate domain is not used, so the global grace period waits for faulting"
                    + " readers again", "deadlock", "stall"));

    /** The scenario, as results.json names it. */
    public static final String SCENARIO = "fault-in-reader";

    private final String id;
    private final int nativeId;
    private final String description;
    private final Expectation expectation;

    FaultReaderVariant(String id, int nativeId, String description, Expectation expectation) {
        this.id = id;
        this.nativeId = nativeId;
        this.description = description;
        this.expectation = expectation;
    }

    @Override public String id() { return id; }

    public int nativeId() { return nativeId; }

    public String description() { return description; }

    public Expectation expectation() { return expectation; }

    /** The test name, the same for the hardware run and the model (compare matches on it). */
    public String testName() { return SCENARIO + "-" + id; }

    /** Whether the readers of migratable pages are in the global domain the migrator waits for. */
    public boolean readersInGlobalDomain() { return this != SRCU_DOMAIN; }

    public static FaultReaderVariant byId(String id) { return Ids.byId(FaultReaderVariant.class, id, "variant"); }
}
