import { formatScore } from '../core/escape.js';
import type { ModelSummary } from '../core/model-source.js';
import type { Reply, ReplyField } from '../core/reply.js';
import type { Command } from './command.js';

function describe(m: ModelSummary): string {
  const lines = [`${m.algorithm}, ${m.dim} dimensions, ${m.vocabSize.toLocaleString('en-US')} words`];
  if (m.corpus) lines.push(`corpus ${m.corpus.name} (${m.corpus.tokens.toLocaleString('en-US')} tokens)`);
  lines.push(describeEvaluation(m.evaluation ?? {}));
  return lines.join('\n');
}

/**
 * The scores `wordvec eval` / `wordvec train` store (`EvaluationScores` of @wordvec/embeddings,
 * flattened to numbers by the store catalog) in words; any other entries as `key value`.
 */
function describeEvaluation(evaluation: Record<string, number>): string {
  const parts: string[] = [];
  const { analogyAccuracy: accuracy, analogyTotal: total, wordPairsSpearman: spearman } = evaluation;
  if (accuracy !== undefined) {
    const of = total !== undefined ? ` of ${total.toLocaleString('en-US')} questions` : '';
    parts.push(`analogies ${(100 * accuracy).toFixed(1)} %${of}`);
  }
  if (spearman !== undefined) parts.push(`word pairs Spearman ${formatScore(spearman)}`);
  const shown = new Set(['analogyAccuracy', 'analogyCorrect', 'analogyTotal', 'wordPairsSpearman']);
  const hidden = /^(analogySections|wordPairsPearson|wordPairsOovRatio|evaluatedAt)/;
  for (const [k, v] of Object.entries(evaluation)) {
    if (!shown.has(k) && !hidden.test(k)) parts.push(`${k} ${formatScore(v)}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'not evaluated yet';
}

/** `/models`: the stored models, their shape, corpus and evaluation scores. */
export const models: Command = {
  definition: {
    name: 'models',
    description: 'The models this bot can answer from',
    options: [],
    needsVectors: false,
  },
  async handle(_options, context): Promise<Reply> {
    const list = context.catalog.models();
    if (list.length === 0) return { title: 'No models', lines: ['The store holds no models yet.'], data: [] };
    const fields: ReplyField[] = list.map((m) => ({
      name: `${m.name}${m.isDefault ? ' (default)' : ''}${m.status && m.status !== 'ready' ? ` [${m.status}]` : ''}`,
      value: describe(m),
    }));
    return {
      title: `${list.length} model${list.length === 1 ? '' : 's'}`,
      lines: [],
      fields,
      data: list,
    };
  },
};
