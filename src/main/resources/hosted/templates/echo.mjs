// Echo: answers with what it received, to see exactly what reaches a hosted API through the gateway.
export default {
  routes: {
    "ANY /echo": (req) => ({
      json: { method: req.method, path: req.path, query: req.queryAll, headers: req.headers, body: req.body, json: req.json },
    }),
    "ANY /echo/{rest}": (req) => ({
      json: { method: req.method, path: req.path, params: req.params, query: req.queryAll, body: req.body, json: req.json },
    }),
    "GET /status/{code}": (req) => {
      const status = Number(req.params.code);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        return { status: 400, json: { error: "The status must be an integer from 200 to 599" } };
      }
      return { status, json: { status } };
    },
  },
};
