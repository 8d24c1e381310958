// The content types of the built renderer's files, for whichever serves them: `ferry serve`'s HTTP
// server and the desktop app's app:// protocol. Anything else is sent as an opaque byte stream.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** ".css" → "text/css; charset=utf-8"; an unknown extension → "application/octet-stream". */
export const contentTypeOf = (extension: string): string => TYPES[extension] ?? 'application/octet-stream'
