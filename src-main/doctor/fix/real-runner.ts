/** The doctor's real runner: its sysctl built-ins in-process, everything else an allow-listed program by argv. */
import { execProgram } from '../../helper/run/exec-program'
import { SYSCTL_RESTORE, SYSCTL_SET } from '../checks/sysctl-fix'
import type { DoctorRunner } from './apply-fixes'
import { restoreDoctorSysctl, setDoctorSysctl } from './doctor-sysctl'

export function realDoctorRunner(): DoctorRunner {
  return {
    async run(argv) {
      if (argv[0] === SYSCTL_SET) {
        if (argv.length !== 3) throw new Error(`${SYSCTL_SET} takes KEY VALUE`)
        setDoctorSysctl(argv[1], argv[2])
        return { stdout: '' }
      }
      if (argv[0] === SYSCTL_RESTORE) {
        if (argv.length !== 4) throw new Error(`${SYSCTL_RESTORE} takes KEY OLD EXPECTED`)
        const note = restoreDoctorSysctl(argv[1], argv[2], argv[3])
        return note ? { stdout: '', note } : { stdout: '' }
      }
      if (argv[0].startsWith('@')) throw new Error(`unknown doctor built-in '${argv[0]}'`)
      return { stdout: (await execProgram([...argv], { timeoutMs: 20_000 })).stdout }
    }
  }
}
