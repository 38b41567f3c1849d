// Currency formatter: formats amounts with the currency's symbol, decimals and the locale's separators (plain JS).
const CURRENCIES = {
  USD: { symbol: "$", decimals: 2 },
  EUR: { symbol: "€", decimals: 2 },
  GBP: { symbol: "£", decimals: 2 },
  JPY: { symbol: "¥", decimals: 0 },
  CHF: { symbol: "CHF ", decimals: 2 },
  INR: { symbol: "₹", decimals: 2 },
  BTC: { symbol: "₿", decimals: 8 },
};
const STYLES = { en: { group: ",", decimal: "." }, de: { group: ".", decimal: "," }, fr: { group: "\u202f", decimal: "," } };

const format = (amount, currency, style) => {
  const { symbol, decimals } = CURRENCIES[currency];
  const negative = amount < 0;
  const [whole, fraction] = Math.abs(amount).toFixed(decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.group);
  return (negative ? "-" : "") + symbol + grouped + (fraction ? style.decimal + fraction : "");
};

export default {
  routes: {
    "GET /currencies": () => ({ json: Object.keys(CURRENCIES) }),
    "GET /format": (req) => {
      const amount = Number(req.query.amount);
      const currency = (req.query.currency ?? "USD").toUpperCase();
      const locale = req.query.locale ?? "en";
      if (req.query.amount === undefined || !Number.isFinite(amount)) {
        return { status: 400, json: { error: "amount must be a number" } };
      }
      if (!CURRENCIES[currency]) {
        return { status: 400, json: { error: `Unknown currency ${currency}`, currencies: Object.keys(CURRENCIES) } };
      }
      if (!STYLES[locale]) {
        return { status: 400, json: { error: `Unknown locale ${locale}`, locales: Object.keys(STYLES) } };
      }
      return { json: { amount, currency, locale, formatted: format(amount, currency, STYLES[locale]) } };
    },
  },
};
