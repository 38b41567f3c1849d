// Evaluated in every sandbox context before the API's module (see Sandbox and HostBridge). It defines the globals
// hosted code may use — env, kv, fetch, console — over one host function, and the two entry points the host calls:
// run (one request) and end (after it). maxBodyBytes bounds a response body (Sandbox.MAX_RESPONSE_BYTES). The intrinsics it relies on are captured first, so code that replaces
// JSON.parse or Promise only breaks itself. Every answer of the host is JSON {ok} or {error, type}.
(function (host, maxBodyBytes) {
    'use strict';
    const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, entries = Object.entries;
    const defineProperty = Object.defineProperty, isArray = Array.isArray, PromiseCtor = Promise;
    const resolve = Promise.resolve.bind(Promise), reject = Promise.reject.bind(Promise);
    const then = Promise.prototype.then, call = Function.prototype.call;
    const isInteger = Number.isInteger, ArrayBufferCtor = ArrayBuffer, isView = ArrayBuffer.isView;
    const sliceBuffer = ArrayBuffer.prototype.slice;

    const ask = (op, ...args) => {
        const answer = parse(host(op, ...args));
        if (answer.error !== undefined) {
            throw answer.type === 'TypeError' ? new TypeError(answer.error) : new Error(answer.error);
        }
        return answer.ok;
    };
    const string = (value, what) => {
        if (typeof value !== 'string') {
            throw new TypeError(what + ' must be a string, not ' + (value === null ? 'null' : typeof value));
        }
        return value;
    };
    const describe = (value) => {
        if (value instanceof Error) {
            return value.name + ': ' + value.message;
        }
        try {
            const text = stringify(value);
            return text === undefined ? String(value) : text;
        } catch (e) {
            return String(value);
        }
    };

    let currentEnv = freeze({});
    defineProperty(globalThis, 'env', {get: () => currentEnv, enumerable: false, configurable: false});

    const kv = freeze({
        get: (key) => ask('kv.get', string(key, 'A kv key')),
        put: (key, value) => {
            ask('kv.put', string(key, 'A kv key'), string(value, 'A kv value (use kv.putJson for other values)'));
        },
        delete: (key) => ask('kv.delete', string(key, 'A kv key')),
        list: (prefix = '', limit = 100) => ask('kv.list', string(prefix, 'A kv prefix'), Number(limit)),
        getJson: (key) => {
            const text = kv.get(key);
            if (text === null) {
                return null;
            }
            try {
                return parse(text);
            } catch (e) {
                throw new Error('The kv value of "' + key + '" is not JSON');
            }
        },
        putJson: (key, value) => {
            const text = stringify(value);
            if (text === undefined) {
                throw new TypeError('kv.putJson: the value cannot be written as JSON');
            }
            kv.put(key, text);
        },
    });
    defineProperty(globalThis, 'kv', {value: kv, enumerable: false, writable: false, configurable: false});

    const headersOf = (map) => freeze({
        get: (name) => {
            const value = map[String(name).toLowerCase()];
            return value === undefined ? null : value;
        },
        has: (name) => map[String(name).toLowerCase()] !== undefined,
        entries: () => entries(map),
        keys: () => entries(map).map(e => e[0]),
        forEach: (callback) => entries(map).forEach(([name, value]) => callback(value, name)),
    });
    const responseOf = (answer, url) => {
        let used = false;
        const body = () => {
            if (used) {
                throw new TypeError('The body has already been read');
            }
            used = true;
            return answer.body;
        };
        return freeze({
            status: answer.status,
            ok: answer.status >= 200 && answer.status < 300,
            url,
            headers: headersOf(answer.headers),
            text: async () => body(),
            json: async () => parse(body()),
        });
    };
    const fetch = (url, init) => {
        try {
            const options = init ?? {};
            const target = typeof url === 'string' ? url : String(url && url.url !== undefined ? url.url : url);
            const headers = {};
            if (options.headers !== undefined && options.headers !== null) {
                const pairs = isArray(options.headers) ? options.headers
                    : typeof options.headers.entries === 'function' ? options.headers.entries()
                    : entries(options.headers);
                for (const [name, value] of pairs) {
                    headers[String(name)] = String(value);
                }
            }
            let body = options.body;
            if (body !== undefined && body !== null && typeof body !== 'string') {
                throw new TypeError('fetch: body must be a string (use JSON.stringify for objects)');
            }
            const method = String(options.method ?? 'GET').toUpperCase();
            const answer = ask('fetch', method, target, stringify(headers), body ?? null);
            return resolve(responseOf(answer, target));
        } catch (e) {
            return reject(e);
        }
    };
    defineProperty(globalThis, 'fetch', {value: fetch, enumerable: false, writable: false, configurable: false});

    const line = (level) => (...args) => {
        host('console', level, args.map(a => typeof a === 'string' ? a : describe(a)).join(' '));
    };
    const console = freeze({log: line('log'), info: line('info'), warn: line('warn'), error: line('error'),
        debug: line('debug')});
    defineProperty(globalThis, 'console', {value: console, enumerable: false, writable: false, configurable: false});

    /** The handler's result as the host reads it, or {invalid} saying what is wrong with it. */
    const normalise = (value) => {
        if (value === null || typeof value !== 'object') {
            return {invalid: 'The handler must return an object like { status: 200, json: {…} }, not '
                    + describe(value)};
        }
        const status = value.status === undefined ? 200 : value.status;
        if (!isInteger(status) || status < 100 || status > 599) {
            return {invalid: 'status must be an integer from 100 to 599, not ' + describe(status)};
        }
        const headers = {};
        if (value.headers !== undefined && value.headers !== null) {
            if (typeof value.headers !== 'object') {
                return {invalid: 'headers must be an object of strings'};
            }
            for (const [name, header] of entries(value.headers)) {
                if (typeof header !== 'string' && typeof header !== 'number') {
                    return {invalid: 'The header "' + name + '" must be a string, not ' + describe(header)};
                }
                headers[name.toLowerCase()] = String(header);
            }
        }
        const given = ['json', 'text', 'body'].filter(field => value[field] !== undefined);
        if (given.length > 1) {
            return {invalid: 'Give one of json, text or body, not ' + given.join(' and ')};
        }
        // checked here, before anything is copied to the host: a string's UTF-16 length is a lower bound of its
        // UTF-8 size (the host checks the UTF-8 size of what passes)
        const tooLarge = {invalid: 'The response body is over 10 MB'};
        let text = null, bytes = null, type = null;
        if (value.json !== undefined) {
            try {
                text = stringify(value.json);
            } catch (e) {
                return {invalid: 'json cannot be written as JSON: ' + describe(e)};
            }
            if (text === undefined) {
                return {invalid: 'json cannot be written as JSON (a function or a symbol)'};
            }
            type = 'application/json';
        } else if (value.text !== undefined) {
            text = String(value.text);
            type = 'text/plain; charset=utf-8';
        } else if (value.body !== undefined && value.body !== null) {
            if (typeof value.body === 'string') {
                text = value.body;
            } else if (value.body instanceof ArrayBufferCtor) {
                if (value.body.byteLength > maxBodyBytes) {
                    return tooLarge;
                }
                bytes = value.body;
            } else if (isView(value.body)) {
                if (value.body.byteLength > maxBodyBytes) {
                    return tooLarge;
                }
                bytes = call.call(sliceBuffer, value.body.buffer, value.body.byteOffset,
                        value.body.byteOffset + value.body.byteLength);
            } else {
                return {invalid: 'body must be a string, an ArrayBuffer or a Uint8Array (use json for objects)'};
            }
        }
        if (text !== null && text.length > maxBodyBytes) {
            return tooLarge;
        }
        if (type !== null && headers['content-type'] === undefined) {
            headers['content-type'] = type;
        }
        return {status, headers: stringify(headers), text, bytes};
    };

    /** One request: installs the call's env, runs the handler and settles its result (the host drains the jobs). */
    const run = (handler, requestJson, envJson) => {
        currentEnv = freeze(parse(envJson));
        const request = parse(requestJson);
        request.json = null;
        if (request.body !== '') {
            try {
                request.json = parse(request.body);
            } catch (e) {
                // not JSON: req.json stays null
            }
        }
        const out = {state: 'pending'};
        const settle = (value) => {
            try {
                out.value = normalise(value);
                out.state = 'fulfilled';
            } catch (e) {
                fail(e);
            }
        };
        const fail = (error) => {
            out.state = 'rejected';
            out.error = describe(error);
        };
        try {
            const result = handler(request);
            if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
                call.call(then, resolve(result), settle, fail);
            } else {
                settle(result);
            }
        } catch (e) {
            fail(e);
        }
        return out;
    };
    const end = () => {
        currentEnv = freeze({});
    };
    return freeze({run, end});
})
