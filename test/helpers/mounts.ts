// Real devices for tests: ext4 images on loop devices (a card that can be unplugged, even lazily,
// mid-write, and plugged back in) and FAT images through FUSE (fusefat: the kind of mount that
// refuses the kernel's copy). Needs root, `mount` with loop support, mkfs.ext4, and for FUSE
// /dev/fuse, fusefat and mkfs.vfat (.ci/run installs them). Where the machine does not allow it, the
// tests that need it say why and are skipped.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' }).toString()

function probe(what: string, attempt: (dir: string) => void): string | null {
  const dir = join('/tmp', `ferry-mount-probe-${process.pid}-${what}`)
  try {
    mkdirSync(dir, { recursive: true })
    attempt(dir)
    return null
  } catch (err) {
    return `${what} cannot be mounted here: ${(err as Error).message.split('\n')[0]}`
  }
}

let loopReason: string | null | undefined
/** Why loop-mounted images cannot be used here, or null when they can. */
export function loopMountsUnavailable(): string | null {
  loopReason ??= probe('loop', (dir) => {
    if (process.getuid?.() !== 0) throw new Error('not running as root')
    const img = `${dir}.img`
    sh('truncate', ['-s', '8M', img])
    sh('mkfs.ext4', ['-q', '-F', img])
    sh('mount', ['-o', 'loop', img, dir])
    sh('umount', [dir])
    sh('rm', ['-f', img])
  })
  return loopReason
}

let fuseReason: string | null | undefined
/** Why FUSE FAT images cannot be used here, or null when they can. */
export function fuseFatUnavailable(): string | null {
  fuseReason ??= probe('fusefat', (dir) => {
    if (!existsSync('/dev/fuse')) throw new Error('no /dev/fuse')
    const img = `${dir}.img`
    sh('truncate', ['-s', '8M', img])
    sh('mkfs.vfat', [img])
    sh('fusefat', ['-o', 'rw+', img, dir])
    sh('fusermount', ['-u', dir])
    sh('rm', ['-f', img])
  })
  return fuseReason
}

/** An ext4 image on a loop device: a card that can be unplugged and plugged back in. */
export class Card {
  constructor(
    readonly image: string,
    readonly mountPoint: string,
  ) {}

  static create(image: string, mountPoint: string, sizeMiB: number): Card {
    sh('truncate', ['-s', `${sizeMiB}M`, image])
    sh('mkfs.ext4', ['-q', '-F', image])
    mkdirSync(mountPoint, { recursive: true })
    return new Card(image, mountPoint)
  }

  plugIn(): void {
    sh('mount', ['-o', 'loop', this.image, this.mountPoint])
  }

  /** Unmounts; `lazy` as `umount -l` does, detaching it even while files are open on it. */
  unplug(lazy = false): void {
    sh('umount', lazy ? ['-l', this.mountPoint] : [this.mountPoint])
  }

  /** Whether the image is still attached (a lazy unmount keeps it until the last file closes). */
  attached(): boolean {
    return sh('losetup', ['-j', this.image]).trim() !== ''
  }

  mounted(): boolean {
    return sh('cat', ['/proc/mounts']).includes(` ${this.mountPoint} `)
  }

  /** Removes the card for good (after a test). */
  dispose(): void {
    if (this.mounted()) this.unplug(true)
  }
}

/** A FAT image through FUSE (fusefat), as exFAT drivers and phones over MTP are mounted too. */
export class FuseFat {
  constructor(readonly mountPoint: string) {}

  static mount(image: string, mountPoint: string, sizeMiB: number): FuseFat {
    sh('truncate', ['-s', `${sizeMiB}M`, image])
    sh('mkfs.vfat', [image])
    mkdirSync(mountPoint, { recursive: true })
    sh('fusefat', ['-o', 'rw+', image, mountPoint])
    return new FuseFat(mountPoint)
  }

  unmount(): void {
    sh('fusermount', ['-u', this.mountPoint])
  }
}

/** Every file and folder below a folder (relative paths), for "nothing landed here" checks. */
export function listTree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? [`${prefix}${e.name}/`, ...listTree(join(dir, e.name), `${prefix}${e.name}/`)]
      : [`${prefix}${e.name}`],
  )
}
