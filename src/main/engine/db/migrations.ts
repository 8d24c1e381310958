// Schema changes, in order. `PRAGMA user_version` records how many have run; a migration is never
// edited once released, only followed by another.
export const migrations: readonly string[] = [
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  `
  CREATE TABLE batches (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL,
    profile_id INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    lane         TEXT NOT NULL CHECK (lane IN ('transfer', 'convert')),
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'active', 'ok', 'skip', 'fail', 'cancelled')),
    priority     INTEGER NOT NULL DEFAULT 100,
    src          TEXT,
    dst          TEXT,
    root         TEXT,
    spec         TEXT NOT NULL DEFAULT '{}',
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    run_after    INTEGER NOT NULL DEFAULT 0,
    waiting      TEXT,
    lease_owner  TEXT,
    lease_until  INTEGER,
    bytes_total  INTEGER NOT NULL DEFAULT 0,
    bytes_done   INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    result       TEXT,
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    -- 0 for spawned children, 1 for top-level tasks: children run before their parent's siblings.
    is_top       INTEGER GENERATED ALWAYS AS (parent_id IS NULL) VIRTUAL
  ) STRICT;

  -- The claim reads this index: ready tasks of a lane in priority order, children first.
  CREATE INDEX tasks_claim ON tasks (lane, priority, is_top, id) WHERE status = 'pending';
  CREATE INDEX tasks_status ON tasks (status);
  CREATE INDEX tasks_batch ON tasks (batch_id, status);
  CREATE INDEX tasks_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;

  CREATE TABLE task_deps (
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    depends_on INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, depends_on)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX task_deps_on ON task_deps (depends_on);
  `,
  `
  CREATE TABLE presets (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    spec        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  ) STRICT;

  -- Encoded files kept for reuse, keyed by source identity + preset. The file is written under a
  -- temporary name and renamed; a row is added once the file is whole.
  CREATE TABLE transcode_cache (
    key        TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_used  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX transcode_cache_lru ON transcode_cache (last_used);
  CREATE INDEX tasks_src ON tasks (src) WHERE status IN ('pending', 'active');
  `,
  `
  -- Attempts cut short by the engine itself stopping (a crash, a kill): counted apart from the
  -- task's own failures, so a run of crashes does not use up its retries.
  ALTER TABLE tasks ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
  `,
  `
  CREATE TABLE profiles (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    spec         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    last_sync_at INTEGER
  ) STRICT;

  -- What Ferry wrote for a profile: one row per destination file, committed with the task that wrote it.
  CREATE TABLE sync_index (
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    dst         TEXT NOT NULL,
    src         TEXT NOT NULL,
    src_size    INTEGER NOT NULL,
    src_mtime   INTEGER NOT NULL,
    -- The preset's hash for an encode, 'copy' for a copy, the content hash for a rewritten playlist.
    made_by     TEXT NOT NULL,
    dst_size    INTEGER NOT NULL,
    dst_mtime   INTEGER NOT NULL,
    PRIMARY KEY (profile_id, dst)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- The destination root a batch writes into, as it was when the batch was enqueued: its path, its
  -- filesystem (st_dev), the root folder's birth time, and for a sync the profile whose marker it holds.
  -- A task writes only while the root is still that device.
  ALTER TABLE batches ADD COLUMN root TEXT;
  ALTER TABLE batches ADD COLUMN root_dev TEXT;
  ALTER TABLE batches ADD COLUMN root_btime REAL;
  ALTER TABLE batches ADD COLUMN root_marker INTEGER;
  `,
  `
  -- A batch written in several transactions stays unsealed, its tasks invisible to the dispatcher
  -- (waiting = 'enqueue'), until its last chunk commits; one a crash left unsealed is removed at start.
  ALTER TABLE batches ADD COLUMN sealed INTEGER NOT NULL DEFAULT 1;
  `,
  `
  -- The Queue view. A batch paused on its own: its pending tasks wait ('paused') until it resumes.
  -- The claim index leaves out tasks that wait for anything (a paused batch, a destination), so a
  -- claim never steps over 100k of them. A batch's tasks are paged in queue order straight from an
  -- index (the expression is the one Queue.list orders by).
  ALTER TABLE batches ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
  DROP INDEX tasks_claim;
  CREATE INDEX tasks_claim ON tasks (lane, priority, is_top, id) WHERE status = 'pending' AND waiting IS NULL;
  CREATE INDEX tasks_batch_order ON tasks (
    batch_id, (CASE status WHEN 'active' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END), priority, is_top, id
  );
  `,
  `
  -- What each profile's sync triggers did (device appeared, library changed, interval): the newest
  -- few per profile, so "ferry profile show" and the Sync view can say why a sync ran or did not.
  CREATE TABLE trigger_log (
    id         INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    trigger    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('started', 'skipped', 'failed')),
    reason     TEXT,
    batch_id   INTEGER,
    at         INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX trigger_log_profile ON trigger_log (profile_id, id);
  `,
  `
  -- The claim's lease, never read: one engine owns the database (SQLite's exclusive lock, held for the
  -- process's life, db/open.ts), and at start-up every task left active is its dead predecessor's. A
  -- lease guards a claim against another worker node, and there is none.
  ALTER TABLE tasks DROP COLUMN lease_owner;
  ALTER TABLE tasks DROP COLUMN lease_until;
  `,
]
