package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How every portal page shows money. */
final class PortalFormat {

    private PortalFormat() {
    }

    /**
     * {@code $1.23}, {@code -$4.00}, {@code €2.50}, else {@code 1.23 CHF}; at least two decimals and as many more (up
     * to six, the precision of micros) as the amount has, so a price of a fraction of a cent never shows as
     * {@code $0.00}; a dash for none.
     */
    static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "—";
        }
        BigDecimal abs = amount.abs().stripTrailingZeros();
        abs = abs.setScale(Math.min(6, Math.max(2, abs.scale())), RoundingMode.HALF_UP);
        String sign = amount.signum() < 0 ? "-" : "";
        String code = currency == null ? "usd" : currency.toLowerCase(Locale.ROOT);
        return switch (code) {
            case "usd" -> sign + "$" + abs.toPlainString();
            case "eur" -> sign + "€" + abs.toPlainString();
            case "gbp" -> sign + "£" + abs.toPlainString();
            default -> sign + abs.toPlainString() + " " + code.toUpperCase(Locale.ROOT);
        };
    }
}
