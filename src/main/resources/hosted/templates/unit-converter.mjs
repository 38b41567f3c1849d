// Unit converter: length, weight and temperature. GET /convert?value=10&from=km&to=mi
const FACTORS = {
  length: { m: 1, km: 1000, cm: 0.01, mm: 0.001, mi: 1609.344, yd: 0.9144, ft: 0.3048, in: 0.0254 },
  weight: { kg: 1, g: 0.001, mg: 0.000001, t: 1000, lb: 0.45359237, oz: 0.028349523125 },
};
const TEMPERATURE = {
  c: { toC: (v) => v, fromC: (v) => v },
  f: { toC: (v) => ((v - 32) * 5) / 9, fromC: (v) => (v * 9) / 5 + 32 },
  k: { toC: (v) => v - 273.15, fromC: (v) => v + 273.15 },
};
const round = (v) => Math.round(v * 1e6) / 1e6;

export default {
  routes: {
    "GET /units": () => ({
      json: { length: Object.keys(FACTORS.length), weight: Object.keys(FACTORS.weight), temperature: Object.keys(TEMPERATURE) },
    }),
    "GET /convert": (req) => {
      const value = Number(req.query.value);
      const from = (req.query.from ?? "").toLowerCase();
      const to = (req.query.to ?? "").toLowerCase();
      if (req.query.value === undefined || Number.isNaN(value)) {
        return { status: 400, json: { error: "value must be a number" } };
      }
      if (TEMPERATURE[from] && TEMPERATURE[to]) {
        return { json: { value, from, to, result: round(TEMPERATURE[to].fromC(TEMPERATURE[from].toC(value))), kind: "temperature" } };
      }
      for (const [kind, units] of Object.entries(FACTORS)) {
        if (units[from] !== undefined && units[to] !== undefined) {
          return { json: { value, from, to, result: round((value * units[from]) / units[to]), kind } };
        }
      }
      return { status: 400, json: { error: `Cannot convert ${from || "?"} to ${to || "?"}; see GET /units` } };
    },
  },
};
