// What a file is by its first bytes, not by its name: an MP3 named .flac or a FLAC named .mp3 is read
// as what it is (music-metadata picks its parser by extension, and either fails or misreads it).
import { open } from 'node:fs/promises'

/** A container family, as music-metadata has one parser for each. */
export type Family =
  | 'flac'
  | 'mpeg'
  | 'mp4'
  | 'ogg'
  | 'wav'
  | 'aiff'
  | 'wavpack'
  | 'ape'
  | 'musepack'
  | 'dsf'
  | 'dsdiff'
  | 'asf'
  | 'matroska'
  | 'tta'

/** Each family by the extension its files normally have (the one music-metadata knows it by). */
export const EXTENSION: Record<Family, string> = {
  flac: '.flac',
  mpeg: '.mp3',
  mp4: '.m4a',
  ogg: '.ogg',
  wav: '.wav',
  aiff: '.aiff',
  wavpack: '.wv',
  ape: '.ape',
  musepack: '.mpc',
  dsf: '.dsf',
  dsdiff: '.dff',
  asf: '.wma',
  matroska: '.mka',
  tta: '.tta',
}

/** Each family's MIME type, as music-metadata picks its parser by (before any name). */
export const MIME: Partial<Record<Family, string>> = {
  flac: 'audio/flac',
  mpeg: 'audio/mpeg',
  mp4: 'audio/mp4',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  aiff: 'audio/aiff',
  wavpack: 'audio/wavpack',
  ape: 'audio/ape',
  musepack: 'audio/musepack',
  dsf: 'audio/dsf',
  dsdiff: 'audio/dsd',
  asf: 'audio/ms-wma',
  matroska: 'audio/matroska',
}

const BY_EXTENSION: Record<string, Family> = {
  flac: 'flac',
  mp3: 'mpeg',
  mp2: 'mpeg',
  mp1: 'mpeg',
  aac: 'mpeg',
  m4a: 'mp4',
  m4b: 'mp4',
  mp4: 'mp4',
  alac: 'mp4',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  spx: 'ogg',
  wav: 'wav',
  wave: 'wav',
  bwf: 'wav',
  aif: 'aiff',
  aiff: 'aiff',
  aifc: 'aiff',
  wv: 'wavpack',
  ape: 'ape',
  mpc: 'musepack',
  dsf: 'dsf',
  dff: 'dsdiff',
  wma: 'asf',
  asf: 'asf',
  mka: 'matroska',
  webm: 'matroska',
  tta: 'tta',
}

export const familyOfExtension = (ext: string): Family | undefined =>
  BY_EXTENSION[ext.replace(/^\./, '').toLowerCase()]

const ASF_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex')

/** The family a file's bytes say it is, or undefined when they say nothing Ferry knows. */
export async function sniff(path: string): Promise<Family | undefined> {
  const fh = await open(path, 'r')
  try {
    const head = Buffer.alloc(64)
    let { bytesRead } = await fh.read(head, 0, head.length, 0)
    let b = head.subarray(0, bytesRead)
    // An ID3v2 tag may stand before MPEG audio, and (wrongly, but taggers do it) before FLAC and others.
    if (b.length >= 10 && b.toString('latin1', 0, 3) === 'ID3') {
      const size = ((b[6]! & 127) << 21) | ((b[7]! & 127) << 14) | ((b[8]! & 127) << 7) | (b[9]! & 127)
      const at = 10 + size + (b[5]! & 0x10 ? 10 : 0)
      ;({ bytesRead } = await fh.read(head, 0, head.length, at))
      b = head.subarray(0, bytesRead)
      const family = magic(b)
      return family ?? (isMpegSync(b) ? 'mpeg' : undefined)
    }
    return magic(b) ?? (isMpegSync(b) ? 'mpeg' : undefined)
  } finally {
    await fh.close()
  }
}

function magic(b: Buffer): Family | undefined {
  const s = (from: number, to: number) => b.toString('latin1', from, to)
  if (b.length < 12) return undefined
  if (s(0, 4) === 'fLaC') return 'flac'
  if (s(0, 4) === 'OggS') return 'ogg'
  if ((s(0, 4) === 'RIFF' || s(0, 4) === 'RF64') && s(8, 12) === 'WAVE') return 'wav'
  if (s(0, 4) === 'FORM' && /^AIF[FC]$/.test(s(8, 12))) return 'aiff'
  if (s(4, 8) === 'ftyp') return 'mp4'
  if (s(0, 4) === 'wvpk') return 'wavpack'
  if (s(0, 4) === 'MAC ') return 'ape'
  if (s(0, 4) === 'MPCK' || s(0, 3) === 'MP+') return 'musepack'
  if (s(0, 4) === 'DSD ') return 'dsf'
  if (s(0, 4) === 'FRM8') return 'dsdiff'
  if (s(0, 4) === 'TTA1') return 'tta'
  if (b.subarray(0, 16).equals(ASF_GUID)) return 'asf'
  if (b.readUInt32BE(0) === 0x1a45dfa3) return 'matroska'
  return undefined
}

/** An MPEG audio frame header (layer I–III), or an ADTS one (AAC): 11 set bits, a version that exists. */
function isMpegSync(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && ((b[1]! >> 3) & 3) !== 1
}
