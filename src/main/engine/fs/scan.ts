import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import type { FolderScan } from '../../../shared/browse'
import { FerryError } from '../../../shared/errors'
import { scanTrees } from '../sync/scan'

/** A folder as a sync would see it: the sync's own stat-only walk, in a worker thread. */
export async function scanFolder(root: string, includeHidden: boolean): Promise<FolderScan> {
  const s = await stat(root).catch(() => undefined)
  if (!s?.isDirectory())
    throw new FerryError(
      'invalid_input',
      `${root} is ${s ? 'a file, not a folder' : 'not there'}: name a folder to scan.`,
    )
  // One folder: walked by as many threads as there are cores, each taking a range of its entries.
  const [r] = await scanTrees([{ root, opts: { includeHidden } }], availableParallelism())
  let bytes = 0
  for (const n of r!.sizes) bytes += n
  return {
    files: r!.sizes.length,
    folders: r!.folders,
    bytes,
    problems: r!.problems,
    leftOut: r!.leftOut.map((l) => ({ path: join(root, ...l.rel.split('/')), reason: l.reason })),
  }
}
