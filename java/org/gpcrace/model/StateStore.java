package org.gpcrace.model;

import java.util.Arrays;

/**
 * Every state seen so far, each stored once (state hashing): records bit-packed to the widths the
 * system gives its fields (a value that does not fit is a model bug and is refused; a field of no
 * bits must stay 0), each field within one 64-bit word so packing is a shift and an or per field,
 * in one growing arena of words, an open-addressing table holding each record's hash beside its
 * index (probes compare hashes before words, and growing the table never rehashes a record), and
 * for each state the state it was first reached from and by which actor, so a path to it can be
 * rebuilt.
 */
final class StateStore {
    private final int words;       // 64-bit words of a packed record
    private final int[] packedField, packedWord, packedShift, packedBits; // fields with bits: where they go
    private final int[] zeroField; // fields of no bits: always 0
    private final long[] packed;   // scratch
    private long[] arena;
    private int[] parent;
    private int[] via; // actor << 20 | initial-state index for roots
    private int[] depth;
    private int[] hashes; // per record
    private long[] table; // hash << 32 | index + 1, 0 = empty
    private int size;

    StateStore(int[] bits) {
        int nz = 0;
        for (int b : bits) {
            if (b < 0 || b > 8) throw new IllegalArgumentException("a field of " + b + " bits");
            if (b > 0) nz++;
        }
        packedField = new int[nz];
        packedWord = new int[nz];
        packedShift = new int[nz];
        packedBits = new int[nz];
        zeroField = new int[bits.length - nz];
        int word = 0, shift = 0;
        for (int f = 0, i = 0, z = 0; f < bits.length; f++) {
            int b = bits[f];
            if (b == 0) {
                zeroField[z++] = f;
                continue;
            }
            if (shift + b > 64) {
                word++;
                shift = 0;
            }
            packedField[i] = f;
            packedWord[i] = word;
            packedShift[i] = shift;
            packedBits[i++] = b;
            shift += b;
        }
        this.words = word + 1;
        this.packed = new long[words];
        int cap = 1 << 12;
        arena = new long[cap * words];
        parent = new int[cap];
        via = new int[cap];
        depth = new int[cap];
        hashes = new int[cap];
        table = new long[cap * 2];
    }

    int size() { return size; }

    /** Index of the state, adding it (with its origin) when new; bit 32 says it was added. */
    long addIfAbsent(byte[] state, int from, int viaCode) {
        pack(state);
        long[] s = packed;
        int h = hash(s);
        int mask = table.length - 1;
        int slot = mix(h) & mask;
        long e;
        while ((e = table[slot]) != 0) {
            int idx = (int) e - 1;
            if ((int) (e >>> 32) == h && Arrays.equals(arena, idx * words, idx * words + words, s, 0, words)) return idx;
            slot = (slot + 1) & mask;
        }
        if (size == parent.length) grow();
        int idx = size++;
        System.arraycopy(s, 0, arena, idx * words, words);
        parent[idx] = from;
        via[idx] = viaCode;
        depth[idx] = from < 0 ? 0 : depth[from] + 1;
        hashes[idx] = h;
        table[slot] = (long) h << 32 | (idx + 1);
        if (size * 10L > table.length * 7L) rehash();
        return idx | (1L << 32);
    }

    void read(int idx, byte[] into) {
        int at = idx * words;
        for (int i = 0; i < packedField.length; i++) {
            into[packedField[i]] = (byte) ((arena[at + packedWord[i]] >>> packedShift[i]) & ((1 << packedBits[i]) - 1));
        }
        for (int f : zeroField) into[f] = 0;
    }

    private void pack(byte[] state) {
        int zero = 0, over = 0;
        for (int f : zeroField) zero |= state[f];
        Arrays.fill(packed, 0);
        for (int i = 0; i < packedField.length; i++) {
            int v = state[packedField[i]] & 0xff;
            over |= v >>> packedBits[i];
            packed[packedWord[i]] |= (long) v << packedShift[i];
        }
        if (zero != 0 || over != 0) refuse(state);
    }

    private void refuse(byte[] state) {
        for (int f : zeroField) {
            if (state[f] != 0) throw new IllegalStateException("model invariant: field " + f + " holds " + state[f] + ", beyond its 0 bits");
        }
        for (int i = 0; i < packedField.length; i++) {
            int f = packedField[i];
            if ((state[f] & 0xff) >>> packedBits[i] != 0) {
                throw new IllegalStateException("model invariant: field " + f + " holds " + state[f] + ", beyond its " + packedBits[i] + " bits");
            }
        }
    }

    int parent(int idx) { return parent[idx]; }

    int via(int idx) { return via[idx]; }

    int depth(int idx) { return depth[idx]; }

    /** A hash of the record, a word at a time. */
    private int hash(long[] s) {
        long h = 0x9e3779b97f4a7c15L;
        for (long w : s) h = (h ^ w) * 0xff51afd7ed558ccdL;
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 29));
    }

    private static int mix(int h) { return h ^ (h >>> 16); }

    private void grow() {
        int cap = parent.length * 2;
        if ((long) cap * words > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the state space exceeds " + size + " states (" + words * 8 + " bytes each)");
        }
        arena = Arrays.copyOf(arena, cap * words);
        parent = Arrays.copyOf(parent, cap);
        via = Arrays.copyOf(via, cap);
        depth = Arrays.copyOf(depth, cap);
        hashes = Arrays.copyOf(hashes, cap);
    }

    private void rehash() {
        table = new long[table.length * 2];
        int mask = table.length - 1;
        for (int idx = 0; idx < size; idx++) {
            int slot = mix(hashes[idx]) & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = (long) hashes[idx] << 32 | (idx + 1);
        }
    }
}
