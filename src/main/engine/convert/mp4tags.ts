// Tags ffmpeg's MP4 muxer cannot write: iTunes freeform atoms (`----:com.apple.iTunes:…`, where
// ReplayGain and MusicBrainz ids live in .m4a files) and the cover (`covr`). They are appended to
// moov/udta/meta/ilst, which ffmpeg writes after the audio data: growing it moves no audio, so no
// chunk offset changes. A file laid out otherwise is left as it is.
import { readFile, writeFile } from 'node:fs/promises'

interface Box {
  type: string
  start: number
  size: number
  header: number
}

function boxes(buf: Buffer, from: number, to: number): Box[] {
  const out: Box[] = []
  for (let at = from; at + 8 <= to;) {
    let size = buf.readUInt32BE(at)
    let header = 8
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8))
      header = 16
    } else if (size === 0) size = to - at
    if (size < header || at + size > to) break
    out.push({ type: buf.toString('latin1', at + 4, at + 8), start: at, size, header })
    at += size
  }
  return out
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.writeUInt32BE(8 + body.length)
  head.write(type, 4, 'latin1')
  return Buffer.concat([head, body])
}

const fullBox = (type: string, payload: Buffer) => box(type, Buffer.alloc(4), payload)

function data(kind: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(kind) // 1 = UTF-8 text, 13 = JPEG, 14 = PNG
  return box('data', head, payload)
}

const freeform = (name: string, value: string) =>
  box(
    '----',
    fullBox('mean', Buffer.from('com.apple.iTunes')),
    fullBox('name', Buffer.from(name)),
    data(1, Buffer.from(value)),
  )

export interface Mp4Extras {
  /** Freeform name (e.g. "replaygain_track_gain", "MusicBrainz Album Id") → value. */
  freeform: Record<string, string>
  /** A JPEG or PNG (the types `covr` holds). */
  cover?: { data: Uint8Array; mime: string }
}

/** Adds the atoms; returns false (and changes nothing) when the file is not laid out as expected. */
export async function addMp4Tags(file: string, extras: Mp4Extras): Promise<boolean> {
  const atoms: Buffer[] = Object.entries(extras.freeform).map(([k, v]) => freeform(k, v))
  if (extras.cover && /^image\/(jpeg|png)$/.test(extras.cover.mime)) {
    atoms.push(box('covr', data(extras.cover.mime === 'image/png' ? 14 : 13, Buffer.from(extras.cover.data))))
  }
  if (!atoms.length) return true
  const buf = await readFile(file)
  const top = boxes(buf, 0, buf.length)
  const moov = top.find((b) => b.type === 'moov')
  const mdat = top.find((b) => b.type === 'mdat')
  if (!moov || !mdat || moov.start < mdat.start || moov.header !== 8) return false
  const udta = boxes(buf, moov.start + 8, moov.start + moov.size).find((b) => b.type === 'udta')
  if (!udta || udta.header !== 8) return false
  const meta = boxes(buf, udta.start + 8, udta.start + udta.size).find((b) => b.type === 'meta')
  if (!meta || meta.header !== 8) return false
  const ilst = boxes(buf, meta.start + 12, meta.start + meta.size).find((b) => b.type === 'ilst')
  if (!ilst || ilst.header !== 8) return false

  const added = Buffer.concat(atoms)
  const end = ilst.start + ilst.size
  const out = Buffer.concat([buf.subarray(0, end), added, buf.subarray(end)])
  for (const b of [moov, udta, meta, ilst]) out.writeUInt32BE(b.size + added.length, b.start)
  await writeFile(file, out)
  return true
}
