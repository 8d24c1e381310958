import { describe, expect, it } from 'vitest'
import { parseAudioEncoders, parseVersion } from '../../src/main/engine/ffmpeg/inspect'

describe('reading ffmpeg’s own output', () => {
  it('takes the version from the first line, release or git build', () => {
    expect(
      parseVersion('ffmpeg version 6.1.1-3ubuntu5 Copyright (c) 2000-2023 the FFmpeg developers\n'),
    ).toBe('6.1.1-3ubuntu5')
    expect(
      parseVersion('ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright'),
    ).toBe('N-47683-g0e8eb07980-static')
    expect(parseVersion('ffprobe version 6.1\n')).toBeUndefined()
  })

  it('keeps audio encoders only, with the codec they produce', () => {
    const out = [
      'Encoders:',
      ' V..... = Video',
      ' A..... = Audio',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC (codec h264)',
      ' A..... aac                  AAC (Advanced Audio Coding)',
      ' A..X.. opus                 Opus',
      ' A..... libmp3lame           libmp3lame MP3 (MPEG audio layer 3) (codec mp3)',
      ' S..... srt                  SubRip subtitle',
    ].join('\n')
    expect(parseAudioEncoders(out)).toEqual([
      { name: 'aac', codec: 'aac', description: 'AAC (Advanced Audio Coding)' },
      { name: 'opus', codec: 'opus', description: 'Opus' },
      { name: 'libmp3lame', codec: 'mp3', description: 'libmp3lame MP3 (MPEG audio layer 3) (codec mp3)' },
    ])
  })
})
