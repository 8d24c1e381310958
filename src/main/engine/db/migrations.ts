// Schema changes, in order. `PRAGMA user_version` records how many have run; a migration is never
// edited once released, only followed by another.
export const migrations: readonly string[] = [
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
]
