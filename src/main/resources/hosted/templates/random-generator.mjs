// Random generator: UUIDs (version 4), integers in a range, passwords and picks from a list.
const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
const count = (req, max) => Math.max(1, Math.min(Number(req.query.count ?? 1) || 1, max));

export default {
  routes: {
    "GET /uuid": (req) => {
      const n = count(req, 100);
      return { json: { count: n, uuids: Array.from({ length: n }, uuid) } };
    },
    "GET /int": (req) => {
      const min = Number(req.query.min ?? 1);
      const max = Number(req.query.max ?? 100);
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
        return { status: 400, json: { error: "min and max are integers with min <= max" } };
      }
      const values = Array.from({ length: count(req, 1000) }, () => min + Math.floor(Math.random() * (max - min + 1)));
      return { json: { min, max, values } };
    },
    "GET /password": (req) => {
      const length = Math.max(8, Math.min(Number(req.query.length ?? 16) || 16, 128));
      const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*-_";
      return { json: { length, password: Array.from({ length }, () => chars[Math.floor(Math.random() * chars.length)]).join("") } };
    },
    "POST /pick": (req) => {
      const items = req.json?.items;
      if (!Array.isArray(items) || items.length === 0) {
        return { status: 400, json: { error: "Send {\"items\": [...]} with at least one item" } };
      }
      return { json: { picked: items[Math.floor(Math.random() * items.length)] } };
    },
  },
};
