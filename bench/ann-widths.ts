/**
 * The HNSW beam widths (`ef`) the store benchmark tries, narrowest first, on hnswlib-node and on our
 * graph alike: each side is timed at the narrowest width whose recall@10 on the benchmark's queries
 * reaches 0.99 (hnswlib-probe.ts, store-probe.ts).
 */
export const ANN_WIDTHS = [
  10, 12, 16, 20, 24, 28, 32, 36, 40, 48, 56, 64, 80, 96, 128, 160, 200, 256, 320, 400, 512,
];
