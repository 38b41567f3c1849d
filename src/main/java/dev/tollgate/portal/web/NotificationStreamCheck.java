package dev.tollgate.portal.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.accounts.CurrentUser;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * Admits an upgrade to the portal's notification stream ({@link NotificationStream}) only from a page of this site
 * and a signed-in browser. The {@code Origin} must name the host the request was sent to (else {@code 403}: another
 * site's page opening a WebSocket with the visitor's cookie, cross-site WebSocket hijacking; browsers always send
 * it, other clients must); then the session cookie must be a valid portal sign-in (else {@code 401}). The user's id and
 * the cookie's token are kept for the connection (the token to check the sign-in again at every heartbeat).
 */
@ApplicationScoped
class NotificationStreamCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(NotificationStreamCheck.class);
    static final UserData.TypedKey<String> USER_ID = UserData.TypedKey.forString("tollgate.portal.user-id");
    static final UserData.TypedKey<String> SESSION_TOKEN = UserData.TypedKey.forString("tollgate.portal.session");

    @Override
    public boolean appliesTo(String endpointId) {
        return NotificationStream.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        if (!sameOrigin(request.getHeader("Origin"), request.authority())) {
            LOG.debugf("Portal stream refused: Origin %s is not this site", request.getHeader("Origin"));
            return CheckResult.rejectUpgrade(403);
        }
        Cookie cookie = request.getCookie(CurrentUser.SESSION_COOKIE);
        return context.securityIdentity().onFailure().recoverWithNull().map(identity -> {
            if (identity == null || identity.isAnonymous() || cookie == null) {
                return CheckResult.rejectUpgradeSync(401);
            }
            context.userData().put(USER_ID, identity.getPrincipal().getName());
            context.userData().put(SESSION_TOKEN, cookie.getValue());
            return CheckResult.permitUpgradeSync();
        });
    }

    /**
     * Whether the {@code Origin} (scheme, host and port) names the host and port the request was addressed to. The
     * scheme is not compared with the request's: behind a TLS-terminating proxy the request is plain http.
     */
    static boolean sameOrigin(String origin, HostAndPort authority) {
        if (origin == null || origin.isBlank() || "null".equals(origin)) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
            return false;
        }
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        int originPort = uri.getPort() > 0 ? uri.getPort() : defaultPort;
        if (authority == null || authority.host() == null) {
            return false;
        }
        int port = authority.port() > 0 ? authority.port() : defaultPort;
        return bare(uri.getHost()).equalsIgnoreCase(bare(authority.host())) && originPort == port;
    }

    /** An IPv6 literal without its brackets. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
