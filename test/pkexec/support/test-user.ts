/** The throw-away unprivileged user the app would run as: a system account without home or login shell. */
import { runSync } from './exec'
import { USER_COMMENT, userName } from './paths'
import { onUndo } from './undo'

export interface TestUser {
  name: string
  uid: number
  gid: number
}

export function lookupUser(name: string): TestUser | null {
  const r = runSync(['getent', 'passwd', name], { allowFail: true })
  if (r.code !== 0) return null
  const fields = r.stdout.trim().split(':')
  return { name, uid: Number(fields[2]), gid: Number(fields[3]) }
}

export function groupExists(name: string): boolean {
  return runSync(['getent', 'group', name], { allowFail: true }).code === 0
}

export function createTestUser(): TestUser {
  const name = userName()
  runSync([
    'useradd',
    '--system',
    '--user-group',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    '--comment',
    USER_COMMENT,
    name
  ])
  onUndo(`userdel ${name}`, () => {
    runSync(['userdel', name])
    if (groupExists(name)) runSync(['groupdel', name])
  })
  const user = lookupUser(name)
  if (!user) throw new Error(`useradd ${name} succeeded but getent does not know the user`)
  return user
}
