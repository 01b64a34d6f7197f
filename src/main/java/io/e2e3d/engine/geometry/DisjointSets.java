package io.e2e3d.engine.geometry;

/** Union-find over the indices 0..n-1 of an int array (each entry its parent), with path halving. */
public final class DisjointSets {

    private DisjointSets() {
    }

    /** A forest where every index is its own set. */
    public static int[] create(int n) {
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        return parent;
    }

    public static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Joins the sets of a and b; the smaller root index represents the union. */
    public static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
