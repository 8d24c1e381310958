// Worker-thread entry: scans one tree, or stats a list of files, and posts the result back, for each
// job it is sent (scan.ts keeps an idle thread a while for the next one).
import { parentPort } from 'node:worker_threads'
import { scanPacked, statFiles, type WorkerJob } from './scan'

parentPort!.on('message', (job: WorkerJob) => {
  if (job.kind === 'scan') {
    const columns = scanPacked(job.root, job.opts, job.part)
    parentPort!.postMessage(columns, [
      columns.sizes.buffer as ArrayBuffer,
      columns.mtimes.buffer as ArrayBuffer,
    ])
  } else {
    const r = statFiles(job.root, job.rels)
    parentPort!.postMessage(r, [r.sizes.buffer as ArrayBuffer, r.mtimes.buffer as ArrayBuffer])
  }
})
