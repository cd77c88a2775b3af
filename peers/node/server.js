// A small HTTP/2 server on Node.js's http2 module for the peer recipe peers/node.sh: GET
// serves the document root (each page read whole), POST answers 200 with the request body. With a certificate and a
// key it serves TLS (http2.createSecureServer, ALPN h2 only); without them HTTP/2 with prior
// knowledge (http2.createServer).
//   node server.js PORT DOCROOT [CERT KEY]
'use strict';
const fs = require('fs');
const http2 = require('http2');
const path = require('path');

const [port, root, cert, key] = process.argv.slice(2);
const types = { '.html': 'text/html', '.txt': 'text/plain' };

function onStream(stream, headers) {
  const method = headers[':method'];
  if (method === 'POST') {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'application/octet-stream' });
      stream.end(Buffer.concat(chunks));
    });
    return;
  }
  let name = decodeURIComponent((headers[':path'] || '/').split('?')[0]);
  if (name.endsWith('/')) name += 'index.html';
  const file = path.join(root, path.normalize(name));
  if (!file.startsWith(root)) {
    stream.respond({ ':status': 404 });
    stream.end();
    return;
  }
  const type = types[path.extname(file)] || 'application/octet-stream';
  // Read whole and sent from memory: with stream.respondWithFile, Node 20.20.2 once died of
  // SIGSEGV during a catalogue run.
  fs.readFile(file, (err, data) => {
    if (stream.destroyed) return;
    if (err) {
      stream.respond({ ':status': 404 });
      stream.end();
      return;
    }
    stream.respond({ ':status': 200, 'content-type': type, 'content-length': data.length });
    stream.end(method === 'HEAD' ? undefined : data);
  });
}

const server = cert
  ? http2.createSecureServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) })
  : http2.createServer();
server.on('stream', (stream, headers) => {
  stream.on('error', () => {});  // a reset stream is the test's business, not a crash
  try {
    onStream(stream, headers);
  } catch (err) {  // a request the server's API refuses to answer: say so, keep serving
    console.error(`request ${headers[':method']} ${headers[':path']}: ${err.message}`);
    if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }
});
server.on('sessionError', () => {});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
