// JSON transformer: POST a JSON object (or an array of them) with ?pick=a,b.c&rename=a:alpha to keep and rename fields.
const get = (obj, path) => path.split(".").reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);

const transform = (item, pick, renames) => {
  const out = {};
  const fields = pick.length > 0 ? pick : Object.keys(item);
  for (const field of fields) {
    const value = get(item, field);
    if (value !== undefined) {
      out[renames[field] ?? field] = value;
    }
  }
  return out;
};

export default {
  routes: {
    "POST /transform": (req) => {
      if (req.json === null || typeof req.json !== "object") {
        return { status: 400, json: { error: "Send a JSON object or an array of objects" } };
      }
      const pick = (req.query.pick ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const renames = Object.fromEntries(
        (req.query.rename ?? "").split(",").filter((s) => s.includes(":")).map((s) => s.split(":").map((p) => p.trim())),
      );
      const result = Array.isArray(req.json)
        ? req.json.map((item) => transform(item ?? {}, pick, renames))
        : transform(req.json, pick, renames);
      return { json: result };
    },
  },
};
