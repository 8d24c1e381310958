// Changes source files while Ferry copies them, the way a tagger, a ripper or a sync client would:
// rewrites in place, truncates, appends, replaces by rename. Every complete version a file passes
// through is recorded (sha256, size, mtime) in a JSON log — and any state between two writes that
// stood still long enough to pass for settled (a starved mutator) — so a test can check that each copy
// is one of them. Usage: node mutator.mjs CONFIG.json  (config: { files: [{ path, mode, untilMs }], log })
import { createHash, randomBytes } from 'node:crypto'
import { open, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises'

const config = JSON.parse(await readFile(process.argv[2], 'utf8'))
const MiB = 1024 * 1024
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const versions = {}

async function record(path) {
  const data = await readFile(path)
  const s = await stat(path)
  ;(versions[path] ??= []).push({
    sha256: createHash('sha256').update(data).digest('hex'),
    size: s.size,
    mtimeMs: s.mtimeMs,
  })
}

/**
 * A state between two writes that lasted long enough for a copier to take it as settled (Ferry waits
 * for 50 ms of quiet: ops/source.ts, FRESH_MS) is one the file really was in. A starved machine can
 * hold this process that long between two chunks; when it did, the state it left is recorded too.
 */
const QUIET_MS = 45

/**
 * Writes chunks into an open file (at `at`), recording any state between two writes that stood for
 * QUIET_MS — measured by the file's own mtimes, as a copier sees them, not by this process's clock,
 * which a starved machine runs late.
 */
async function writeChunks(path, fh, content, chunks) {
  let previousMtime = (await fh.stat()).mtimeMs
  for (const { at, data } of chunks) {
    await fh.write(data, 0, data.length, at)
    const mtime = (await fh.stat()).mtimeMs
    if (mtime - previousMtime >= QUIET_MS) recordState(path, content.current, previousMtime)
    const end = at + data.length
    if (end > content.current.length) {
      const grown = Buffer.alloc(end)
      content.current.copy(grown)
      content.current = grown
    }
    data.copy(content.current, at)
    previousMtime = mtime
    await sleep(2)
  }
}

function recordState(path, data, mtimeMs) {
  ;(versions[path] ??= []).push({
    sha256: createHash('sha256').update(data).digest('hex'),
    size: data.length,
    mtimeMs,
  })
}

/** Overwrites the file in place, a chunk at a time with pauses: partial states are not versions. */
async function rewrite(path) {
  const content = { current: await readFile(path) }
  const size = content.current.length
  const fh = await open(path, 'r+')
  const chunks = []
  for (let at = 0; at < size; at += MiB) chunks.push({ at, data: randomBytes(Math.min(MiB, size - at)) })
  await writeChunks(path, fh, content, chunks)
  await fh.close()
  await record(path)
}

async function cut(path) {
  const size = (await stat(path)).size
  await truncate(path, MiB)
  await record(path)
  await sleep(150)
  const content = { current: await readFile(path) }
  const fh = await open(path, 'r+')
  const chunks = []
  for (let at = MiB; at < size; at += MiB) chunks.push({ at, data: randomBytes(MiB) })
  await writeChunks(path, fh, content, chunks)
  await fh.close()
  await record(path)
}

/** Appends chunk by chunk: each whole chunk makes a version (an append is seen whole or not at all). */
async function append(path) {
  const fh = await open(path, 'a')
  for (let i = 0; i < 8; i++) {
    await fh.write(randomBytes(256 * 1024))
    await record(path)
    await sleep(5)
  }
  await fh.close()
}

async function replace(path) {
  const size = (await stat(path)).size
  const tmp = `${path}.new`
  await writeFile(tmp, randomBytes(size + MiB))
  await rename(tmp, path)
  await record(path)
}

/** Never still: small appends a couple of milliseconds apart (no versions recorded: none may be copied). */
async function churn(path) {
  const fh = await open(path, 'a')
  for (let i = 0; i < 50; i++) {
    await fh.write(randomBytes(4096))
    await sleep(2)
  }
  await fh.close()
}

const modes = { rewrite, truncate: cut, append, replace, churn }

await Promise.all(
  config.files.map(async (f) => {
    if (f.mode !== 'churn') await record(f.path)
    const until = Date.now() + f.untilMs
    while (Date.now() < until) {
      await modes[f.mode](f.path)
      await sleep(f.pauseMs ?? 300)
    }
  }),
)
await writeFile(config.log, JSON.stringify(versions))
