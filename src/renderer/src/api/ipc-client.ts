import type {
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  FerryApi,
  InvokeArgs,
} from '../../../shared/contract'
import { fromErrorShape } from '../../../shared/errors'
import type { FerryBridge } from '../../../shared/ipc'

/** The contract over the preload's `window.ferry` (desktop app). */
export function ipcClient(bridge: FerryBridge): FerryApi {
  return {
    async invoke<K extends CommandName>(name: K, ...args: InvokeArgs<K>) {
      const result = await bridge.invoke(name, args[0])
      if (!result.ok) throw fromErrorShape(result.error)
      return result.value as CommandOutput<K>
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      return bridge.on(name, listener as (payload: unknown) => void)
    },
  }
}
