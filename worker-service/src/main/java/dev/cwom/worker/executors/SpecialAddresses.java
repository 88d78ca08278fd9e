package dev.cwom.worker.executors;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * Addresses the http executor does not call unless an allowed host names them exactly: they reach the worker itself,
 * its private network or a cloud's metadata endpoint ({@code 169.254.169.254}, {@code fd00:ec2::254},
 * {@code 100.100.100.200}) rather than an agent on the internet.
 */
final class SpecialAddresses {

    private SpecialAddresses() {
    }

    /** Why {@code address} is special ("link-local (169.254.0.0/16, fe80::/10)"), or null for a public address. */
    static @Nullable String kind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback (127.0.0.0/8, ::1)";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local (169.254.0.0/16, fe80::/10; cloud metadata endpoints live here)";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified (0.0.0.0, ::)";
        }
        if (address.isMulticastAddress()) {
            return "multicast (224.0.0.0/4, ff00::/8)";
        }
        if (address.isSiteLocalAddress()) {
            return "private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fec0::/10)";
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            if (first == 0) {
                return "this-network (0.0.0.0/8)";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "shared address space (100.64.0.0/10; carrier NAT, some clouds' metadata endpoints)";
            }
            if (first >= 240) {
                return "reserved or broadcast (240.0.0.0/4, 255.255.255.255)";
            }
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return "unique local (fc00::/7)";
            }
            if (embedsIpv4(bytes)) {
                try {
                    String embedded = kind(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                    return embedded == null ? null : "an IPv6 form of " + embedded;
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException("4 bytes are always an IPv4 address", e);
                }
            }
        }
        return null;
    }

    /** IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d}): an IPv4 address in IPv6 clothes. */
    private static boolean embedsIpv4(byte[] bytes) {
        boolean nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b;
        for (int i = nat64 ? 4 : 0; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
