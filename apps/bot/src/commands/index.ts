import { analogy } from './analogy.js';
import type { Command } from './command.js';
import { compare } from './compare.js';
import { cooccur } from './cooccur.js';
import { doesntmatch } from './doesntmatch.js';
import { game } from './game.js';
import { giveup } from './giveup.js';
import { guess } from './guess.js';
import { hint } from './hint.js';
import { lens } from './lens.js';
import { math } from './math.js';
import { models } from './models.js';
import { oov } from './oov.js';
import { plot } from './plot.js';
import { pmi } from './pmi.js';
import { similar } from './similar.js';
import { similarity } from './similarity.js';

/** Every command of the bot, in the order help lists them. */
export const commands: readonly Command[] = [
  similar,
  analogy,
  math,
  similarity,
  compare,
  oov,
  doesntmatch,
  pmi,
  cooccur,
  plot,
  lens,
  models,
  game,
  guess,
  hint,
  giveup,
];

/** The command called `name`, or undefined. */
export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.definition.name === name);
}

export type {
  Command,
  CommandContext,
  CommandDefinition,
  CommandOptions,
  OptionDefinition,
} from './command.js';
