// Hello world: the smallest hosted API. GET /hello?name=Ada greets by name.
export default {
  routes: {
    "GET /hello": (req) => ({ json: { message: `Hello, ${req.query.name ?? "world"}!` } }),
    "GET /hello/{name}": (req) => ({ json: { message: `Hello, ${req.params.name}!` } }),
  },
};
