import { statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FerryError } from '../../shared/errors'
import { scanPacked } from '../../main/engine/sync/scan'
import { formatBytes } from '../format'

const out = (text: string) => process.stdout.write(`${text}\n`)

/** `ferry scan DIR`: what a sync would see of a folder — a stat-only walk, no engine needed. */
export function scanCommand(dir: string, o: { hidden?: boolean; json?: boolean }): number {
  const root = resolve(dir)
  const s = statSync(root, { throwIfNoEntry: false })
  if (!s?.isDirectory())
    throw new FerryError(
      'invalid_input',
      `${root} is ${s ? 'a file, not a folder' : 'not there'}: name a folder to scan.`,
    )
  const r = scanPacked(root, { includeHidden: o.hidden === true })
  const files = r.sizes.length
  const bytes = r.sizes.reduce((a, n) => a + n, 0)
  const leftOut = r.leftOut.map((l) => ({ path: join(root, ...l.rel.split('/')), reason: l.reason }))
  if (o.json) out(JSON.stringify({ files, folders: r.folders, bytes, problems: r.problems, leftOut }))
  else {
    const left = leftOut.length ? `; ${leftOut.length} left out (not files)` : ''
    out(`${files} files, ${r.folders} folders, ${formatBytes(bytes)}${left}`)
    for (const p of r.problems) out(`problem: ${p}`)
    for (const l of leftOut) out(`left out: ${l.path}: ${l.reason}`)
  }
  return 0
}
