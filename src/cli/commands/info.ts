import type { SystemInfo } from '../../shared/model'
import { withSession } from '../connect'

export async function infoCommand(opts: { dataDir?: string; json?: boolean }): Promise<number> {
  return withSession(opts.dataDir, async (session) => {
    const info = await session.api.invoke('system.info')
    process.stdout.write(opts.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info, session.via))
    return info.ffmpeg.ok ? 0 : 1
  })
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
  if (info.ffmpeg.ok) {
    lines.push(`ffmpeg:    ${info.ffmpeg.version} (${info.ffmpeg.source}: ${info.ffmpeg.path})`)
    lines.push(`encoders:  ${info.ffmpeg.encoders.map((e) => e.name).join(', ')}`)
  } else {
    lines.push(`ffmpeg:    not found. ${info.ffmpeg.error}`)
    for (const t of info.ffmpeg.tried) lines.push(`           tried ${t}`)
  }
  return `${lines.join('\n')}\n`
}
