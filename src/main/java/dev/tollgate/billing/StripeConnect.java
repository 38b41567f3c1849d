package dev.tollgate.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.stripe.exception.StripeException;
import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.model.Transfer;
import com.stripe.net.RequestOptions;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.TransferCreateParams;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.store.StripeStore;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * Providers' Stripe Connect (Express) accounts: onboarding links, their status, and the transfers that pay approved
 * payouts into them.
 */
@ApplicationScoped
public class StripeConnect {

    private static final Logger LOG = Logger.getLogger(StripeConnect.class);

    public record Onboarding(String accountId, String url) {
    }

    public record ConnectStatus(String accountId, boolean detailsSubmitted, boolean payoutsEnabled) {
    }

    private final StripeAccess stripe;
    private final StripeStore store;
    private final UserDirectory users;
    private final Ledger ledger;

    StripeConnect(StripeAccess stripe, StripeStore store, UserDirectory users, Ledger ledger) {
        this.stripe = stripe;
        this.store = store;
        this.users = users;
        this.ledger = ledger;
    }

    /** Creates the provider's connected account (once) and a link to Stripe's onboarding for it. */
    public Onboarding onboard(UUID providerId, String returnUrl, String refreshUrl) {
        List<FieldError> errors = new ArrayList<>();
        StripeAccess.checkUrl(errors, "return_url", returnUrl);
        StripeAccess.checkUrl(errors, "refresh_url", refreshUrl);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String account = accountOf(providerId).orElse(null);
        try {
            if (account == null) {
                Account created = stripe.client().v1().accounts().create(AccountCreateParams.builder()
                        .setType(AccountCreateParams.Type.EXPRESS).setEmail(users.get(providerId).email())
                        .setCapabilities(AccountCreateParams.Capabilities.builder()
                                .setTransfers(AccountCreateParams.Capabilities.Transfers.builder().setRequested(true)
                                        .build())
                                .build())
                        .putMetadata("tollgate_user_id", providerId.toString()).build(),
                        RequestOptions.builder().setIdempotencyKey("tollgate-connect-" + providerId).build());
                store.update("insert into stripe_connect_accounts (user_id, account_id, created_at) select ?, ?, ?"
                        + " where not exists (select 1 from stripe_connect_accounts where user_id = ?)", providerId,
                        created.getId(), java.time.Instant.now(), providerId);
                account = accountOf(providerId).orElseThrow();
                LOG.infof("Stripe Connect account %s created for provider %s", account, providerId);
            }
            AccountLink link = stripe.client().v1().accountLinks().create(AccountLinkCreateParams.builder()
                    .setAccount(account).setReturnUrl(returnUrl).setRefreshUrl(refreshUrl)
                    .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING).build());
            return new Onboarding(account, link.getUrl());
        } catch (StripeException e) {
            throw StripeAccess.refused("start the payout account onboarding", e);
        }
    }

    /** Whether the provider's connected account can receive transfers, as Stripe says now. */
    public ConnectStatus status(UUID providerId) {
        String account = accountOf(providerId).orElseThrow(() -> ProblemException.notFound("You have no Stripe "
                + "payout account; create one with POST /api/v1/billing/connect."));
        try {
            Account a = stripe.client().v1().accounts().retrieve(account);
            return new ConnectStatus(account, Boolean.TRUE.equals(a.getDetailsSubmitted()),
                    Boolean.TRUE.equals(a.getPayoutsEnabled()));
        } catch (StripeException e) {
            throw StripeAccess.refused("read the payout account", e);
        }
    }

    public Optional<String> accountOf(UUID providerId) {
        return store.one("select account_id from stripe_connect_accounts where user_id = ?", String.class,
                providerId);
    }

    /**
     * Transfers a payout to the connected account. The payout id is the idempotency key, so retrying an interrupted
     * approval never pays twice.
     */
    String transfer(UUID payoutId, String account, long micros) throws StripeException {
        String currency = ledger.currency();
        long minor = micros / (StripeAccess.microsOfMinor(1, currency));
        Transfer transfer = stripe.client().v1().transfers().create(TransferCreateParams.builder().setAmount(minor)
                .setCurrency(currency).setDestination(account).setTransferGroup("payout_" + payoutId)
                .putMetadata("tollgate_payout_id", payoutId.toString()).build(),
                RequestOptions.builder().setIdempotencyKey("tollgate-payout-" + payoutId).build());
        LOG.infof("Transfer %s of payout %s to %s", transfer.getId(), payoutId, account);
        return transfer.getId();
    }
}
