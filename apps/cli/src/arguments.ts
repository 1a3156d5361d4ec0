import { InvalidArgumentError } from 'commander';

/** Parsers for commander options: each rejects a bad value with a message naming it. */

export function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
}

export function nonNegativeInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
}

export function positiveNumber(name: string, { allowZero = false } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(
        `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Model names: 1–64 characters, letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export function modelName(value: string): string {
  if (!MODEL_NAME.test(value)) {
    throw new InvalidArgumentError(
      `model name ${JSON.stringify(value)} is not valid: use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return value;
}

export function oneOf<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(
        `${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`,
      );
    }
    return value as T;
  };
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * Sizes in bytes: a number with an optional unit `K`, `M`, `G` or `T` (powers of 1024; `KB`, `KiB`, `MB`, `MiB`, …
 * read the same), e.g. `512M`, `1.5G`. At least 1 MiB: a bare `5` is almost certainly a size missing its unit.
 */
export function byteSize(name: string) {
  return (value: string): number => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value);
    const bytes = m ? Math.floor(Number(m[1]) * BYTE_UNITS[m[2].toLowerCase()]) : Number.NaN;
    if (!Number.isSafeInteger(bytes)) {
      throw new InvalidArgumentError(
        `${name} must be a size such as 512M or 2G, got ${JSON.stringify(value.slice(0, 40))}`,
      );
    }
    if (bytes < 2 ** 20) {
      throw new InvalidArgumentError(
        `${name} must be at least 1M, got ${JSON.stringify(value)} (${bytes} bytes); give a unit, e.g. 512M or 2G`,
      );
    }
    return bytes;
  };
}
