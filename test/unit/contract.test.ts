import { describe, expect, it, vi } from 'vitest'
import { type CommandName, commandNames } from '../../src/shared/contract'
import { FerryError } from '../../src/shared/errors'
import { dispatch } from '../../src/main/engine/dispatch'
import type { Handlers } from '../../src/main/engine/handlers'

// Bad inputs per command. Every command in the contract must appear here with at least three, so a
// new command cannot land without its own malformed-input cases.
const copy = { mode: 'copy', sources: ['/music/a'], destination: '/card' }
const BAD_INPUTS: Record<CommandName, unknown[]> = {
  'system.info': [null, 'info', 42, [], { verbose: true }, { __proto__: { x: 1 }, extra: 1 }],
  'queue.enqueue': [
    {},
    { ...copy, mode: 'teleport' },
    { ...copy, sources: [] },
    { ...copy, sources: ['relative/path'] },
    { ...copy, sources: ['/music/a\0b'] },
    { ...copy, destination: '' },
    { ...copy, destination: '/card\0' },
    { ...copy, overwrite: 'sometimes' },
    { ...copy, include: ['fl ac'] },
    { ...copy, priority: 1.5 },
    { ...copy, shell: 'rm -rf /' },
    { mode: 'delete', paths: ['/card/x'] },
    { mode: 'sleep', count: 0 },
    { mode: 'convert', sources: ['/music/a'], destination: '/card', preset: 'MP3 V0' },
    { mode: 'convert', sources: ['/music/a'], destination: '/card', removeArt: 'yes' },
    { mode: 'convert', sources: ['/music/a'], destination: '/card', args: ['-y'] },
  ],
  'queue.list': [
    { status: ['done'] },
    { limit: 0 },
    { limit: 100_000 },
    { offset: -1 },
    { sort: 'random' },
    { search: 42 },
    { search: 'x'.repeat(5000) },
  ],
  'queue.batches': [{ limit: 0 }, { limit: 'all' }, { extra: 1 }, { status: ['done'] }, { search: 7 }],
  'batch.pause': [{}, { batchId: 0 }, { batchId: '1' }, { batchId: 1, now: true }],
  'batch.resume': [{}, { batchId: -1 }, { all: true }],
  'queue.progress': [{ batchId: 0 }, { batchId: 'x' }, { extra: true }],
  'queue.pause': [{ now: 'yes' }, { now: 1 }, 'now'],
  'queue.resume': [{ now: true }, [], 7],
  'queue.work': [{ now: true }, [], 'go'],
  'queue.flush': [
    {},
    { status: [] },
    { status: ['pending'] },
    { status: ['active'] },
    { status: ['ok'], batchId: 0 },
  ],
  'task.get': [{}, { taskId: 0 }, { taskId: -3 }, { taskId: '4' }],
  'task.cancel': [{}, { taskId: 1.5 }, { all: false }, { taskId: 1, batchId: 2 }],
  'task.retry': [{}, { batchId: 0 }, { all: 'yes' }],
  'presets.list': [{ all: true }, 'mp3', 5],
  'presets.get': [{}, { name: '' }, { name: 'MP3 V0' }, { name: '../etc' }],
  'presets.create': [
    { name: 'mine' },
    { name: 'Bad Name', from: 'mp3-v0' },
    { name: 'mine', spec: { codec: 'wav' } },
    { name: 'mine', spec: { codec: 'mp3', quality: 99 } },
    { name: 'mine', from: 'mp3-v0', spec: { options: ['-y', '/tmp/out.mp3'] } },
    { name: 'mine', from: 'mp3-v0', spec: { options: ['http://evil/x'] } },
    { name: 'mine', from: 'mp3-v0', spec: { options: ['-cutoff', 'file:/etc/passwd'] } },
    { name: 'mine', from: 'mp3-v0', spec: { sampleRate: 44 } },
    { name: 'mine', from: 'mp3-v0', args: '-f mp3' },
  ],
  'presets.update': [{}, { name: 'x', spec: { art: 'maybe' } }, { name: 'x', rename: 'No Spaces' }],
  'presets.delete': [{}, { name: 'x', force: 'yes' }, { name: 'UPPER' }],
  'profiles.list': [{ all: 1 }, 'x', 3],
  'profiles.get': [{}, { name: '' }, { name: '../x' }],
  'profiles.create': [
    { name: 'card' },
    { name: 'card', sources: [], destination: '/media/card' },
    { name: 'card', sources: ['music'], destination: '/media/card' },
    { name: 'card', sources: ['/music'], destination: '/media/card\0' },
    { name: 'card', sources: ['/music'], destination: '/media/card', naming: 'fat16' },
    { name: 'card', sources: ['/music'], destination: '/media/card', delete: 'all' },
    { name: 'card', sources: ['/music'], destination: '/media/card', excludeGlobs: ['/etc/**'] },
    { name: 'card', sources: ['/music'], destination: '/media/card', preset: 'MP3!' },
    { name: 'card', sources: ['/music'], destination: '/media/card', triggers: { intervalMinutes: 1 } },
  ],
  'profiles.update': [{}, { name: 'card', delete: 'sometimes' }, { name: 'card', sources: ['rel'] }],
  'profiles.delete': [{}, { name: 7 }, { name: 'card', force: true }],
  'sync.plan': [
    {},
    { profile: 'card', limit: -1 },
    { profile: 'card', kinds: ['move'] },
    { profile: 'card', planId: 'x' },
  ],
  'sync.run': [{}, { profile: 'card', dryRun: 'yes' }, { profile: 'card', force: 1 }],
  'sync.status': [{ profile: 'card' }, 'x', []],
  'settings.get': [{ key: 'x' }, 'all', 1],
  'settings.set': [
    { 'cache.maxBytes': -1 },
    { 'convert.stallSeconds': 1 },
    { 'workers.convert': 0 },
    { ffmpegPath: 'ffmpeg' },
    { ffmpegPath: '/usr/bin/ff\0mpeg\0' },
    { theme: 'dark' },
  ],
  'cache.stats': [{ verbose: true }, 'x', []],
  'cache.clear': [{ force: true }, 1, 'all'],
  'queue.preview': [
    {},
    { ...copy, mode: 'delete' },
    { ...copy, mode: 'echo' },
    { ...copy, sources: ['relative'] },
    { ...copy, destination: 'card' },
    { mode: 'convert', sources: ['/music/a'], destination: '/card', preset: 'MP3 V0' },
  ],
  'fs.list': [{}, { path: 'relative/dir' }, { path: '/a\0b' }, { path: '' }, { path: '/x', depth: 3 }],
  'fs.places': [{ near: ['a/b'] }, { near: ['..'] }, { near: [''] }, { near: 'album' }, { all: true }],
  'fs.stat': [{}, { paths: [] }, { paths: ['rel'] }, { paths: '/x' }],
  'fs.scan': [
    {},
    { path: 'relative' },
    { path: '/a\0b' },
    { path: '/x', includeHidden: 'yes' },
    { path: '/x', depth: 2 },
  ],
  'convert.args': [
    {},
    { preset: 'MP3 V0' },
    { preset: 'mp3-v0', removeArt: 1 },
    { preset: 'mp3-v0', src: '/x' },
  ],
  'task.setPriority': [
    { taskId: 1 },
    { taskId: 1, priority: 5000 },
    { priority: 1 },
    { taskId: 1, priority: '1' },
  ],
}

function spyHandlers() {
  const spies = Object.fromEntries(
    commandNames.map((n) => [n, vi.fn(async () => ({}))]),
  ) as unknown as Handlers & Record<string, ReturnType<typeof vi.fn>>
  return spies
}

describe('the contract refuses malformed input before any handler runs', () => {
  it('lists bad inputs for every command', () => {
    for (const name of commandNames) expect(BAD_INPUTS[name]?.length ?? 0).toBeGreaterThanOrEqual(3)
  })

  for (const name of commandNames) {
    for (const [i, bad] of BAD_INPUTS[name].entries()) {
      it(`${name} #${i}: ${JSON.stringify(bad)}`, async () => {
        const handlers = spyHandlers()
        const err = await dispatch(handlers, name, bad).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(FerryError)
        expect((err as FerryError).code).toBe('invalid_input')
        expect((err as FerryError).message).toContain(`Invalid input for ${name}`)
        expect(handlers[name]).not.toHaveBeenCalled()
      })
    }
  }

  it('refuses an unknown command by name, calling nothing', async () => {
    const handlers = spyHandlers()
    for (const name of ['system.nope', '', 42, null, '__proto__', 'constructor', 'toString']) {
      const err = await dispatch(handlers, name, {}).catch((e: unknown) => e)
      expect((err as FerryError).code).toBe('unknown_command')
    }
    for (const n of commandNames) expect(handlers[n]).not.toHaveBeenCalled()
  })

  it('passes a valid input to exactly its own handler', async () => {
    const handlers = spyHandlers()
    await dispatch(handlers, 'system.info', {})
    await dispatch(handlers, 'system.info', undefined)
    expect(handlers['system.info']).toHaveBeenCalledTimes(2)
  })
})
