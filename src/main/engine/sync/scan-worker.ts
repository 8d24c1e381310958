// Worker-thread entry: scans one tree and posts the result back (see scan.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { type ScanOptions, scanTree } from './scan'

const job = workerData as { root: string; opts: ScanOptions }
parentPort!.postMessage(scanTree(job.root, job.opts))
