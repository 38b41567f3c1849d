package dev.tollgate.gateway;

import java.util.UUID;
import java.util.function.Consumer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Charging of pay-per-call plans, implemented by billing. Called on event loops: never blocks. A call's price is
 * reserved before it goes upstream and then either settled (charged) or released.
 */
public interface CallCharging {

    /** Why a reservation was refused. */
    enum Refusal {
        /** The wallet does not cover the price. */
        NOT_ENOUGH_CREDIT,
        /** The wallet could not be read (database down). */
        UNAVAILABLE
    }

    /**
     * Reserves {@code micros} of the consumer's credit. {@code done} gets {@code null} on success, else the refusal;
     * it runs at once when the node already holds enough credit, otherwise later on another thread.
     */
    void reserve(UUID consumerId, long micros, Consumer<Refusal> done);

    /**
     * {@link #reserve} for a call on {@code eventLoop}: {@code done} runs on it — at once when the credit is there,
     * else through the loop's task queue.
     */
    default void reserve(UUID consumerId, long micros, Context eventLoop, Consumer<Refusal> done) {
        reserve(consumerId, micros, refusal -> {
            if (Vertx.currentContext() == eventLoop) {
                done.accept(refusal);
            } else {
                eventLoop.runOnContext(ignored -> done.accept(refusal));
            }
        });
    }

    /** Gives back a reservation for a call that is not charged. */
    void release(UUID consumerId, long micros);

    /** Charges a reserved call: the consumer pays, the provider earns the price less the platform fee. */
    void settle(Charge charge);

    /**
     * Charges a call for which {@code reservedMicros} were reserved and which costs {@code charge.micros()}, at most
     * that (an AI call reserves its worst case and costs what its tokens cost); the rest of the reservation is given
     * back.
     */
    void settle(Charge charge, long reservedMicros);

    /**
     * A charged call; {@code callId} is unique per call and makes the charge happen at most once. {@code providerId}
     * null means the platform itself sells the call (AI models): all of it is platform revenue. {@code tokens} is
     * set for AI calls and is shown with the charge.
     */
    record Charge(String callId, String requestId, UUID consumerId, UUID providerId, UUID apiId, UUID planId,
            long micros, Tokens tokens) {

        public Charge(String callId, String requestId, UUID consumerId, UUID providerId, UUID apiId, UUID planId,
                long micros) {
            this(callId, requestId, consumerId, providerId, apiId, planId, micros, null);
        }
    }

    /** What an AI call used: the model's public name and its tokens (input includes cached input). */
    record Tokens(String model, long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {
    }
}
