package dev.tollgate.billing;

/**
 * The kinds of ledger account. Per-user accounts (wallets, earnings) can never be spent below zero; the platform's
 * own accounts are unconstrained: grants is an expense that runs negative, Stripe clearing mirrors money that came
 * in from outside (negative) or went out to it (positive).
 */
public enum AccountKind {

    /** A consumer's prepaid credits. */
    CONSUMER_WALLET("consumer_wallet", true),
    /** What a provider has earned and not yet been paid out. */
    PROVIDER_EARNINGS("provider_earnings", true),
    /** Earnings a provider asked to be paid out, until the payout is approved or rejected. */
    PAYOUTS_PENDING("provider_payouts_pending", true),
    /** The platform's fees. */
    PLATFORM_REVENUE("platform_revenue", false),
    /** Credits the platform gave away (admin grants). */
    PLATFORM_GRANTS("platform_grants", false),
    /** The other side of money moved through Stripe. */
    STRIPE_CLEARING("stripe_clearing", false);

    private final String id;
    private final boolean perUser;

    AccountKind(String id, boolean perUser) {
        this.id = id;
        this.perUser = perUser;
    }

    /** The name in the database and in JSON. */
    public String id() {
        return id;
    }

    /** Owned by a user, and never below zero. */
    public boolean perUser() {
        return perUser;
    }

    public static AccountKind of(String id) {
        for (AccountKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown account kind " + id);
    }
}
