/** What a directory entry that is not a file or folder is, in words: why a copy leaves it out. */
export function specialKind(e: {
  isFIFO(): boolean
  isSocket(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
}): string | undefined {
  if (e.isFIFO()) return 'a FIFO (named pipe), not a file'
  if (e.isSocket()) return 'a socket, not a file'
  if (e.isCharacterDevice()) return 'a character device, not a file'
  if (e.isBlockDevice()) return 'a block device, not a file'
  return undefined
}
