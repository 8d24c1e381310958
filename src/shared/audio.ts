// The one home of Ferry's audio extensions (lower case, without the dot): what is audio, and what an
// extension says of its kind. A sync, an enqueue and the folder browser all decide from these.

const words = (text: string): ReadonlySet<string> => new Set(text.split(' '))

/** Extensions that only ever hold lossless audio: converted by a preset. */
export const LOSSLESS_EXTENSIONS = words('flac wav wave aif aiff aifc ape tta dsf dff w64')

/** Extensions that only ever hold lossy audio: a preset that keeps lossy sources copies them as they are. */
export const LOSSY_EXTENSIONS = words('mp3 mp2 ogg oga opus aac mpc')

/** Extensions that may hold either kind (ALAC or AAC, WavPack hybrid, WMA Lossless): the file is probed. */
export const AMBIGUOUS_EXTENSIONS = words('m4a m4b mp4 caf wma mka wv alac')

/** Every audio extension: what a convert hands to ffmpeg; anything else is copied as it is. */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  ...LOSSLESS_EXTENSIONS,
  ...LOSSY_EXTENSIONS,
  ...AMBIGUOUS_EXTENSIONS,
])

/** "Album/01.FLAC" → "flac"; "" when the name has no extension. */
export function extensionOf(name: string): string {
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'))
  const dot = name.lastIndexOf('.')
  return dot > slash + 1 ? name.slice(dot + 1).toLowerCase() : ''
}

export const isAudioName = (name: string): boolean => AUDIO_EXTENSIONS.has(extensionOf(name))
