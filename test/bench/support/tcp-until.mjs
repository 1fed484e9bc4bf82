// `node tcp-until.mjs HOST PORT`: tries a TCP connection every few ms until one is answered, then
// prints the wall-clock time (ms since the epoch) that answer came and exits; "ready" first.
import { connect } from 'node:net'

const [host, port] = process.argv.slice(2)
const attempt = () => {
  const socket = connect({ host, port: Number(port) })
  const retry = () => {
    socket.destroy()
    setTimeout(attempt, 5)
  }
  socket.setTimeout(200, retry)
  socket.on('error', retry)
  socket.on('connect', () => socket.write('one\n'))
  socket.on('data', () => {
    process.stdout.write(`answered ${Date.now()}\n`)
    process.exit(0)
  })
}
process.stdout.write('ready\n')
attempt()
