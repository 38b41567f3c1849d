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
    /** The largest request body this call may send, in bytes. */
    long maxRequestBodyBytes;

    /** One counter unit this call took: given back when the call is refused later on. */
    private record Taken(FixedWindowCounters counters, Object key, long windowStart) {
    }

    /** Counter units taken so far (rate limit, tier cap, quota, included calls); null until the first. */
    private List<Taken> taken;

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

    /** Notes that this call took a unit of a counter's window, to be given back if the call is refused later. */
    void took(FixedWindowCounters counters, Object key, long windowStart) {
        if (taken == null) {
            taken = new ArrayList<>(4);
        }
        taken.add(new Taken(counters, key, windowStart));
    }

    /**
     * Gives back every counter unit this call took: a call refused (402, 429, 413, ...) or abandoned before it went
     * upstream uses up no limit. Idempotent.
     */
    void giveBack() {
        if (taken == null) {
            return;
        }
        for (Taken unit : taken) {
            unit.counters().release(unit.key(), unit.windowStart());
        }
        taken = null;
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
