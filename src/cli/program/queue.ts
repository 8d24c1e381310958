import type { Command } from 'commander'
import type { CommandInput, FerryApi } from '../../shared/contract'
import { FerryError } from '../../shared/errors'
import type { CliContext } from './context'
import { collect, integer, jsonOption } from './options'

const load = () => import('../commands/queue')

/** A queue command that makes one change and reports it in one line. */
const report = async (ctx: CliContext, act: (api: FerryApi) => Promise<string>) =>
  ctx.setCode(await (await load()).queueAction(ctx.dataDir(), act))

/** `ferry queue …`: look at and steer the queue. The order of the steps is the order of `--help`. */
export function register(program: Command, ctx: CliContext): void {
  const queue = program.command('queue').description('look at and steer the queue')
  registerViews(queue, ctx)
  registerPauseResume(queue, ctx)
  registerBySelection(queue, ctx)
  registerFlush(queue, ctx)
}

/** ls, progress and wait: the queue's tasks, how far it has got, and running it until nothing is pending. */
function registerViews(queue: Command, ctx: CliContext): void {
  jsonOption(
    queue
      .command('ls')
      .description('list tasks (queue order: running, pending, then finished)')
      .option('-s, --status <status>', 'only tasks in this state (repeatable)', collect, undefined)
      .option('-b, --batch <n>', 'only this batch', integer)
      .option('-n, --limit <n>', 'how many', integer, 50)
      .option('--offset <n>', 'skip this many', integer, 0),
  ).action(async (o) => ctx.setCode(await (await load()).queueLs({ ...o, dataDir: ctx.dataDir() })))
  jsonOption(
    queue
      .command('progress')
      .description('counts, bytes, rate, ETA and what each worker does')
      .option('-b, --batch <n>', 'only this batch', integer),
  ).action(async (o) => ctx.setCode(await (await load()).queueProgress({ ...o, dataDir: ctx.dataDir() })))
  queue
    .command('wait')
    .description('run the queue until nothing is pending (or watch the running engine do it)')
    .option('-b, --batch <n>', 'only this batch', integer)
    .option('-q, --quiet', 'no live display')
    .action(async (o) => ctx.setCode(await (await load()).queueWait({ ...o, dataDir: ctx.dataDir() })))
}

function registerPauseResume(queue: Command, ctx: CliContext): void {
  queue
    .command('pause')
    .description('stop starting tasks (running ones finish)')
    .option('--now', 'also stop running tasks; they go back to pending')
    .action((o: { now?: boolean }) =>
      report(ctx, async (api) => {
        await api.invoke('queue.pause', { now: o.now === true })
        return o.now ? 'Paused; running tasks stopped and requeued.' : 'Paused; running tasks will finish.'
      }),
    )
  queue
    .command('resume')
    .description('start tasks again')
    .action(() => report(ctx, async (api) => (await api.invoke('queue.resume'), 'Resumed.')))
}

/** retry and cancel: they take the same selection, one task id, --batch N, or --all. */
function registerBySelection(queue: Command, ctx: CliContext): void {
  const bySelection = (
    name: 'retry' | 'cancel',
    description: string,
    allDescription: string,
    act: (api: FerryApi, sel: CommandInput<'task.retry'>) => Promise<string>,
  ) =>
    queue
      .command(`${name} [id]`)
      .description(description)
      .option('-b, --batch <n>', 'a batch', integer)
      .option('--all', allDescription)
      .action(async (id: string | undefined, o: { batch?: number; all?: boolean }) => {
        const { selector } = await load()
        if (id !== undefined && !/^\d+$/.test(id))
          throw new FerryError(
            'invalid_input',
            `A task id is a whole number, as ferry queue ls shows it (got "${id}").`,
          )
        const sel = selector(o, id === undefined ? undefined : Number(id))
        return report(ctx, (api) => act(api, sel))
      })
  bySelection(
    'retry',
    'retry a failed or cancelled task, a batch (--batch), or all (--all)',
    'every failed or cancelled task',
    async (api, sel) => `${(await api.invoke('task.retry', sel)).retried} tasks back in the queue.`,
  )
  bySelection(
    'cancel',
    'cancel a task, a batch (--batch), or everything pending or running (--all)',
    'every pending or running task',
    async (api, sel) => `${(await api.invoke('task.cancel', sel)).cancelled} tasks cancelled.`,
  )
}

function registerFlush(queue: Command, ctx: CliContext): void {
  queue
    .command('flush')
    .description('remove finished tasks from the list (default: ok and skip)')
    .option('--failed', 'also failed and cancelled ones')
    .action((o: { failed?: boolean }) =>
      report(ctx, async (api) => {
        const status = o.failed ? (['ok', 'skip', 'fail', 'cancelled'] as const) : (['ok', 'skip'] as const)
        const r = await api.invoke('queue.flush', { status: [...status] })
        return `${r.removed} finished tasks removed.`
      }),
    )
}
