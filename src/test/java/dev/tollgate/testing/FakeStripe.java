package dev.tollgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local server speaking the parts of Stripe's API that Tollgate uses (form-encoded requests, Bearer secret key,
 * JSON objects and Stripe's error shape), and webhook payloads signed the way Stripe signs them.
 */
public final class FakeStripe implements AutoCloseable {

    public static final String SECRET_KEY = "sk_test_tollgate_fake";
    public static final String WEBHOOK_SECRET = "whsec_tollgate_fake_secret";

    private final HttpServer server;
    /** Created Checkout Sessions: id → the form parameters Tollgate sent. */
    public final Map<String, Map<String, String>> sessions = new ConcurrentHashMap<>();

    public FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/checkout/sessions", this::createSession);
        server.createContext("/v1/customers", exchange -> create(exchange, "cus", "customer", form -> ""));
        server.createContext("/v1/setup_intents", exchange -> create(exchange, "seti", "setup_intent",
                form -> ",\"status\":\"requires_payment_method\",\"usage\":\"off_session\",\"customer\":\""
                        + form.get("customer") + "\""));
        server.createContext("/v1/payment_intents", this::createPaymentIntent);
        server.createContext("/v1/subscriptions/", this::subscription);
        server.createContext("/v1/invoices", this::listInvoices);
        server.createContext("/v1/accounts", this::accounts);
        server.createContext("/v1/account_links", this::accountLink);
        server.createContext("/v1/transfers", this::transfer);
        // several requests at once: a transfer may hang (timeouts) while others are answered
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-stripe");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void createSession(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> form = form(exchange);
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, form);
        long amount = Long.parseLong(form.getOrDefault("line_items[0][price_data][unit_amount]", "0"))
                * Long.parseLong(form.getOrDefault("line_items[0][quantity]", "1"));
        send(exchange, 200, "{\"id\":\"" + id + "\",\"object\":\"checkout.session\",\"mode\":\""
                + form.get("mode") + "\",\"status\":\"open\",\"payment_status\":\"unpaid\",\"amount_total\":"
                + amount + ",\"currency\":\"" + form.get("line_items[0][price_data][currency]")
                + "\",\"client_reference_id\":\"" + form.get("client_reference_id") + "\",\"metadata\":"
                + "{\"tollgate_user_id\":\"" + form.get("metadata[tollgate_user_id]") + "\"},\"url\":"
                + "\"https://checkout.stripe.com/c/pay/" + id + "\"}");
    }

    /** Created objects of other kinds: id → the form parameters Tollgate sent. */
    public final Map<String, Map<String, String>> objects = new ConcurrentHashMap<>();

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (("Bearer " + SECRET_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        send(exchange, 401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key\"}}");
        return false;
    }

    private void create(HttpExchange exchange, String prefix, String object,
            java.util.function.Function<Map<String, String>, String> extra) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> form = form(exchange);
        send(exchange, 200, idempotently(exchange, () -> {
            String id = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
            objects.put(id, form);
            return "{\"id\":\"" + id + "\",\"object\":\"" + object + "\",\"client_secret\":\"" + id
                    + "_secret_fake\"" + extra.apply(form) + "}";
        }));
    }

    /**
     * Runs with the id of each PaymentIntent created, before Stripe answers its creation (e.g. to deliver its
     * {@code payment_intent.succeeded} webhook first, as Stripe may).
     */
    public volatile java.util.function.Consumer<String> beforePaymentIntentAnswer = id -> {
    };

    private void createPaymentIntent(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> form = form(exchange);
        if ("pm_card_chargeDeclined".equals(form.get("payment_method"))) {
            // as Stripe does: the PaymentIntent exists (requires_payment_method), the error names it, and a
            // payment_intent.payment_failed event follows
            String id = "pi_" + UUID.randomUUID().toString().replace("-", "");
            form.put("declined", "true");
            objects.put(id, form);
            send(exchange, 402, "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                    + "\"decline_code\":\"generic_decline\",\"message\":\"Your card was declined.\","
                    + "\"payment_intent\":{\"id\":\"" + id + "\",\"object\":\"payment_intent\","
                    + "\"status\":\"requires_payment_method\"}}}");
            return;
        }
        boolean[] created = new boolean[1];
        String json = idempotently(exchange, () -> {
            String id = "pi_" + UUID.randomUUID().toString().replace("-", "");
            objects.put(id, form);
            created[0] = true;
            return "{\"id\":\"" + id + "\",\"object\":\"payment_intent\",\"status\":\"succeeded\","
                    + "\"amount\":" + form.get("amount") + ",\"amount_received\":" + form.get("amount")
                    + ",\"currency\":\"" + form.get("currency") + "\",\"customer\":\"" + form.get("customer")
                    + "\",\"metadata\":" + metadataJson(form) + "}";
        });
        if (created[0]) {
            beforePaymentIntentAnswer.accept(JSON.readTree(json).path("id").asText());
        }
        send(exchange, 200, json);
    }

    /** PaymentIntents created for a Stripe customer (declined ones left out). */
    public long paymentIntentsOf(String customer) {
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith("pi_")
                && customer.equals(e.getValue().get("customer")) && !e.getValue().containsKey("declined")).count();
    }

    /** The declined PaymentIntents of a Stripe customer. */
    public List<String> declinedPaymentIntentsOf(String customer) {
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith("pi_")
                && customer.equals(e.getValue().get("customer")) && e.getValue().containsKey("declined"))
                .map(Map.Entry::getKey).toList();
    }

    /**
     * The {@code payment_intent.payment_failed} event of a declined PaymentIntent (status
     * {@code requires_payment_method}, {@code last_payment_error} as Stripe gives it).
     */
    public String paymentFailedEvent(String paymentIntentId) {
        Map<String, String> form = objects.get(paymentIntentId);
        ObjectNode intent = JSON.createObjectNode().put("id", paymentIntentId).put("object", "payment_intent")
                .put("status", "requires_payment_method").put("amount", Long.parseLong(form.get("amount")))
                .put("amount_received", 0).put("currency", form.get("currency")).put("customer", form.get("customer"));
        try {
            intent.set("metadata", JSON.readTree(metadataJson(form)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        intent.putObject("last_payment_error").put("type", "card_error").put("code", "card_declined")
                .put("decline_code", "generic_decline").put("message", "Your card was declined.")
                .put("payment_method", form.get("payment_method"));
        return event("payment_intent.payment_failed", intent);
    }

    /** The {@code checkout.session.async_payment_failed} event of a payment session (a delayed method failed). */
    public String asyncPaymentFailedEvent(String sessionId) {
        Map<String, String> form = sessions.getOrDefault(sessionId, Map.of());
        ObjectNode session = JSON.createObjectNode().put("id", sessionId).put("object", "checkout.session")
                .put("mode", "payment").put("status", "complete").put("payment_status", "unpaid")
                .put("amount_total", Long.parseLong(form.getOrDefault("line_items[0][price_data][unit_amount]", "0")))
                .put("currency", "usd").put("client_reference_id", form.get("client_reference_id"));
        return event("checkout.session.async_payment_failed", session);
    }

    /** The event Stripe sends when a PaymentIntent succeeded (with the customer and metadata Tollgate sent). */
    public String paymentSucceededEvent(String paymentIntentId) {
        Map<String, String> form = objects.get(paymentIntentId);
        return "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
                + "\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"" + paymentIntentId
                + "\",\"object\":\"payment_intent\",\"status\":\"succeeded\",\"amount\":" + form.get("amount")
                + ",\"amount_received\":" + form.get("amount") + ",\"currency\":\"" + form.get("currency")
                + "\",\"customer\":\"" + form.get("customer") + "\",\"metadata\":" + metadataJson(form) + "}}}";
    }

    /** The {@code metadata[...]} parameters of a create request, as Stripe returns them: a JSON object. */
    private static String metadataJson(Map<String, String> form) {
        ObjectNode metadata = JSON.createObjectNode();
        form.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                metadata.put(name.substring("metadata[".length(), name.length() - 1), value);
            }
        });
        return metadata.toString();
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** The event Stripe sends when a Checkout Session has been paid. */
    public String completedEvent(String sessionId, long amountTotal, String paymentStatus) {
        Map<String, String> form = sessions.getOrDefault(sessionId, Map.of());
        return "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
                + "\"type\":\"checkout.session.completed\",\"api_version\":\"2025-09-30.clover\",\"data\":{\"object\":"
                + "{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\",\"mode\":\"payment\","
                + "\"status\":\"complete\",\"payment_status\":\"" + paymentStatus + "\",\"amount_total\":"
                + amountTotal + ",\"currency\":\"usd\",\"client_reference_id\":\""
                + form.get("client_reference_id") + "\"}}}";
    }

    // --- subscriptions and invoices --------------------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MONTH_SECONDS = 30L * 24 * 3600;

    /** Subscriptions: id → Stripe's subscription object as it is now. */
    public final Map<String, ObjectNode> subscriptions = new ConcurrentHashMap<>();
    /** Invoices in creation order. */
    public final List<ObjectNode> invoices = new CopyOnWriteArrayList<>();
    /** Seconds added to the clock of events and objects, to move time forward in tests. */
    public volatile long clockOffsetSeconds;

    public long now() {
        return System.currentTimeMillis() / 1000 + clockOffsetSeconds;
    }

    /**
     * The customer pays a subscription Checkout Session: Stripe creates the customer (unless the session named one),
     * the subscription and its first paid invoice. Returns the subscription id.
     */
    public String completeSubscriptionCheckout(String sessionId) {
        Map<String, String> form = sessions.get(sessionId);
        String customer = form.getOrDefault("customer", "cus_" + UUID.randomUUID().toString().replace("-", ""));
        String id = "sub_" + UUID.randomUUID().toString().replace("-", "");
        long start = now();
        ObjectNode subscription = JSON.createObjectNode().put("id", id).put("object", "subscription")
                .put("customer", customer).put("status", "active").put("cancel_at_period_end", false)
                .putNull("canceled_at").put("created", start);
        subscription.putObject("metadata")
                .put("tollgate_user_id", form.get("subscription_data[metadata][tollgate_user_id]"))
                .put("tollgate_tier", form.get("subscription_data[metadata][tollgate_tier]"));
        ObjectNode item = subscription.putObject("items").put("object", "list").putArray("data").addObject()
                .put("id", "si_" + UUID.randomUUID().toString().replace("-", "")).put("object", "subscription_item")
                .put("current_period_start", start).put("current_period_end", start + MONTH_SECONDS);
        item.putObject("price").put("object", "price")
                .put("unit_amount", Long.parseLong(form.get("line_items[0][price_data][unit_amount]")))
                .put("currency", form.get("line_items[0][price_data][currency]")).putObject("recurring")
                .put("interval", form.get("line_items[0][price_data][recurring][interval]"));
        subscriptions.put(id, subscription);
        form.put("completed_subscription", id);
        form.put("completed_customer", customer);
        invoice(id, "paid");
        return id;
    }

    /** Stripe bills the subscription's next period: a new invoice, paid or failed; returns its id. */
    public String renew(String subscriptionId, boolean paid) {
        ObjectNode subscription = subscriptions.get(subscriptionId);
        ObjectNode item = (ObjectNode) subscription.path("items").path("data").path(0);
        long end = item.path("current_period_end").asLong();
        item.put("current_period_start", end).put("current_period_end", end + MONTH_SECONDS);
        subscription.put("status", paid ? "active" : "past_due");
        return invoice(subscriptionId, paid ? "paid" : "open").path("id").asText();
    }

    private ObjectNode invoice(String subscriptionId, String status) {
        ObjectNode subscription = subscriptions.get(subscriptionId);
        JsonNode price = subscription.path("items").path("data").path(0).path("price");
        long amount = price.path("unit_amount").asLong();
        String id = "in_" + UUID.randomUUID().toString().replace("-", "");
        ObjectNode invoice = JSON.createObjectNode().put("id", id).put("object", "invoice")
                .put("customer", subscription.path("customer").asText()).put("status", status)
                .put("amount_due", amount).put("amount_paid", "paid".equals(status) ? amount : 0)
                .put("currency", price.path("currency").asText()).put("created", now())
                .put("invoice_pdf", "https://pay.stripe.com/invoice/" + id + "/pdf")
                .put("hosted_invoice_url", "https://invoice.stripe.com/i/" + id);
        ObjectNode details = invoice.putObject("parent").put("type", "subscription_details")
                .putObject("subscription_details").put("subscription", subscriptionId);
        details.set("metadata", subscription.path("metadata").deepCopy());
        invoices.add(invoice);
        return invoice;
    }

    /** An event about an object, created now (plus the clock offset). */
    public String event(String type, JsonNode object) {
        return event(type, object, now());
    }

    public String event(String type, JsonNode object, long created) {
        ObjectNode event = JSON.createObjectNode().put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "event").put("type", type).put("api_version", "2025-09-30.clover")
                .put("created", created).put("livemode", false);
        event.putObject("data").set("object", object.deepCopy());
        return event.toString();
    }

    /** The {@code checkout.session.completed} event of a subscription checkout completed above. */
    public String subscriptionCheckoutCompletedEvent(String sessionId) {
        Map<String, String> form = sessions.get(sessionId);
        ObjectNode session = JSON.createObjectNode().put("id", sessionId).put("object", "checkout.session")
                .put("mode", "subscription").put("status", "complete").put("payment_status", "paid")
                .put("customer", form.get("completed_customer")).put("subscription", form.get("completed_subscription"))
                .put("client_reference_id", form.get("client_reference_id"));
        return event("checkout.session.completed", session);
    }

    public ObjectNode latestInvoice(String subscriptionId) {
        for (int i = invoices.size() - 1; i >= 0; i--) {
            if (invoices.get(i).path("parent").path("subscription_details").path("subscription").asText()
                    .equals(subscriptionId)) {
                return invoices.get(i);
            }
        }
        throw new IllegalArgumentException("no invoice for " + subscriptionId);
    }

    private void subscription(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/v1/subscriptions/".length());
        ObjectNode subscription = subscriptions.get(id);
        if (subscription == null) {
            send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\","
                    + "\"message\":\"No such subscription: '" + id + "'\"}}");
            return;
        }
        Map<String, String> form = form(exchange);
        switch (exchange.getRequestMethod()) {
            case "DELETE" -> subscription.put("status", "canceled").put("canceled_at", now())
                    .put("ended_at", now()).put("cancel_at_period_end", false);
            case "POST" -> {
                if ("canceled".equals(subscription.path("status").asText())) {
                    send(exchange, 400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":"
                            + "\"A canceled subscription can only update its cancellation_details and metadata.\"}}");
                    return;
                }
                if (form.containsKey("cancel_at_period_end")) {
                    boolean cancel = Boolean.parseBoolean(form.get("cancel_at_period_end"));
                    subscription.put("cancel_at_period_end", cancel);
                    if (cancel) {
                        subscription.put("canceled_at", now());
                    } else {
                        subscription.putNull("canceled_at");
                    }
                }
            }
            default -> {
            }
        }
        send(exchange, 200, subscription.toString());
    }

    private void listInvoices(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> query = query(exchange);
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        ObjectNode list = JSON.createObjectNode().put("object", "list").put("url", "/v1/invoices");
        ArrayNode data = list.putArray("data");
        for (int i = invoices.size() - 1; i >= 0 && data.size() < limit; i--) {
            if (invoices.get(i).path("customer").asText().equals(query.get("customer"))) {
                data.add(invoices.get(i));
            }
        }
        list.put("has_more", false);
        send(exchange, 200, list.toString());
    }

    // --- Connect ----------------------------------------------------------------------------------------

    /** Connected accounts: id → the account object. */
    public final Map<String, ObjectNode> accounts = new ConcurrentHashMap<>();
    /** Transfers made, in order (an idempotent replay adds none). */
    public final List<ObjectNode> transfers = new CopyOnWriteArrayList<>();
    private final Map<String, String> idempotent = new ConcurrentHashMap<>();

    /** The account holder finished onboarding: Stripe may now pay out to the account. */
    public void enablePayouts(String accountId) {
        accounts.get(accountId).put("details_submitted", true).put("payouts_enabled", true)
                .putObject("capabilities").put("transfers", "active");
    }

    private void accounts(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/v1/accounts/")) {
            ObjectNode account = accounts.get(path.substring("/v1/accounts/".length()));
            if (account == null) {
                send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                        + "\"resource_missing\",\"message\":\"No such account\"}}");
            } else {
                send(exchange, 200, account.toString());
            }
            return;
        }
        Map<String, String> form = form(exchange);
        String json = idempotently(exchange, () -> {
            String id = "acct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            ObjectNode account = JSON.createObjectNode().put("id", id).put("object", "account")
                    .put("type", form.get("type")).put("email", form.get("email")).put("details_submitted", false)
                    .put("payouts_enabled", false).put("charges_enabled", false);
            account.putObject("metadata").put("tollgate_user_id", form.get("metadata[tollgate_user_id]"));
            account.putObject("capabilities").put("transfers", "inactive");
            accounts.put(id, account);
            return account.toString();
        });
        send(exchange, 200, json);
    }

    private void accountLink(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> form = form(exchange);
        if (!accounts.containsKey(form.get("account"))) {
            send(exchange, 400, "{\"error\":{\"type\":\"invalid_request_error\",\"param\":\"account\","
                    + "\"message\":\"No such account\"}}");
            return;
        }
        send(exchange, 200, JSON.createObjectNode().put("object", "account_link").put("created", now())
                .put("expires_at", now() + 300).put("url", "https://connect.stripe.com/setup/e/" + form.get("account")
                        + "/" + UUID.randomUUID())
                .toString());
    }

    private void transfer(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        if ("GET".equals(exchange.getRequestMethod())) {
            // GET /v1/transfers?transfer_group=…: the transfers of a group, newest first
            String group = query(exchange).get("transfer_group");
            ObjectNode list = JSON.createObjectNode().put("object", "list").put("url", "/v1/transfers")
                    .put("has_more", false);
            var data = list.putArray("data");
            for (int i = transfers.size() - 1; i >= 0; i--) {
                if (group == null || group.equals(transfers.get(i).path("transfer_group").asText())) {
                    data.add(transfers.get(i));
                }
            }
            send(exchange, 200, list.toString());
            return;
        }
        Map<String, String> form = form(exchange);
        ObjectNode account = accounts.get(form.get("destination"));
        if (account == null || !account.path("payouts_enabled").asBoolean()) {
            send(exchange, 400, "{\"error\":{\"type\":\"invalid_request_error\",\"param\":\"destination\","
                    + "\"message\":\"Your destination account needs to have at least one of the following "
                    + "capabilities enabled: transfers, crypto_transfers, legacy_payments\"}}");
            return;
        }
        String json = idempotently(exchange, () -> {
            ObjectNode transfer = JSON.createObjectNode()
                    .put("id", "tr_" + UUID.randomUUID().toString().replace("-", "")).put("object", "transfer")
                    .put("amount", Long.parseLong(form.get("amount"))).put("currency", form.get("currency"))
                    .put("destination", form.get("destination")).put("transfer_group", form.get("transfer_group"))
                    .put("created", now());
            transfer.putObject("metadata").put("tollgate_payout_id", form.get("metadata[tollgate_payout_id]"));
            transfers.add(transfer);
            return transfer.toString();
        });
        if (transfersTimeOut) {
            // the transfer happened, but the answer does not come back before the client's read timeout
            try {
                hung.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                send(exchange, 200, json);
            } catch (IOException e) {
                // the client gave up long ago
            }
            return;
        }
        send(exchange, 200, json);
    }

    /** While set, transfers are made but answered only after the client has timed out. */
    private volatile boolean transfersTimeOut;
    private volatile java.util.concurrent.CountDownLatch hung = new java.util.concurrent.CountDownLatch(1);

    /** Transfers are made but their answers hang until {@link #answerTransfers()}. */
    public void timeOutTransfers() {
        hung = new java.util.concurrent.CountDownLatch(1);
        transfersTimeOut = true;
    }

    /** Transfers are answered again (hung answers are sent now). */
    public void answerTransfers() {
        transfersTimeOut = false;
        hung.countDown();
    }

    /** Forgets every idempotency key, as Stripe does with keys older than 24 hours. */
    public void forgetIdempotencyKeys() {
        synchronized (idempotent) {
            idempotent.clear();
        }
    }

    /** Stripe's idempotency: a repeated {@code Idempotency-Key} gets the first answer and changes nothing. */
    private String idempotently(HttpExchange exchange, java.util.function.Supplier<String> create) {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            return create.get();
        }
        synchronized (idempotent) {
            return idempotent.computeIfAbsent(exchange.getRequestURI().getPath() + " " + key, k -> create.get());
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    /** A {@code Stripe-Signature} header: {@code t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload">}. */
    public static String sign(String payload, String secret, long unixTime) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixTime + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixTime + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String payload) {
        return sign(payload, WEBHOOK_SECRET, System.currentTimeMillis() / 1000);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        hung.countDown();
        server.stop(0);
    }
}
