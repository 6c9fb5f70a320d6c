package org.qingfeng.sms.smpp;

import org.qingfeng.sms.receipt.SmscIdNormalizer;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One SMPP channel's settings ({@code sms.channels.<name>} in qingfeng.yaml). The password
 * never sits in the YAML: it comes from the environment variable named by {@code password_env}
 * (default {@code QINGFENG_SMPP_<NAME>_PASSWORD}) and is masked in {@link #toString()}.
 */
public final class ChannelConfig {
    private static final Set<String> KEYS = Set.of("host", "port", "system_id", "password_env", "system_type",
            "bind_mode", "source_address", "source_ton", "source_npi", "dest_ton", "dest_npi", "parts_per_second",
            "window", "enquire_link_seconds", "receipt_id_normalization", "registered_delivery", "max_retries",
            "outcome_unknown_policy", "rebind_backoff_min_ms", "rebind_backoff_max_ms", "response_timeout_ms");

    public String name;
    public String host = "127.0.0.1";
    public int port = 2775;
    public String systemId;
    public String password;
    public String systemType = "";
    public BindMode bindMode = BindMode.TRANSCEIVER;
    public String sourceAddress = "";
    public int sourceTon = 5;
    public int sourceNpi = 0;
    public int destTon = 1;
    public int destNpi = 1;
    /** Parts (not messages) per second; 0 means unlimited. */
    public int partsPerSecond = 0;
    public int window = 50;
    public int enquireLinkSeconds = 30;
    public String receiptIdNormalization = "as-is";
    public int registeredDelivery = 1;
    public int maxRetries = 3;
    public OutcomeUnknownPolicy outcomeUnknownPolicy = OutcomeUnknownPolicy.RESUBMIT;
    public long rebindBackoffMinMs = 500;
    public long rebindBackoffMaxMs = 30_000;
    public long responseTimeoutMs = 10_000;

    public static String defaultPasswordEnv(String channelName) {
        return "QINGFENG_SMPP_" + channelName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PASSWORD";
    }

    /** Reads and checks one channel; a bad value names its full key, e.g. {@code sms.channels.cmcc.window}. */
    public static ChannelConfig fromMap(String name, Map<String, Object> yaml, Map<String, String> env) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new IllegalArgumentException("sms.channels." + name + ": channel name must be 1-40 letters, digits, '_' or '-'");
        }
        Reader in = new Reader(name, yaml == null ? Map.of() : yaml);
        ChannelConfig c = new ChannelConfig();
        c.name = name;
        c.host = in.string("host", c.host, true);
        c.port = in.integer("port", c.port, 1, 65_535);
        c.systemId = in.string("system_id", null, true);
        if (c.systemId == null || c.systemId.length() > 15) {
            throw in.bad("system_id", "is required, at most 15 characters");
        }
        String passwordEnv = in.string("password_env", defaultPasswordEnv(name), true);
        c.password = env == null ? null : env.get(passwordEnv);
        if (c.password == null) {
            throw in.bad("password_env", "environment variable " + passwordEnv + " is not set");
        }
        if (c.password.length() > 8) {
            throw in.bad("password_env", "the password in " + passwordEnv + " is longer than SMPP's 8 characters");
        }
        c.systemType = in.string("system_type", c.systemType, false);
        c.bindMode = in.enumValue("bind_mode", BindMode.class, c.bindMode);
        c.sourceAddress = in.string("source_address", c.sourceAddress, false);
        c.sourceTon = in.integer("source_ton", c.sourceTon, 0, 6);
        c.sourceNpi = in.integer("source_npi", c.sourceNpi, 0, 18);
        c.destTon = in.integer("dest_ton", c.destTon, 0, 6);
        c.destNpi = in.integer("dest_npi", c.destNpi, 0, 18);
        c.partsPerSecond = in.integer("parts_per_second", c.partsPerSecond, 0, 100_000);
        c.window = in.integer("window", c.window, 1, 1_000);
        c.enquireLinkSeconds = in.integer("enquire_link_seconds", c.enquireLinkSeconds, 1, 3_600);
        c.receiptIdNormalization = in.string("receipt_id_normalization", c.receiptIdNormalization, true);
        try {
            SmscIdNormalizer.parse(c.receiptIdNormalization);
        } catch (RuntimeException e) {
            throw in.bad("receipt_id_normalization", e.getMessage());
        }
        c.registeredDelivery = in.integer("registered_delivery", c.registeredDelivery, 0, 255);
        c.maxRetries = in.integer("max_retries", c.maxRetries, 0, 100);
        c.outcomeUnknownPolicy = in.enumValue("outcome_unknown_policy", OutcomeUnknownPolicy.class, c.outcomeUnknownPolicy);
        c.rebindBackoffMinMs = in.integer("rebind_backoff_min_ms", (int) c.rebindBackoffMinMs, 1, 3_600_000);
        c.rebindBackoffMaxMs = in.integer("rebind_backoff_max_ms", (int) c.rebindBackoffMaxMs, 1, 3_600_000);
        if (c.rebindBackoffMaxMs < c.rebindBackoffMinMs) {
            throw in.bad("rebind_backoff_max_ms", "must not be below rebind_backoff_min_ms (" + c.rebindBackoffMinMs + ")");
        }
        c.responseTimeoutMs = in.integer("response_timeout_ms", (int) c.responseTimeoutMs, 100, 600_000);
        return c;
    }

    /** The password never leaves this object through logs. */
    @Override
    public String toString() {
        return "ChannelConfig{name=" + name + ", host=" + host + ", port=" + port + ", systemId=" + systemId
                + ", password=****, bindMode=" + bindMode + ", source=" + sourceAddress + ", partsPerSecond="
                + partsPerSecond + ", window=" + window + ", enquireLinkSeconds=" + enquireLinkSeconds
                + ", receiptIdNormalization=" + receiptIdNormalization + ", maxRetries=" + maxRetries
                + ", outcomeUnknownPolicy=" + outcomeUnknownPolicy + ", responseTimeoutMs=" + responseTimeoutMs + "}";
    }

    /** Reads typed values from the YAML map, accepting snake_case or kebab-case keys. */
    private static final class Reader {
        private final String channel;
        private final Map<String, Object> values = new HashMap<>();

        Reader(String channel, Map<String, Object> yaml) {
            this.channel = channel;
            yaml.forEach((key, value) -> {
                String normalised = key.replace('-', '_').toLowerCase(Locale.ROOT);
                if (!KEYS.contains(normalised)) {
                    throw bad(key, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
                }
                values.put(normalised, value);
            });
        }

        IllegalArgumentException bad(String key, String what) {
            return new IllegalArgumentException("sms.channels." + channel + "." + key + ": " + what);
        }

        String string(String key, String fallback, boolean nonBlank) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            String s = String.valueOf(v).trim();
            if (nonBlank && s.isEmpty()) {
                throw bad(key, "must not be blank");
            }
            return s;
        }

        int integer(String key, int fallback, int min, int max) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            long n;
            if (v instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
                n = number.longValue();
            } else {
                try {
                    n = Long.parseLong(String.valueOf(v).trim());
                } catch (NumberFormatException e) {
                    throw bad(key, "'" + v + "' is not a whole number");
                }
            }
            if (n < min || n > max) {
                throw bad(key, n + " is outside " + min + ".." + max);
            }
            return (int) n;
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            String s = String.valueOf(v).trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw bad(key, "'" + v + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }
    }
}
