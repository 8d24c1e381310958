import { stat } from 'node:fs/promises'
import { FerryError } from '../../../shared/errors'
import { isInsideOrSame, realpathLoose } from '../ops/fsutil'

const invalidInput = (message: string) => new FerryError('invalid_input', message)

/**
 * A profile's folders, checked before it is saved and before every plan: each source is a folder
 * that is there (an unmounted library disk must not look like an empty one), the destination is not
 * a file, and no source and the destination lie one inside the other. The destination may be absent
 * (a card not plugged in now).
 */
export async function checkProfileFolders(sources: string[], destination: string): Promise<void> {
  const d = await stat(destination).catch(() => undefined)
  if (d && !d.isDirectory())
    throw invalidInput(
      `The destination ${destination} is a file, not a folder: name a folder (on the device).`,
    )
  const realDst = await realpathLoose(destination)
  for (const src of sources) {
    const s = await stat(src).catch(() => undefined)
    if (!s?.isDirectory())
      throw invalidInput(
        s
          ? `The source ${src} is a file, not a folder: a profile syncs folders.`
          : `The source folder ${src} is not there (is its disk mounted?). Nothing was planned or saved, so nothing will be deleted.`,
      )
    const realSrc = await realpathLoose(src)
    if (isInsideOrSame(realSrc, realDst) || isInsideOrSame(realDst, realSrc))
      throw invalidInput(
        `The destination ${destination} and the source ${src} overlap (one is inside the other): pick a destination outside your library.`,
      )
  }
}
