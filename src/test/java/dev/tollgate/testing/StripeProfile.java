package dev.tollgate.testing;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profile: Stripe configured against {@link FakeStripe}. */
public class StripeProfile implements QuarkusTestProfile {

    /** The fake of the running profile. */
    public static volatile FakeStripe stripe;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                stripe = new FakeStripe();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // a short read timeout, so that tests of answers that never come are quick
            return Map.of("stripe.api-base", stripe.baseUrl(), "stripe.secret-key", FakeStripe.SECRET_KEY,
                    "stripe.webhook-secret", FakeStripe.WEBHOOK_SECRET, "tollgate.stripe.read-timeout", "1s",
                    "tollgate.stripe.max-network-retries", "1");
        }

        @Override
        public void stop() {
            if (stripe != null) {
                stripe.close();
            }
        }
    }
}
