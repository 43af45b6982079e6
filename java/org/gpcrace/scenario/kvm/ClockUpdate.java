package org.gpcrace.scenario.kvm;

import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/** How the vCPU actor asks KVM to rewrite the pvclock page before each KVM_RUN. */
public enum ClockUpdate implements HasId {
    /**
     * KVM_KVMCLOCK_CTRL: KVM_REQ_CLOCK_UPDATE for this vCPU, the cheapest request. With a stable
     * TSC (master clock) KVM writes the same system_time every time: it must not go back.
     */
    KVMCLOCK_CTRL("kvmclock-ctrl"),
    /** KVM_GET_CLOCK then KVM_SET_CLOCK: a master clock update, so system_time strictly advances. */
    SET_CLOCK("set-clock");

    private final String id;

    ClockUpdate(String id) { this.id = id; }

    @Override public String id() { return id; }

    /** True when consecutive updates must show a strictly larger system_time. */
    public boolean strictlyAdvancing() { return this == SET_CLOCK; }

    /** Asks for vCPU v's next entry to rewrite its pvclock (set-clock: every vCPU's; one thread at a time). */
    void request(PvclockGuest g, int v) {
        if (this == KVMCLOCK_CTRL) g.vcpu(v).kvmclockCtrl();
        else g.vm().setClock(g.vm().getClock());
    }

    public static ClockUpdate byId(String id) { return Ids.byId(ClockUpdate.class, id, "--clock-update"); }
}
