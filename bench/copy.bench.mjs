// `ferry cp` (a whole process: start an engine, enqueue, copy through a worker with fsync, exit)
// against `cp -r` on the same files. cp does not fsync, so the ratio includes Ferry's durability;
// the durable baseline flushes the whole filesystem after cp. Small files are made durable by the
// transfer worker's group commit (engine/ops/durable.ts), large ones by the kernel's copy + fsync.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compare, FERRY, scratch } from './lib.mjs'

const dir = scratch('ferry-bench-copy-')
try {
  // Goals (issue 16) for the durable comparison. A whole `ferry cp` process includes starting an
  // engine and a worker (≈ 0.25–0.3 s on 2 cores, measured with one 16 KiB file), which the
  // baseline does not pay.
  const sets = [
    { name: '500 small files (16 KiB)', count: 500, size: 16 * 1024, goal: 2.5 },
    { name: '20 large files (32 MiB)', count: 20, size: 32 * 1024 * 1024, goal: 1.1 },
  ]
  for (const set of sets) {
    const src = join(dir.path, set.name.replace(/\W+/g, '-'), 'Album')
    mkdirSync(src, { recursive: true })
    const block = Buffer.alloc(set.size, 0x5a)
    for (let i = 0; i < set.count; i++) writeFileSync(join(src, `track ${i}.flac`), block)
    const out = join(dir.path, 'out')
    const data = join(dir.path, 'data')
    const clean = () => {
      rmSync(out, { recursive: true, force: true })
      rmSync(data, { recursive: true, force: true })
      mkdirSync(out)
    }
    const ferry = {
      name: 'ferry cp',
      cmd: process.execPath,
      args: [FERRY, '--data-dir', data, 'cp', '-q', src, out],
      before: clean,
    }
    compare(`copy ${set.name}`, ferry, {
      name: 'cp -r',
      cmd: 'cp',
      args: ['-r', '--preserve=timestamps', src, out],
      before: clean,
    })
    // Ferry syncs every file and folder before calling it done; cp followed by a flush of the whole
    // filesystem is the durable baseline (`sync DIR` would flush only that folder's entry, not the
    // files in it: coreutils syncs just the file it is given).
    const { ratio } = compare(`copy ${set.name}, durable`, ferry, {
      name: 'cp -r && sync -f',
      cmd: 'sh',
      args: ['-c', `cp -r --preserve=timestamps "${src}" "${out}" && sync -f "${out}"`],
      before: clean,
    })
    console.log(`  goal ≤ ${set.goal}×: ${ratio <= set.goal ? 'met' : 'not met'}`)
  }
} finally {
  dir.remove()
}
