package dev.tollgate.gateway;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import dev.tollgate.platform.NetworkAddresses;

/** Where an API's calls go: parsed once from its {@code base_url} when the snapshot is built. */
public record Upstream(String host, int port, boolean ssl, String basePath) {

    /**
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host
     */
    public static Upstream parse(String baseUrl) {
        URI uri = URI.create(baseUrl.trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("must name a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not have a query, fragment or user info");
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Upstream(host, port, ssl, path);
    }

    /**
     * Why {@code baseUrl} cannot be an upstream, or null: not an absolute http(s) URL with a host, longer than 2000
     * characters, or (unless {@code allowPrivate}) a host that resolves to an internal address (see
     * {@link NetworkAddresses}). Names that do not resolve yet are accepted: the gateway checks again at every
     * connect. Resolves names, so it is for the control plane only.
     */
    public static String problemWith(String baseUrl, boolean allowPrivate) {
        if (baseUrl.length() > 2000) {
            return "must be at most 2000 characters";
        }
        Upstream upstream;
        try {
            upstream = parse(baseUrl);
        } catch (IllegalArgumentException e) {
            return e.getMessage() == null || e.getMessage().contains("Illegal character")
                    ? "is not a valid URL"
                    : e.getMessage();
        }
        if (allowPrivate) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(upstream.host())) {
                if (NetworkAddresses.isInternal(address)) {
                    return "points at an internal address (" + address.getHostAddress()
                            + "); upstreams must be public unless TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true";
                }
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
