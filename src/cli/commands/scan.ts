import { resolve } from 'node:path'
import { scanPacked } from '../../main/engine/sync/scan'
import { formatBytes } from '../format'

const out = (text: string) => process.stdout.write(`${text}\n`)

/** `ferry scan DIR`: what a sync would see of a folder — a stat-only walk, no engine needed. */
export function scanCommand(dir: string, o: { hidden?: boolean; json?: boolean }): number {
  const r = scanPacked(resolve(dir), { includeHidden: o.hidden === true })
  const files = r.sizes.length
  const bytes = r.sizes.reduce((a, n) => a + n, 0)
  if (o.json) out(JSON.stringify({ files, folders: r.folders, bytes, problems: r.problems }))
  else {
    out(`${files} files, ${r.folders} folders, ${formatBytes(bytes)}`)
    for (const p of r.problems) out(`problem: ${p}`)
  }
  return 0
}
