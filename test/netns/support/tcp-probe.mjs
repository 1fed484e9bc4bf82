// `node tcp-probe.mjs HOST PORT TIMEOUT_MS` tries one TCP connection and prints one JSON line:
// {"result":"connected","reply":"hello …","local":"…"} | {"result":"refused"} | {"result":"timeout"} | {"result":"error","code":"…"}
import { connect } from 'node:net'

const [host, port, timeoutMs] = process.argv.slice(2)
const done = (value) => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
  process.exit(0)
}
const socket = connect({ host, port: Number(port) })
let reply = ''
const timer = setTimeout(() => done({ result: 'timeout' }), Number(timeoutMs || 2000))
socket.on('connect', () => {
  socket.setEncoding('utf8')
  socket.on('data', (chunk) => (reply += chunk))
  socket.on('end', () => {
    clearTimeout(timer)
    done({ result: 'connected', reply: reply.trim(), local: socket.localAddress })
  })
})
socket.on('error', (error) => {
  clearTimeout(timer)
  done(error.code === 'ECONNREFUSED' ? { result: 'refused' } : { result: 'error', code: error.code })
})
