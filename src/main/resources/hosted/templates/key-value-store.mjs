// Key/value store: a tiny JSON document store over kv. PUT a JSON body under a key, GET it back, list and delete.
const PREFIX = "doc:";

export default {
  routes: {
    "GET /items": (req) => {
      const limit = Math.min(Number(req.query.limit ?? 100), 1000);
      const keys = kv.list(PREFIX + (req.query.prefix ?? ""), limit).map((key) => key.slice(PREFIX.length));
      return { json: { keys } };
    },
    "GET /items/{key}": (req) => {
      const value = kv.getJson(PREFIX + req.params.key);
      return value === null
        ? { status: 404, json: { error: `No item ${req.params.key}` } }
        : { json: { key: req.params.key, value } };
    },
    "PUT /items/{key}": (req) => {
      if (req.json === null) {
        return { status: 400, json: { error: "Send a JSON body" } };
      }
      const created = kv.get(PREFIX + req.params.key) === null;
      kv.putJson(PREFIX + req.params.key, req.json);
      return { status: created ? 201 : 200, json: { key: req.params.key, value: req.json } };
    },
    "DELETE /items/{key}": (req) =>
      kv.delete(PREFIX + req.params.key)
        ? { status: 204 }
        : { status: 404, json: { error: `No item ${req.params.key}` } },
  },
};
