// The destination before and after the plan: is it the device Ferry wrote to, and how much room has it.
import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import { FerryError } from '../../../../shared/errors'
import type { Profile } from '../../../../shared/profiles'
import { identifyRoot, MARKER, readMarker } from '../../ops/device'
import { isDir } from '../../ops/fsutil'
import { checkProfileFolders } from '../folders'
import type { DestinationState } from './types'

/**
 * A missing destination (an unplugged card) is an error, not a plan to write everything; a missing
 * source (an unmounted disk) is an error, not a plan to delete everything; and neither may lie inside
 * the other. Once Ferry has written to a destination, it must be there and carry the profile's
 * marker (as Syncthing refuses a folder without its marker): a bare mount point, another card or a
 * reformatted one gets nothing planned, neither copies nor deletions, unless `force` says it is the
 * right device.
 */
export async function checkDestination(
  profile: Profile,
  opts: { syncedBefore: boolean; force: boolean },
): Promise<DestinationState> {
  const { destination } = profile
  await checkProfileFolders(profile.sources, destination)
  const there = await identifyRoot(destination).catch(() => undefined)
  if (!there) {
    if (opts.syncedBefore || !(await isDir(dirname(destination))))
      throw new FerryError(
        'invalid_input',
        `The destination ${destination} is not there (is the device plugged in and mounted?). Nothing was planned.`,
      )
  } else if (opts.syncedBefore && !opts.force && (await readMarker(destination)) !== profile.id) {
    throw new FerryError(
      'invalid_input',
      `The destination ${destination} does not hold this profile's marker (${MARKER}): it may be another device, a reformatted card, or the folder a card is mounted on while it is not there. Nothing was planned. If it is the right device, sync with --force (force: true) once to mark it again.`,
    )
  }
  return there ? { dev: there.dev, btime: there.btime } : null
}

/** The device's own free space; a destination still to be made goes on the folder above it. */
export async function freeSpace(destination: string, state: DestinationState): Promise<number | null> {
  try {
    const s = await statfs(state ? destination : dirname(destination))
    return s.bavail * s.bsize
  } catch {
    return null
  }
}
