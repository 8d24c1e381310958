import type { Command } from 'commander'
import type { CliContext } from './context'
import { port } from './options'

export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the engine with the web UI on 127.0.0.1 (prints the URL to open)')
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--stop-with-stdin', 'stop when standard input closes (for supervisors and tests)')
    .action(async (o: { port: number; stopWithStdin?: boolean }) => {
      const { serveCommand } = await import('../commands/serve')
      ctx.setCode(await serveCommand({ dataDir: ctx.dataDir(), ...o }))
    })
}
