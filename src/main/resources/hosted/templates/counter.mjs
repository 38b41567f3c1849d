// Counter: named counters kept in kv. POST /counters/{name}/increment?by=5 adds, GET reads, DELETE resets.
// Not exact under concurrent calls: an increment reads the value, then writes it plus the step, and the kv store has
// no atomic increment, so two increments at the same moment may count once. Fine for rough counts, not for money.
const key = (name) => `counter:${name}`;
const read = (name) => Number(kv.get(key(name)) ?? "0");

export default {
  routes: {
    "GET /counters/{name}": (req) => ({ json: { name: req.params.name, value: read(req.params.name) } }),
    "POST /counters/{name}/increment": (req) => {
      const by = Number(req.query.by ?? 1);
      if (!Number.isSafeInteger(by)) {
        return { status: 400, json: { error: "by must be an integer" } };
      }
      const value = read(req.params.name) + by;
      kv.put(key(req.params.name), String(value));
      return { json: { name: req.params.name, value } };
    },
    "DELETE /counters/{name}": (req) => {
      kv.delete(key(req.params.name));
      return { json: { name: req.params.name, value: 0 } };
    },
  },
};
