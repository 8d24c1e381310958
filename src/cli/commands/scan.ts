import { resolve } from 'node:path'
import { withSession } from '../connect'
import { formatBytes } from '../format'

const out = (text: string) => process.stdout.write(`${text}\n`)

/** `ferry scan DIR`: what a sync would see of a folder — the engine's stat-only walk (fs.scan). */
export async function scanCommand(
  dataDir: string | undefined,
  dir: string,
  o: { hidden?: boolean; json?: boolean },
): Promise<number> {
  const path = resolve(dir)
  const r = await withSession(dataDir, ({ api }) =>
    api.invoke('fs.scan', { path, includeHidden: o.hidden === true }),
  )
  if (o.json) out(JSON.stringify(r))
  else {
    const left = r.leftOut.length ? `; ${r.leftOut.length} left out (not files)` : ''
    out(`${r.files} files, ${r.folders} folders, ${formatBytes(r.bytes)}${left}`)
    for (const p of r.problems) out(`problem: ${p}`)
    for (const l of r.leftOut) out(`left out: ${l.path}: ${l.reason}`)
  }
  return 0
}
