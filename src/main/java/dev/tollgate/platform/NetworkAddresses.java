package dev.tollgate.platform;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses an upstream may not have unless private upstreams are allowed: loopback, private (RFC 1918,
 * unique-local fc00::/7), link-local, carrier-grade NAT (100.64.0.0/10), "this network" and multicast. Checked when an
 * API is registered and again when the gateway connects, so a DNS name that later resolves inwards is refused too.
 */
public final class NetworkAddresses {

    private NetworkAddresses() {
    }

    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            if (isIpv4Mapped(bytes)) {
                byte[] v4 = new byte[]{bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return isInternal(InetAddress.getByAddress(v4));
                } catch (java.net.UnknownHostException e) {
                    return true;
                }
            }
            return (bytes[0] & 0xfe) == 0xfc;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) || (first == 192 && second == 0
                && (bytes[2] & 0xff) == 0) || first >= 240;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
