package dev.tollgate.gateway.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.PlanRule;

/**
 * One gateway call as the processors see it: what was asked, the snapshots read once at its start, and what each
 * processor found. Free of Vert.x so processors can be tested without sockets. Confined to one event-loop thread.
 */
final class CallContext {

    final String slug;
    final UnaryOperator<String> requestHeader;
    final long nowMillis;
    final GatewayState.Catalog catalog;
    final GatewayState.Keys keys;
    final GatewayState.Accounts accounts;

    ApiRoute api;
    ApiKeyRule key;
    /** The request header that carried the key, stripped before the call goes upstream. */
    String keyHeader;
    /** Null for an account on the default tier. */
    AccountRule account;
    ApiRoute.Subscription subscription;
    PlanRule plan;
    /** What this call costs the consumer, in micros; 0 = nothing to charge. */
    long priceMicros;

    /** Headers for the response, whatever it turns out to be: name, value, name, value, ... */
    final List<String> responseHeaders = new ArrayList<>(16);

    CallContext(String slug, UnaryOperator<String> requestHeader, long nowMillis, GatewayState state) {
        this.slug = slug;
        this.requestHeader = requestHeader;
        this.nowMillis = nowMillis;
        this.catalog = state.catalog();
        this.keys = state.keys();
        this.accounts = state.accounts();
    }

    void addResponseHeader(String name, String value) {
        responseHeaders.add(name);
        responseHeaders.add(value);
    }

    /** The value of a response header added so far, or null. */
    String responseHeader(String name) {
        for (int i = 0; i < responseHeaders.size(); i += 2) {
            if (responseHeaders.get(i).equalsIgnoreCase(name)) {
                return responseHeaders.get(i + 1);
            }
        }
        return null;
    }
}
