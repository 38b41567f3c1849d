// A fake OpenAI-compatible upstream for bench/ai.sh: answers POST <prefix>/v1/chat/completions after a FIXED delay
// taken from the path prefix (/d20/v1/... waits 20 ms, /d0/v1/... answers at once), measured with a timer, not work.
//
//   node fake-openai.js PORT [CHUNKS] [GAP_MS]
//
// Non-streaming: one JSON chat.completion with a usage object. Streaming ("stream": true): after the delay the first
// chunk (role), then CHUNKS content chunks GAP_MS apart, a finish chunk, a usage chunk when
// stream_options.include_usage is true, and "data: [DONE]". Node's http module, keep-alive, no logging.
'use strict';
const http = require('http');

const port = Number(process.argv[2] || 18101);
const chunks = Number(process.argv[3] || 5);
const gap = Number(process.argv[4] || 5);
const CONTENT = 'The quick brown fox jumps over the lazy dog.';
const USAGE = { prompt_tokens: 21, completion_tokens: 12, total_tokens: 33 };

function completion(model) {
  return JSON.stringify({
    id: 'chatcmpl-bench', object: 'chat.completion', created: 1735689600, model,
    choices: [{ index: 0, message: { role: 'assistant', content: CONTENT }, logprobs: null, finish_reason: 'stop' }],
    usage: USAGE,
  });
}

function chunk(model, delta, finish, withUsage) {
  const c = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1735689600, model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
  if (withUsage) c.usage = null;
  return 'data: ' + JSON.stringify(c) + '\n\n';
}

function stream(res, model, includeUsage) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.write(chunk(model, { role: 'assistant', content: '' }, null, includeUsage));
  const words = CONTENT.split(' ');
  let sent = 0;
  const tick = () => {
    if (sent < chunks) {
      res.write(chunk(model, { content: words[sent % words.length] + ' ' }, null, includeUsage));
      sent++;
      setTimeout(tick, gap);
      return;
    }
    let tail = chunk(model, {}, 'stop', includeUsage);
    if (includeUsage) {
      tail += 'data: ' + JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1735689600,
        model, choices: [], usage: USAGE }) + '\n\n';
    }
    res.end(tail + 'data: [DONE]\n\n');
  };
  setTimeout(tick, gap);
}

const server = http.createServer((req, res) => {
  const match = /^\/d(\d+)\/v1\/chat\/completions$/.exec(req.url);
  if (req.method !== 'POST' || !match) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
    return;
  }
  const delay = Number(match[1]);
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (e) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end('{"error":{"message":"bad json","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'bench';
    const answer = () => {
      if (body.stream === true) {
        stream(res, model, !!(body.stream_options && body.stream_options.include_usage));
      } else {
        const payload = completion(model);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
        res.end(payload);
      }
    };
    if (delay > 0) setTimeout(answer, delay); else answer();
  });
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;
server.listen(port, '127.0.0.1');
