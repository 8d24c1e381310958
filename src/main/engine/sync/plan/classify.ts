// Audio classification: is a file converted by the preset or copied as it is?
import type { Preset } from '../../../../shared/presets'
import type { ScanFile } from '../scan'
import type { IndexRow } from '../sync-index'
import { sameMs } from './compare'

const LOSSLESS = new Set('flac wav wave aif aiff aifc ape tta dsf dff w64'.split(' '))
/** Extensions that may hold either kind (ALAC or AAC, WavPack hybrid, WMA Lossless): probed. */
const AMBIGUOUS = new Set('m4a m4b mp4 caf wma mka wv alac'.split(' '))

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
  if (LOSSLESS.has(ext)) return decide(true)
  if (!AMBIGUOUS.has(ext)) return decide(false)
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
