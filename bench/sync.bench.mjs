// Sync planning on a synthetic library of 100k small files in 10k folders, warm cache:
// - `ferry scan SRC` (stat-only walk) against `find SRC -printf '%s %T@\n'`;
// - a no-change resync, `ferry profile sync NAME --dry-run`, against `rsync -a --dry-run SRC/ DST/`,
//   twice: as a command that starts its own engine, and against a running engine (`ferry serve`, as
//   the desktop app runs one), which keeps the profile's index in memory between plans.
// Also the engine's start-up: `ferry queue ls` on an empty data folder (a command that opens its own
// engine, creates the database and does nothing), the median of a few runs.
// The device copy is made with `cp -a` and the profile's index seeded to match it: the state a
// finished sync leaves, without spending ten minutes of fsyncs producing it for a benchmark.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { compare, FERRY, median, ROOT, scratch, timeOnce } from './lib.mjs'

const FOLDERS = 10_000
const PER_FOLDER = 10

if (spawnSync('rsync', ['--version']).error) {
  console.log('sync.bench: rsync is not installed (apt-get install -y rsync); skipped.')
} else {
  const dir = scratch('ferry-bench-sync-')
  try {
    const src = join(dir.path, 'Library')
    const dst = join(dir.path, 'CARD')
    const data = join(dir.path, 'data')
    for (let d = 0; d < FOLDERS; d++) {
      const album = join(src, `Artist ${Math.floor(d / 10)}`, `Album ${d % 10}`)
      mkdirSync(album, { recursive: true })
      for (let f = 0; f < PER_FOLDER; f++) writeFileSync(join(album, `${f} Track.mp3`), `track ${d}-${f}`)
    }
    execFileSync('cp', ['-a', src, dst])
    // A finished sync leaves the profile's marker at the device's root: without it the planner
    // (rightly) refuses a destination Ferry has written to.
    writeFileSync(
      join(dst, '.ferry-profile.json'),
      `${JSON.stringify({ profile: 'bench', id: 1, app: 'Ferry' })}\n`,
    )
    const add = spawnSync(process.execPath, [
      FERRY,
      '--data-dir',
      data,
      'profile',
      'add',
      'bench',
      '-s',
      src,
      '-d',
      dst,
    ])
    if (add.status !== 0) throw new Error(add.stderr.toString())

    // Seed the index as a finished sync would have left it.
    const Database = createRequire(join(ROOT, 'package.json'))('better-sqlite3')
    const db = new Database(join(data, 'ferry.db'))
    const insert = db.prepare(
      `INSERT INTO sync_index (profile_id, dst, src, src_size, src_mtime, made_by, dst_size, dst_mtime)
       VALUES (1, ?, ?, ?, ?, 'copy', ?, ?)`,
    )
    db.transaction(() => {
      for (let d = 0; d < FOLDERS; d++) {
        for (let f = 0; f < PER_FOLDER; f++) {
          const rel = `Artist ${Math.floor(d / 10)}/Album ${d % 10}/${f} Track.mp3`
          const s = statSync(join(src, rel))
          const t = statSync(join(dst, rel))
          insert.run(rel, join(src, rel), s.size, Math.trunc(s.mtimeMs), t.size, Math.trunc(t.mtimeMs))
        }
      }
    })()
    db.close()
    const check = spawnSync(process.execPath, [
      FERRY,
      '--data-dir',
      data,
      'profile',
      'sync',
      'bench',
      '--dry-run',
    ])
    const summary = check.stdout.toString()
    if (!/convert 0, copy 0, delete 0, up to date 100000, conflicts 0/.test(summary))
      throw new Error(`the seeded device is not up to date:\n${summary}${check.stderr}`)

    const starts = []
    for (let i = 0; i < 7; i++) {
      const empty = join(dir.path, `empty-${i}`)
      starts.push(timeOnce(process.execPath, [FERRY, '--data-dir', empty, 'queue', 'ls']))
    }
    console.log(
      `engine start-up (ferry queue ls, empty data folder): median ${median(starts).toFixed(3)} s (min ${Math.min(...starts).toFixed(3)}, max ${Math.max(...starts).toFixed(3)}, 7 runs)`,
    )

    const files = FOLDERS * PER_FOLDER
    const scan = compare(
      `scan ${files} files in ${FOLDERS} folders (size and mtime)`,
      { name: 'ferry scan', cmd: process.execPath, args: [FERRY, 'scan', src] },
      { name: "find -printf '%s %T@'", cmd: 'find', args: [src, '-printf', '%s %T@\\n'] },
    )
    console.log(`  goal ≤ 2.0×: ${scan.ratio.toFixed(2)}×`)
    const ferry = {
      name: 'ferry profile sync --dry-run',
      cmd: process.execPath,
      args: [FERRY, '--data-dir', data, 'profile', 'sync', 'bench', '--dry-run'],
    }
    const rsync = {
      name: 'rsync -a --dry-run',
      cmd: 'rsync',
      args: ['-a', '--dry-run', `${src}/`, `${dst}/`],
    }
    const alone = compare(
      `no-change resync of ${files} files, plan only, the command starting its own engine`,
      ferry,
      rsync,
    )
    console.log(`  goal ≤ 1.0×: ${alone.ratio.toFixed(2)}×`)

    // The same against a running engine: the command connects to it and the engine plans.
    const serve = spawn(process.execPath, [FERRY, '--data-dir', data, 'serve', '--stop-with-stdin'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    await new Promise((resolve, reject) => {
      serve.stdout.on('data', (d) => String(d).includes('http://127.0.0.1') && resolve())
      serve.once('exit', () => reject(new Error('ferry serve stopped')))
    })
    try {
      const running = compare(
        `no-change resync of ${files} files, plan only, against a running engine (ferry serve)`,
        ferry,
        rsync,
      )
      console.log(`  goal ≤ 0.9×: ${running.ratio.toFixed(2)}×`)
    } finally {
      serve.stdin.end()
      await new Promise((r) => serve.once('exit', r))
    }
  } finally {
    dir.remove()
  }
}
