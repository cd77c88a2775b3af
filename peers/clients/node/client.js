// One HTTP/2 GET with node:http2: body to stdout, exit 0 for a complete response whatever its
// status (Node accepted it; a status other than 2xx goes to stderr), non-zero on an error.
'use strict';
const http2 = require('node:http2');
const fs = require('node:fs');

const [url, caFile] = process.argv.slice(2);
const options = caFile ? { ca: fs.readFileSync(caFile) } : {};
// Leaves with `code` once Node has written what it queued: exiting at once would drop the
// RST_STREAM it sends for a malformed response (RFC 9113 §8.1.1) before it reaches the server.
let failing = false;
const fail = (code, what) => {
  if (failing) return;
  failing = true;
  process.stderr.write(`${what}\n`);
  process.exitCode = code;
  session.close();
  setTimeout(() => process.exit(code), 500).unref();
};
setTimeout(() => {
  process.stderr.write('timed out after 20 s\n');
  process.exit(5);
}, 20000).unref();

const session = http2.connect(url, options);
session.on('error', (err) => fail(2, `session error: ${err.code || ''} ${err.message}`));
const target = new URL(url);
const req = session.request({ ':path': target.pathname + target.search });
let status = 0;
let complete = false;
// Node exits 0 when nothing is left to wait for, as after the server closed the connection
// under a stream that never ended: that is no complete response.
process.on('exit', (code) => {
  if (code === 0 && !complete) {
    process.stderr.write('the connection ended before the response did\n');
    process.exitCode = 4;
  }
});
req.on('response', (headers) => { status = Number(headers[':status']); });
req.on('data', (chunk) => process.stdout.write(chunk));
req.on('error', (err) => fail(2, `stream error: ${err.code || ''} ${err.message}`));
req.on('end', () => {
  complete = true;
  session.close();
  if (status < 200 || status > 299) process.stderr.write(`status ${status}\n`);
});
req.end();
