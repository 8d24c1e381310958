import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeToneFlac } from '../helpers/audio'
import { FERRY_BIN, runFerry, tempDir } from '../helpers/ferry'

describe('ferry sync / profile / scan', () => {
  const dir = tempDir('ferry-cli-sync-')
  const path = (...p: string[]) => join(dir.path, ...p)
  const ferry = (...args: string[]) => runFerry(['--data-dir', path('data'), ...args], {}, 60_000)
  afterAll(() => dir.remove())
  beforeAll(async () => {
    mkdirSync(path('Music/Band/Record'), { recursive: true })
    mkdirSync(path('CARD'))
    await makeToneFlac(path('Music/Band/Record/1 One?.flac'))
    await makeToneFlac(path('Music/Band/Record/2 Two.flac'))
    writeFileSync(path('Music/Band/Record/folder.jpg'), 'cover')
  }, 30_000)

  it('dry run prints the plan and writes nothing; the real run mirrors; the next run does nothing', async () => {
    const dry = await ferry('sync', '-n', '-v', path('Music'), path('CARD'))
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/convert 2, copy 1, delete 0, up to date 0, conflicts 0/)
    expect(dry.stdout).toContain('convert  Band/Record/1 One_.mp3  (New.)')
    expect(readdirSync(path('CARD'))).toEqual([])

    const run = await ferry('sync', path('Music'), path('CARD'))
    expect(run.code).toBe(0)
    expect(readdirSync(path('CARD/Band/Record')).sort()).toEqual(['1 One_.mp3', '2 Two.mp3', 'folder.jpg'])
    const again = await ferry('sync', path('Music'), path('CARD'))
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Nothing to do: the device is up to date.')
  })

  it('--delete mirrors a removed source; without it the file stays', async () => {
    rmSync(path('Music/Band/Record/2 Two.flac'))
    expect((await ferry('sync', '-q', path('Music'), path('CARD'))).code).toBe(0)
    expect(existsSync(path('CARD/Band/Record/2 Two.mp3'))).toBe(true)
    const del = await ferry('sync', '--delete', '-n', path('Music'), path('CARD'))
    expect(del.stdout).toMatch(/delete 1/)
    expect((await ferry('sync', '--delete', '-q', path('Music'), path('CARD'))).code).toBe(0)
    expect(existsSync(path('CARD/Band/Record/2 Two.mp3'))).toBe(false)
  })

  it('profile add|ls|show|sync|rm, with clear usage errors', async () => {
    mkdirSync(path('PHONE'))
    const add = await ferry(
      'profile',
      'add',
      'phone',
      '-s',
      path('Music'),
      '-d',
      path('PHONE'),
      '-p',
      'opus-128',
    )
    expect(add.code).toBe(0)
    expect((await ferry('profile', 'ls')).stdout).toMatch(/^phone .* → .*PHONE .*opus-128, never/m)
    expect(JSON.parse((await ferry('profile', 'show', 'phone', '--json')).stdout)).toMatchObject({
      naming: 'fat32',
    })
    expect((await ferry('profile', 'sync', 'phone', '-q')).code).toBe(0)
    expect(readdirSync(path('PHONE/Band/Record')).sort()).toEqual(['1 One_.opus', 'folder.jpg'])
    expect((await ferry('profile', 'add', 'phone', '-s', path('Music'), '-d', path('PHONE'))).code).toBe(2)
    expect((await ferry('profile', 'add', 'x', '-d', path('PHONE'))).code).toBe(2)
    const badPreset = await ferry(
      'profile',
      'add',
      'y',
      '-s',
      path('Music'),
      '-d',
      path('PHONE'),
      '-p',
      'mp4-hq',
    )
    expect(badPreset.code).toBe(2)
    expect(badPreset.stderr).toMatch(/No preset named "mp4-hq"/)
    const missing = await ferry('profile', 'sync', 'nope')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/No profile named "nope"/)
    expect((await ferry('profile', 'rm', 'phone')).stdout).toMatch(/files on the device stay/)
    expect(existsSync(path('PHONE/Band/Record/1 One_.opus'))).toBe(true)
  })

  it('files below a folder that cannot be read are not deleted from the device (as an unprivileged user)', async () => {
    // The whole run as "nobody" when the tests run as root (root reads every folder).
    const asRoot = process.getuid?.() === 0
    const base = path('nobody')
    mkdirSync(path('nobody/lib/Open'), { recursive: true })
    mkdirSync(path('nobody/lib/Shut'), { recursive: true })
    mkdirSync(path('nobody/dev'), { recursive: true })
    writeFileSync(path('nobody/lib/Open/folder.jpg'), 'open')
    writeFileSync(path('nobody/lib/Shut/folder.jpg'), 'shut')
    chmodSync(dir.path, 0o755)
    const id = asRoot ? { uid: 65534, gid: 65534 } : {}
    if (asRoot) spawnSync('chown', ['-R', '65534:65534', base])
    const run = () =>
      spawnSync(
        process.execPath,
        [
          FERRY_BIN,
          '--data-dir',
          join(base, 'data'),
          'sync',
          '--delete',
          '-q',
          join(base, 'lib'),
          join(base, 'dev'),
        ],
        { encoding: 'utf8', ...id },
      )
    expect(run().status).toBe(0)
    expect(readdirSync(join(base, 'dev')).sort()).toEqual(['.ferry-profile.json', 'Open', 'Shut'])
    if (asRoot) spawnSync('chown', ['0:0', join(base, 'lib/Shut')])
    chmodSync(join(base, 'lib/Shut'), asRoot ? 0o700 : 0o000)
    const second = run()
    chmodSync(join(base, 'lib/Shut'), 0o755)
    expect(second.status).toBe(0)
    expect(existsSync(join(base, 'dev/Shut/folder.jpg'))).toBe(true)
  })

  it('scan reports what a sync would see', async () => {
    const r = await ferry('scan', '--json', path('Music'))
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 2, folders: 3, problems: [] })
  })

  it('scan reports an unreadable folder and skips it, and leaves hidden and system files out', async () => {
    mkdirSync(path('Music/Locked'))
    writeFileSync(path('Music/Locked/secret.flac'), 'x')
    writeFileSync(path('Music/.hidden.flac'), 'x')
    writeFileSync(path('Music/Thumbs.db'), 'x')
    chmodSync(path('Music/Locked'), 0o700)
    chmodSync(dir.path, 0o755)
    // Root reads everything: the walk (the engine's, which this command opens) runs as "nobody" when
    // the tests run as root, with a data folder of its own.
    const asRoot = process.getuid?.() === 0
    if (!asRoot) chmodSync(path('Music/Locked'), 0o000)
    mkdirSync(path('nobody-data'))
    chmodSync(path('nobody-data'), 0o777)
    const args = ['--data-dir', path('nobody-data'), 'scan', '--json', path('Music')]
    const r = spawnSync(process.execPath, [FERRY_BIN, ...args], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    })
    chmodSync(path('Music/Locked'), 0o755)
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as { files: number; problems: string[] }
    expect(out.files).toBe(2)
    expect(out.problems).toEqual([expect.stringMatching(/^Cannot read the folder .*Locked: EACCES/)])
  })
})
