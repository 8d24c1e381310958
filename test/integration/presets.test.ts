import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { FerryError } from '../../src/shared/errors'
import { openEngine } from '../helpers/engine'
import { runFerry, tempDir } from '../helpers/ferry'

const refused = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(FerryError)
  return (err as FerryError).message
}

describe('presets', () => {
  let tmp: ReturnType<typeof tempDir>
  let engine: Engine
  beforeAll(async () => {
    tmp = tempDir('ferry-presets-')
    engine = await openEngine(join(tmp.path, 'data'), { work: false })
  })
  afterAll(async () => {
    await engine?.close()
    tmp?.remove()
  })

  it('offers the built-ins, mp3-v0 first', async () => {
    const list = await engine.api.invoke('presets.list')
    expect(list.map((p) => p.name)).toEqual(['mp3-v0', 'mp3-v2', 'mp3-320', 'aac-256', 'opus-128', 'copy'])
    expect(list.every((p) => p.builtin)).toBe(true)
    const v0 = list[0]!
    expect(v0.spec).toMatchObject({ codec: 'mp3', mode: 'vbr', quality: 0, id3v2Version: 3, lossy: 'copy' })
    expect(v0.extension).toBe('mp3')
    expect(list.find((p) => p.name === 'copy')!.extension).toBeNull()
  })

  it('creates, duplicates, edits and deletes custom presets, persisted across restarts', async () => {
    const mine = await engine.api.invoke('presets.create', {
      name: 'car-stereo',
      description: 'Old car stereo',
      spec: { codec: 'mp3', mode: 'cbr', bitrate: 192, sampleRate: 44100, channels: 2, id3v2Version: 3 },
    })
    expect(mine).toMatchObject({ builtin: false, extension: 'mp3', spec: { bitrate: 192, art: 'keep' } })
    const dup = await engine.api.invoke('presets.create', {
      name: 'car-noart',
      from: 'car-stereo',
      spec: { art: 'remove' },
    })
    expect(dup.spec).toMatchObject({ bitrate: 192, art: 'remove' })
    expect(dup.hash).not.toBe(mine.hash) // a different output: a different cache key
    const edited = await engine.api.invoke('presets.update', {
      name: 'car-noart',
      rename: 'car-opus',
      spec: { codec: 'opus', mode: 'vbr', bitrate: 96 },
    })
    // Changing the codec starts from the new codec's fields: the MP3 bitrate does not leak in.
    expect(edited).toMatchObject({
      name: 'car-opus',
      extension: 'opus',
      spec: { codec: 'opus', bitrate: 96 },
    })
    expect(edited.spec.mode).toBe('vbr')

    const dataDir = join(tmp.path, 'data')
    await engine.close()
    engine = await openEngine(dataDir, { work: false })
    expect((await engine.api.invoke('presets.get', { name: 'car-opus' })).spec.bitrate).toBe(96)
    expect(await engine.api.invoke('presets.delete', { name: 'car-opus' })).toEqual({
      deleted: 'car-opus',
      inUse: 0,
    })
    expect(await refused(engine.api.invoke('presets.get', { name: 'car-opus' }))).toMatch(/No preset named/)
  })

  it('refuses invalid presets with messages that say what to fix', async () => {
    const create = (spec: Record<string, unknown>) =>
      refused(engine.api.invoke('presets.create', { name: 'bad', spec: spec as never }))
    expect(await create({ codec: 'mp3', mode: 'vbr' })).toMatch(/MP3 VBR needs a quality from 0/)
    expect(await create({ codec: 'mp3', mode: 'cbr', bitrate: 300 })).toMatch(
      /MP3 CBR needs a bitrate of .*320/,
    )
    expect(await create({ codec: 'aac', mode: 'vbr', bitrate: 256 })).toMatch(/AAC presets are CBR/)
    expect(await create({ codec: 'opus', bitrate: 96, sampleRate: 44100 })).toMatch(/Opus runs at .*48000/)
    expect(await create({ codec: 'flac', bitrate: 320 })).toMatch(/flac takes no mode, quality or bitrate/)
    expect(await create({ codec: 'mp3', quality: 0, options: ['-i', '/etc/passwd'] })).toMatch(
      /not an allowed option/,
    )
    expect(await create({ codec: 'mp3', quality: 0, options: ['/tmp/x.mp3'] })).toMatch(/may not name a file/)
    expect(await create({ codec: 'mp3', quality: 0, options: ['-cutoff', 'concat:a|b'] })).toMatch(
      /-cutoff takes/,
    )
    expect(await refused(engine.api.invoke('presets.create', { name: 'mp3-v0', from: 'copy' }))).toMatch(
      /already exists/,
    )
    expect(
      await refused(engine.api.invoke('presets.update', { name: 'mp3-v0', spec: { quality: 2 } })),
    ).toMatch(/built in and cannot be changed; duplicate it/)
    expect(await refused(engine.api.invoke('presets.delete', { name: 'copy' }))).toMatch(/built in/)
    expect((await engine.api.invoke('presets.list')).some((p) => p.name === 'bad')).toBe(false)
  })

  it('will not delete a preset queued tasks use, unless forced', async () => {
    await engine.api.invoke('presets.create', { name: 'queued', from: 'mp3-v2' })
    const song = join(tmp.path, 'song.flac')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(song, 'not really audio; this engine does not work the queue')
    await engine.api.invoke('queue.enqueue', {
      mode: 'convert',
      sources: [song],
      destination: join(tmp.path, 'out'),
      preset: 'queued',
    })
    expect(await refused(engine.api.invoke('presets.delete', { name: 'queued' }))).toMatch(
      /used by 1 queued task\(s\)/,
    )
    expect(await engine.api.invoke('presets.delete', { name: 'queued', force: true })).toEqual({
      deleted: 'queued',
      inUse: 1,
    })
    // A profile that syncs with a preset keeps it from being deleted, forced or not.
    await engine.api.invoke('presets.create', { name: 'for-car', from: 'mp3-v2' })
    mkdirSync(join(tmp.path, 'lib'), { recursive: true })
    await engine.api.invoke('profiles.create', {
      name: 'car',
      sources: [join(tmp.path, 'lib')],
      destination: join(tmp.path, 'car'),
      preset: 'for-car',
    })
    expect(await refused(engine.api.invoke('presets.delete', { name: 'for-car', force: true }))).toMatch(
      /used by the sync profile\(s\) "car"/,
    )
    // The queued task kept the settings it was queued with.
    const [task] = (await engine.api.invoke('queue.list', {})).tasks
    expect(task!.spec.preset).toMatchObject({ name: 'queued', spec: { codec: 'mp3', quality: 2 } })
  })

  it('`ferry presets ls|show` lists and explains presets; an unknown one is a clear error', async () => {
    const env = { FERRY_DATA_DIR: join(tmp.path, 'cli') }
    const ls = await runFerry(['presets', 'ls'], env)
    expect(ls.code).toBe(0)
    expect(ls.stdout).toMatch(/^mp3-v0\s+built-in\s+\.mp3\s+VBR V0/m)
    expect(ls.stdout).toMatch(/^opus-128\s+built-in\s+\.opus/m)
    const show = await runFerry(['presets', 'show', 'mp3-320'], env)
    expect(show.code).toBe(0)
    expect(show.stdout).toContain('-c:a libmp3lame -b:a 320k -id3v2_version 3')
    const missing = await runFerry(['presets', 'show', 'nope'], env)
    expect(missing.code).toBe(2) // a name that is wrong: usage, nothing done
    expect(missing.stderr).toMatch(/No preset named "nope"/)
  })
})
