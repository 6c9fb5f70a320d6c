package org.qingfeng.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QingfengConfigTest {
  @TempDir Path tmp;

  @Test
  void defaultsComeFromTheDocumentedFile() {
    QingfengConfig c = QingfengConfig.load(null, Map.of());
    assertThat(c.httpPort).isEqualTo(8080);
    assertThat(c.dataDir).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
    assertThat(c.embeddedPostgres()).isTrue();
    assertThat(c.embeddedKafka()).isTrue();
    assertThat(c.kafkaPartitions).isEqualTo(6);
    assertThat(c.adminToken).isEmpty();
    assertThat(c.smsMaxParts).isEqualTo(10);
    assertThat(c.roles).containsExactlyInAnyOrder(QingfengConfig.Role.values());
  }

  @Test
  void environmentOverridesEveryKey() {
    QingfengConfig c = QingfengConfig.load(null, Map.of(
        "QINGFENG_HTTP_PORT", "9090",
        "QINGFENG_DATA_DIR", tmp.toString(),
        "QINGFENG_POSTGRES_URL", "postgresql://qf:pw@db.example:6543/qf",
        "QINGFENG_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
        "QINGFENG_ADMIN_TOKEN", "0123456789abcdef0123",
        "QINGFENG_KAFKA_TOPIC_PREFIX", "yq.",
        "QINGFENG_ROLES", "api,sink"));
    assertThat(c.httpPort).isEqualTo(9090);
    assertThat(c.dataDir).isEqualTo(tmp);
    assertThat(c.embeddedPostgres()).isFalse();
    assertThat(c.kafkaBootstrapServers).isEqualTo("k1:9092,k2:9092");
    assertThat(c.adminToken).isEqualTo("0123456789abcdef0123");
    assertThat(c.kafkaTopicPrefix).isEqualTo("yq.");
    assertThat(c.roles).containsExactlyInAnyOrder(QingfengConfig.Role.API, QingfengConfig.Role.SINK);
  }

  @Test
  void fileValuesApplyAndEnvironmentWins() throws Exception {
    Path f = tmp.resolve("q.yaml");
    Files.writeString(f, "http:\n  port: 7070\n  body-limit: 4096\nkafka:\n  partitions: 12\n");
    QingfengConfig c = QingfengConfig.load(f, Map.of("QINGFENG_KAFKA_PARTITIONS", "3"));
    assertThat(c.httpPort).isEqualTo(7070);
    assertThat(c.bodyLimit).isEqualTo(4096);
    assertThat(c.kafkaPartitions).isEqualTo(3);
  }

  @Test
  void badValuesNameTheKey() {
    assertBad(Map.of("QINGFENG_HTTP_PORT", "abc"), "http.port", "not a whole number");
    assertBad(Map.of("QINGFENG_HTTP_PORT", "70000"), "http.port", "out of range");
    assertBad(Map.of("QINGFENG_KAFKA_PARTITIONS", "0"), "kafka.partitions", "out of range");
    assertBad(Map.of("QINGFENG_POSTGRES_URL", "mysql://x"), "postgres.url", "postgresql://");
    assertBad(Map.of("QINGFENG_KAFKA_BOOTSTRAP_SERVERS", "broker-without-port"), "kafka.bootstrap-servers", "host:port");
    assertBad(Map.of("QINGFENG_DEMO", "maybe"), "demo", "not true or false");
    assertBad(Map.of("QINGFENG_ROLES", "api,mailer"), "roles", "unknown role 'mailer'");
    assertBad(Map.of("QINGFENG_ADMIN_TOKEN", "short"), "admin-token", "too short");
    assertBad(Map.of("QINGFENG_SMS_CONCAT_REFERENCE_BITS", "12"), "sms.concat-reference-bits", "8 or 16");
  }

  @Test
  void unknownKeysInTheFileAreReported() throws Exception {
    Path f = tmp.resolve("typo.yaml");
    Files.writeString(f, "http:\n  prot: 8081\n");
    assertThatThrownBy(() -> QingfengConfig.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.prot")
        .hasMessageContaining("unknown key");
  }

  @Test
  void invalidYamlAndMissingFileAreReported() throws Exception {
    Path f = tmp.resolve("broken.yaml");
    Files.writeString(f, "http: [unclosed\n");
    assertThatThrownBy(() -> QingfengConfig.load(f, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> QingfengConfig.load(tmp.resolve("missing.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
  }

  @Test
  void postgresUrlFormsAreUnderstood() {
    PostgresUrl a = PostgresUrl.parse("postgresql://qf:p%40ss@db:6543/county", "k");
    assertThat(a.host).isEqualTo("db");
    assertThat(a.port).isEqualTo(6543);
    assertThat(a.database).isEqualTo("county");
    assertThat(a.user).isEqualTo("qf");
    assertThat(a.password).isEqualTo("p@ss");
    assertThat(a.display()).doesNotContain("p@ss");
    PostgresUrl b = PostgresUrl.parse("jdbc:postgresql://db/qf?user=u&password=s", "k");
    assertThat(b.port).isEqualTo(5432);
    assertThat(b.user).isEqualTo("u");
    assertThat(b.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/qf");
  }

  private static void assertBad(Map<String, String> env, String key, String what) {
    assertThatThrownBy(() -> QingfengConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
        .hasMessageContaining(what);
  }
}
