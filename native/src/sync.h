/*
 * sync.h - internal: the synchronization primitives of the race engine, on futexes and GCC
 * atomics, one primitive per file (sync_<primitive>.c); Java never sees them. Everything a GPC
 * protocol waits on is here, so the protocols can count what would sleep and a watchdog can
 * abort any wait.
 *
 * Every waiting primitive takes an optional `abort` word at init (NULL: never aborts): when it
 * becomes non-zero, waits return -ECANCELED, so a watchdog can end a hung round cleanly.
 * Sleeping waits re-check it every SYNC_RECHECK_NS. Return values: 0 or a documented
 * non-negative result on success, a negative errno otherwise. Wait policies (GPCRACE_WAIT_*)
 * and rwlock kinds (GPCRACE_RWLOCK_*) are in gpcrace.h: Java passes them in the run config.
 */
#ifndef GPCRACE_SYNC_H
#define GPCRACE_SYNC_H
#include "gpcrace.h"

#include <stdint.h>

#define SYNC_RECHECK_NS 10000000LL   /* sleeping waits re-check `abort` every 10 ms */
#define SYNC_SRCU_MAX_READERS 64

/* ------------------------------------------------ sync_wait.c: the two ways to wait */
/* futex(2) on a private 32-bit word. wait: 0 woken (or spurious), -EAGAIN *uaddr != expected,
 * -ETIMEDOUT, -EINTR; timeout_ns < 0 waits forever. wake: number of waiters woken. */
int sync_futex_wait(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns);
int sync_futex_wake(uint32_t *uaddr, int nwake);
/* The same on a word shared between processes (a MAP_SHARED memfd): FUTEX_WAIT/FUTEX_WAKE. */
int sync_futex_wait_shared(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns);
int sync_futex_wake_shared(uint32_t *uaddr, int nwake);
/* CPU relax (pause) for busy-wait loops (the kernel's cpu_relax). */
void sync_cpu_relax(void);

/* ------------------------------------------------ sync_barrier.c: round start and end */
/* Sense-reversing spin barrier for round starts: every party spins on one word, the last
 * arrival flips it. Each thread keeps its own `local_sense` (start at 0). Returns 1 for the
 * last arrival, 0 for the others, -ECANCELED when aborted. Spinners yield the CPU after a long
 * spin so an over-subscribed machine still progresses. */
struct sync_spin_barrier {
    uint32_t parties;
    uint32_t remaining;
    uint32_t sense;
    uint32_t pad;
    const uint32_t *abort;
};
void sync_spin_barrier_init(struct sync_spin_barrier *b, uint32_t parties, const uint32_t *abort);
int sync_spin_barrier_wait(struct sync_spin_barrier *b, uint32_t *local_sense);

/* Sleeping barrier for round ends: waiters sleep on a generation word. Returns 1 for the last
 * arrival, 0 for the others, -ETIMEDOUT after timeout_ns (< 0: no limit), -ECANCELED when
 * aborted. After a timeout the barrier's count is no longer meaningful: abort the run. */
struct sync_sleep_barrier {
    uint32_t parties;
    uint32_t remaining;
    uint32_t generation;
    uint32_t sleepers;
    const uint32_t *abort;
};
void sync_sleep_barrier_init(struct sync_sleep_barrier *b, uint32_t parties, const uint32_t *abort);
int sync_sleep_barrier_wait(struct sync_sleep_barrier *b, int64_t timeout_ns);

/* ------------------------------------------------ sync_mutex.c */
/* Futex mutex (Drepper's three-state mutex): the GPC's refresh_lock. */
struct sync_mutex {
    uint32_t state;   /* 0 free, 1 locked, 2 locked with waiters */
    uint32_t pad;
    const uint32_t *abort;
};
void sync_mutex_init(struct sync_mutex *m, const uint32_t *abort);
int sync_mutex_lock(struct sync_mutex *m);       /* 0, -ECANCELED */
int sync_mutex_trylock(struct sync_mutex *m);    /* 0, -EBUSY */
void sync_mutex_unlock(struct sync_mutex *m);

/* ------------------------------------------------ sync_rwlock.c */
/*
 * Reader-writer lock, two kinds with the same fairness rule (writer-preferring, like qrwlock
 * and PREEMPT_RT's rwbase): a writer that has announced itself blocks new readers and waits
 * only for the readers already inside, so readers cannot starve a writer; a stream of writers
 * can starve readers. Writers are serialized among themselves (spin: by CAS on the announce
 * bit, no order; sleeping: by a futex mutex, no FIFO order).
 *   SPIN      readers and writers busy-wait (a non-PREEMPT_RT rwlock_t);
 *   SLEEPING  readers and writers sleep on futexes (PREEMPT_RT's rwlock_t).
 * write_lock's policy: GPCRACE_WAIT_SLEEP (sleep if the kind sleeps), _SPIN (busy-wait even
 * for the sleeping kind), _NONE (-EAGAIN if the lock is not free at once). write_lock returns
 * 0 when it got the lock without waiting, 1 when it had to wait for readers or a writer (for
 * the sleeping kind: it slept, or would have), -EAGAIN, -ECANCELED.
 */
struct sync_rwlock {
    uint32_t kind;
    uint32_t state;       /* readers inside (low 30 bits) | writer announced | writer holds */
    uint32_t rwake;       /* readers sleep on this sequence; bumped at write_unlock */
    uint32_t rsleepers;
    uint32_t wwake;       /* the writer sleeps on this while readers drain */
    uint32_t pad;
    struct sync_mutex wmutex;   /* serializes writers (sleeping kind) */
    const uint32_t *abort;
};
void sync_rwlock_init(struct sync_rwlock *l, uint32_t kind, const uint32_t *abort);
int sync_rwlock_read_lock(struct sync_rwlock *l);        /* 0, -ECANCELED */
void sync_rwlock_read_unlock(struct sync_rwlock *l);
int sync_rwlock_write_lock(struct sync_rwlock *l, int policy);
void sync_rwlock_write_unlock(struct sync_rwlock *l);
/* Readers inside right now (a racy snapshot, for reports and would-sleep tests). */
uint32_t sync_rwlock_readers(const struct sync_rwlock *l);

/* ------------------------------------------------ sync_seqcount.c */
/* Sequence count (seqcount_t). Writers must be serialized by the caller. read_begin spins
 * while a write is in progress; read_retry is non-zero when the read must be repeated. */
struct sync_seqcount {
    uint32_t seq;
};
void sync_seqcount_init(struct sync_seqcount *s);
void sync_seq_write_begin(struct sync_seqcount *s);
void sync_seq_write_end(struct sync_seqcount *s);
uint32_t sync_seq_read_begin(const struct sync_seqcount *s);
int sync_seq_read_retry(const struct sync_seqcount *s, uint32_t start);

/* ------------------------------------------------ sync_srcu.c */
/*
 * SRCU, the classic two-slot scheme: each reader (0 .. nreaders-1 <= SYNC_SRCU_MAX_READERS, one
 * thread each) owns a pair of lock/unlock counters per slot. read_lock returns the slot index to pass to
 * read_unlock. synchronize waits for readers still in the inactive slot, flips the index, then
 * waits for the old slot to drain (sum of unlocks read before the sum of locks, as in
 * srcu_readers_active_idx_check). It returns 0 when no wait was needed, 1 when it had to wait
 * (under GPCRACE_WAIT_SLEEP it slept on a futex: the non-blockable "would sleep"), -EAGAIN
 * under GPCRACE_WAIT_NONE when it would wait (the flip may have happened; the next synchronize
 * completes it), -ECANCELED. Concurrent synchronize calls are serialized by a mutex.
 */
struct sync_srcu_reader {
    uint64_t lock[2];
    uint64_t unlock[2];
    uint8_t pad[32];
} __attribute__((aligned(64)));
struct sync_srcu {
    uint32_t idx;
    uint32_t wake;          /* synchronize sleeps on this; readers bump it at unlock */
    uint32_t waiting;       /* a synchronize is waiting */
    uint32_t nreaders;      /* readers are numbered 0 .. nreaders-1 */
    struct sync_mutex gp_mutex;
    const uint32_t *abort;
    struct sync_srcu_reader readers[SYNC_SRCU_MAX_READERS];
};
void sync_srcu_init(struct sync_srcu *sp, uint32_t nreaders, const uint32_t *abort);
int sync_srcu_read_lock(struct sync_srcu *sp, int reader);
void sync_srcu_read_unlock(struct sync_srcu *sp, int reader, int idx);
int sync_srcu_synchronize(struct sync_srcu *sp, int policy);
/* Readers inside a read-side section right now, either slot (a racy snapshot). */
uint64_t sync_srcu_readers_active(const struct sync_srcu *sp);

/* ------------------------------------------------ sync_countwait.c */
/*
 * count-wait: KVM's mn_active_invalidate_count with the rcuwait its waiter sleeps on.
 * inc at invalidate_range_start, dec at invalidate_range_end (wakes the waiter when the count
 * reaches 0). wait_zero sleeps until the count is 0: deliberately unfair, a stream of
 * overlapping inc/dec keeps it waiting (kvm_swap_active_memslots' wait; the thread "[PATCH v2
 * 09/10] KVM: Don't take mmu_lock for range invalidation unless necessary", April 2021).
 * Returns 0, -ETIMEDOUT (timeout_ns < 0: no limit), -ECANCELED.
 */
struct sync_countwait {
    uint32_t count;
    uint32_t wake;
    uint32_t sleepers;
    uint32_t pad;
    const uint32_t *abort;
};
void sync_countwait_init(struct sync_countwait *cw, const uint32_t *abort);
void sync_countwait_inc(struct sync_countwait *cw);
void sync_countwait_dec(struct sync_countwait *cw);
uint32_t sync_countwait_count(const struct sync_countwait *cw);
int sync_countwait_wait_zero(struct sync_countwait *cw, int64_t timeout_ns);
/* The same wait, busy-waiting up to spin_ns before it sleeps (KVM's refresh is a busy loop;
 * a short spin also avoids a wake-up IPI per invalidation). */
int sync_countwait_wait_zero_spin(struct sync_countwait *cw, int64_t spin_ns, int64_t timeout_ns);

#endif
