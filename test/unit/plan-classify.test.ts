import { describe, expect, it, vi } from 'vitest'
import { classifyAudio } from '../../src/main/engine/sync/plan/classify'
import { preset, row } from '../helpers/plan-fixtures'

const file = { rel: 'a/x', size: 100, mtimeMs: 1_000_000 }
const never = () => Promise.reject(new Error('not probed'))

describe('plan stage: classify', () => {
  it('converts lossless and copies lossy by the extension alone, unless the preset transcodes lossy', () => {
    expect(classifyAudio('/s/x.flac', file, 'flac', preset(), undefined, never)).toBe('convert')
    expect(classifyAudio('/s/x.mp3', file, 'mp3', preset(), undefined, never)).toBe('copy')
    expect(classifyAudio('/s/x.ogg', file, 'ogg', preset({ lossy: 'transcode' }), undefined, never)).toBe(
      'convert',
    )
  })

  it('a copy preset copies everything', () => {
    expect(classifyAudio('/s/x.flac', file, 'flac', preset({ codec: 'copy' }), undefined, never)).toBe('copy')
  })

  it('an ambiguous extension reuses the last decision for an unchanged file, without probing', () => {
    const probe = vi.fn(never)
    const was = (madeBy: string) => row({ src: '/s/x.m4a', dst: 'x.mp3', madeBy })
    expect(classifyAudio('/s/x.m4a', file, 'm4a', preset(), was('copy'), probe)).toBe('copy')
    expect(classifyAudio('/s/x.m4a', file, 'm4a', preset(), was('mp3hash'), probe)).toBe('convert')
    expect(probe).not.toHaveBeenCalled()
  })

  it('probes a new or changed ambiguous file; one that cannot be probed is taken for lossy', async () => {
    const changed = row({ src: '/s/x.m4a', dst: 'x.m4a', srcSize: 99 })
    await expect(classifyAudio('/s/x.m4a', file, 'm4a', preset(), changed, async () => true)).resolves.toBe(
      'convert',
    )
    await expect(
      classifyAudio('/s/x.m4a', file, 'm4a', preset(), undefined, async () => false),
    ).resolves.toBe('copy')
    await expect(classifyAudio('/s/x.wv', file, 'wv', preset(), undefined, never)).resolves.toBe('copy')
  })
})
