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
