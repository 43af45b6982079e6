package org.gpcrace.model;

import java.util.Arrays;

/**
 * Every state seen so far, each stored once (state hashing): fixed-width byte records in one
 * growing arena, an open-addressing table of record indexes, and for each state the state it
 * was first reached from and by which step, so the shortest path to it can be rebuilt.
 */
final class StateStore {
    private final int width;
    private byte[] arena;
    private int[] parent;
    private int[] via; // actor << 20 | step-name index
    private int[] depth;
    private int[] table; // index + 1, 0 = empty
    private int size;

    StateStore(int width) {
        this.width = width;
        int cap = 1 << 12;
        arena = new byte[cap * width];
        parent = new int[cap];
        via = new int[cap];
        depth = new int[cap];
        table = new int[cap * 2];
    }

    int size() { return size; }

    /** Index of the state, adding it (with its origin) when new; the flag says which happened. */
    long addIfAbsent(byte[] s, int from, int viaCode) {
        int mask = table.length - 1;
        int h = hash(s) & mask;
        while (table[h] != 0) {
            int idx = table[h] - 1;
            if (Arrays.equals(arena, idx * width, idx * width + width, s, 0, width)) return idx;
            h = (h + 1) & mask;
        }
        if (size == parent.length) grow();
        int idx = size++;
        System.arraycopy(s, 0, arena, idx * width, width);
        parent[idx] = from;
        via[idx] = viaCode;
        depth[idx] = from < 0 ? 0 : depth[from] + 1;
        table[h] = idx + 1;
        if (size * 2 > table.length * 0.7) rehash();
        return idx | (1L << 32);
    }

    void read(int idx, byte[] into) { System.arraycopy(arena, idx * width, into, 0, width); }

    int parent(int idx) { return parent[idx]; }

    int via(int idx) { return via[idx]; }

    int depth(int idx) { return depth[idx]; }

    private int hash(byte[] s) {
        int h = 0x9e3779b9;
        for (int i = 0; i < width; i++) h = (h ^ s[i]) * 0x01000193;
        return h ^ (h >>> 15);
    }

    private int hashAt(int idx) {
        int h = 0x9e3779b9;
        int base = idx * width;
        for (int i = 0; i < width; i++) h = (h ^ arena[base + i]) * 0x01000193;
        return h ^ (h >>> 15);
    }

    private void grow() {
        int cap = parent.length * 2;
        arena = Arrays.copyOf(arena, cap * width);
        parent = Arrays.copyOf(parent, cap);
        via = Arrays.copyOf(via, cap);
        depth = Arrays.copyOf(depth, cap);
    }

    private void rehash() {
        table = new int[table.length * 2];
        int mask = table.length - 1;
        for (int idx = 0; idx < size; idx++) {
            int h = hashAt(idx) & mask;
            while (table[h] != 0) h = (h + 1) & mask;
            table[h] = idx + 1;
        }
    }
}
