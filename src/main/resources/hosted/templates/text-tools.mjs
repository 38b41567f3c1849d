// Text tools: POST plain text (or {"text": "…"}) to count words, slugify, reverse or change case.
const textOf = (req) => (typeof req.json?.text === "string" ? req.json.text : req.body);

export default {
  routes: {
    "POST /count": (req) => {
      const text = textOf(req);
      const words = text.trim() === "" ? [] : text.trim().split(/\s+/);
      return {
        json: {
          characters: [...text].length,
          words: words.length,
          lines: text === "" ? 0 : text.split(/\r?\n/).length,
          sentences: (text.match(/[^.!?]+[.!?]+/g) ?? []).length,
        },
      };
    },
    "POST /slugify": (req) => ({
      json: {
        slug: textOf(req)
          .normalize("NFKD")
          .replace(/[\u0300-\u036f]/g, "")
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-+|-+$/g, ""),
      },
    }),
    "POST /reverse": (req) => ({ text: [...textOf(req)].reverse().join("") }),
    "POST /case/{mode}": (req) => {
      const text = textOf(req);
      const modes = {
        upper: () => text.toUpperCase(),
        lower: () => text.toLowerCase(),
        title: () => text.toLowerCase().replace(/(^|\s)\S/g, (c) => c.toUpperCase()),
      };
      const mode = modes[req.params.mode];
      return mode ? { text: mode() } : { status: 400, json: { error: "mode is upper, lower or title" } };
    },
  },
};
