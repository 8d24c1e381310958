import { deleteOp } from './delete'
import { diagnosticOp } from './diagnostics'
import { copyOp, moveOp } from './transfer'
import { fail, type OpContext, type OpRequest, type OpResult } from './types'

/** Runs one operation. Never throws: anything unexpected becomes a retryable failure. */
export async function runOp(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  try {
    switch (req.type) {
      case 'copy':
        return await copyOp(req, ctx)
      case 'move':
        return await moveOp(req, ctx)
      case 'convert':
        // Loaded on first use: a transfer worker never pays for the encoder's modules.
        return await (await import('../convert/op')).convertOp(req, ctx)
      case 'delete':
        return await deleteOp(req)
      case 'echo':
      case 'sleep':
      case 'fail':
        return await diagnosticOp(req, ctx)
      default:
        return fail(`Unknown operation: ${String(req.type)}`)
    }
  } catch (err) {
    return fail(`Unexpected error: ${(err as Error).message}`, true)
  }
}
