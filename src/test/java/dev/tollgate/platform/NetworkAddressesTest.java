package dev.tollgate.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.5.5.5", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "192.0.0.8", "224.0.0.1",
            "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
            "::ffff:10.0.0.1", "::ffff:127.0.0.1"})
    void internal(String address) throws UnknownHostException {
        assertThat(NetworkAddresses.isInternal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "192.0.1.1", "11.0.0.1",
            "2606:4700::1111", "::ffff:8.8.8.8"})
    void public_(String address) throws UnknownHostException {
        assertThat(NetworkAddresses.isInternal(InetAddress.getByName(address))).isFalse();
    }
}
