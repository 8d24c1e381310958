// The static ffmpeg the `@ffmpeg-installer/ffmpeg` package ships, in a module of its own: locate.ts
// loads it when it first looks for ffmpeg, as a required chunk (an `import()` of the package itself
// would go through Node's ES module loader: ≈ 7 ms against ≈ 2 ms). The package throws on a platform
// it has no build for; the import of this module fails then, and locate.ts answers "none".
import installer from '@ffmpeg-installer/ffmpeg'

export const bundledPath: string | undefined = installer.path || undefined
