// Field schemas more than one contract module uses.
import { z } from 'zod'

/** An absolute path, without NUL bytes (clients resolve relative paths against their own folder). */
export const absolutePath = z
  .string()
  .min(1, 'a path is required')
  .refine((p) => !p.includes('\0'), 'a path may not contain a NUL byte')
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'the path must be absolute')

/** An extension for include/exclude: "flac" or ".flac", case-insensitive. */
export const extension = z
  .string()
  .regex(/^\.?[\w-]{1,16}$/, 'an extension is letters, digits, - or _ (e.g. flac)')
  .transform((e) => e.replace(/^\./, '').toLowerCase())
