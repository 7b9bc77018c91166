package dev.colo.pair.internal;

import java.util.regex.Pattern;

/** Syntax checks for host names and address literals; nothing is resolved here (DNS may be slow or down). */
final class HostNames {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final int MAX_DNS_NAME = 253;

    private HostNames() {
    }

    /** True for an IPv4 or IPv6 literal or an RFC 1123 host name. */
    static boolean isValid(String host) {
        return isIpv4(host) || isIpv6(host) || isDnsName(host);
    }

    private static boolean isIpv4(String host) {
        return IPV4.matcher(host).matches();
    }

    private static boolean isIpv6(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.contains(":") && IPV6.matcher(bare).matches();
    }

    private static boolean isDnsName(String host) {
        if (host.isEmpty() || host.length() > MAX_DNS_NAME || host.matches("[0-9.]+")) {
            return false;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
