// Comments added to an Ogg Opus or Ogg Vorbis file after ffmpeg wrote it: the cover, as a
// METADATA_BLOCK_PICTURE comment. ffmpeg could take it from an ffmetadata file, but ffmpeg before 4.4
// (the bundled 4.1 among them) reads ffmetadata lines of at most 1 KiB and cuts the picture short.
// The comment header packet is rebuilt and paged again; the audio pages keep their bytes, only their
// sequence numbers (and so their checksums) change.
import { readFile, writeFile } from 'node:fs/promises'

interface Page {
  headerType: number
  granule: Buffer
  serial: number
  segments: number[]
  body: Buffer
}

function readPages(buf: Buffer): Page[] | undefined {
  const pages: Page[] = []
  for (let at = 0; at < buf.length;) {
    if (at + 27 > buf.length || buf.toString('latin1', at, at + 4) !== 'OggS' || buf[at + 4] !== 0) return
    const count = buf[at + 26]!
    const segments = [...buf.subarray(at + 27, at + 27 + count)]
    const bodyStart = at + 27 + count
    const bodyEnd = bodyStart + segments.reduce((a, b) => a + b, 0)
    if (bodyEnd > buf.length) return
    pages.push({
      headerType: buf[at + 5]!,
      granule: buf.subarray(at + 6, at + 14),
      serial: buf.readUInt32LE(at + 14),
      segments,
      body: buf.subarray(bodyStart, bodyEnd),
    })
    at = bodyEnd
  }
  return pages
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let r = i << 24
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1
    t[i] = r >>> 0
  }
  return t
})()

function crc(buf: Buffer): number {
  let c = 0
  for (const b of buf) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ b) & 0xff]!) >>> 0
  return c
}

function writePage(p: Page, sequence: number): Buffer {
  const head = Buffer.alloc(27 + p.segments.length)
  head.write('OggS', 0, 'latin1')
  head[5] = p.headerType
  p.granule.copy(head, 6)
  head.writeUInt32LE(p.serial, 14)
  head.writeUInt32LE(sequence, 18)
  head[26] = p.segments.length
  Buffer.from(p.segments).copy(head, 27)
  const page = Buffer.concat([head, p.body])
  page.writeUInt32LE(crc(page), 22)
  return page
}

const NO_GRANULE = Buffer.alloc(8, 0xff)
const ZERO_GRANULE = Buffer.alloc(8)

/** Header packets, paged as the Ogg spec asks: a page closes after the last one, so audio starts on a new page. */
function pageHeaders(packets: Buffer[], serial: number): Page[] {
  const pages: Page[] = []
  let segments: number[] = []
  let parts: Buffer[] = []
  let continued = false
  let ended = false
  const flush = (next: boolean) => {
    pages.push({
      headerType: continued ? 1 : 0,
      granule: ended ? ZERO_GRANULE : NO_GRANULE,
      serial,
      segments,
      body: Buffer.concat(parts),
    })
    segments = []
    parts = []
    continued = next
    ended = false
  }
  for (const packet of packets) {
    let at = 0
    for (;;) {
      if (segments.length === 255) flush(true)
      const n = Math.min(255, packet.length - at)
      segments.push(n)
      parts.push(packet.subarray(at, at + n))
      at += n
      if (n < 255) break
    }
    ended = true
    if (segments.length) flush(false)
  }
  return pages
}

/** Splits the first `count` packets out of the pages; returns them and the index of the first page after them. */
function headerPackets(pages: Page[], count: number): { packets: Buffer[]; next: number } | undefined {
  const packets: Buffer[] = []
  let parts: Buffer[] = []
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i]!
    let at = 0
    for (const n of p.segments) {
      parts.push(p.body.subarray(at, at + n))
      at += n
      if (n < 255) {
        packets.push(Buffer.concat(parts))
        parts = []
        if (packets.length === count) {
          // Audio must start on a page of its own; a file laid out otherwise is left alone.
          return at === p.body.length ? { packets, next: i + 1 } : undefined
        }
      }
    }
  }
  return undefined
}

/** The comment packet with comments added, or undefined if it is not one this code knows. */
function withComments(packet: Buffer, added: string[]): Buffer | undefined {
  const opus = packet.toString('latin1', 0, 8) === 'OpusTags'
  const vorbis = packet[0] === 3 && packet.toString('latin1', 1, 7) === 'vorbis'
  if (!opus && !vorbis) return undefined
  let at = opus ? 8 : 7
  if (at + 4 > packet.length) return undefined
  at += 4 + packet.readUInt32LE(at) // vendor
  if (at + 4 > packet.length) return undefined
  const count = packet.readUInt32LE(at)
  const countAt = at
  at += 4
  for (let i = 0; i < count; i++) {
    if (at + 4 > packet.length) return undefined
    at += 4 + packet.readUInt32LE(at)
  }
  if (at > packet.length) return undefined
  const extra = added.map((c) => {
    const text = Buffer.from(c, 'utf8')
    const len = Buffer.alloc(4)
    len.writeUInt32LE(text.length)
    return Buffer.concat([len, text])
  })
  const out = Buffer.concat([packet.subarray(0, at), ...extra, packet.subarray(at)]) // keeps Vorbis's framing bit
  out.writeUInt32LE(count + added.length, countAt)
  return out
}

/**
 * Adds comments ("NAME=value") to an Ogg Opus or Vorbis file of one logical stream. Returns false,
 * changing nothing, when the file is not laid out as expected.
 */
export async function addOggComments(file: string, comments: string[]): Promise<boolean> {
  if (!comments.length) return true
  const buf = await readFile(file)
  const pages = readPages(buf)
  if (!pages?.length || pages.some((p) => p.serial !== pages[0]!.serial)) return false
  const first = pages[0]!.body
  const kind = first.toString('latin1', 0, 8) === 'OpusHead' ? 'opus' : first.toString('latin1', 1, 7)
  if (kind !== 'opus' && kind !== 'vorbis') return false
  const headers = headerPackets(pages, kind === 'opus' ? 2 : 3)
  if (!headers) return false
  const comment = withComments(headers.packets[1]!, comments)
  if (!comment) return false
  headers.packets[1] = comment
  const newHeaders = pageHeaders(headers.packets, pages[0]!.serial)
  newHeaders[0]!.headerType = 2 // beginning of stream
  const out = [...newHeaders, ...pages.slice(headers.next)].map((p, i) => writePage(p, i))
  await writeFile(file, Buffer.concat(out))
  return true
}

/** A cover as a FLAC picture block (what METADATA_BLOCK_PICTURE holds, in base64). */
export function pictureBlock(cover: { data: Uint8Array; mime: string }): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(n)
    return b
  }
  const mime = Buffer.from(cover.mime)
  return Buffer.concat([
    u32(3), // front cover
    u32(mime.length),
    mime,
    u32(0), // no description
    u32(0), // width, height, depth, colours: unknown
    u32(0),
    u32(0),
    u32(0),
    u32(cover.data.length),
    Buffer.from(cover.data),
  ])
}
