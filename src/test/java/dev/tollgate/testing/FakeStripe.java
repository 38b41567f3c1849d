package dev.tollgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
        String id = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        objects.put(id, form);
        send(exchange, 200, "{\"id\":\"" + id + "\",\"object\":\"" + object + "\",\"client_secret\":\"" + id
                + "_secret_fake\"" + extra.apply(form) + "}");
    }

    private void createPaymentIntent(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        Map<String, String> form = form(exchange);
        if ("pm_card_chargeDeclined".equals(form.get("payment_method"))) {
            send(exchange, 402, "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                    + "\"decline_code\":\"generic_decline\",\"message\":\"Your card was declined.\"}}");
            return;
        }
        String id = "pi_" + UUID.randomUUID().toString().replace("-", "");
        objects.put(id, form);
        send(exchange, 200, "{\"id\":\"" + id + "\",\"object\":\"payment_intent\",\"status\":\"succeeded\","
                + "\"amount\":" + form.get("amount") + ",\"amount_received\":" + form.get("amount")
                + ",\"currency\":\"" + form.get("currency") + "\",\"customer\":\"" + form.get("customer") + "\"}");
    }

    /** The event Stripe sends when a PaymentIntent succeeded. */
    public String paymentSucceededEvent(String paymentIntentId) {
        Map<String, String> form = objects.get(paymentIntentId);
        return "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
                + "\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"" + paymentIntentId
                + "\",\"object\":\"payment_intent\",\"status\":\"succeeded\",\"amount_received\":"
                + form.get("amount") + ",\"currency\":\"" + form.get("currency") + "\"}}}";
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
        server.stop(0);
    }
}
