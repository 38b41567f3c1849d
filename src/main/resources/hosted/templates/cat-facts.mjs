// Cat facts: static data served by id, at random, or searched.
const FACTS = [
  "Cats sleep for around 13 to 16 hours a day.",
  "A group of cats is called a clowder.",
  "Cats have five toes on their front paws but only four on the back ones.",
  "A cat's nose print is unique, much like a human fingerprint.",
  "Cats can rotate their ears 180 degrees.",
  "The oldest known pet cat was found in a 9,500-year-old grave on Cyprus.",
  "Cats walk like camels and giraffes: both right feet, then both left feet.",
  "A cat's purr vibrates at a frequency of 25 to 150 hertz.",
].map((fact, i) => ({ id: i + 1, fact }));

export default {
  routes: {
    "GET /facts": (req) => {
      const q = (req.query.q ?? "").toLowerCase();
      const facts = FACTS.filter((f) => f.fact.toLowerCase().includes(q));
      return { json: { count: facts.length, facts } };
    },
    "GET /facts/random": () => ({ json: FACTS[Math.floor(Math.random() * FACTS.length)] }),
    "GET /facts/{id}": (req) => {
      const fact = FACTS.find((f) => String(f.id) === req.params.id);
      return fact ? { json: fact } : { status: 404, json: { error: `No fact ${req.params.id}`, ids: `1-${FACTS.length}` } };
    },
  },
};
