import { resolve } from 'node:path'
import { scanTree } from '../../main/engine/sync/scan'
import { formatBytes } from '../format'

const out = (text: string) => process.stdout.write(`${text}\n`)

/** `ferry scan DIR`: what a sync would see of a folder — a stat-only walk, no engine needed. */
export function scanCommand(dir: string, o: { hidden?: boolean; json?: boolean }): number {
  const r = scanTree(resolve(dir), { includeHidden: o.hidden === true })
  const bytes = r.files.reduce((a, f) => a + f.size, 0)
  if (o.json) out(JSON.stringify({ files: r.files.length, folders: r.folders, bytes, problems: r.problems }))
  else {
    out(`${r.files.length} files, ${r.folders} folders, ${formatBytes(bytes)}`)
    for (const p of r.problems) out(`problem: ${p}`)
  }
  return 0
}
