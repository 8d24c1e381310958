// Draws Ferry's icons with nothing but Node (zlib for PNG's deflate): the app icon (build/icon.png,
// 512×512, which electron-builder turns into each platform's format) and the tray's four states
// (resources/tray/<state>.png at 16 px and <state>@2x.png at 32 px, which nativeImage picks by the
// screen's scale). The PNGs are committed; run `node scripts/make-icons.mjs` after changing a shape.
//
// Each state differs in shape, not only in colour: idle a ring, syncing an arrow down onto a line,
// paused two bars, error an exclamation mark.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
/** RGBA pixels (size×size×4) → PNG bytes (8-bit RGBA, no interlace, filter 0 on every row). */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * Rasterises `paint(x, y)` (unit coordinates, 0..1; returns [r, g, b, a] with a in 0..1, or null)
 * with 4×4 supersampling, so edges are smooth at 16 px.
 */
function render(size, paint) {
  const out = Buffer.alloc(size * size * 4)
  const S = 4
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = paint((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size)
          if (!c) continue
          r += c[0] * c[3]
          g += c[1] * c[3]
          b += c[2] * c[3]
          a += c[3]
        }
      }
      const i = (py * size + px) * 4
      out[i] = a ? Math.round(r / a) : 0
      out[i + 1] = a ? Math.round(g / a) : 0
      out[i + 2] = a ? Math.round(b / a) : 0
      out[i + 3] = Math.round((a / (S * S)) * 255)
    }
  }
  return out
}

const hex = (h, alpha = 1) => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
  alpha,
]
const dist = (x, y, cx, cy) => Math.hypot(x - cx, y - cy)
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1
/** Inside the triangle (a, b, c)? */
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry)
  const d1 = s(x, y, ax, ay, bx, by)
  const d2 = s(x, y, bx, by, cx, cy)
  const d3 = s(x, y, cx, cy, ax, ay)
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

const WHITE = hex('#ffffff')
const TRAY = {
  // A ring: Ferry is there, nothing to do.
  idle: (x, y) => {
    const d = dist(x, y, 0.5, 0.5)
    return d <= 0.46 && d >= 0.3 ? hex('#5b6b80') : null
  },
  // A disc with an arrow down onto a line: copying to the device.
  syncing: (x, y) => {
    if (dist(x, y, 0.5, 0.5) > 0.47) return null
    const arrow =
      inRect(x, y, 0.43, 0.2, 0.57, 0.5) ||
      inTriangle(x, y, [0.26, 0.46], [0.74, 0.46], [0.5, 0.7]) ||
      inRect(x, y, 0.27, 0.74, 0.73, 0.82)
    return arrow ? WHITE : hex('#2f7de1')
  },
  // A disc with two bars.
  paused: (x, y) => {
    if (dist(x, y, 0.5, 0.5) > 0.47) return null
    return inRect(x, y, 0.32, 0.28, 0.44, 0.72) || inRect(x, y, 0.56, 0.28, 0.68, 0.72)
      ? WHITE
      : hex('#d9911a')
  },
  // A disc with an exclamation mark: something failed.
  error: (x, y) => {
    if (dist(x, y, 0.5, 0.5) > 0.47) return null
    return inRect(x, y, 0.43, 0.2, 0.57, 0.58) || dist(x, y, 0.5, 0.74) <= 0.08 ? WHITE : hex('#d64545')
  },
}

/** The app icon: a rounded square, a wave, and the arrow down onto a line of the tray's "syncing". */
function appIcon(x, y) {
  const r = 0.2
  const cx = Math.min(Math.max(x, r + 0.04), 1 - r - 0.04)
  const cy = Math.min(Math.max(y, r + 0.04), 1 - r - 0.04)
  if (dist(x, y, cx, cy) > r) return null
  const wave = y > 0.66 + 0.035 * Math.sin(x * Math.PI * 4) && y < 0.74 + 0.035 * Math.sin(x * Math.PI * 4)
  const arrow = inRect(x, y, 0.44, 0.18, 0.56, 0.42) || inTriangle(x, y, [0.28, 0.4], [0.72, 0.4], [0.5, 0.6])
  if (wave && x > 0.16 && x < 0.84) return WHITE
  if (arrow) return WHITE
  // A vertical gradient from a light to a deep blue.
  const t = Math.min(1, Math.max(0, y))
  return [Math.round(70 - 40 * t), Math.round(150 - 60 * t), Math.round(235 - 35 * t), 1]
}

const write = (file, bytes) => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, bytes)
  console.log(`wrote ${file.slice(root.length + 1)} (${bytes.length} bytes)`)
}

for (const [state, paint] of Object.entries(TRAY)) {
  write(join(root, 'resources', 'tray', `${state}.png`), encodePng(16, render(16, paint)))
  write(join(root, 'resources', 'tray', `${state}@2x.png`), encodePng(32, render(32, paint)))
}
write(join(root, 'build', 'icon.png'), encodePng(512, render(512, appIcon)))
// The window's own icon (Linux and Windows title bars, the task switcher) ships inside the app.
write(join(root, 'resources', 'icon.png'), encodePng(256, render(256, appIcon)))
