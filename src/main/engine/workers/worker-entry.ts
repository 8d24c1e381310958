// A worker process: runs the operations the engine hands it (a transfer worker several small files at
// once, made durable together by one group commit). Under Node it is started with
// child_process.fork; in the desktop app with Electron's utilityProcess (process.parentPort).
import { GroupCommit } from '../ops/durable'
import { runOp } from '../ops/run'
import { type FromWorker, isLaneWorker, type ToWorker } from './protocol'

interface ParentPort {
  on(event: 'message', listener: (e: { data: ToWorker }) => void): void
  postMessage(msg: FromWorker): void
}

// A transfer worker's copies and fsyncs run in libuv's thread pool (4 threads by default), read once
// when it is first used, which is later than this. Up to seven large files are in flight (pool.ts,
// GROUP_BYTES): with 4 threads the fsync round waits behind copies queued for a thread, and the
// disk idles (20 × 32 MiB: ≈ 0.47 s with 4 threads, ≈ 0.44 s with 8). A value the user set stays.
if (isLaneWorker(process.env.FERRY_WORKER, 'transfer')) process.env.UV_THREADPOOL_SIZE ??= '8'

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
const send = (msg: FromWorker) => (parentPort ? parentPort.postMessage(msg) : process.send?.(msg))

const running = new Map<number, AbortController>()
/** Every operation in flight here syncs with the others: one round of fsyncs for the whole group. */
const commit = new GroupCommit()

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'cancel') {
    running.get(msg.taskId)?.abort()
    return
  }
  const { req } = msg
  const controller = new AbortController()
  running.set(req.taskId, controller)
  // Progress at most every 100 ms, from the start: a small file's result is its only message.
  let last = Date.now()
  const result = await runOp(req, {
    signal: controller.signal,
    durable: commit,
    progress(done, total) {
      const now = Date.now()
      if (now - last < 100) return // the engine coalesces too; this spares the pipe
      last = now
      send({ type: 'progress', taskId: req.taskId, done, total })
    },
  })
  running.delete(req.taskId)
  send({ type: 'result', taskId: req.taskId, result })
}

if (parentPort) parentPort.on('message', (e) => void handle(e.data))
else process.on('message', (m) => void handle(m as ToWorker))

// The engine is gone (killed, crashed): stop at once. Running operations write only to temporary
// names, which the next attempt sweeps, so exiting mid-write loses nothing.
process.on('disconnect', () => {
  for (const c of running.values()) c.abort()
  process.exit(0)
})

send({ type: 'ready' })

// A convert worker loads the encoder's modules now, while it waits for its first task (≈ 40 ms that
// the first encode would otherwise wait for); a transfer worker never loads them (see runOp).
if (isLaneWorker(process.env.FERRY_WORKER, 'convert')) void import('../convert/op').catch(() => {})
