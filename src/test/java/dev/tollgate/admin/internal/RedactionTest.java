package dev.tollgate.admin.internal;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Nested
    class Properties {

        @Test
        void hides_values_whose_names_say_secret() {
            for (String name : new String[]{"tollgate.db.password", "quarkus.datasource.postgres.password",
                    "tollgate.stripe.secret-key", "tollgate.stripe.webhook-secret", "tollgate.encryption-key",
                    "quarkus.mailer.password", "tollgate.integrations.github.client-secret", "tollgate.sentry.dsn",
                    "tollgate.jwt.private-key", "tollgate.slack.bot-token", "tollgate.x.credentials"}) {
                assertThat(Redaction.property(name, "some-value")).as(name).isEqualTo("[redacted]");
            }
        }

        @Test
        void shows_durations_and_switches_about_secrets_and_ordinary_values() {
            assertThat(Redaction.property("tollgate.auth.access-token-ttl", "15M")).isEqualTo("15M");
            assertThat(Redaction.property("tollgate.data-dir", "./data")).isEqualTo("./data");
            assertThat(Redaction.property("quarkus.http.port", "8080")).isEqualTo("8080");
        }

        @Test
        void hides_values_that_look_secret_whatever_the_name() {
            assertThat(Redaction.property("tollgate.notes", "sk_live_51Habcdefghijkl")).isEqualTo("[redacted]");
            assertThat(Redaction.property("tollgate.db.url", "jdbc:postgresql://u:pw@db/tollgate"))
                    .isEqualTo("jdbc:postgresql://[redacted]@db/tollgate");
            assertThat(Redaction.property("tollgate.db.url", "jdbc:postgresql://db:5432/tollgate"))
                    .isEqualTo("jdbc:postgresql://db:5432/tollgate");
        }
    }

    @Nested
    class Text {

        @Test
        void hides_tokens_keys_and_passwords_in_messages() {
            String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4eXoifQ.c2lnbmF0dXJl";
            String text = Redaction.text("Authorization: Bearer " + jwt + " key tg_abcdefghijklmnop whsec_abcdefgh12 "
                    + "sk-ant-api03-abcdefghijkl rk_test_abcdefgh url https://bob:pa55@h.example/p?password=xyz&x=1 "
                    + "{\"api_key\":\"k-123456\"}");
            assertThat(text).doesNotContain(jwt, "tg_abcdefghijklmnop", "whsec_abcdefgh12", "sk-ant-api03", "pa55",
                    "xyz", "k-123456", "rk_test_abcdefgh").contains("https://[redacted]@h.example/p", "&x=1");
        }

        @Test
        void leaves_ordinary_text_alone() {
            String text = "Reloaded the catalog snapshot (version 12) after 3 failures; setting_x starts";
            assertThat(Redaction.text(text)).isEqualTo(text);
        }
    }
}
