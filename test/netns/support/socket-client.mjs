// One raw exchange with guestnet's warm service, run inside a test namespace (the service serves its
// own namespace only): waits for the hello, sends the client line (argv[4], default: this pid) and
// the request line (argv[3]), and prints every frame the service sends back.
import net from 'node:net'

const [socketPath, request, clientLine] = process.argv.slice(2)
const client = clientLine ?? JSON.stringify({ type: 'client', pid: process.pid })
const sock = net.createConnection(socketPath)
let text = ''
let sent = false
sock.setEncoding('utf8')
sock.on('data', (d) => {
  text += d
  if (!sent && text.includes('\n')) {
    sent = true
    sock.write(`${client}\n${request}\n`)
  }
})
sock.on('error', (e) => process.stderr.write(`${e.message}\n`))
sock.on('close', () => process.stdout.write(text))
