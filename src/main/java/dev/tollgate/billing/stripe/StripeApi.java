package dev.tollgate.billing.stripe;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;

import dev.tollgate.platform.ProblemException;

/**
 * The one way Tollgate talks to Stripe. It owns the {@link StripeClient} (API key and base from {@code STRIPE_*};
 * connect and read timeouts and network retries from {@link StripeConfig}), sends each request with its idempotency
 * key, verifies webhook signatures, and turns Stripe's errors into ours:
 * <ul>
 * <li>a definite refusal (Stripe answered 4xx other than 409 and 429: nothing happened there) is a
 * {@link StripeRefused}: {@code 402} for a declined card, {@code 409} for an idempotency key used with another
 * request, else {@code 502};</li>
 * <li>anything after which the request may have happened (timeouts, connection errors, 5xx, and 409/429 once the
 * retries are spent) is a {@link StripeOutcomeUnknown} ({@code 504}).</li>
 * </ul>
 * The client sees our wording only; Stripe's message and request id are logged here, once. Thread-safe.
 */
@ApplicationScoped
public class StripeApi {

    private static final Logger LOG = Logger.getLogger(StripeApi.class);

    /** One request to Stripe, sent with the options (idempotency key) the adapter gives. */
    @FunctionalInterface
    public interface Request<T> {
        T send(StripeClient client, RequestOptions options) throws StripeException;
    }

    private final Optional<String> secretKey;
    private final Optional<String> webhookSecret;
    private final String apiBase;
    private final StripeConfig config;
    private volatile StripeClient client;

    StripeApi(@ConfigProperty(name = "stripe.secret-key") Optional<String> secretKey,
            @ConfigProperty(name = "stripe.webhook-secret") Optional<String> webhookSecret,
            @ConfigProperty(name = "stripe.api-base", defaultValue = "https://api.stripe.com") String apiBase,
            StripeConfig config) {
        this.secretKey = secretKey.filter(s -> !s.isBlank());
        this.webhookSecret = webhookSecret.filter(s -> !s.isBlank());
        this.apiBase = apiBase;
        this.config = config;
    }

    /** Throws the 503 problem saying payments are not configured, unless they are. */
    public void requireConfigured() {
        client();
    }

    /**
     * Sends one request.
     *
     * @param what what the request does, completing "Stripe refused to …" (e.g. {@code "transfer the payout"})
     * @param idempotencyKey Stripe's idempotency key, so that repeating the request never does it twice; null for
     *            requests that change nothing or may be repeated (the SDK still keys its own retries)
     * @throws StripeRefused when Stripe definitely did not do it
     * @throws StripeOutcomeUnknown when it may have done it
     * @throws ProblemException 503 when payments are not configured
     */
    public <T> T call(String what, String idempotencyKey, Request<T> request) {
        StripeClient stripe = client();
        RequestOptions.RequestOptionsBuilder options = RequestOptions.builder();
        if (idempotencyKey != null) {
            options.setIdempotencyKey(idempotencyKey);
        }
        try {
            return request.send(stripe, options.build());
        } catch (StripeException e) {
            throw map(what, e);
        }
    }

    /**
     * Checks a webhook delivery's {@code Stripe-Signature} (HMAC-SHA256 with the webhook secret, 5-minute tolerance).
     *
     * @throws ProblemException 400 when it is missing or does not match, 503 when payments are not configured
     */
    public void verifyWebhook(String payload, String signature) {
        String secret = webhookSecret.orElseThrow(StripeApi::notConfigured);
        if (signature == null || signature.isBlank()) {
            throw ProblemException.badRequest("The Stripe-Signature header is missing.");
        }
        try {
            Webhook.Signature.verifyHeader(payload, signature, secret, Webhook.DEFAULT_TOLERANCE);
        } catch (SignatureVerificationException e) {
            LOG.warnf("Rejected a webhook with a bad signature: %s", e.getMessage());
            throw ProblemException.badRequest("The Stripe-Signature does not match this payload.");
        }
    }

    private StripeClient client() {
        String key = secretKey.orElseThrow(StripeApi::notConfigured);
        StripeClient c = client;
        if (c == null) {
            c = StripeClient.builder().setApiKey(key).setApiBase(apiBase)
                    .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                    .setReadTimeout(Math.toIntExact(config.readTimeout().toMillis()))
                    .setMaxNetworkRetries(config.maxNetworkRetries()).build();
            client = c;
        }
        return c;
    }

    private static ProblemException map(String what, StripeException e) {
        Integer status = e.getStatusCode();
        String code = e.getCode();
        if (e instanceof ApiConnectionException || status == null || status >= 500 || status == 409
                || status == 429) {
            LOG.errorf("Stripe did not confirm that it could %s (status %s, request %s): %s", what, status,
                    e.getRequestId(), e.getMessage());
            return new StripeOutcomeUnknown("Stripe did not confirm in time that it could " + what
                    + ": the outcome is unknown. Send the same request again to finish it; it will not be done twice.");
        }
        LOG.warnf("Stripe refused to %s (status %s, code %s, request %s): %s", what, status, code, e.getRequestId(),
                e.getMessage());
        if (e instanceof CardException card) {
            String reason = card.getDeclineCode() != null ? card.getDeclineCode() : code;
            return new StripeRefused(402, "Payment Required", "The card was declined"
                    + (reason == null ? "" : " (" + reason + ")") + ".", code);
        }
        if (e instanceof IdempotencyException) {
            return new StripeRefused(409, "Conflict", "This idempotency key was already used for a different "
                    + "request; use a new one.", code);
        }
        return new StripeRefused(502, "Bad Gateway", "Stripe refused to " + what + (code == null
                ? ""
                : " (" + code + ")") + ".", code);
    }

    private static ProblemException notConfigured() {
        return new ProblemException(503, "Service Unavailable", "Payments are not configured on this Tollgate: "
                + "set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.");
    }
}
