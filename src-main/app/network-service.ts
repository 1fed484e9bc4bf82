/**
 * The IPC handlers as plain functions over injected dependencies: reads come from the store and
 * the host, every change goes through the privileged helper. No electron import, so the GUI test
 * harness registers these very functions behind its HTTP shim. One group per domain, in service/.
 */
import { doctorHandlers } from './doctor-service'
import type { Handlers } from './ipc/dispatch'
import { ClashBoard } from './service/clash-board'
import { guestHandlers } from './service/guest-handlers'
import { hostHandlers } from './service/host-handlers'
import { lifecycleHandlers } from './service/lifecycle-handlers'
import { readHandlers } from './service/read-handlers'
import { forwardHandlers } from './service/forwards'
import { renumberHandlers } from './service/renumber'
import type { ServiceDeps } from './service/service-context'
import { serviceContext } from './service/service-context'

export type { Emit, ServiceDeps } from './service/service-context'

export function createNetworkService(deps: ServiceDeps): Handlers {
  const ctx = serviceContext(deps)
  return {
    'app:info': async () => deps.info,
    ...doctorHandlers({ helper: deps.helper, helperArgs: deps.helperArgs }),
    ...forwardHandlers({ helper: deps.helper, helperArgs: deps.helperArgs, emit: deps.emit }),
    ...renumberHandlers({
      helper: deps.helper,
      helperArgs: deps.helperArgs,
      emit: deps.emit,
      board: deps.board ?? new ClashBoard(deps.emit)
    }),
    ...readHandlers(ctx),
    ...lifecycleHandlers(ctx),
    ...guestHandlers(ctx),
    ...hostHandlers(ctx)
  }
}
