import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GroupCommit } from '../../src/main/engine/ops/durable'

const dir = mkdtempSync(join(tmpdir(), 'ferry-group-commit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('GroupCommit', () => {
  it('syncs what waits together in rounds, one at a time, and tells each waiter of its own failure', async () => {
    const commit = new GroupCommit()
    const paths = Array.from({ length: 40 }, (_, i) => join(dir, `f${i}`))
    for (const p of paths) writeFileSync(p, 'x')
    const missing = join(dir, 'missing')
    const outcomes = await Promise.allSettled([
      ...paths.map((p) => commit.files([p])),
      commit.files([missing]),
      commit.folders([dir]),
      commit.folders([join(dir, 'no-such-folder')]), // a folder that cannot be synced is not an error
    ])
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBe(1)
    expect((outcomes[40] as PromiseRejectedResult).reason).toMatchObject({ code: 'ENOENT' })
    // The first waiter starts a round alone; everyone who came while it ran shares the next one.
    expect(commit.served).toBe(43)
    expect(commit.rounds).toBeLessThanOrEqual(2)
  })

  it('a lone sync never waits for anyone', async () => {
    const commit = new GroupCommit()
    const p = join(dir, 'alone')
    writeFileSync(p, 'x')
    await commit.files([p])
    await commit.folders([dir])
    expect(commit.rounds).toBe(2)
  })
})
