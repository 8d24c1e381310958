import type { FfmpegCandidateInfo, FfmpegSource, SystemInfo } from '../../shared/model'
import { withSession } from '../connect'

export async function infoCommand(opts: { dataDir?: string; json?: boolean }): Promise<number> {
  return withSession(opts.dataDir, async (session) => {
    const info = await session.api.invoke('system.info')
    process.stdout.write(opts.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info, session.via))
    return info.ffmpeg.ok ? 0 : 1
  })
}

const SOURCE: Record<FfmpegSource, string> = {
  setting: 'set in Settings',
  env: 'FFMPEG_PATH',
  bundled: 'bundled',
  path: 'on PATH',
}

export function formatInfo(info: SystemInfo, via: string): string {
  const lines = [
    `Ferry ${info.appVersion} (${info.platform}-${info.arch}, Node ${info.nodeVersion}${
      info.electronVersion ? `, Electron ${info.electronVersion}` : ''
    })`,
    `engine:    ${info.engineKind} (${via === 'remote' ? 'the running engine' : 'started for this command'})`,
    `data:      ${info.dataDir}`,
    `database:  ${info.databasePath}`,
  ]
  const f = info.ffmpeg
  const where = (c: FfmpegCandidateInfo) =>
    `${c.path} (${SOURCE[c.source]})${c.version ? `, ${c.version}${c.release ? ` (${c.release})` : ''}` : ''}`
  const passedOver = f.candidates.filter((c) => c.verdict !== 'chosen')
  if (f.ok) {
    const chosen = f.candidates.find((c) => c.verdict === 'chosen')
    lines.push(`ffmpeg:    ${f.version} (${SOURCE[f.source]}: ${f.path})`)
    lines.push(`           ${chosen?.release ? `${chosen.release}; ` : ''}chosen: ${f.reason}`)
    for (const c of passedOver) lines.push(`           not used: ${where(c)}: ${c.reason}`)
    lines.push(`encoders:  ${f.encoders.map((e) => e.name).join(', ')}`)
  } else {
    lines.push(`ffmpeg:    not found. ${f.error}`)
    for (const c of f.candidates) lines.push(`           tried ${where(c)}: ${c.reason}`)
  }
  return `${lines.join('\n')}\n`
}
