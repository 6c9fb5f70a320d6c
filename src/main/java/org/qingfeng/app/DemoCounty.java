package org.qingfeng.app;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Random;

/** A synthetic Yuqing County: cadres in townships and units, with tags a blast can target. */
final class DemoCounty {
  static final int CADRES = 3_000;
  private static final String[] TOWNSHIPS = {"白泥镇", "子营街道", "龙溪镇", "构皮滩镇", "大乌江镇", "敖溪镇", "龙家镇",
      "松烟镇", "关兴镇", "花山苗族乡"};
  private static final String[] UNITS = {"县纪委监委", "县委办", "县政府办", "县财政局", "县教育局", "县卫健局",
      "县交通运输局", "县税务局", "县自然资源局", "乡镇党委", "乡镇政府", "村（社区）两委"};
  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "罗", "冉", "田"};
  private static final String[] GIVEN = {"建国", "志强", "丽", "敏", "勇", "芳", "伟", "秀英", "明", "海燕", "德华", "春梅"};

  static final int RULES = 300;
  private static final String[] RULE_PHRASES = {"严守政治纪律和政治规矩", "不准收受可能影响公正执行公务的礼品礼金",
      "不准违规操办婚丧喜庆事宜", "不准公款吃喝、公款旅游", "不准违规使用公车", "不准利用职权为亲属谋取利益",
      "不准在节日期间违规发放津贴补贴", "严格执行中央八项规定精神", "坚决反对形式主义、官僚主义", "廉洁用权，秉公办事",
      "管住小节，守住底线", "自觉接受监督", "清清白白做人，干干净净做事", "不准违规收送电子红包",
      "不准借节日之机收受管理服务对象财物", "不准参与赌博", "如实报告个人有关事项", "严格遵守组织纪律"};

  private DemoCounty() {
  }

  /** Screen groups, a demo rule library and its rotation on the road corridor, through the LED stores. */
  static Future<Void> seedLed(Pool pool) {
    org.qingfeng.led.LedStore screens = new org.qingfeng.led.LedStore(pool);
    org.qingfeng.led.LedContentStore content = new org.qingfeng.led.LedContentStore(pool);
    java.util.List<String> texts = new java.util.ArrayList<>();
    java.util.List<String> hashes = new java.util.ArrayList<>();
    for (int i = 0; i < RULES; i++) {
      String text = "党纪规矩第" + (i + 1) + "条：" + RULE_PHRASES[i % RULE_PHRASES.length] + "。";
      texts.add(text);
      hashes.add(org.qingfeng.led.LedText.hash(text));
    }
    return screens.createGroup("S205清风廊道", "corridor")
        .compose(corridor -> screens.createGroup("白泥镇", "township")
            .compose(t -> screens.createGroup("县纪委监委", "unit"))
            .compose(u -> pool.withTransaction(c -> org.qingfeng.led.LedContentStore.libraryId(c, "党纪规矩（演示）")
                .compose(lib -> org.qingfeng.led.LedContentStore.insertRules(c, lib, texts, hashes, "rule", 12, "scroll-left")
                    .map(lib))))
            .compose(lib -> content.assign(lib, corridor, java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")),
                null, null)))
        .mapEmpty();
  }

  static Future<Void> seedContacts(Pool pool) {
    Random random = new Random(20260101);
    String[] phones = new String[CADRES];
    String[] names = new String[CADRES];
    String[] units = new String[CADRES];
    String[] townships = new String[CADRES];
    String[] tags = new String[CADRES];
    for (int i = 0; i < CADRES; i++) {
      phones[i] = String.format("+861390000%04d", i);
      names[i] = SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)];
      units[i] = UNITS[random.nextInt(UNITS.length)];
      townships[i] = TOWNSHIPS[random.nextInt(TOWNSHIPS.length)];
      StringBuilder t = new StringBuilder("党员");
      if (i % 10 == 0) {
        t.append(";科级干部");
      }
      if (i % 4 == 1) {
        t.append(";中层干部");
      }
      if (units[i].startsWith("村")) {
        t.append(";村干部");
      }
      tags[i] = t.toString();
    }
    return pool.preparedQuery(
            "INSERT INTO contact (phone, name, unit, township, tags) "
                + "SELECT p, n, u, t, string_to_array(g, ';') FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) "
                + "AS x(p, n, u, t, g) ON CONFLICT (phone) DO NOTHING")
        .execute(Tuple.of(phones, names, units, townships, tags))
        .mapEmpty();
  }
}
