package dev.tollgate.billing.internal;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.billing.AccountKind;
import dev.tollgate.billing.BillingConfig;
import dev.tollgate.billing.Ledger;
import dev.tollgate.catalog.SubscriptionBilling;

/** A period of a subscription plan: the consumer pays the monthly price, the provider earns it less the fee. */
@ApplicationScoped
class SubscriptionCharges implements SubscriptionBilling {

    private final Ledger ledger;
    private final BillingConfig config;

    SubscriptionCharges(Ledger ledger, BillingConfig config) {
        this.ledger = ledger;
        this.config = config;
    }

    @Override
    public void chargePeriod(UUID subscriptionId, int period, UUID consumerId, UUID providerId, UUID apiId,
            long micros) {
        long fee = micros * Math.max(0, Math.min(100, config.platformFeePercent())) / 100;
        List<Ledger.Leg> legs = fee > 0
                ? List.of(new Ledger.Leg(AccountKind.CONSUMER_WALLET, consumerId, -micros),
                        new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, providerId, micros - fee),
                        new Ledger.Leg(AccountKind.PLATFORM_REVENUE, null, fee))
                : List.of(new Ledger.Leg(AccountKind.CONSUMER_WALLET, consumerId, -micros),
                        new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, providerId, micros));
        ledger.postJoining("subscription", "subscription:" + subscriptionId + ":" + period, "Subscription "
                + subscriptionId + ", period " + period + " (API " + apiId + ")", consumerId, apiId, legs);
    }
}
