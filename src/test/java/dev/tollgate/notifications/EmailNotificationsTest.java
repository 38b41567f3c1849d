package dev.tollgate.notifications;

import java.util.Map;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.MailProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** E-mail through a local SMTP server (GreenMail), as plain text and HTML, only where the user's preferences say. */
@QuarkusTest
@TestProfile(MailProfile.class)
class EmailNotificationsTest {

    @Test
    void notifications_are_emailed_as_text_and_html_unless_the_user_turned_email_off_or_sent_them() throws Exception {
        Api.User user = Api.registerConsumer();
        user.as().get("/api/v1/notify/preferences").then().statusCode(200).body("email_available", equalTo(true));
        user.as().body(Map.of("broadcast", Map.of("email", false))).put("/api/v1/notify/preferences").then()
                .statusCode(200);
        int before = MailProfile.smtp.getReceivedMessages().length;

        Api.admin().as().body(Map.of("title", "Not by e-mail", "message", "m", "notification_type", "broadcast",
                "user_id", user.id())).post("/api/v1/notify/send").then().statusCode(201);
        // what users send themselves is never e-mailed (the server would mail any text to any address signed up)
        user.as().body(Map.of("title", "Self-sent", "message", "m")).post("/api/v1/notify/send").then()
                .statusCode(201);
        Api.admin().as().body(Map.of("title", "Your <report> is ready", "message", "Line one\nLine two",
                "notification_type", "info", "action_url", "/api/v1/analytics/usage", "user_id", user.id()))
                .post("/api/v1/notify/send").then().statusCode(201);

        assertThat(MailProfile.smtp.waitForIncomingEmail(10_000, before + 1)).isTrue();
        Thread.sleep(500);
        MimeMessage[] all = MailProfile.smtp.getReceivedMessages();
        assertThat(all).hasSize(before + 1);
        MimeMessage mail = all[before];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(user.email());
        assertThat(mail.getSubject()).isEqualTo("Your <report> is ready"); // not "Not by e-mail", not "Self-sent"
        assertThat(mail.getFrom()[0].toString()).contains("no-reply@tollgate.test");

        Multipart parts = (Multipart) mail.getContent(); // multipart/alternative: text, then HTML
        String text = null;
        String html = null;
        for (int i = 0; i < parts.getCount(); i++) {
            var part = parts.getBodyPart(i);
            if (part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            } else if (part.isMimeType("text/html")) {
                html = (String) part.getContent();
            }
        }
        assertThat(text).contains("Hello " + user.username()).contains("Line one").contains("Line two")
                .contains("Open it: https://tollgate.test/api/v1/analytics/usage");
        assertThat(html).contains("<h1").contains("Your &lt;report&gt; is ready")
                .contains("href=\"https://tollgate.test/api/v1/analytics/usage\"");
    }

    @Test
    void links_in_e_mails_only_lead_into_tollgate() throws Exception {
        Api.User user = Api.registerConsumer();
        int before = MailProfile.smtp.getReceivedMessages().length;
        Api.admin().as().body(Map.of("title", "Outside link", "message", "m", "action_url",
                "https://evil.example/login", "user_id", user.id())).post("/api/v1/notify/send").then()
                .statusCode(201);
        assertThat(MailProfile.smtp.waitForIncomingEmail(10_000, before + 1)).isTrue();
        MimeMessage mail = MailProfile.smtp.getReceivedMessages()[before];
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            assertThat((String) parts.getBodyPart(i).getContent()).doesNotContain("evil.example");
        }
    }
}
