// `ferry cp` (a whole process: start an engine, enqueue, copy through a worker with fsync, exit)
// against `cp -r` on the same files. cp does not fsync, so the ratio includes Ferry's durability.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compare, FERRY, scratch } from './lib.mjs'

const dir = scratch('ferry-bench-copy-')
try {
  const sets = [
    { name: '500 small files (16 KiB)', count: 500, size: 16 * 1024 },
    { name: '20 large files (32 MiB)', count: 20, size: 32 * 1024 * 1024 },
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
    compare(`copy ${set.name}, durable`, ferry, {
      name: 'cp -r && sync -f',
      cmd: 'sh',
      args: ['-c', `cp -r --preserve=timestamps "${src}" "${out}" && sync -f "${out}"`],
      before: clean,
    })
  }
} finally {
  dir.remove()
}
