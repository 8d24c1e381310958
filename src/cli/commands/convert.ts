import { FerryError } from '../../shared/errors'
import type { Preset } from '../../shared/presets'
import { withSession } from '../connect'
import { formatBytes } from '../format'

const out = (text: string) => process.stdout.write(`${text}\n`)

function qualityLabel(p: Preset): string {
  const s = p.spec
  if (s.codec === 'copy') return 'as is'
  if (s.codec === 'flac' || s.codec === 'alac') return 'lossless'
  if (s.mode === 'cbr') return `CBR ${s.bitrate} kbps`
  if (s.codec === 'mp3') return `VBR V${s.quality}`
  if (s.codec === 'opus') return `VBR ~${s.bitrate} kbps`
  return `VBR q${s.quality}`
}

export async function presetsLs(dataDir: string | undefined, json?: boolean): Promise<number> {
  const presets = await withSession(dataDir, ({ api }) => api.invoke('presets.list'))
  if (json) {
    out(JSON.stringify(presets, null, 2))
    return 0
  }
  const w = Math.max(...presets.map((p) => p.name.length))
  for (const p of presets) {
    const kind = p.builtin ? 'built-in' : 'custom  '
    out(
      `${p.name.padEnd(w)}  ${kind}  ${(p.extension ? `.${p.extension}` : '').padEnd(5)}  ${qualityLabel(p).padEnd(14)}  ${p.description}`,
    )
  }
  return 0
}

export async function presetsShow(
  dataDir: string | undefined,
  name: string,
  json?: boolean,
): Promise<number> {
  const [p, encode] = await withSession(dataDir, ({ api }) =>
    Promise.all([api.invoke('presets.get', { name }), api.invoke('convert.args', { preset: name })]),
  )
  if (json) {
    out(JSON.stringify(p, null, 2))
    return 0
  }
  const s = p.spec
  out(`${p.name}${p.builtin ? ' (built-in)' : ''}: ${p.description}`)
  out(`  codec        ${s.codec}${p.extension ? ` (.${p.extension})` : ''}, ${qualityLabel(p)}`)
  out(`  sample rate  ${s.sampleRate ? `${s.sampleRate} Hz` : 'as the source'}`)
  out(`  channels     ${s.channels ?? 'as the source'}`)
  if (s.codec === 'mp3') out(`  tags         ID3v2.${s.id3v2Version}`)
  out(`  cover art    ${s.art}`)
  out(`  lossy input  ${s.lossy === 'copy' ? 'copied as it is' : 'transcoded'}`)
  if (encode.args.length) {
    const cover = encode.cover ? ' -i COVER' : ''
    out(`  ffmpeg       -i SOURCE${cover} ${encode.args.join(' ')} OUTPUT   (for ${encode.source})`)
  }
  return 0
}

export async function cacheStats(dataDir: string | undefined, json?: boolean): Promise<number> {
  const s = await withSession(dataDir, ({ api }) => api.invoke('cache.stats'))
  if (json) out(JSON.stringify(s, null, 2))
  else {
    const limit = s.maxBytes === 0 ? 'off' : formatBytes(s.maxBytes)
    out(`${s.entries} encoded files, ${formatBytes(s.bytes)} of ${limit}, in ${s.dir}`)
  }
  return 0
}

export async function cacheClear(dataDir: string | undefined): Promise<number> {
  const r = await withSession(dataDir, ({ api }) => api.invoke('cache.clear'))
  const kept = r.kept ? `; ${r.kept} kept because queued tasks still need them` : ''
  out(`Removed ${r.removed} encoded files (${formatBytes(r.bytes)})${kept}.`)
  return 0
}

/** "2G", "500M", "1.5GiB", "0" → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text)
  if (!m) throw new FerryError('invalid_input', `Not a size: "${text}" (e.g. 2G, 500M, 0).`)
  const power = ['', 'k', 'm', 'g', 't'].indexOf(m[2]!.toLowerCase())
  return Math.round(Number(m[1]) * 1024 ** power)
}

export async function cacheLimit(dataDir: string | undefined, size: string): Promise<number> {
  const bytes = parseSize(size)
  const s = await withSession(dataDir, ({ api }) => api.invoke('settings.set', { 'cache.maxBytes': bytes }))
  out(
    bytes === 0
      ? 'Transcode cache turned off.'
      : `Transcode cache limit: ${formatBytes(s['cache.maxBytes'])}.`,
  )
  return 0
}
