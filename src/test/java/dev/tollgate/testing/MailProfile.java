package dev.tollgate.testing;

import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profile: e-mail on, through a local GreenMail SMTP server. */
public class MailProfile implements QuarkusTestProfile {

    /** The SMTP server of the running profile. */
    public static volatile GreenMail smtp;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            smtp.start();
            return Map.of("tollgate.smtp.host", "127.0.0.1", "tollgate.smtp.public-url", "https://tollgate.test",
                    "quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port",
                    String.valueOf(smtp.getSmtp().getPort()), "quarkus.mailer.start-tls", "DISABLED",
                    "quarkus.mailer.from", "Tollgate <no-reply@tollgate.test>");
        }

        @Override
        public void stop() {
            if (smtp != null) {
                smtp.stop();
            }
        }
    }
}
