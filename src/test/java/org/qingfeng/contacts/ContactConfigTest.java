package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.ConfigException;
import org.qingfeng.app.QingfengConfig;

/** The contacts.* configuration keys: documented defaults, overrides, validation naming the key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContactConfigTest {
  @Test
  void defaults() {
    QingfengConfig c = QingfengConfig.load(null, Map.of());
    assertThat(c.contactsDefaultRegion).isEqualTo("CN");
    assertThat(c.contactsOptOutKeywords).containsExactly("TD", "退订", "STOP", "T");
    assertThat(c.contactsImportMaxRows).isEqualTo(1_000_000);
    assertThat(c.contactsImportBatchSize).isEqualTo(5000);
  }

  @Test
  void overrides() {
    QingfengConfig c = QingfengConfig.load(null, Map.of(
        "QINGFENG_CONTACTS_DEFAULT_REGION", "hk",
        "QINGFENG_CONTACTS_OPT_OUT_KEYWORDS", " TD , 取消 ,,",
        "QINGFENG_CONTACTS_IMPORT_MAX_ROWS", "2000000"));
    assertThat(c.contactsDefaultRegion).isEqualTo("HK");
    assertThat(c.contactsOptOutKeywords).containsExactly("TD", "取消");
    assertThat(c.contactsImportMaxRows).isEqualTo(2_000_000);
  }

  @Test
  void badValuesNameTheKey() {
    assertBad("QINGFENG_CONTACTS_DEFAULT_REGION", "XX", "contacts.default-region");
    assertBad("QINGFENG_CONTACTS_OPT_OUT_KEYWORDS", " , ", "contacts.opt-out-keywords");
    assertBad("QINGFENG_CONTACTS_IMPORT_MAX_ROWS", "0", "contacts.import-max-rows");
    assertBad("QINGFENG_CONTACTS_IMPORT_BATCH_SIZE", "10", "contacts.import-batch-size");
  }

  private static void assertBad(String env, String value, String key) {
    assertThatThrownBy(() -> QingfengConfig.load(null, Map.of(env, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ":");
  }
}
