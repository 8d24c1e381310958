/**
 * What a command's registration needs from the program: the data folder chosen on the command line
 * and a place to put the command's exit code. Registration modules import only commander and types;
 * each action loads its command's module when it runs, so `ferry --help` loads none of them.
 */
export interface CliContext {
  /** `--data-dir` (or FERRY_DATA_DIR); undefined means the default folder. */
  dataDir(): string | undefined
  /** Records the exit code the command ends with. */
  setCode(code: number): void
}
