package dev.tollgate.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.model.Transfer;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.TransferListParams;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.store.StripeStore;
import dev.tollgate.billing.stripe.StripeApi;
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

    private final StripeApi stripe;
    private final StripeStore store;
    private final UserDirectory users;
    private final Ledger ledger;

    StripeConnect(StripeApi stripe, StripeStore store, UserDirectory users, Ledger ledger) {
        this.stripe = stripe;
        this.store = store;
        this.users = users;
        this.ledger = ledger;
    }

    /** Creates the provider's connected account (once) and a link to Stripe's onboarding for it. */
    public Onboarding onboard(UUID providerId, String returnUrl, String refreshUrl) {
        List<FieldError> errors = new ArrayList<>();
        StripeFormats.checkUrl(errors, "return_url", returnUrl);
        StripeFormats.checkUrl(errors, "refresh_url", refreshUrl);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String account = accountOf(providerId).orElse(null);
        if (account == null) {
            String email = users.get(providerId).email();
            Account created = stripe.call("create the payout account", "tollgate-connect-" + providerId,
                    (client, options) -> client.v1().accounts().create(AccountCreateParams.builder()
                            .setType(AccountCreateParams.Type.EXPRESS).setEmail(email)
                            .setCapabilities(AccountCreateParams.Capabilities.builder()
                                    .setTransfers(AccountCreateParams.Capabilities.Transfers.builder()
                                            .setRequested(true).build())
                                    .build())
                            .putMetadata("tollgate_user_id", providerId.toString()).build(), options));
            store.saveConnectAccount(providerId, created.getId());
            account = accountOf(providerId).orElseThrow();
            LOG.infof("Stripe Connect account %s created for provider %s", account, providerId);
        }
        String onboarded = account;
        AccountLink link = stripe.call("start the payout account onboarding", null,
                (client, options) -> client.v1().accountLinks().create(AccountLinkCreateParams.builder()
                        .setAccount(onboarded).setReturnUrl(returnUrl).setRefreshUrl(refreshUrl)
                        .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING).build(), options));
        return new Onboarding(account, link.getUrl());
    }

    /** Whether the provider's connected account can receive transfers, as Stripe says now. */
    public ConnectStatus status(UUID providerId) {
        String account = accountOf(providerId).orElseThrow(() -> ProblemException.notFound("You have no Stripe "
                + "payout account; create one with POST /api/v1/billing/connect."));
        Account a = stripe.call("read the payout account", null,
                (client, options) -> client.v1().accounts().retrieve(account, options));
        return new ConnectStatus(account, Boolean.TRUE.equals(a.getDetailsSubmitted()),
                Boolean.TRUE.equals(a.getPayoutsEnabled()));
    }

    public Optional<String> accountOf(UUID providerId) {
        return store.connectAccountOf(providerId);
    }

    /**
     * Transfers a payout to the connected account. The payout id is the idempotency key, so retrying an interrupted
     * approval never pays twice; and since Stripe forgets idempotency keys after 24 hours, a retry ({@code retry}:
     * the payout was already being transferred) first looks for the transfer by its group and returns it if made.
     *
     * @throws dev.tollgate.billing.stripe.StripeRefused when Stripe did not transfer it
     * @throws dev.tollgate.billing.stripe.StripeOutcomeUnknown when it may have
     */
    String transfer(UUID payoutId, String account, long micros, boolean retry) {
        String group = "payout_" + payoutId;
        if (retry) {
            TransferListParams byGroup = TransferListParams.builder().setTransferGroup(group).build();
            for (Transfer made : stripe.call("look up the payout's transfer", null,
                    (client, options) -> client.v1().transfers().list(byGroup, options)).getData()) {
                if (payoutId.toString().equals(made.getMetadata().get("tollgate_payout_id"))) {
                    LOG.infof("Transfer %s of payout %s was already made", made.getId(), payoutId);
                    return made.getId();
                }
            }
        }
        String currency = ledger.currency();
        long minor = micros / (StripeFormats.microsOfMinor(1, currency));
        TransferCreateParams params = TransferCreateParams.builder().setAmount(minor).setCurrency(currency)
                .setDestination(account).setTransferGroup(group)
                .putMetadata("tollgate_payout_id", payoutId.toString()).build();
        Transfer transfer = stripe.call("transfer the payout", "tollgate-payout-" + payoutId,
                (client, options) -> client.v1().transfers().create(params, options));
        LOG.infof("Transfer %s of payout %s to %s", transfer.getId(), payoutId, account);
        return transfer.getId();
    }
}
