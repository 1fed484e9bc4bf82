/** The real runner: `@` built-ins in-process, everything else an allow-listed program by argv. */
import type { Argv } from '../../core/model/plan'
import type { CommandRunner } from '../apply-plan'
import type { BuiltinEnv } from './builtins'
import { runBuiltin } from './builtins'
import { execProgram } from './exec-program'

export function createCommandRunner(env: BuiltinEnv): CommandRunner {
  return {
    async run(argv: Argv): Promise<void> {
      if (argv.length === 0) throw new Error('empty command in the plan')
      if (argv[0].startsWith('@')) await runBuiltin(argv, env)
      else await execProgram(argv)
    }
  }
}
