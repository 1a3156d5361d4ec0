/**
 * The store's schema as numbered migrations on `PRAGMA user_version`, and the checks that tell a
 * wordvec store from any other file before anything is written.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';

/**
 * `PRAGMA application_id` of every wordvec store: the bytes "WVEC". SQLite keeps it in the file
 * header (offset 68), so a foreign database is recognised without reading any table.
 */
export const APPLICATION_ID = 0x57564543;

/** Page size of new stores: large pages make the float32 blocks (overflow chains) load in fewer reads. */
export const PAGE_SIZE = 32768;

/**
 * Migration `i` brings the schema from version `i` to `i + 1`. Append only: a released migration
 * is never edited, since stores in the field already ran it.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('importing', 'ready')),
    dim INTEGER NOT NULL,
    vocab_size INTEGER NOT NULL,
    algorithm TEXT NOT NULL,
    hyper_parameters TEXT NOT NULL,
    corpus TEXT,
    evaluation TEXT,
    min_count INTEGER,
    created_at TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    block_rows INTEGER NOT NULL,
    has_counts INTEGER NOT NULL,
    ann TEXT
  );
  CREATE UNIQUE INDEX models_ready_name ON models(name) WHERE status = 'ready';
  CREATE TABLE words (
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    word TEXT NOT NULL,
    folded TEXT NOT NULL,
    length INTEGER NOT NULL,
    count REAL,
    rank INTEGER NOT NULL,
    norm REAL NOT NULL,
    PRIMARY KEY (model_id, idx)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX words_word ON words(model_id, word);
  CREATE INDEX words_folded ON words(model_id, folded, rank);
  CREATE INDEX words_rank ON words(model_id, rank);
  CREATE TABLE rare_words (
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    word TEXT NOT NULL,
    count REAL NOT NULL,
    PRIMARY KEY (model_id, word)
  ) WITHOUT ROWID;
  CREATE TABLE chunks (
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE UNIQUE INDEX chunks_key ON chunks(model_id, kind, seq);
  `,
  // 2: covering indexes for autocomplete and suggestions. With 32 KB pages, fetching each matching
  // row from the table cost a page read per row (a second for a one-letter prefix on 400k words).
  `
  DROP INDEX words_folded;
  CREATE INDEX words_folded ON words(model_id, folded, rank, word);
  DROP INDEX words_rank;
  CREATE INDEX words_rank ON words(model_id, rank, length, folded, word);
  `,
  // 3: the co-occurrence statistics a model was trained from (src/cooccurrence-stats.ts); their
  // arrays are `cooc-*` pieces in chunks. IF NOT EXISTS: a store whose user_version was lowered by
  // hand (tests) may hold the table already. Read-only opens of older stores see no statistics.
  `
  CREATE TABLE IF NOT EXISTS cooccurrence (
    model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    vocab_size INTEGER NOT NULL,
    nnz INTEGER NOT NULL,
    total REAL NOT NULL,
    max_contexts INTEGER,
    own_words INTEGER NOT NULL
  );
  `,
  // 4: a model's subword table (src/model/subword-store.ts): its description here, its rows as
  // `subword` pieces in chunks (plus a fastText model's `ft-word-rows` and `ft-output`). IF NOT EXISTS
  // for the same reason as 3. Read-only opens of older stores see no table.
  `
  CREATE TABLE IF NOT EXISTS subword_tables (
    model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    info TEXT NOT NULL
  );
  `,
];

/**
 * Oldest schema a read-only open accepts as it is. Migrations after it only add indexes and the
 * optional co-occurrence and subword tables, so an older store still answers every query (more
 * slowly; without co-occurrence statistics or subword estimates) until a writable open upgrades it.
 */
export const READABLE_FROM = 1;

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Reads the header fields of an open database and throws unless it is a wordvec store this code can
 * read (or an empty database that may become one). Reads only; never writes.
 *
 * @returns the schema version found (0 for an empty database).
 */
export function checkStoreFile(db: Database, path: string): number {
  let appId: number;
  let version: number;
  let tables: number;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    tables = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreError('NOT_A_STORE', `${path} is not a wordvec store (not an SQLite database)`, {
        cause: err,
      });
    }
    throw err;
  }
  if (appId === 0 && version === 0 && tables === 0) return 0;
  if (appId !== APPLICATION_ID) {
    throw new StoreError(
      'NOT_A_STORE',
      `${path} is an SQLite database but not a wordvec store (application_id ${appId}, ${tables} schema objects)`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      'NEWER_SCHEMA',
      `${path} has store schema version ${version}, newer than this wordvec understands (${SCHEMA_VERSION}); upgrade wordvec to open it`,
    );
  }
  return version;
}

/** Brings a writable store from `from` to {@link SCHEMA_VERSION}, each migration in its own transaction. */
export function migrate(db: Database, from: number): void {
  if (from === 0) {
    // Both must precede the first table: page_size is fixed once the file has content.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
