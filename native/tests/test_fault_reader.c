/*
 * fault-in-reader: every variant on the project's SRCU and on liburcu (when it can be loaded),
 * with the outcomes each must and must not show, the detector off (a hang, broken by the hang
 * limit), and bad configurations refused.
 */
#include "gpcrace.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 4096
static int64_t samples[GPCRACE_FR_SERIES * CAP];
static uint32_t flags[1000];

struct counts { int64_t migrated, stall, deadlock, hang, corrupt; };

static int run(uint32_t variant, uint32_t rcu, uint32_t detect, int64_t batches, int64_t hang_ns,
               struct gpcrace_fr_result *out, struct counts *c)
{
    struct gpcrace_fr_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.variant = variant;
    cfg.rcu = rcu;
    cfg.readers = 1;
    cfg.pages = 2;
    cfg.detect = detect;
    cfg.batches = batches;
    cfg.stall_bound_ns = 1000000000LL; /* mechanics here, not timing: a loaded machine must not fail this */
    cfg.hang_ns = hang_ns;
    cfg.gap_ns = 50000;
    cfg.sample_cap = CAP;
    cfg.samples = (uint64_t)(uintptr_t)samples;
    cfg.batch_flags = (uint64_t)(uintptr_t)flags;
    for (int i = 0; i < GPCRACE_FR_MAX_READERS + 2; i++) cfg.cpus[i] = -1;
    int rc = gpcrace_fr_run(&cfg, out);
    memset(c, 0, sizeof(*c));
    for (int64_t b = 0; b < out->batches; b++) {
        c->migrated += !!(flags[b] & GPCRACE_FR_MIGRATED);
        c->stall += !!(flags[b] & GPCRACE_FR_STALL);
        c->deadlock += !!(flags[b] & GPCRACE_FR_DEADLOCK);
        c->hang += !!(flags[b] & GPCRACE_FR_HANG);
        c->corrupt += !!(flags[b] & GPCRACE_FR_CORRUPT);
    }
    return rc;
}

static const char *names[] = {"spin-in-fault", "wait-outside-reader", "preallocate", "srcu-domain", "srcu-domain-busted"};

static int variants(uint32_t rcu)
{
    struct gpcrace_fr_result out;
    struct counts c;
    for (uint32_t v = 0; v < GPCRACE_FR_VARIANTS; v++) {
        int rc = run(v, rcu, 1, 200, 2000000000LL, &out, &c);
        if (rc && out.missing) {
            printf("  %s: skipped: %s\n", names[v], out.error);
            return 0;
        }
        CHECK(rc == 0, "%s: %s", names[v], out.error);
        printf("  %-20s %s, unmap %s: %lld batches, migrated %lld, deadlock %lld, stall %lld, sections %lld, faults %lld,"
               " sigbus %lld, gp %lld, domain gp %lld\n", names[v], out.rcu_impl, out.unmap, (long long)out.batches,
               (long long)c.migrated, (long long)c.deadlock, (long long)c.stall, (long long)out.sections,
               (long long)out.uffd_faults, (long long)out.sigbus, (long long)out.counts[GPCRACE_FR_S_GP],
               (long long)out.counts[GPCRACE_FR_S_DOMAIN_GP]);
        CHECK(out.batches == 200 && out.pages_moved == 400, "%s: every batch ran", names[v]);
        CHECK(c.corrupt == 0 && out.corrupt_reads == 0, "%s: content survives every move", names[v]);
        CHECK(c.hang == 0, "%s: no hang with the detector on", names[v]);
        CHECK(out.sections > 0, "%s: the reader ran", names[v]);
        int unsafe = v == GPCRACE_FR_SPIN_IN_FAULT || v == GPCRACE_FR_SRCU_BUSTED;
        if (unsafe) {
            CHECK(c.deadlock > 0 && out.first_deadlock_batch > 0 && strstr(out.cycle, "-> grace period"),
                  "%s: the cycle is seen and printed", names[v]);
            CHECK(out.counts[GPCRACE_FR_S_DETECT] >= c.deadlock && out.counts[GPCRACE_FR_S_BREAK] > 0, "%s: detect and break timed", names[v]);
            CHECK(out.uffd_faults > 0, "%s: the reader really faulted", names[v]);
        } else {
            CHECK(c.deadlock == 0 && out.cycle[0] == 0, "%s: no cycle (%s)", names[v], out.cycle);
            CHECK(c.migrated == out.batches - c.stall, "%s: every other batch migrated", names[v]);
        }
        if (v == GPCRACE_FR_WAIT_OUTSIDE) CHECK(out.uffd_faults == 0, "wait-outside: faults are SIGBUS, no message");
        if (v == GPCRACE_FR_SRCU_DOMAIN) CHECK(out.counts[GPCRACE_FR_S_DOMAIN_GP] > 0, "srcu-domain: the domain's grace periods ran");
    }
    return 1;
}

int main(void)
{
    printf("rcu gpcrace:\n");
    CHECK(variants(GPCRACE_FR_RCU_GPCRACE), "the project's SRCU is always there");
    printf("rcu urcu-memb:\n");
    int urcu = variants(GPCRACE_FR_RCU_URCU_MEMB);
    if (urcu) {
        printf("rcu urcu-mb:\n");
        variants(GPCRACE_FR_RCU_URCU_MB);
    }

    /* the detector off: the cycle is not seen, the hang limit breaks it as a hang */
    struct gpcrace_fr_result out;
    struct counts c;
    CHECK(run(GPCRACE_FR_SPIN_IN_FAULT, GPCRACE_FR_RCU_GPCRACE, 0, 3, 1000000000LL, &out, &c) == 0, "%s", out.error);
    printf("detector off: %lld batches, hang %lld, deadlock %lld\n", (long long)out.batches, (long long)c.hang, (long long)c.deadlock);
    CHECK(c.hang > 0 && c.deadlock == 0 && out.cycle[0] == 0, "the hang limit catches what the detector would have");

    /* bad configurations */
    CHECK(run(9, GPCRACE_FR_RCU_GPCRACE, 1, 1, 1000000000LL, &out, &c) == -EINVAL, "unknown variant refused");
    CHECK(run(0, GPCRACE_FR_RCU_GPCRACE, 1, 0, 1000000000LL, &out, &c) == -EINVAL, "zero batches refused");
    CHECK(run(0, GPCRACE_FR_RCU_GPCRACE, 1, 1, 1, &out, &c) == -EINVAL && strstr(out.error, "hang"), "hang below the bound refused");
    printf("test_fault_reader: ok\n");
    return 0;
}
