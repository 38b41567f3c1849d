// Webhook relay: POST /relay forwards the body to env.RELAY_URL (set it as a secret) and answers the upstream status.
export default {
  routes: {
    "POST /relay": async (req) => {
      if (!env.RELAY_URL) {
        return { status: 500, json: { error: "RELAY_URL is not set: add it to this API's secrets" } };
      }
      try {
        const upstream = await fetch(env.RELAY_URL, {
          method: "POST",
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          body: req.body,
        });
        console.log("relayed", req.body.length, "characters, upstream answered", upstream.status);
        return { status: 200, json: { relayed: true, upstreamStatus: upstream.status, ok: upstream.ok } };
      } catch (e) {
        return { status: 502, json: { relayed: false, error: e.message } };
      }
    },
  },
};
