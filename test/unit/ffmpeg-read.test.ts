// What `ffmpeg -i FILE` says, read as Ferry reads it: literal output of ffmpeg 5.1 and 4.1.
import { describe, expect, it } from 'vitest'
import { ffmpegWords, parseFfmpegRead } from '../../src/main/engine/ffmpeg/read'

const EMPTY_FILE = `ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers
  built with gcc 12 (Debian 12.2.0-14+deb12u1)
  libavutil      57. 28.100 / 57. 28.100
[flac @ 0x558375989840] Format flac detected only with low score of 1, misdetection possible!
[flac @ 0x558375989840] Could not find codec parameters for stream 0 (Audio: flac, 0 channels): unspecified sample format
Consider increasing the value for the 'analyzeduration' (0) and 'probesize' (5000000) options
Input #0, flac, from 'Zero bytes.flac':
  Duration: N/A, bitrate: N/A
  Stream #0:0: Audio: flac, 0 channels
At least one output file must be specified
`

const BROKEN_TAGS = `ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers
  libavutil      56. 24.101 / 56. 24.101
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'Broken tags.m4a':
  Metadata:
    major_brand     : M4A
  Duration: 00:00:01.50, start: 0.000000, bitrate: 1029 kb/s
    Stream #0:0(und): Audio: alac (alac / 0x63616C61), 44100 Hz, stereo, s16p, 1024 kb/s (default)
    Metadata:
      handler_name    : SoundHandler
    Stream #0:1: Video: mjpeg, yuvj444p(pc, bt470bg/unknown/unknown), 96x96, 90k tbr, 90k tbn, 90k tbc
At least one output file must be specified
`

describe('reading what ffmpeg says of a file', () => {
  it('a file it cannot read: no audio, and its words without the banner, listing or usage line', () => {
    const r = parseFfmpegRead(EMPTY_FILE, '/usr/bin/ffmpeg', 'Zero bytes.flac')
    expect(r.ffmpeg).toBe('ffmpeg 5.1.9-0+deb12u1 (/usr/bin/ffmpeg)')
    expect(r.audio).toBeNull()
    expect(r.duration).toBe(0)
    expect(r.words).toBe(
      '[flac] Format flac detected only with low score of 1, misdetection possible! | ' +
        '[flac] Could not find codec parameters for stream 0 (Audio: flac, 0 channels): unspecified sample format',
    )
  })

  it('a file it reads: its demuxer, its length, its first audio stream', () => {
    const r = parseFfmpegRead(BROKEN_TAGS, '/opt/ffmpeg', 'Broken tags.m4a')
    expect(r.ffmpeg).toBe('ffmpeg N-47683-g0e8eb07980-static (/opt/ffmpeg)')
    expect(r.format).toBe('mov,mp4,m4a,3gp,3g2,mj2')
    expect(r.duration).toBe(1.5)
    expect(r.audio).toEqual({ codec: 'alac', sampleRate: 44100 })
    expect(r.words).toBe('')
  })

  it('names the file’s own error line, and an ffmpeg it could not identify by its path', () => {
    const stderr = 'x.flac: Invalid data found when processing input\n'
    expect(ffmpegWords(stderr, 'x.flac')).toBe('x.flac: Invalid data found when processing input')
    expect(parseFfmpegRead(stderr, '/bin/ff', 'x.flac').ffmpeg).toBe('the ffmpeg at /bin/ff')
  })
})
