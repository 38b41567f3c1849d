// Streaming load for bench/ai.sh: CONCURRENCY closed loops, each POSTing BODY (a JSON file) to URL over a keep-alive
// connection for DURATION seconds and reading the Server-Sent Events answer. For each call it takes the time to the
// first "data:" line (TTFT) and to the end of the answer (total), from just before the request is written.
//
//   node stream-client.js URL BODY_FILE CONCURRENCY DURATION_S [Header: value]...
//
// Prints one line: "calls ttft_p50 ttft_p99 total_p50 total_p99 errors" (milliseconds). A call is an error when the
// status is not 200 or the answer does not end with "data: [DONE]".
'use strict';
const http = require('http');
const fs = require('fs');

const [url, bodyFile, concurrencyArg, durationArg, ...headerArgs] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const durationMs = Number(durationArg) * 1000;
const body = fs.readFileSync(bodyFile);
const target = new URL(url);
const headers = { 'Content-Type': 'application/json', 'Content-Length': body.length, Accept: 'text/event-stream' };
for (const h of headerArgs) {
  const i = h.indexOf(':');
  headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
}
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const ttft = [];
const total = [];
let errors = 0;
const deadline = Date.now() + durationMs;

function once(done) {
  const start = process.hrtime.bigint();
  let first = -1;
  let tail = '';
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
    headers, agent }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (text) => {
      if (first < 0 && (tail + text).includes('data:')) {
        first = Number(process.hrtime.bigint() - start) / 1e6;
      }
      tail = (tail + text).slice(-64);
    });
    res.on('end', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (res.statusCode === 200 && first >= 0 && tail.trimEnd().endsWith('data: [DONE]')) {
        ttft.push(first);
        total.push(ms);
      } else {
        errors++;
      }
      done();
    });
    res.on('error', () => { errors++; done(); });
  });
  req.on('error', () => { errors++; setTimeout(done, 10); });
  req.end(body);
}

function loop() {
  if (Date.now() >= deadline) {
    finished();
    return;
  }
  once(loop);
}

let running = concurrency;
function finished() {
  if (--running > 0) return;
  const pct = (values, p) => {
    if (values.length === 0) return NaN;
    const sorted = Float64Array.from(values).sort();
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  };
  console.log([ttft.length, pct(ttft, 50), pct(ttft, 99), pct(total, 50), pct(total, 99)]
    .map((v, i) => (i === 0 ? String(v) : v.toFixed(2))).join(' ') + ' ' + errors);
  agent.destroy();
}

for (let i = 0; i < concurrency; i++) loop();
