// Child process for the crash and concurrency tests. Runs the built store (dist/), like a second
// process (CLI import, another bot) would. Usage: node store-child.mjs <mode> <store> [file]
import { VectorStore } from '../../dist/index.js';

const [mode, path, file] = process.argv.slice(2);

/** `n × dim` rows all pointing near axis `axis`, so a reader can tell versions apart. */
function rows(n, dim, axis) {
  const words = Array.from({ length: n }, (_, i) => `w${i}`);
  const vectors = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    vectors[r * dim + axis] = 1;
    vectors[r * dim + (((r % (dim - 1)) + 1 + axis) % dim)] = 0.01 * (r % 7);
  }
  return { words, vectors, dim };
}

if (mode === 'import-then-stall') {
  const store = VectorStore.open(path);
  let reported = false;
  await store.importFile(file, {
    name: 'killed',
    onProgress: (p) => {
      if (p.stage !== 'import' || reported || p.done === 0) return;
      reported = true;
      process.stdout.write(`importing ${p.done}\n`);
      // Stay inside the open transaction, rows already written, until the parent's SIGKILL.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
    },
  });
  process.stdout.write('finished\n');
} else if (mode === 'churn') {
  const store = VectorStore.open(path);
  for (let i = 0; i < 12; i++) {
    store.putModel('swap', i % 2 === 0 ? rows(3000, 16, 1) : rows(5000, 16, 2), {}, { replace: true });
    if (i === 3) store.deleteModel('victim');
    if (i === 5) store.putModel('other', rows(20000, 32, 3));
    await new Promise((r) => setTimeout(r, 5));
  }
  process.stdout.write('done\n');
  store.close();
}
