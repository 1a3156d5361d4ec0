import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type Admission,
  type BotState,
  type GameRecord,
  type GuessRecord,
  type GuessResult,
  isIdleGame,
  type NewGuess,
  type PendingReply,
  type RateCheck,
  type RateDecision,
  type StartResult,
  StateUnavailableError,
  type WinCount,
} from './bot-state.js';
import { BackgroundCheckpointer, INLINE_CHECKPOINT_PAGES } from './sqlite-checkpointer.js';

/** How long a writer waits for another process's transaction before giving up (SQLITE_BUSY). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Numbered migrations, keyed on `PRAGMA user_version`. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE games (
     id TEXT PRIMARY KEY,
     channel TEXT NOT NULL,
     record TEXT NOT NULL,
     neighbours TEXT NOT NULL,
     started_at INTEGER NOT NULL
   );
   CREATE INDEX games_channel ON games (channel, started_at);
   CREATE TABLE active_games (channel TEXT PRIMARY KEY, game_id TEXT NOT NULL);
   CREATE TABLE guesses (
     game_id TEXT NOT NULL,
     n INTEGER NOT NULL,
     word TEXT NOT NULL,
     score REAL NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (game_id, n),
     UNIQUE (game_id, word)
   );
   CREATE INDEX guesses_score ON guesses (game_id, score DESC, n);
   CREATE TABLE wins (
     channel TEXT NOT NULL,
     user TEXT NOT NULL,
     name TEXT NOT NULL,
     wins INTEGER NOT NULL,
     PRIMARY KEY (channel, user)
   );
   CREATE TABLE rate_hits (key TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX rate_hits_key ON rate_hits (key, at);
   CREATE INDEX rate_hits_at ON rate_hits (at);
   CREATE TABLE replay_keys (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE INDEX replay_expiry ON replay_keys (expires_at);`,
  `CREATE TABLE pending_replies (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     lease_until INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     payload TEXT NOT NULL
   );
   CREATE INDEX pending_lease ON pending_replies (lease_until);`,
];

/** Sweeps of expired rate hits and replay keys happen at most this often. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The bot's state in a SQLite file of its own (WAL, so readers never wait for the writer; a busy
 * timeout, so processes on one host queue for the write lock instead of failing). Every write is
 * one IMMEDIATE transaction: two shards recording guesses at once are serialised by the lock. The
 * log is checkpointed by a {@link BackgroundCheckpointer} on a worker thread, not inside a commit.
 *
 * @example
 * ```ts
 * const state = SqliteState.open('data/bot-state.db');
 * await state.takeRate('discord:42', 5, 10_000, Date.now()); // { allowed: true }
 * ```
 */
export class SqliteState implements BotState {
  readonly backend = 'sqlite' as const;
  readonly path: string;
  readonly #db: Database.Database;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #checkpointer: BackgroundCheckpointer | undefined;
  #lastSweep = 0;

  private constructor(path: string, db: Database.Database, checkpointer?: BackgroundCheckpointer) {
    this.path = path;
    this.#db = db;
    this.#sql = prepare(db);
    this.#checkpointer = checkpointer;
  }

  /** Opens (creating, migrating) the state file at `path`; `':memory:'` for a private in-memory state. */
  static open(path: string): SqliteState {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    let wal: boolean;
    try {
      wal = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
      // In WAL mode NORMAL syncs at checkpoints only: a commit survives the process being killed
      // (it is in the OS's cache); a power cut may lose the last ones, never the file's integrity.
      db.pragma('synchronous = NORMAL');
      migrate(db);
      // Checkpoints (and their fsyncs) happen on a worker thread, not inside a request's commit.
      if (wal) db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteState(path, db, wal ? BackgroundCheckpointer.start(path) : undefined);
  }

  async takeRate(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateDecision> {
    return this.#write(() => this.#takeRate(key, limit, windowMs, nowMs));
  }

  async firstSeen(key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return this.#write(() => this.#firstSeen(key, expiresAtMs, nowMs));
  }

  async admit(replayKey: string, expiresAtMs: number, rate: RateCheck, nowMs: number): Promise<Admission> {
    return this.#write((): Admission => {
      // The replay keys of admissions are the rate key's own (as on Redis, where they share its slot).
      if (!this.#firstSeen(`admit\u0000${rate.key}\u0000${replayKey}`, expiresAtMs, nowMs))
        return { firstSeen: false };
      return { firstSeen: true, rate: this.#takeRate(rate.key, rate.limit, rate.windowMs, nowMs) };
    });
  }

  #takeRate(key: string, limit: number, windowMs: number, nowMs: number): RateDecision {
    this.#sweep(nowMs, windowMs);
    const since = nowMs - windowMs;
    this.#sql.dropHits.run(key, since);
    const { n, first } = this.#sql.countHits.get(key) as { n: number; first: number | null };
    if (n >= limit) return { allowed: false, retryAfterMs: Math.max(1, (first ?? nowMs) + windowMs - nowMs) };
    this.#sql.addHit.run(key, nowMs);
    return { allowed: true };
  }

  #firstSeen(key: string, expiresAtMs: number, nowMs: number): boolean {
    this.#sweep(nowMs, 0);
    const known = this.#sql.replayKey.get(key) as { expires_at: number } | undefined;
    if (known && known.expires_at > nowMs) return false;
    this.#sql.putReplayKey.run(key, expiresAtMs);
    return true;
  }

  async startGame(game: GameRecord, neighbours: readonly string[], idleMs?: number): Promise<StartResult> {
    return this.#write((): StartResult => {
      const running = this.#active(game.channel);
      let expired: GameRecord | undefined;
      if (running && idleMs !== undefined && isIdleGame(running, idleMs, game.startedAt)) {
        expired = Object.assign(running, { status: 'expired', endedAt: game.startedAt } as const);
        this.#sql.updateGame.run(JSON.stringify(expired), expired.id);
        this.#sql.clearActive.run(game.channel);
      } else if (running) return { started: false, game: running };
      this.#sql.insertGame.run(
        game.id,
        game.channel,
        JSON.stringify(game),
        JSON.stringify(neighbours),
        game.startedAt,
      );
      this.#sql.setActive.run(game.channel, game.id);
      return expired ? { started: true, game, expired } : { started: true, game };
    });
  }

  async currentGame(channel: string): Promise<GameRecord | undefined> {
    return this.#read(() => this.#active(channel));
  }

  async lastGame(channel: string): Promise<GameRecord | undefined> {
    return this.#read(() => {
      const row = this.#sql.lastGame.get(channel) as { record: string } | undefined;
      return row ? (JSON.parse(row.record) as GameRecord) : undefined;
    });
  }

  async neighbours(_channel: string, gameId: string): Promise<string[]> {
    return this.#read(() => {
      const row = this.#sql.neighbours.get(gameId) as { neighbours: string } | undefined;
      return row ? (JSON.parse(row.neighbours) as string[]) : [];
    });
  }

  async recordGuess(channel: string, gameId: string, guess: NewGuess, win: boolean): Promise<GuessResult> {
    return this.#write((): GuessResult => {
      const game = this.#active(channel);
      if (!game || game.id !== gameId) return { kind: 'no-game', last: this.#game(gameId) };
      const previous = this.#sql.guessByWord.get(gameId, guess.word) as { record: string } | undefined;
      if (previous) return { kind: 'duplicate', guess: JSON.parse(previous.record) as GuessRecord, game };
      const recorded: GuessRecord = { n: game.guessCount + 1, ...guess };
      this.#sql.insertGuess.run(gameId, recorded.n, recorded.word, recorded.score, JSON.stringify(recorded));
      game.guessCount = recorded.n;
      game.lastGuessAt = guess.at;
      if (win) {
        game.status = 'won';
        game.endedBy = guess.user;
        game.endedByName = guess.userName;
        game.endedAt = guess.at;
        this.#sql.clearActive.run(channel);
        this.#sql.addWin.run(channel, guess.user, guess.userName);
      }
      this.#sql.updateGame.run(JSON.stringify(game), gameId);
      return { kind: 'recorded', guess: recorded, game };
    });
  }

  async addHint(channel: string, gameId: string): Promise<GameRecord | undefined> {
    return this.#write(() => {
      const game = this.#active(channel);
      if (!game || game.id !== gameId) return undefined;
      game.hints++;
      this.#sql.updateGame.run(JSON.stringify(game), gameId);
      return game;
    });
  }

  async giveUp(
    channel: string,
    gameId: string,
    user: string,
    userName: string,
    nowMs: number,
  ): Promise<GameRecord | undefined> {
    return this.#write(() => {
      const game = this.#active(channel);
      if (!game || game.id !== gameId) return undefined;
      Object.assign(game, { status: 'given-up', endedBy: user, endedByName: userName, endedAt: nowMs });
      this.#sql.updateGame.run(JSON.stringify(game), gameId);
      this.#sql.clearActive.run(channel);
      return game;
    });
  }

  async guesses(_channel: string, gameId: string): Promise<GuessRecord[]> {
    return this.#read(() =>
      (this.#sql.guesses.all(gameId) as { record: string }[]).map((r) => JSON.parse(r.record) as GuessRecord),
    );
  }

  async topGuesses(_channel: string, gameId: string, limit: number): Promise<GuessRecord[]> {
    return this.#read(() =>
      (this.#sql.topGuesses.all(gameId, limit) as { record: string }[]).map(
        (r) => JSON.parse(r.record) as GuessRecord,
      ),
    );
  }

  async wins(channel: string, limit: number): Promise<WinCount[]> {
    return this.#read(() => this.#sql.wins.all(channel, limit) as WinCount[]);
  }

  async holdPending(reply: PendingReply, owner: string, leaseUntilMs: number): Promise<boolean> {
    return this.#write(() => {
      const row = this.#sql.pendingOwner.get(reply.id) as { owner: string; lease_until: number } | undefined;
      if (row && row.owner !== owner) return false;
      this.#sql.putPending.run(reply.id, owner, leaseUntilMs, reply.expiresAtMs, reply.payload);
      return true;
    });
  }

  async finishPending(id: string): Promise<void> {
    this.#write(() => this.#sql.dropPending.run(id));
  }

  async claimPending(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<PendingReply[]> {
    return this.#write(() => {
      this.#sql.sweepPending.run(nowMs);
      const rows = this.#sql.stalePending.all(nowMs, limit) as {
        id: string;
        expires_at: number;
        payload: string;
      }[];
      for (const r of rows) this.#sql.leasePending.run(owner, nowMs + leaseMs, r.id);
      return rows.map((r) => ({ id: r.id, payload: r.payload, expiresAtMs: r.expires_at }));
    });
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    await this.#checkpointer?.stop();
    // The last connection to close checkpoints what is left and removes the log.
    if (this.#db.open) this.#db.close();
  }

  #active(channel: string): GameRecord | undefined {
    const row = this.#sql.activeGame.get(channel) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as GameRecord) : undefined;
  }

  #game(gameId: string): GameRecord | undefined {
    const row = this.#sql.game.get(gameId) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as GameRecord) : undefined;
  }

  // A bot runs for months: expired rate hits and replay keys leave at most once a minute.
  #sweep(nowMs: number, windowMs: number): void {
    if (nowMs - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = nowMs;
    // Hits older than a day are past any window the configuration allows.
    this.#sql.sweepHits.run(nowMs - Math.max(windowMs, 86_400_000));
    this.#sql.sweepReplayKeys.run(nowMs);
  }

  #write<T>(fn: () => T): T {
    try {
      const result = this.#db.transaction(fn).immediate();
      this.#checkpointer?.committed();
      return result;
    } catch (error) {
      throw unavailable(error);
    }
  }

  #read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): unknown {
  const code = (error as { code?: string })?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return new StateUnavailableError('the bot state file is busy (another process holds it too long)', {
      cause: error,
    });
  if (code === 'SQLITE_FULL')
    return new StateUnavailableError('the disk holding the bot state is full', { cause: error });
  return error;
}

function migrate(db: Database.Database): void {
  // The version is read inside the write transaction: two processes opening a new file at once
  // would otherwise both read 0, and the second would run the first migration again.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `the bot state file was written by a newer version (schema ${version}, this one knows ${MIGRATIONS.length})`,
      );
    }
    if (version === MIGRATIONS.length) return;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

function prepare(db: Database.Database) {
  return {
    dropHits: db.prepare('DELETE FROM rate_hits WHERE key = ? AND at <= ?'),
    countHits: db.prepare('SELECT count(*) AS n, min(at) AS first FROM rate_hits WHERE key = ?'),
    addHit: db.prepare('INSERT INTO rate_hits (key, at) VALUES (?, ?)'),
    sweepHits: db.prepare('DELETE FROM rate_hits WHERE at <= ?'),
    replayKey: db.prepare('SELECT expires_at FROM replay_keys WHERE key = ?'),
    putReplayKey: db.prepare('INSERT OR REPLACE INTO replay_keys (key, expires_at) VALUES (?, ?)'),
    sweepReplayKeys: db.prepare('DELETE FROM replay_keys WHERE expires_at <= ?'),
    activeGame: db.prepare(
      'SELECT g.record FROM active_games a JOIN games g ON g.id = a.game_id WHERE a.channel = ?',
    ),
    game: db.prepare('SELECT record FROM games WHERE id = ?'),
    lastGame: db.prepare(
      'SELECT record FROM games WHERE channel = ? ORDER BY started_at DESC, rowid DESC LIMIT 1',
    ),
    neighbours: db.prepare('SELECT neighbours FROM games WHERE id = ?'),
    insertGame: db.prepare(
      'INSERT INTO games (id, channel, record, neighbours, started_at) VALUES (?, ?, ?, ?, ?)',
    ),
    updateGame: db.prepare('UPDATE games SET record = ? WHERE id = ?'),
    setActive: db.prepare('INSERT INTO active_games (channel, game_id) VALUES (?, ?)'),
    clearActive: db.prepare('DELETE FROM active_games WHERE channel = ?'),
    guessByWord: db.prepare('SELECT record FROM guesses WHERE game_id = ? AND word = ?'),
    insertGuess: db.prepare('INSERT INTO guesses (game_id, n, word, score, record) VALUES (?, ?, ?, ?, ?)'),
    guesses: db.prepare('SELECT record FROM guesses WHERE game_id = ? ORDER BY n'),
    topGuesses: db.prepare('SELECT record FROM guesses WHERE game_id = ? ORDER BY score DESC, n LIMIT ?'),
    addWin: db.prepare(
      `INSERT INTO wins (channel, user, name, wins) VALUES (?, ?, ?, 1)
       ON CONFLICT (channel, user) DO UPDATE SET wins = wins + 1, name = excluded.name`,
    ),
    wins: db.prepare('SELECT user, name, wins FROM wins WHERE channel = ? ORDER BY wins DESC, user LIMIT ?'),
    pendingOwner: db.prepare('SELECT owner, lease_until FROM pending_replies WHERE id = ?'),
    putPending: db.prepare(
      'INSERT OR REPLACE INTO pending_replies (id, owner, lease_until, expires_at, payload) VALUES (?, ?, ?, ?, ?)',
    ),
    dropPending: db.prepare('DELETE FROM pending_replies WHERE id = ?'),
    sweepPending: db.prepare('DELETE FROM pending_replies WHERE expires_at <= ?'),
    stalePending: db.prepare(
      'SELECT id, expires_at, payload FROM pending_replies WHERE lease_until <= ? ORDER BY lease_until LIMIT ?',
    ),
    leasePending: db.prepare('UPDATE pending_replies SET owner = ?, lease_until = ? WHERE id = ?'),
  };
}
