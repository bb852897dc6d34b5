'use strict'
// A tiny HTTP/1.1 server on 127.0.0.1 written on node:net, so a test controls the bytes on the
// wire exactly the same way under Node and Bun: a Content-Length that the body never reaches, a
// response that stops after its headers, and so on. One request per connection (Connection: close).
const net = require('node:net')

const REASONS = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

function head(status, headers = {}) {
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] || 'Status'}`, 'Connection: close']
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** What a handler can do with one request's socket. */
function responder(socket) {
  return {
    socket,
    /** A complete response with Content-Length, then the connection closes. */
    send(status, body = '', headers = {}) {
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body)
      socket.end(Buffer.concat([Buffer.from(head(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': buf.length, ...headers })), buf]))
    },
    /** Status line and headers only; the handler decides what follows. */
    head(status, headers = {}) {
      socket.write(head(status, headers))
    },
    write(bytes) {
      socket.write(bytes)
    },
    destroy() {
      socket.destroy()
    },
    redirect(status, location) {
      socket.end(head(status, { Location: location, 'Content-Length': 0 }))
    },
    /** One byte of `bytes` every `everyMs`, until all are sent or the client goes away. */
    drip(bytes, everyMs) {
      let sent = 0
      const timer = setInterval(() => {
        if (sent < bytes.length && !socket.destroyed) socket.write(bytes.subarray(sent, ++sent))
        else clearInterval(timer)
      }, everyMs)
      socket.on('close', () => clearInterval(timer))
    },
    /** `total` zero bytes in 64 KiB writes that wait for the socket to drain, then the end. */
    async pour(total) {
      const chunk = Buffer.alloc(64 * 1024)
      for (let sent = 0; sent < total && !socket.destroyed; sent += chunk.length) {
        if (!socket.write(chunk.subarray(0, Math.min(chunk.length, total - sent)))) {
          await new Promise((resolve) => {
            socket.once('drain', resolve)
            socket.once('close', resolve)
          })
        }
      }
      socket.end()
    },
  }
}

/**
 * Starts a server; `handler({ method, path, headers }, res)` answers each request.
 * Returns { url, hits(path), requests, close() }. close() destroys every open socket.
 */
function startServer(handler) {
  const sockets = new Set()
  const requests = []
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffered = ''
    let handled = false
    socket.on('data', (data) => {
      if (handled) return
      buffered += data.toString('latin1')
      const end = buffered.indexOf('\r\n\r\n')
      if (end === -1) return
      handled = true
      const [requestLine, ...headerLines] = buffered.slice(0, end).split('\r\n')
      const [method, target] = requestLine.split(' ')
      const headers = {}
      for (const line of headerLines) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const req = { method, path: target, headers }
      requests.push(req)
      try {
        handler(req, responder(socket))
      } catch (err) {
        socket.end(head(500, { 'Content-Length': 0 }))
        throw err
      }
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        hits: (path) => requests.filter((r) => r.path === path).length,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      })
    })
  })
}

module.exports = { startServer }
