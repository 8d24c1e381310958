// The one Content-Security-Policy of Ferry's pages: sent as a header by the web UI's server
// (server/static.ts) and the desktop app's app:// protocol (shell/protocol.ts), and written into the
// built index.html as a <meta> (electron.vite.config.ts) for a page loaded without either (electron-vite's
// development server).

const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
]

/** The header's policy. */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ')

/** The same in a <meta>, which may not carry frame-ancestors (browsers ignore it there, with a warning). */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.join('; ')
