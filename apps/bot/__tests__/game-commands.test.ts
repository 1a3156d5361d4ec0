import { dirname, join } from 'node:path';
import { VectorStore } from '@wordvec/vector-store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../src/core/rate-limiter.js';
import { CommandRunner, type RawOptions } from '../src/core/runner.js';
import { foldWord } from '../src/game/game-session.js';
import { chooseSecret, isSecretCandidate } from '../src/game/secret.js';
import { SqliteState } from '../src/state/sqlite-state.js';
import { openStoreCatalog, type StoreCatalog } from '../src/store-catalog.js';
import { gameStore } from './support/game-store.js';

describe('/game, /guess, /hint, /giveup on a real store and a real state file', () => {
  let store = '';
  let words: string[] = [];
  let catalog: StoreCatalog;
  let state: SqliteState;
  let runner: CommandRunner;
  const say = (command: string, options: RawOptions = {}, user = 'u1', channel = 'discord:100') =>
    runner.run({ command, options, user, userName: user.toUpperCase(), channel });

  beforeAll(async () => {
    ({ path: store, words } = gameStore());
    catalog = await openStoreCatalog(store);
    state = SqliteState.open(join(dirname(store), 'bot-state.db'));
    runner = new CommandRunner({
      catalog,
      state,
      limiter: new RateLimiter({ limit: 1000, windowMs: 1000, state }),
    });
  });
  afterAll(async () => {
    catalog.close();
    await state.close();
  });

  it('draws secrets from frequent non-stop-words by difficulty, the same secret for the same seed', () => {
    expect(isSecretCandidate('the')).toBe(false);
    expect(isSecretCandidate('new york')).toBe(false);
    expect(isSecretCandidate('Paris')).toBe(false);
    expect(isSecretCandidate('pizza')).toBe(true);
    const easy = chooseSecret(words, 'easy', 1);
    expect(chooseSecret(words, 'easy', 1)).toBe(easy);
    expect(words.indexOf(easy!)).toBeGreaterThanOrEqual(49);
    expect(words.indexOf(easy!)).toBeLessThan(1500);
    const hard = new Set(Array.from({ length: 20 }, (_, s) => chooseSecret(words, 'hard', s)));
    // 3,004 words: "hard" (ranks 6,000+) falls back to the least frequent third of candidates.
    for (const w of hard) expect(words.indexOf(w!)).toBeGreaterThan(1900);
    expect(hard.size).toBeGreaterThan(10);
    expect(chooseSecret(['the', 'and'], 'easy', 1)).toBeUndefined();
  });

  it('plays a game: bad input refused with nothing recorded, guesses ranked, the secret in other case and accents wins', async () => {
    const none = await say('guess', { word: 'pizza' });
    expect(none).toMatchObject({ error: true, title: 'No game here' });
    expect(none.lines[0]).toMatch(/No game is running in this channel\. Start one with \/game start/);

    const bad = await say('game', { action: 'begin' });
    expect(bad.lines[0]).toMatch(/“action” of \/game is one of start, status, top, got “begin”/);
    expect((await say('game', { action: 'start', difficulty: 'extreme' })).lines[0]).toMatch(
      /easy, medium, hard/,
    );

    const started = await say('game', { action: 'start', difficulty: 'easy' });
    expect(started.error).toBeFalsy();
    expect(started.title).toBe('New game (easy): guess the secret word');
    expect(started.lines[0]).toMatch(/U1 started a game.*1,000 nearest words/);
    const game = (await state.currentGame('discord:100'))!;
    expect(game).toMatchObject({
      model: 'play',
      difficulty: 'easy',
      neighbourCount: 1000,
      status: 'playing',
    });
    const rank = words.indexOf(game.secret) + 1;
    expect(rank).toBeGreaterThanOrEqual(50);
    expect(rank).toBeLessThan(1500);

    const second = await say('game', { action: 'start' }, 'u2');
    expect(second).toMatchObject({ error: true, title: 'A game is already running here' });
    expect(second.lines[0]).toMatch(/U1 started it just now on model “play” \(easy\); 0 guesses so far/);
    expect((await state.currentGame('discord:100'))!.id).toBe(game.id);

    // The neighbours are the query layer's own top 1,000 (one top-k): rank 1 is mostSimilar's first.
    const nearest = catalog.model('play').mostSimilar({ positive: [game.secret], topn: 1000 });
    const r1 = await say('guess', { word: nearest[0].word });
    expect(r1.title).toBe(`#1 “${nearest[0].word}”: rank 1 of 1,000`);
    expect(r1.lines[0]).toMatch(/^█{20} {2}cosine /);
    expect((r1.data as { score: number }).score).toBeCloseTo(nearest[0].score, 5);
    const far = words.find(
      (w) => isSecretCandidate(w) && !nearest.some((n) => n.word === w) && w !== game.secret,
    )!;
    const cold = await say('guess', { word: far.toUpperCase() }, 'u2');
    expect(cold.title).toBe(`#2 “${far}”: cold (not in the 1,000 nearest)`);
    expect(cold.lines[0]).toMatch(/^░{20}/);
    const r37 = await say('guess', { word: nearest[36].word });
    expect(r37.title).toBe(`#3 “${nearest[36].word}”: rank 37 of 1,000`);

    const dup = await say('guess', { word: nearest[0].word }, 'u2');
    expect(dup).toMatchObject({ ephemeral: true, title: `“${nearest[0].word}” was already guessed` });
    expect(dup.lines[0]).toMatch(/U1 guessed it as #1: rank 1 of 1,000/);

    const oov = await say('guess', { word: 'pizzza' });
    expect(oov).toMatchObject({ error: true, title: 'Not in the vocabulary' });
    expect(oov.lines[0]).toMatch(
      /“pizzza” is not in the vocabulary of model “play”.*nothing was recorded.*Did you mean: pizza/,
    );
    // A lemma is the OOV pipeline's suggestion, never scored in the typed word's place.
    const lemma = await say('guess', { word: 'pizzaes' });
    expect(lemma.title).toBe('Not in the vocabulary');
    const phrase = await say('guess', { word: 'pizza party' });
    expect(phrase).toMatchObject({ error: true, title: 'One word per guess' });
    expect(phrase.lines[0]).toMatch(/“pizza party” is 2 words; a guess is one word/);
    // Case and accents of a vocabulary word resolve to it (the pipeline's surface forms).
    const cafe = await say('guess', { word: 'CAFÉ' });
    expect(cafe.title).toMatch(/^#4 “café”: /);
    expect((await state.currentGame('discord:100'))!.guessCount).toBe(4);

    const hint = await say('hint');
    // Best so far is rank 1: nothing closer but the secret.
    expect(hint.title).toBe('No closer word to give');

    const top = await say('game', { action: 'top' });
    expect(top.lines[0]).toBe(
      `1. #1 ${nearest[0].word} — rank 1 of 1,000, cosine ${nearest[0].score.toFixed(3)} (U1)`,
    );
    expect(top.lines).toHaveLength(4);
    const status = await say('game', { action: 'status' }, 'u3');
    expect(status.title).toBe('Game in progress');
    expect(status.lines.join('\n')).toMatch(/4 guesses, 0 hints\.\nClosest so far: #1/);
    expect(status.fields?.[0].value).not.toContain(game.secret);

    // The secret with other case and an accent counts as the secret.
    const variant = game.secret.toUpperCase().replace(/A/, 'Á').replace(/E/, 'É');
    expect(foldWord(variant)).toBe(game.secret);
    const win = await say('guess', { word: variant }, 'u2');
    expect(win.title).toBe(`🎉 U2 found it: “${game.secret}”`);
    expect(win.lines[0]).toBe("Found with guess #5 of this channel's game.");
    const summary = win.lines.slice(2).join('\n');
    // Guess 4 (café) is wherever the game's secret (drawn afresh per game) puts it: its band by rank
    // (🟥 top 10, 🟧 top 100, 🟨 ranked, ⬜ cold); the counts are those of the five squares.
    const cafeRank = (cafe.data as { rank: number | null }).rank;
    const cafeSquare = cafeRank === null ? '⬜' : cafeRank <= 10 ? '🟥' : cafeRank <= 100 ? '🟧' : '🟨';
    const squares = ['🟥', '⬜', '🟧', cafeSquare, '🟩'];
    const n = (sq: string) => squares.filter((x) => x === sq).length;
    expect(summary).toBe(
      `wordvec game ${game.id.slice(0, 6)} (easy): solved in 5 guesses\n${squares.join('')}\n🟥 ${n('🟥')} · 🟧 ${n('🟧')} · 🟨 ${n('🟨')} · ⬜ ${n('⬜')}`,
    );
    expect(summary).not.toContain(game.secret);
    expect(await state.wins('discord:100', 5)).toEqual([{ user: 'u2', name: 'U2', wins: 1 }]);
    const after = await say('guess', { word: 'pizza' });
    expect(after.lines[0]).toMatch(/the last one ended: U2 found “.*” in 5 guesses/);
  });

  it('hints halve the best rank; /giveup shows the secret; channels are separate', async () => {
    await say('game', { action: 'start' }, 'u1', 'slack:T1:C1');
    const game = (await state.currentGame('slack:T1:C1'))!;
    expect(game.difficulty).toBe('medium');
    expect(await state.currentGame('discord:200')).toBeUndefined();
    const nearest = catalog.model('play').mostSimilar({ positive: [game.secret], topn: 1000 });
    const first = await say('hint', {}, 'u1', 'slack:T1:C1');
    expect(first.title).toBe(`Hint 1: “${nearest[499].word}” is rank 500 of 1,000`);
    await say('guess', { word: nearest[99].word }, 'u1', 'slack:T1:C1');
    const second = await say('hint', {}, 'u1', 'slack:T1:C1');
    expect(second.title).toBe(`Hint 2: “${nearest[49].word}” is rank 50 of 1,000`);
    const gaveUp = await say('giveup', {}, 'u2', 'slack:T1:C1');
    expect(gaveUp.title).toBe(`The secret was “${game.secret}”`);
    expect(gaveUp.lines[0]).toBe('U2 gave up after 1 guesses.');
    expect(gaveUp.lines.join('\n')).toMatch(/given up after 1 guess, 2 hints/);
    expect((await say('giveup', {}, 'u2', 'slack:T1:C1')).title).toBe('No game here');
  });

  it('the game’s model deleted: clear replies, the game kept, /giveup still ends it', async () => {
    await say('game', { action: 'start', model: 'spare' }, 'u1', 'discord:300');
    const game = (await state.currentGame('discord:300'))!;
    expect(game.model).toBe('spare');
    const writer = VectorStore.open(store);
    writer.deleteModel('spare');
    writer.close();
    const r = await say('guess', { word: 'pizza' }, 'u1', 'discord:300');
    expect(r).toMatchObject({ error: true, title: 'The game’s model is gone' });
    expect(r.lines[0]).toMatch(/model “spare”, which is no longer in the store.*\/giveup ends it/);
    expect(await state.currentGame('discord:300')).toMatchObject({ id: game.id, guessCount: 0 });
    const gaveUp = await say('giveup', {}, 'u1', 'discord:300');
    expect(gaveUp.title).toBe(`The secret was “${game.secret}”`);
  });

  it('a replica scores each guess in the game running now, though another replica ended its game and started one since', async () => {
    // Two replicas: each its own catalog and its own connection to one state file.
    const { path } = gameStore();
    const stateFile = join(dirname(path), 'bot-state.db');
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const c = await openStoreCatalog(path);
        const s = SqliteState.open(stateFile);
        return { catalog: c, state: s, runner: new CommandRunner({ catalog: c, state: s }) };
      }),
    );
    const [a, b] = replicas;
    const on = (r: (typeof replicas)[number], command: string, options: RawOptions = {}, user = 'u1') =>
      r.runner.run({ command, options, user, userName: user.toUpperCase(), channel: 'discord:400' });
    try {
      await on(a, 'game', { action: 'start', model: 'spare' });
      const first = (await a.state.currentGame('discord:400'))!;
      const w1 = words.find((w) => isSecretCandidate(w) && w !== first.secret)!;
      expect((await on(a, 'guess', { word: w1 })).title).toMatch(/^#1 /);

      // Replica b ends that game and starts another on model play; then model spare leaves the store.
      expect((await on(b, 'giveup')).title).toBe(`The secret was “${first.secret}”`);
      await on(b, 'game', { action: 'start', model: 'play' });
      const second = (await b.state.currentGame('discord:400'))!;
      const writer = VectorStore.open(path);
      writer.deleteModel('spare');
      writer.close();
      const w2 = words.find((w) => isSecretCandidate(w) && ![first.secret, second.secret, w1].includes(w))!;
      const r = await on(a, 'guess', { word: w2 }, 'u2');
      expect(r.title).toMatch(new RegExp(`^#1 “${w2}”: `));
      expect((r.data as { gameId: string; score: number }).gameId).toBe(second.id);
      expect((r.data as { score: number }).score).toBeCloseTo(
        a.catalog.model('play').similarity(second.secret, w2),
        6,
      );
      expect((await a.state.guesses('discord:400', first.id)).map((g) => g.word)).toEqual([w1]);

      // Ended on replica b: replica a says so, naming the game that ended.
      await on(b, 'giveup', {}, 'u3');
      const none = await on(a, 'guess', { word: w1 });
      expect(none).toMatchObject({ error: true, title: 'No game here' });
      expect(none.lines[0]).toMatch(/the last one ended: U3 gave up/);
      expect(await a.state.guesses('discord:400', second.id)).toHaveLength(1);
    } finally {
      for (const r of replicas) {
        r.catalog.close();
        await r.state.close();
      }
    }
  });

  it('a game nobody guessed in for the idle time ends when the channel starts another', async () => {
    const idle = new CommandRunner({ catalog, state, gameIdleMs: 7 * 86_400_000 });
    const on = (command: string, options: RawOptions = {}, user = 'u1') =>
      idle.run({ command, options, user, userName: user.toUpperCase(), channel: 'discord:500' });
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(t0);
      await on('game', { action: 'start', difficulty: 'easy' });
      const first = (await state.currentGame('discord:500'))!;
      const word = words.find((w) => isSecretCandidate(w) && w !== first.secret)!;
      vi.setSystemTime(t0 + 3_600_000);
      expect((await on('guess', { word })).title).toMatch(/^#1 /);
      // Seven days after the last guess, less a minute: still running.
      vi.setSystemTime(t0 + 3_600_000 + 7 * 86_400_000 - 60_000);
      expect((await on('game', { action: 'start' }, 'u2')).title).toBe('A game is already running here');
      vi.setSystemTime(t0 + 3_600_000 + 7 * 86_400_000);
      const started = await on('game', { action: 'start' }, 'u2');
      expect(started.title).toMatch(/^New game \(medium\)/);
      expect(started.lines[0]).toBe(
        `The game U1 started ended first: nobody had guessed for 7 days (1 guess; the secret was “${first.secret}”).`,
      );
      const second = (await state.currentGame('discord:500'))!;
      expect(second.id).not.toBe(first.id);
      const again = await on('guess', { word }, 'u3');
      expect(again.title).toMatch(/^#1 /);
      expect((again.data as { gameId: string }).gameId).toBe(second.id);
    } finally {
      vi.useRealTimers();
    }
  });

  it('without a channel or a state the game commands say so', async () => {
    const r = await runner.run({ command: 'game', options: { action: 'status' }, user: 'u' });
    expect(r).toMatchObject({ error: true, title: 'No channel' });
    const stateless = new CommandRunner({ catalog });
    const s = await stateless.run({ command: 'hint', options: {}, user: 'u', channel: 'local' });
    expect(s).toMatchObject({ error: true, title: 'No game state' });
  });
});
