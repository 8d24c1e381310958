// A slow device for benchmarks and tests: an ext4 image on a loop device whose writes the block layer
// throttles to a card's speed. How, in order of preference:
// - cgroup v1 blkio (`blkio.throttle.write_bps_device` in the ROOT blkio cgroup): every bio sent to
//   that one loop device is held to the rate, whoever sends it — the writer's fsync, the flusher
//   threads behind syncfs() and background writeback, the ext4 journal. That is a card: one slow
//   queue in front of the device, nothing else on the machine touched.
// - cgroup v2 `io.max` on a cgroup of our own: only bios charged to that cgroup are held, so the
//   commands must run inside it (`wrap`), and writeback (page cache → device, syncfs) is charged to it
//   only when the io and memory controllers are both enabled below the root. The root has no io.max.
// The image is best kept in RAM (`imageDir` on a tmpfs): a loop device passes each flush on to its
// backing file, so an image on the system disk makes every fsync on the card also wait for that disk
// (and for whatever else writes to it, such as the transcode cache) — a stall no card has.
// Either way a probe checks the throttle holds both an fsync'ed write and a syncfs'ed one (`sync -f`)
// before anything is measured; where it does not (or the machine allows no loop mount, no cgroup
// write), `slowDevice` returns the reason and creates nothing. `remove()` (idempotent, synchronous,
// so it can run in an exit handler) lifts the throttle, unmounts, detaches and deletes the image.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const BLKIO_ROOT = '/sys/fs/cgroup/blkio'
const V2_ROOT = '/sys/fs/cgroup'

const sh = (cmd, args) => execFileSync(cmd, args, { stdio: 'pipe' }).toString()
const firstLine = (err) => String(err?.stderr || err?.message || err).split('\n')[0]

/** Which throttle this machine offers, or why none: { kind: 'blkio-v1' | 'io-v2' } | { why }. */
export function throttleKind() {
  if (process.getuid?.() !== 0) return { why: 'not running as root' }
  if (existsSync(join(BLKIO_ROOT, 'blkio.throttle.write_bps_device'))) return { kind: 'blkio-v1' }
  const read = (f) => {
    try {
      return readFileSync(join(V2_ROOT, f), 'utf8')
    } catch {
      return null
    }
  }
  const controllers = read('cgroup.controllers')
  const subtree = read('cgroup.subtree_control')
  if (controllers === null || subtree === null)
    return { why: 'no cgroup v1 blkio hierarchy and no cgroup v2 at /sys/fs/cgroup' }
  const has = (list, name) => list.split(/\s+/).includes(name)
  if (!has(controllers, 'io')) return { why: 'cgroup v2 without the io controller' }
  // Enabling controllers at the root changes every cgroup of a shared machine: ask, don't do it.
  if (!has(subtree, 'io') || !has(subtree, 'memory'))
    return {
      why: `cgroup v2's root does not enable io and memory for its children (cgroup.subtree_control: "${subtree.trim()}"; writeback is only throttled with both)`,
    }
  return { kind: 'io-v2' }
}

/** Sectors written to a block device since boot (/sys/block/NAME/stat, field 7), in bytes. */
export function bytesWritten(devName) {
  const f = readFileSync(`/sys/block/${devName}/stat`, 'utf8').trim().split(/\s+/)
  return Number(f[6]) * 512
}

/**
 * Makes the slow device: { mount, loop, name, kind, wrap(cmd, args) → [cmd, args], written(), remove() }
 * or { why } when the machine does not allow it (nothing is left behind then).
 */
export function slowDevice({ dir, imageDir = dir, sizeMiB, writeBytesPerSecond, label = 'card' }) {
  const kind = throttleKind()
  if (kind.why) return { why: kind.why }
  const image = join(imageDir, `${label}-${process.pid}.img`)
  const mount = join(dir, label)
  const state = { loop: null, mounted: false, rule: null, cgroup: null, removed: false }
  const remove = () => {
    if (state.removed) return
    state.removed = true
    const quiet = (f) => {
      try {
        f()
      } catch {
        // Best effort: the next step still runs.
      }
    }
    if (state.rule) quiet(() => writeFileSync(state.rule.file, state.rule.off))
    if (state.mounted)
      quiet(() => {
        const r = spawnSync('umount', [mount], { stdio: 'ignore' })
        if (r.status !== 0) spawnSync('umount', ['-l', mount], { stdio: 'ignore' })
      })
    if (state.loop) quiet(() => spawnSync('losetup', ['-d', state.loop], { stdio: 'ignore' }))
    if (state.cgroup) quiet(() => rmdirSync(state.cgroup))
    quiet(() => rmSync(image, { force: true }))
    quiet(() => rmdirSync(mount))
  }
  const fail = (why) => {
    remove()
    return { why }
  }
  try {
    sh('truncate', ['-s', `${sizeMiB}M`, image])
    sh('mkfs.ext4', ['-q', '-F', image])
    state.loop = sh('losetup', ['-f', '--show', image]).trim()
    mkdirSync(mount, { recursive: true })
    sh('mount', [state.loop, mount])
    state.mounted = true
  } catch (err) {
    return fail(`a loop-mounted ext4 image cannot be made here: ${firstLine(err)}`)
  }
  const name = state.loop.replace('/dev/', '')
  const majmin = readFileSync(`/sys/block/${name}/dev`, 'utf8').trim()
  const rate = Math.round(writeBytesPerSecond)
  try {
    if (kind.kind === 'blkio-v1') {
      const file = join(BLKIO_ROOT, 'blkio.throttle.write_bps_device')
      writeFileSync(file, `${majmin} ${rate}`)
      state.rule = { file, off: `${majmin} 0` }
    } else {
      state.cgroup = join(V2_ROOT, `ferry-slow-device-${process.pid}`)
      mkdirSync(state.cgroup)
      writeFileSync(join(state.cgroup, 'io.max'), `${majmin} wbps=${rate}`)
    }
  } catch (err) {
    return fail(`the write throttle cannot be set: ${firstLine(err)}`)
  }
  const wrap = (cmd, args) =>
    state.cgroup
      ? ['sh', ['-c', `echo $$ > '${state.cgroup}/cgroup.procs' && exec "$@"`, 'sh', cmd, ...args]]
      : [cmd, args]
  // Probe: 8 MB through fsync and 8 MB through syncfs must each take most of their time at the rate.
  const probeBytes = 8_000_000
  const expected = probeBytes / rate
  const dd = `dd if=/dev/zero of="$1/probe" bs=1M count=${probeBytes} iflag=count_bytes status=none`
  for (const [how, script] of [
    ['fsync', `${dd} conv=fsync`],
    ['syncfs', `${dd} && sync -f "$1/probe"`],
  ]) {
    rmSync(join(mount, 'probe'), { force: true })
    spawnSync('sync', ['-f', mount])
    const [cmd, args] = wrap('sh', ['-c', script, 'sh', mount])
    const t0 = process.hrtime.bigint()
    const r = spawnSync(cmd, args, { stdio: 'pipe' })
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    if (r.status !== 0) return fail(`the throttle probe (${how}) failed: ${firstLine(r.stderr)}`)
    if (s < expected * 0.6)
      return fail(
        `the ${kind.kind} throttle does not hold writes made durable by ${how} (${(probeBytes / 1e6).toFixed(0)} MB in ${s.toFixed(2)} s, expected ≈ ${expected.toFixed(2)} s)`,
      )
  }
  rmSync(join(mount, 'probe'), { force: true })
  spawnSync('sync', ['-f', mount])
  return { mount, loop: state.loop, name, kind: kind.kind, wrap, written: () => bytesWritten(name), remove }
}

/** A plain (unthrottled) ext4 image on a loop device, for the same filesystem at the disk's speed. */
export function fastDevice({ dir, imageDir = dir, sizeMiB, label = 'disk' }) {
  const image = join(imageDir, `${label}-${process.pid}.img`)
  const mount = join(dir, label)
  const state = { loop: null, mounted: false, removed: false }
  const remove = () => {
    if (state.removed) return
    state.removed = true
    if (state.mounted) {
      const r = spawnSync('umount', [mount], { stdio: 'ignore' })
      if (r.status !== 0) spawnSync('umount', ['-l', mount], { stdio: 'ignore' })
    }
    if (state.loop) spawnSync('losetup', ['-d', state.loop], { stdio: 'ignore' })
    rmSync(image, { force: true })
    try {
      rmdirSync(mount)
    } catch {
      // Still mounted (lazily) or never made.
    }
  }
  try {
    sh('truncate', ['-s', `${sizeMiB}M`, image])
    sh('mkfs.ext4', ['-q', '-F', image])
    state.loop = sh('losetup', ['-f', '--show', image]).trim()
    mkdirSync(mount, { recursive: true })
    sh('mount', [state.loop, mount])
    state.mounted = true
  } catch (err) {
    remove()
    return { why: `a loop-mounted ext4 image cannot be made here: ${firstLine(err)}` }
  }
  const name = state.loop.replace('/dev/', '')
  return { mount, loop: state.loop, name, written: () => bytesWritten(name), remove }
}
