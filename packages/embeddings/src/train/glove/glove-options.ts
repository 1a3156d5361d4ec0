/**
 * GloVe's options with glove.c's defaults applied and every value checked, naming the bad one: the
 * one place `trainGlove` and `trainGloveOnCooccurrence` read their options from.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../../errors.js';
import { checkKernelChoice, type KernelChoice, requireKernel } from '../../wasm/runtime.js';
import type { GloveOutput, GloveTrainingOptions } from './glove.js';
import { GLOVE_KERNEL_WAT } from './glove-kernel-wat.js';

/** Every GloVe option, defaults filled in. */
export interface ResolvedOptions {
  dim: number;
  xMax: number;
  alpha: number;
  eta: number;
  epochs: number;
  gradClip: number;
  workers: number;
  seed: number;
  output: GloveOutput;
  memoryBudget: number;
  kernel: KernelChoice;
}

/** Throws an {@link InvalidArgumentError} naming GloVe option `name` and its bad `value` unless `ok`. */
export function checkGloveOption(name: string, value: number, ok: boolean, what: string): void {
  if (!ok) throw new InvalidArgumentError(`GloVe option ${name} must be ${what}, got ${value}`);
}

/** Applies glove.c's defaults and checks every option, naming the bad one. */
export function resolveGloveOptions(o: GloveTrainingOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    dim: o.dim ?? 50,
    xMax: o.xMax ?? 100,
    alpha: o.alpha ?? 0.75,
    eta: o.eta ?? 0.05,
    epochs: o.epochs ?? 25,
    gradClip: o.gradClip ?? 100,
    workers: o.workers ?? availableParallelism(),
    seed: o.seed ?? 1,
    output: o.output ?? 'w+c',
    memoryBudget: o.memoryBudget ?? 2 ** 31,
    kernel: checkKernelChoice(o.kernel, 'GloVe option kernel'),
  };
  checkGloveOption('dim', r.dim, Number.isInteger(r.dim) && r.dim > 0, 'a positive integer');
  checkGloveOption('xMax', r.xMax, r.xMax > 0 && Number.isFinite(r.xMax), 'a positive number');
  checkGloveOption('alpha', r.alpha, r.alpha >= 0 && Number.isFinite(r.alpha), 'a non-negative number');
  checkGloveOption('eta', r.eta, r.eta > 0 && Number.isFinite(r.eta), 'a positive number');
  checkGloveOption('epochs', r.epochs, Number.isInteger(r.epochs) && r.epochs >= 0, 'a non-negative integer');
  checkGloveOption('gradClip', r.gradClip, r.gradClip > 0, 'a positive number');
  checkGloveOption(
    'workers',
    r.workers,
    Number.isInteger(r.workers) && r.workers > 0 && r.workers <= 256,
    'an integer in 1…256',
  );
  checkGloveOption('seed', r.seed, Number.isInteger(r.seed), 'an integer');
  checkGloveOption('memoryBudget', r.memoryBudget, r.memoryBudget > 0, 'a positive number of bytes');
  if (r.kernel === 'wasm-simd') requireKernel('GloVe', GLOVE_KERNEL_WAT);
  if (r.output !== 'w+c' && r.output !== 'w' && r.output !== 'all') {
    throw new InvalidArgumentError(
      `GloVe option output must be 'w+c', 'w' or 'all', got ${JSON.stringify(r.output)}`,
    );
  }
  return r;
}
