// `node echo-client.mjs tcp|udp HOST PORT [HOLD_FILE]` sends "one" and prints one JSON line
// {"replies":[…]} (or {"error":"…"}). TCP with HOLD_FILE: after the first reply it waits, on the
// same connection, until that file exists, then sends "two": whether a connection survives a change.
import { createSocket } from 'node:dgram'
import { existsSync } from 'node:fs'
import { connect, isIPv6 } from 'node:net'

const [proto, host, portText, holdFile] = process.argv.slice(2)
const port = Number(portText)
const done = (value) => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
  process.exit(0)
}
setTimeout(() => done({ error: 'timeout' }), holdFile ? 60_000 : 3000)
if (proto === 'udp') {
  const udp = createSocket(isIPv6(host) ? 'udp6' : 'udp4')
  udp.on('message', (msg) => done({ replies: [msg.toString()] }))
  udp.send('one', port, host)
} else {
  const replies = []
  const socket = connect({ host, port })
  socket.setEncoding('utf8')
  let buffer = ''
  socket.on('error', (e) => done({ error: e.code ?? String(e) }))
  socket.on('connect', () => socket.write('one\n'))
  socket.on('data', (chunk) => {
    buffer += chunk
    let nl
    while ((nl = buffer.indexOf('\n')) >= 0) {
      replies.push(buffer.slice(0, nl))
      buffer = buffer.slice(nl + 1)
      if (replies.length === 2 || !holdFile) done({ replies })
      const wait = () => (existsSync(holdFile) ? socket.write('two\n') : setTimeout(wait, 50))
      wait()
    }
  })
}
