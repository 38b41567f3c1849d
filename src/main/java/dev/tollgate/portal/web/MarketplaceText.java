package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tollgate.catalog.PlanView;

/** How the marketplace's pages write prices, plans, pricing types and counts for people. */
final class MarketplaceText {

    private static final Map<String, String> PRICING = Map.of("free", "Free", "pay_per_call", "Pay per call",
            "subscription", "Monthly", "per_token", "Per token");

    private MarketplaceText() {
    }

    /** {@code $1.23}; small prices keep their digits ({@code $0.0005}); null for null. */
    static String money(BigDecimal amount) {
        return amount == null ? null : PortalFormat.money(amount, null);
    }

    /** The label of a pricing type ({@code pay_per_call} is "Pay per call"). */
    static String pricing(String type) {
        return PRICING.getOrDefault(type, type);
    }

    static List<String> pricing(List<String> types) {
        return types == null ? List.of() : types.stream().map(MarketplaceText::pricing).toList();
    }

    /** 12,345. */
    static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }

    /** What a plan costs, in words: "Free", "$0.002 per call", "$9.00 a month, 1,000 calls included, then …". */
    static String planPrice(PlanView plan) {
        List<String> parts = new ArrayList<>();
        boolean perCall = plan.pricePerCall() != null && plan.pricePerCall().signum() > 0;
        boolean monthly = plan.monthlyPrice() != null && plan.monthlyPrice().signum() > 0;
        if (monthly) {
            parts.add(money(plan.monthlyPrice()) + " a month");
        }
        if (plan.includedCalls() > 0) {
            parts.add(count(plan.includedCalls()) + " calls included");
        }
        if (perCall) {
            parts.add((parts.isEmpty() ? "" : "then ") + money(plan.pricePerCall()) + " per call");
        }
        return parts.isEmpty() ? "Free" : String.join(", ", parts);
    }

    /** "100 requests a minute · 10,000 calls a month", or "No limits". */
    static String planLimits(PlanView plan) {
        List<String> parts = new ArrayList<>();
        if (plan.rateLimit() != null) {
            parts.add(count(plan.rateLimit().requests()) + " requests a " + plan.rateLimit().period());
        }
        if (plan.monthlyQuota() != null) {
            parts.add(count(plan.monthlyQuota()) + " calls a month");
        }
        return parts.isEmpty() ? "No limits" : String.join(" · ", parts);
    }

    /** Text made safe to put into HTML. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
