import { describe, expect, it } from 'vitest'
import { BUILTIN_PRESETS } from '../../src/main/engine/convert/presets'
import { checkPresetSpec, type Preset, presetSpecShape } from '../../src/shared/presets'
import { describePreset } from '../../src/renderer/src/views/Presets/describe'
import {
  availableCodecs,
  duplicateName,
  formFromPreset,
  newForm,
  type PresetForm,
  validatePresetForm,
  withCodec,
} from '../../src/renderer/src/views/Presets/form'

const builtin = (name: string) => BUILTIN_PRESETS.find((p) => p.name === name)!.spec

describe('the sentence saying what a preset produces', () => {
  it('describes every built-in preset', () => {
    expect(describePreset(builtin('mp3-v0'))).toBe(
      'MP3, VBR V0 ≈ 245 kbit/s, ID3v2.3, cover kept, lossy sources copied as they are',
    )
    expect(describePreset(builtin('mp3-v2'))).toBe(
      'MP3, VBR V2 ≈ 190 kbit/s, ID3v2.3, cover kept, lossy sources copied as they are',
    )
    expect(describePreset(builtin('mp3-320'))).toBe(
      'MP3, CBR 320 kbit/s, ID3v2.3, cover kept, lossy sources copied as they are',
    )
    expect(describePreset(builtin('aac-256'))).toBe(
      'AAC 256 kbit/s in .m4a, cover kept, lossy sources copied as they are',
    )
    expect(describePreset(builtin('opus-128'))).toBe(
      'Opus, VBR ≈ 128 kbit/s, cover kept, lossy sources copied as they are',
    )
    expect(describePreset(builtin('copy'))).toBe('No transcoding: every file copied as it is')
  })

  it('names what the options change, and leaves out what the codec ignores', () => {
    expect(
      describePreset({
        codec: 'mp3',
        mode: 'vbr',
        quality: 4,
        sampleRate: 44100,
        channels: 1,
        id3v2Version: 4,
        art: 'remove',
        lossy: 'transcode',
        options: ['-cutoff', '19000'],
      }),
    ).toBe(
      'MP3, VBR V4 ≈ 165 kbit/s, resampled to 44.1 kHz, mono, ID3v2.4, cover removed, lossy sources transcoded too, extra options -cutoff 19000',
    )
    expect(describePreset({ codec: 'flac', sampleRate: 48000, channels: 2 })).toBe(
      'FLAC, lossless, resampled to 48 kHz, stereo, cover kept, lossy sources copied as they are',
    )
    expect(describePreset({ codec: 'vorbis', mode: 'vbr', quality: 6 })).toContain(
      'Ogg Vorbis, quality 6 ≈ 192 kbit/s',
    )
    expect(describePreset({ codec: 'opus', mode: 'cbr', bitrate: 64, sampleRate: 24000 })).toMatch(
      /^Opus, CBR 64 kbit\/s, resampled to 24 kHz,/,
    )
    expect(describePreset({ codec: 'alac', art: 'remove' })).toBe(
      'ALAC, lossless, in .m4a, cover removed, lossy sources copied as they are',
    )
    // A copy copies bytes: no sample rate, tags or covers to speak of.
    expect(describePreset({ codec: 'copy', sampleRate: 44100, art: 'remove' })).toBe(
      'No transcoding: every file copied as it is',
    )
  })
})

/** What the engine checks a spec against (convert/presets.ts): its shape, then the cross-field rules. */
const engineAccepts = (spec: unknown) => {
  const parsed = presetSpecShape.safeParse(spec)
  return parsed.success && checkPresetSpec(parsed.data).length === 0
}

const valid = (f: Partial<PresetForm>, taken: string[] = []) =>
  validatePresetForm({ ...newForm(), name: 'mine', ...f }, { taken })

describe('the preset form, checked as the user types', () => {
  it('turns a valid form into the spec the engine accepts, with only the fields its codec takes', () => {
    const r = valid({ codec: 'mp3', mode: 'cbr', bitrate: '192', quality: '0' })
    expect(r.errors).toEqual({})
    expect(r.spec).toMatchObject({ codec: 'mp3', mode: 'cbr', bitrate: 192 })
    expect(r.spec).not.toHaveProperty('quality')
    expect(engineAccepts(r.spec)).toBe(true)
    for (const codec of ['mp3', 'aac', 'opus', 'vorbis', 'flac', 'alac', 'copy'] as const) {
      const spec = validatePresetForm(withCodec({ ...newForm(), name: 'x' }, codec), { taken: [] }).spec
      expect(spec, codec).toBeDefined()
      expect(engineAccepts(spec), codec).toBe(true)
    }
  })

  it('places each problem on its field, in the engine’s own words', () => {
    expect(valid({ name: '' }).errors.name).toBe('Give the preset a name, e.g. mp3-v0-car.')
    expect(valid({ name: 'My Preset' }).errors.name).toMatch(/^A preset name is 1–40 lower-case letters/)
    expect(valid({ name: 'mp3-v0' }, ['mp3-v0']).errors.name).toBe('A preset named "mp3-v0" already exists.')
    expect(valid({ description: 'x'.repeat(201) }).errors.description).toMatch(/At most 200/)

    const aac = withCodec({ ...newForm(), name: 'a' }, 'aac')
    expect(validatePresetForm({ ...aac, bitrate: '600' }, { taken: [] }).errors.bitrate).toBe(
      'AAC needs a bitrate from 16 to 512 kbps.',
    )
    expect(validatePresetForm({ ...aac, bitrate: '12x' }, { taken: [] }).errors.bitrate).toBe(
      'The bitrate is a whole number of kbit/s, not "12x".',
    )
    const opus = withCodec({ ...newForm(), name: 'o' }, 'opus')
    expect(validatePresetForm({ ...opus, bitrate: '3' }, { taken: [] }).errors.bitrate).toMatch(/from 6 to/)
    expect(validatePresetForm({ ...opus, bitrate: '520' }, { taken: [] }).errors.bitrate).toBe(
      'Opus needs a bitrate from 6 to 510 kbps.',
    )
    expect(validatePresetForm({ ...opus, sampleRate: '44100' }, { taken: [] }).errors.sampleRate).toBe(
      'Opus runs at 8000, 12000, 16000, 24000, 48000 Hz only.',
    )
    expect(valid({ sampleRate: '96000' }).errors.sampleRate).toBe('MP3 cannot hold more than 48000 Hz.')

    expect(valid({ options: '-i /etc/passwd' }).errors.options).toMatch(/"-i" is not an allowed option/)
    expect(valid({ options: '-cutoff' }).errors.options).toBe(
      '-cutoff needs a value (a frequency in Hz, e.g. 19000).',
    )
    expect(valid({ options: '-cutoff 19000' }).errors).toEqual({})

    // Nothing is sent while any problem remains.
    expect(valid({ name: 'Bad Name' }).spec).toBeUndefined()
  })

  it('offers only the codecs this ffmpeg can encode', () => {
    expect(availableCodecs(['libmp3lame', 'aac', 'flac'])).toEqual(['mp3', 'aac', 'flac', 'copy'])
    expect(availableCodecs([])).toEqual(['copy'])
    const r = validatePresetForm(withCodec({ ...newForm(), name: 'o' }, 'opus'), {
      taken: [],
      codecs: ['mp3', 'copy'],
    })
    expect(r.errors.codec).toMatch(/has no libopus encoder/)
  })

  it('starts a duplicate from the original, under a free name', () => {
    const p: Preset = {
      name: 'mp3-v0',
      description: 'd',
      builtin: true,
      spec: builtin('mp3-v0'),
      extension: 'mp3',
      hash: 'h',
      createdAt: null,
      updatedAt: null,
    }
    expect(duplicateName('mp3-v0', ['mp3-v0'])).toBe('mp3-v0-copy')
    expect(duplicateName('mp3-v0', ['mp3-v0', 'mp3-v0-copy'])).toBe('mp3-v0-copy-2')
    expect(duplicateName('x'.repeat(40), []).length).toBe(40)
    const f = formFromPreset(p, 'mp3-v0-copy')
    expect(validatePresetForm(f, { taken: ['mp3-v0'] }).spec).toEqual(builtin('mp3-v0'))
  })
})
