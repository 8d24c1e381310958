// Audio classification: is a file converted by the preset or copied as it is?
import { AMBIGUOUS_EXTENSIONS, LOSSLESS_EXTENSIONS } from '../../../../shared/audio'
import type { Preset } from '../../../../shared/presets'
import type { ScanFile } from '../scan'
import type { IndexRow } from '../sync-index'
import { sameMs } from './compare'

export type AudioMode = 'convert' | 'copy'

/**
 * Lossless is converted; lossy is copied unless the preset transcodes it. The extension decides where
 * it can; else the last run's decision for an unchanged file; else the file's header is probed. A
 * promise is returned only for a probe, so the caller awaits nothing on the common path.
 */
export function classifyAudio(
  abs: string,
  file: ScanFile,
  ext: string,
  preset: Preset,
  row: IndexRow | undefined,
  probeLossless: (abs: string, file: ScanFile) => Promise<boolean> = probeFile,
): AudioMode | Promise<AudioMode> {
  if (preset.spec.codec === 'copy') return 'copy'
  const decide = (lossless: boolean) => (lossless || preset.spec.lossy === 'transcode' ? 'convert' : 'copy')
  if (LOSSLESS_EXTENSIONS.has(ext)) return decide(true)
  if (!AMBIGUOUS_EXTENSIONS.has(ext)) return decide(false)
  if (row && row.srcSize === file.size && sameMs(row.srcMtime, file.mtimeMs))
    return row.madeBy === 'copy' ? 'copy' : 'convert'
  // A file that cannot be probed is taken for lossy: copied as it is, never made worse.
  return probeLossless(abs, file).then(decide, () => decide(false))
}

/** Only a new or changed file whose extension cannot tell is probed (its header, not its audio). */
async function probeFile(abs: string, file: ScanFile): Promise<boolean> {
  const { probe } = await import('../../convert/probe')
  return (await probe(abs, file.size, file.mtimeMs)).lossless
}
