// Stand-ins for ffmpeg: shell scripts that answer `-version` and `-encoders` (with its banner) as a real build would,
// for tests of which ffmpeg Ferry chooses (they encode nothing).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ENCODER_LINES: Record<string, string> = {
  libmp3lame: ' A....D libmp3lame           libmp3lame MP3 (MPEG audio layer 3) (codec mp3)',
  aac: ' A..... aac                  AAC (Advanced Audio Coding)',
  libopus: ' A..... libopus              libopus Opus (codec opus)',
  libvorbis: ' A....D libvorbis            libvorbis (codec vorbis)',
  flac: ' A....D flac                 FLAC (Free Lossless Audio Codec)',
  alac: ' A..... alac                 ALAC (Apple Lossless Audio Codec)',
}

export interface Fake {
  version?: string
  /** libavutil's "major. minor.micro" as ffmpeg prints it. */
  avutil?: string
  year?: number
  lacking?: string[]
  /** Prints nothing ffmpeg-like and exits 1. */
  broken?: boolean
}

let n = 0

/** A new folder in `parent` holding one executable `ffmpeg` that answers as `fake` says. */
export function fakeFfmpeg(parent: string, fake: Fake): { dir: string; path: string } {
  const dir = join(parent, `bin${++n}`)
  mkdirSync(dir)
  const path = join(dir, 'ffmpeg')
  const version = [
    `ffmpeg version ${fake.version ?? '7.1'} Copyright (c) 2000-${fake.year ?? 2024} the FFmpeg developers`,
    'built with gcc 14',
    ...(fake.avutil ? [`libavutil      ${fake.avutil} / ${fake.avutil}`] : []),
  ]
  const encoders = [
    'Encoders:',
    ' A..... = Audio',
    ' ------',
    ' A..... mp2                  MP2 (MPEG audio layer 2)',
    ...Object.entries(ENCODER_LINES)
      .filter(([name]) => !fake.lacking?.includes(name))
      .map(([, line]) => line),
  ]
  const body = fake.broken
    ? ['#!/bin/sh', 'echo "Segmentation fault" >&2', 'exit 1']
    : [
        '#!/bin/sh',
        'case " $* " in',
        `  *" -version "*) printf '%s\\n' ${version.map((l) => `'${l}'`).join(' ')} ;;`,
        // As a real build: the banner (the version's lines, indented) on stderr first, unless hidden.
        `  *" -hide_banner "*" -encoders "*) printf '%s\\n' ${encoders.map((l) => `'${l}'`).join(' ')} ;;`,
        `  *" -encoders "*) printf '%s\\n' ${version.map((l, i) => `'${i ? '  ' : ''}${l}'`).join(' ')} >&2; printf '%s\\n' ${encoders.map((l) => `'${l}'`).join(' ')} ;;`,
        '  *) exit 1 ;;',
        'esac',
      ]
  writeFileSync(path, `${body.join('\n')}\n`)
  chmodSync(path, 0o755)
  return { dir, path }
}
