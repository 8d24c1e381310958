// The cover of a converted file. It is read once, in-process (music-metadata), and put in by Ferry:
// as ffmpeg's second input where the muxer takes a picture stream (MP3, FLAC), by the tag writers
// afterwards otherwise (MP4 `covr`, Ogg METADATA_BLOCK_PICTURE). A cover never fails a file: one that
// cannot be carried over is left out, and the task's result says so.
import { rm, writeFile } from 'node:fs/promises'
import type { PresetSpec } from '../../../shared/presets'
import { ART_CAPABLE } from './args'
import { type Cover, type CoverMime, type Probe, readCover } from './probe'

/** Image types each container takes (ffmpeg's MP3 and FLAC muxers know no GIF or WebP cover). */
const TAKES: Record<Exclude<PresetSpec['codec'], 'copy'>, readonly CoverMime[]> = {
  mp3: ['image/jpeg', 'image/png', 'image/bmp'],
  flac: ['image/jpeg', 'image/png', 'image/bmp'],
  aac: ['image/jpeg', 'image/png'],
  alac: ['image/jpeg', 'image/png'],
  opus: ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'],
  vorbis: ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'],
}

const EXTENSION: Record<CoverMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/webp': 'webp',
}

export interface CoverPlan {
  /** The cover to put in the output; absent when there is none to keep. */
  cover?: Cover & { mime: CoverMime }
  /** ffmpeg inputs after the source: the cover as an image file, for MP3 and FLAC. */
  inputs: { path: string; options: string[] }[]
  /** Why the source's cover is not in the output, for the task's result. */
  note?: string
  /** Removes the image file. */
  cleanup(): Promise<void>
}

const nothing = async () => {}

/**
 * Decides how the cover goes into `output` (the encode's temporary file, beside which the image file
 * is written).
 */
export async function planCover(
  src: string,
  spec: PresetSpec,
  source: Probe,
  removeArt: boolean,
  output: string,
): Promise<CoverPlan> {
  if (spec.codec === 'copy' || spec.art !== 'keep' || removeArt || !source.hasArt)
    return { inputs: [], cleanup: nothing }
  const cover = await readCover(src)
  if (!cover) return { inputs: [], note: 'Its cover could not be read and was left out.', cleanup: nothing }
  const { mime } = cover
  if (!mime || !TAKES[spec.codec].includes(mime)) {
    const what = mime ? mime.replace('image/', '').toUpperCase() : 'in a format Ferry does not know'
    const takes = TAKES[spec.codec].map((m) => m.replace('image/', '').toUpperCase()).join(', ')
    return {
      inputs: [],
      note: `Its cover (${what}) was left out: ${spec.codec.toUpperCase()} files take ${takes} covers.`,
      cleanup: nothing,
    }
  }
  const plan: CoverPlan = { cover: { data: cover.data, mime }, inputs: [], cleanup: nothing }
  if (ART_CAPABLE.has(spec.codec)) {
    const path = `${output}.cover.${EXTENSION[mime]}`
    await writeFile(path, cover.data)
    // image2 reads the file whole (the bytes stay the cover's); with no pattern, a % in the path is a %.
    plan.inputs = [{ path, options: ['-f', 'image2', '-pattern_type', 'none'] }]
    plan.cleanup = () => rm(path, { force: true })
  }
  return plan
}
