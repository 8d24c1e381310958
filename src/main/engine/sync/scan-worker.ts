// Worker-thread entry: scans one tree and posts the result back (see scan.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { type ScanOptions, scanPacked } from './scan'

const job = workerData as { root: string; opts: ScanOptions }
const packed = scanPacked(job.root, job.opts)
parentPort!.postMessage(packed, [packed.sizes.buffer as ArrayBuffer, packed.mtimes.buffer as ArrayBuffer])
