// URL shortener: POST {"url": "https://…"} for a short code; GET /{code} redirects; GET /{code}/stats counts visits.
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const newCode = () => Array.from({ length: 7 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join("");

export default {
  routes: {
    "POST /links": (req) => {
      const url = req.json?.url;
      if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/.test(url)) {
        return { status: 400, json: { error: "Send {\"url\": \"https://…\"}" } };
      }
      let code = req.json.code;
      if (code !== undefined && !/^[A-Za-z0-9_-]{3,32}$/.test(code)) {
        return { status: 400, json: { error: "A custom code has 3 to 32 letters, digits, - or _" } };
      }
      code = code ?? newCode();
      if (kv.get(`link:${code}`) !== null) {
        return { status: 409, json: { error: `The code ${code} is taken` } };
      }
      kv.putJson(`link:${code}`, { url, visits: 0, created: new Date().toISOString() });
      return { status: 201, json: { code, url } };
    },
    "GET /links/{code}": (req) => {
      const link = kv.getJson(`link:${req.params.code}`);
      if (link === null) {
        return { status: 404, json: { error: `No link ${req.params.code}` } };
      }
      kv.putJson(`link:${req.params.code}`, { ...link, visits: link.visits + 1 });
      return { status: 302, headers: { location: link.url } };
    },
    "GET /links/{code}/stats": (req) => {
      const link = kv.getJson(`link:${req.params.code}`);
      return link === null
        ? { status: 404, json: { error: `No link ${req.params.code}` } }
        : { json: { code: req.params.code, ...link } };
    },
  },
};
