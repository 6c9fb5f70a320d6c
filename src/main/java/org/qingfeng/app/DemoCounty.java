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

  private DemoCounty() {
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
