import { join } from 'node:path'
import { Engine, type EngineOptions } from '../../src/main/engine/engine'
import type { CommandInput } from '../../src/shared/contract'
import type { QueueProgress } from '../../src/shared/model'
import { ROOT } from './ferry'

/** A real engine with real worker processes (the built out/main/worker.js; npm test builds first). */
export async function openEngine(dataDir: string, opts: Partial<EngineOptions> = {}): Promise<Engine> {
  const engine = Engine.open({
    kind: 'test',
    dataDir,
    workerScript: join(ROOT, 'out/main/worker.js'),
    workers: { transfer: 1, convert: 1 },
    ...opts,
  })
  await engine.ready
  return engine
}

export async function waitFor<T>(
  what: string,
  fn: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as Exclude<T, undefined | null | false | 0 | ''>
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Waits until the batch has nothing pending or active; returns its final progress. */
export function settle(engine: Engine, batchId?: number, timeoutMs = 30_000): Promise<QueueProgress> {
  return waitFor(
    `batch ${batchId} to settle`,
    async () => {
      const p = await engine.api.invoke('queue.progress', batchId === undefined ? {} : { batchId })
      return p.counts.pending + p.counts.active === 0 ? p : undefined
    },
    timeoutMs,
  )
}

export async function run(engine: Engine, input: CommandInput<'queue.enqueue'>) {
  const r = await engine.api.invoke('queue.enqueue', input)
  const progress = await settle(engine, r.batchId)
  const { tasks } = await engine.api.invoke('queue.list', { batchId: r.batchId, limit: 1000, sort: 'oldest' })
  return { ...r, progress, tasks }
}
