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
        // the reason is not sent to the caller: it may name the target, which the caller need not learn
        console.warn("relay failed:", e.message);
        return { status: 502, json: { relayed: false, error: "The relay target could not be reached" } };
      }
    },
  },
};
