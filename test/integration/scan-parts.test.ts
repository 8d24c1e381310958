// A folder walked by several threads at once (each a range of its top-level entries, joined in order)
// must be the very walk one thread makes: same files in the same order, same sizes and times, same
// folders, problems and left-out entries. Real files, a FIFO and symlinks; the built scan worker.
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scanTrees } from '../../src/main/engine/sync/scan'
import { tempDir } from '../helpers/ferry'

describe('a scan split over threads', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('is the same walk as one thread makes', async () => {
    const root = join(dir.path, 'Library')
    mkdirSync(root)
    // Files and folders side by side at the top, so the ranges cut between and across both.
    for (const [i, name] of ['a.flac', 'B', 'c.flac', 'D', 'e', 'F.mp3', 'G', 'h', 'i.txt'].entries()) {
      if (name.includes('.')) writeFileSync(join(root, name), 'x'.repeat(i + 1), { flag: 'w' })
      else {
        mkdirSync(join(root, name, 'Album'), { recursive: true })
        for (let t = 0; t < 3 + i; t++)
          writeFileSync(join(root, name, 'Album', `${t} Track.flac`), 'y'.repeat(t))
      }
    }
    mkdirSync(join(root, '.hidden'))
    writeFileSync(join(root, '.hidden', 'secret.flac'), 's')
    symlinkSync(root, join(root, 'G', 'loop'))
    symlinkSync(join(root, 'nowhere'), join(root, 'h', 'dangling'))
    symlinkSync(join(root, 'B'), join(root, 'e', 'linked B'))
    execFileSync('mkfifo', [join(root, 'D', 'pipe')])

    for (const includeHidden of [false, true]) {
      const [one] = await scanTrees([{ root, opts: { includeHidden } }])
      expect(one!.rels.split('\0').length).toBeGreaterThan(30)
      for (const parts of [2, 3, 12]) {
        const [split] = await scanTrees([{ root, opts: { includeHidden } }], parts)
        expect({ ...split, sizes: [...split!.sizes], mtimes: [...split!.mtimes] }).toEqual({
          ...one,
          sizes: [...one!.sizes],
          mtimes: [...one!.mtimes],
        })
      }
    }
  })

  it('reports a root it cannot read once, not once a thread', async () => {
    const [r] = await scanTrees([{ root: join(dir.path, 'not there'), opts: { includeHidden: false } }], 3)
    expect(r!.problems).toHaveLength(1)
    expect(r!.problems[0]).toMatch(/^Cannot read the folder .*not there/)
    expect(r!.rels).toBe('')
  })
})
