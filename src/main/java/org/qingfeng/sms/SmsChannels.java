package org.qingfeng.sms;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qingfeng.app.ConfigException;
import org.qingfeng.app.QingfengConfig;
import org.qingfeng.sim.ReceiptMix;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.events.SmsEventPublisher;
import org.qingfeng.sms.smpp.ChannelConfig;
import org.qingfeng.sms.smpp.SmppChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMPP channels of this instance, by name. With no channel configured, the built-in SMSC
 * simulator runs on loopback and is the one channel, "sim", so the product works on one machine.
 */
public final class SmsChannels {
  public static final String SIMULATOR_CHANNEL = "sim";
  /** Receipt dates carry no zone; Chinese SMSCs write Beijing time. */
  private static final java.time.ZoneId SMSC_ZONE = java.time.ZoneId.of("Asia/Shanghai");
  private static final Logger LOG = LoggerFactory.getLogger(SmsChannels.class);

  private final Map<String, SmppChannel> channels = new LinkedHashMap<>();
  private final SmscSimulator simulator;

  private SmsChannels(SmscSimulator simulator) {
    this.simulator = simulator;
  }

  /** Validates every configured channel (throwing {@link ConfigException}) without connecting anywhere. */
  public static List<ChannelConfig> configured(QingfengConfig config) {
    List<ChannelConfig> out = new ArrayList<>();
    for (Map<String, Object> raw : config.smsChannels) {
      Map<String, Object> settings = new LinkedHashMap<>(raw);
      Object name = settings.remove("name");
      if (!(name instanceof String) || !((String) name).matches("[a-z][a-z0-9_-]{0,31}")) {
        throw new ConfigException("sms.channels", "every channel needs a name of lower-case letters, digits, '-' or '_'");
      }
      if (out.stream().anyMatch(c -> c.name.equals(name))) {
        throw new ConfigException("sms.channels", "channel name '" + name + "' is used twice");
      }
      try {
        out.add(ChannelConfig.fromMap((String) name, settings, config.environment));
      } catch (IllegalArgumentException e) {
        String msg = e.getMessage();
        int colon = msg.indexOf(": ");
        throw colon > 0 ? new ConfigException(msg.substring(0, colon), msg.substring(colon + 2))
            : new ConfigException("sms.channels." + name, msg);
      }
    }
    return out;
  }

  /** Builds and starts (binding in the background) the channels; the simulator first when it is the default. */
  public static Future<SmsChannels> start(Vertx vertx, QingfengConfig config, SmsEventPublisher publisher,
      MeterRegistry registry, SmsEncoder encoder) {
    List<ChannelConfig> configs = configured(config);
    return (configs.isEmpty() ? startSimulator(vertx, config) : Future.<LocalSimulator>succeededFuture(null))
        .compose(local -> {
          SmsChannels result = new SmsChannels(local == null ? null : local.simulator);
          List<ChannelConfig> all = local == null ? configs : List.of(local.channel());
          List<Future<Void>> started = new ArrayList<>();
          for (ChannelConfig c : all) {
            SmppChannel channel = new SmppChannel(vertx, c, publisher, registry, SMSC_ZONE, encoder);
            result.channels.put(c.name, channel);
            started.add(channel.start());
            LOG.info("SMS channel '{}' → {}:{} ({}, window {}, {} parts/s)", c.name, c.host, c.port, c.bindMode,
                c.window, c.partsPerSecond == 0 ? "unlimited" : c.partsPerSecond);
          }
          return Future.all(started).map(result);
        });
  }

  public Optional<SmppChannel> channel(String name) {
    return Optional.ofNullable(channels.get(name));
  }

  public Map<String, SmppChannel> all() {
    return channels;
  }

  public boolean simulated() {
    return simulator != null;
  }

  public Optional<SmscSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  public Future<Void> close(Vertx vertx) {
    List<Future<Void>> closing = new ArrayList<>();
    channels.values().forEach(c -> closing.add(c.close()));
    return Future.join(closing).<Void>mapEmpty().eventually(() -> simulator == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          simulator.close();
          return null;
        }));
  }

  /** The in-process simulator and the credentials generated for it at this start. */
  private static final class LocalSimulator {
    final SmscSimulator simulator;
    final String password;

    LocalSimulator(SmscSimulator simulator, String password) {
      this.simulator = simulator;
      this.password = password;
    }

    ChannelConfig channel() {
      ChannelConfig c = new ChannelConfig();
      c.name = SIMULATOR_CHANNEL;
      c.host = "127.0.0.1";
      c.port = simulator.port();
      c.systemId = "qingfeng";
      c.password = password;
      c.sourceAddress = "10690000";
      c.sourceTon = 3;
      c.sourceNpi = 0;
      return c;
    }
  }

  private static Future<LocalSimulator> startSimulator(Vertx vertx, QingfengConfig config) {
    String password = randomPassword();
    SimulatorOptions options = new SimulatorOptions()
        .host("127.0.0.1")
        .port(0)
        .httpPort(config.simulatorHttpPort)
        .systemId("qingfeng")
        .password(password)
        .receiptDelayMs(config.simulatorReceiptDelayMs)
        .receiptThreads(config.simulatorReceiptThreads)
        .receiptMix(ReceiptMix.parse(config.simulatorReceiptMix));
    return vertx.executeBlocking(() -> {
      SmscSimulator sim = SmscSimulator.start(options);
      LOG.info("embedded SMSC simulator on 127.0.0.1:{} (ledger over HTTP on port {}) is the default channel '{}'",
          sim.port(), sim.httpPort(), SIMULATOR_CHANNEL);
      return new LocalSimulator(sim, password);
    });
  }

  private static String randomPassword() {
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }
}
