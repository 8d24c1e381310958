// Plain data types shared by every side. No node, electron or DOM imports.

export type EngineKind = 'desktop' | 'serve' | 'cli' | 'test'

export interface AudioEncoder {
  /** ffmpeg's encoder name, e.g. `libmp3lame`. */
  name: string
  /** Codec the encoder produces, e.g. `mp3` (same as name when ffmpeg does not say). */
  codec: string
  description: string
}

export type FfmpegSource = 'setting' | 'env' | 'bundled' | 'path'

export type FfmpegInfo =
  | { ok: true; path: string; source: FfmpegSource; version: string; encoders: AudioEncoder[] }
  | { ok: false; error: string; tried: string[] }

export interface SystemInfo {
  appVersion: string
  platform: string
  arch: string
  nodeVersion: string
  electronVersion: string | null
  engineKind: EngineKind
  dataDir: string
  databasePath: string
  ffmpeg: FfmpegInfo
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface EngineLog {
  level: LogLevel
  message: string
  at: number
}
