import { formatScore } from '../core/escape.js';
import type { ModelSummary } from '../core/model-source.js';
import type { Reply, ReplyField } from '../core/reply.js';
import type { Command } from './command.js';

function describe(m: ModelSummary): string {
  const lines = [`${m.algorithm}, ${m.dim} dimensions, ${m.vocabSize.toLocaleString('en-US')} words`];
  if (m.corpus) lines.push(`corpus ${m.corpus.name} (${m.corpus.tokens.toLocaleString('en-US')} tokens)`);
  const scores = Object.entries(m.evaluation ?? {});
  lines.push(
    scores.length > 0 ? scores.map(([k, v]) => `${k} ${formatScore(v)}`).join(', ') : 'not evaluated yet',
  );
  return lines.join('\n');
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
