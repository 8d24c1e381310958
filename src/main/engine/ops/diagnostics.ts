import { fail, type OpContext, type OpRequest, type OpResult } from './types'

/** echo, sleep, fail: operations that touch no file, for tests and benchmarks of the queue itself. */
export async function diagnosticOp(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  if (req.type === 'echo') return { kind: 'ok', result: req.spec.message ?? '' }
  if (req.type === 'fail') return fail(req.spec.message || 'Failed on purpose (diagnostic task).', true)
  const ms = req.spec.ms ?? 0
  const started = Date.now()
  while (Date.now() - started < ms) {
    if (ctx.signal.aborted) return { kind: 'cancelled' }
    await new Promise((r) => setTimeout(r, Math.min(50, ms - (Date.now() - started))))
    ctx.progress(Math.min(ms, Date.now() - started), ms)
  }
  return { kind: 'ok', result: `slept ${ms} ms` }
}
