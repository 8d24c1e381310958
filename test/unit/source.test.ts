import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { onStableSource, SOURCE_TRIES, SourceKeptChanging } from '../../src/main/engine/ops/source'
import { tempDir } from '../helpers/ferry'

describe('onStableSource', () => {
  const tmp = tempDir('ferry-source-')
  afterAll(() => tmp.remove())

  it('gives up with "kept changing" when every try sees the source change, undoing each try', async () => {
    const file = join(tmp.path, 'churn.flac')
    writeFileSync(file, 'start')
    let tries = 0
    let undone = 0
    const run = onStableSource(
      file,
      new AbortController().signal,
      async () => {
        tries++
        appendFileSync(file, 'more') // changes while "copied"
        return tries
      },
      async () => {
        undone++
      },
    )
    await expect(run).rejects.toBeInstanceOf(SourceKeptChanging)
    await expect(run).rejects.toThrow(/The source kept changing while it was copied/)
    expect([tries, undone]).toEqual([SOURCE_TRIES, SOURCE_TRIES])
  }, 15_000)

  it('waits a file written a moment ago out for a moment only, never a settle', async () => {
    // A file just written (an encode renamed into the cache, then copied onto the card) is given the
    // rest of 50 ms; it once came back 49.5 ms old (file times have fractions of a millisecond,
    // Date.now() has none) and was settled on for 500 ms, about one copy in four.
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      const file = join(tmp.path, `fresh-${i}.mp3`)
      writeFileSync(file, 'encoded')
      const started = performance.now()
      let tries = 0
      await onStableSource(
        file,
        new AbortController().signal,
        async () => tries++,
        async () => {},
      )
      waits.push(Math.round(performance.now() - started))
      expect(tries).toBe(1)
    }
    expect(Math.max(...waits), `waits: ${waits.join(', ')} ms`).toBeLessThan(400)
  })

  it("takes Ferry's own finished output (an encode in the cache) at once, still comparing before and after", async () => {
    const fresh = async (settled: boolean, change = false) => {
      const file = join(tmp.path, `own-${settled}-${change}.mp3`)
      writeFileSync(file, 'encoded')
      const started = performance.now()
      let tries = 0
      const r = await onStableSource(
        file,
        new AbortController().signal,
        async () => {
          tries++
          if (change && tries === 1) appendFileSync(file, '!')
          return tries
        },
        async () => {},
        undefined,
        settled,
      )
      return { ms: performance.now() - started, tries: r.output }
    }
    // A user's file written a moment ago waits out the rest of 50 ms; Ferry's own output does not.
    expect((await fresh(false)).ms).toBeGreaterThanOrEqual(40)
    const own = await fresh(true)
    expect(own.ms).toBeLessThan(45) // waiting, it would take 50 ms or more
    expect(own.tries).toBe(1)
    // A change while it is copied is still seen (and the copy made again).
    expect((await fresh(true, true)).tries).toBe(2)
  })

  it('returns the version the work saw once a try sees no change, after the changes settle', async () => {
    const file = join(tmp.path, 'settles.flac')
    writeFileSync(file, 'v1')
    let tries = 0
    const { output, version } = await onStableSource(
      file,
      new AbortController().signal,
      async () => {
        tries++
        if (tries === 1) appendFileSync(file, '+v2') // changed during the first try only
        return tries
      },
      async () => undefined,
    )
    expect(output).toBe(2)
    expect(version.size).toBe(5)
  })

  it('takes a copy whose byte count differs from the size as a change', async () => {
    const file = join(tmp.path, 'short.flac')
    writeFileSync(file, '12345')
    let tries = 0
    const r = await onStableSource(
      file,
      new AbortController().signal,
      async () => ++tries,
      async () => undefined,
      (n) => (n === 1 ? 3 : 5), // the first try took 3 bytes of 5
    )
    expect(r.output).toBe(2)
  })
})
