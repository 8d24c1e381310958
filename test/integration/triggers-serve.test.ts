// Triggers in `ferry serve`, with no window: profiles made and changed with the CLI (attached to the
// running engine), a marked card folder appearing under FERRY_MOUNT_ROOTS under another name synced
// there without a click, and `ferry profile show` saying what fired, when and why.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/engine'
import { runFerry, type Served, startServe, tempDir } from '../helpers/ferry'

describe('ferry serve runs the triggers', () => {
  const tmp = tempDir('ferry-triggers-serve-')
  const path = (...p: string[]) => join(tmp.path, ...p)
  const data = path('data')
  const ferry = (...args: string[]) => runFerry(['--data-dir', data, ...args], {}, 60_000)
  let served: Served

  beforeAll(async () => {
    for (let a = 1; a <= 2; a++) {
      mkdirSync(path('Music', `Album ${a}`), { recursive: true })
      for (let t = 1; t <= 3; t++) writeFileSync(path('Music', `Album ${a}`, `0${t}.mp3`), randomBytes(2048))
    }
    mkdirSync(path('media', 'CARD'), { recursive: true })
    served = await startServe(data, { FERRY_MOUNT_ROOTS: path('media') })
  }, 30_000)
  afterAll(async () => {
    await served?.stop()
    tmp.remove()
  })

  it('profile add|set take the trigger flags; bad values are refused with exit code 2', async () => {
    const add = await ferry(
      'profile',
      'add',
      'card',
      '-s',
      path('Music'),
      '-d',
      path('media', 'CARD'),
      '--on-device',
    )
    expect(add.code).toBe(0)
    expect(add.stdout).toContain('Triggers: device plugged in.')
    expect((await ferry('profile', 'set', 'card', '--every', '3')).code).toBe(2)
    expect((await ferry('profile', 'set', 'card')).code).toBe(2)
    expect((await ferry('profile', 'set', 'nope', '--on-change')).code).toBe(2)
    const set = await ferry('profile', 'set', 'card', '--on-change', '--every', '30')
    expect(set.code).toBe(0)
    expect(set.stdout).toContain('Triggers: device plugged in, library changed, every 30 min.')
    const off = await ferry('profile', 'set', 'card', '--no-on-change', '--every', '0')
    expect(off.stdout).toContain('Triggers: device plugged in.')
    const json = JSON.parse((await ferry('profile', 'show', 'card', '--json')).stdout)
    expect(json.triggers).toEqual({ onDevicePlugged: true, onLibraryChange: false, intervalMinutes: null })
  })

  it('a marked card appearing under another name is synced there, with no window and no click', async () => {
    expect((await ferry('profile', 'sync', 'card', '-q')).code).toBe(0)
    const marker = readFileSync(path('media', 'CARD', '.ferry-profile.json'), 'utf8')
    rmSync(path('media', 'CARD'), { recursive: true })
    await waitFor('the engine to see the card go', async () =>
      /Waiting for the device/.test((await ferry('profile', 'show', 'card')).stdout),
    )
    mkdirSync(path('media', 'CARD-B'))
    writeFileSync(path('media', 'CARD-B', '.ferry-profile.json'), marker)
    await waitFor(
      'files on the card at its new place',
      () => existsSync(path('media', 'CARD-B', 'Album 2', '03.mp3')),
      30_000,
    )
    const show = await ferry('profile', 'show', 'card')
    expect(show.code).toBe(0)
    expect(show.stdout).toMatch(
      /Recent firings \(newest first\):\n {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}device {3}started batch \d+: device appeared at .*CARD-B/,
    )
    expect(show.stdout).toContain(`The device is at ${path('media', 'CARD-B')}`)
  }, 60_000)
})
