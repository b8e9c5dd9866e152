/** SQL that creates the store's tables. Every statement is idempotent so opening an old store is safe. */
/** 2: claims and claim_owners (requests in flight, so that two processes on one store ask once). */
export const storeSchemaVersion = 2;

/**
 * requests, answers and errors have no AUTOINCREMENT (in stores made since): with it every insert also
 * looks up and rewrites the table's row in sqlite_sequence. Without it a new row's id is the largest id
 * + 1, the same ids as long as no row is ever deleted, and the store never deletes one (the cache_indexed
 * mark relies on ids only growing). Older stores keep their tables as they are (CREATE IF NOT EXISTS).
 */
export const schemaStatements: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    model TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    items INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    cache_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER
  )`,
  `CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    run_id INTEGER,
    cache_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    model TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    messages TEXT NOT NULL,
    parameters TEXT NOT NULL,
    response TEXT NOT NULL,
    usage TEXT NOT NULL,
    cost_usd REAL,
    latency_ms INTEGER NOT NULL,
    finish_reason TEXT,
    attempts INTEGER NOT NULL,
    created_at TEXT NOT NULL
  )`,
  // No index by model: it cost a second B-tree insert per answer (about 1 us of the ~8 us an answer
  // costs) and served only `transcripts export --model`, which reads in id order anyway.
  "DROP INDEX IF EXISTS answers_by_model",
  `CREATE TABLE IF NOT EXISTS errors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER,
    cache_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    model TEXT NOT NULL,
    error_class TEXT NOT NULL,
    status INTEGER,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS cache (
    cache_key TEXT PRIMARY KEY,
    answer_id INTEGER NOT NULL
  ) WITHOUT ROWID`,
  // Every answer with id <= answer_id has its cache entry (the engine writes cache entries in bulk, see
  // store.ts). A store made before this table existed had every answer indexed at once: start at the top.
  `CREATE TABLE IF NOT EXISTS cache_indexed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    answer_id INTEGER NOT NULL
  )`,
  "INSERT OR IGNORE INTO cache_indexed (id, answer_id) SELECT 1, coalesce(max(id), 0) FROM answers",
  // The runs sending requests right now (one row per runWork call) and the requests they hold (claims.ts).
  // A claim lives as long as its owner's lease: the owner renews one row, not one per request.
  `CREATE TABLE IF NOT EXISTS claim_owners (
    owner TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    claiming INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS claims (
    cache_key TEXT PRIMARY KEY,
    owner TEXT NOT NULL
  ) WITHOUT ROWID`,
];
