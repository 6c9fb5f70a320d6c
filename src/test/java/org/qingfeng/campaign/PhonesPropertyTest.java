package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The expander's quick check of stored numbers gives the full libphonenumber answer. */
class PhonesPropertyTest {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  @Property(tries = 20_000)
  void quickCheckAgreesWithLibphonenumber(@ForAll("storedNumbers") String phone) {
    assertThat(Phones.validE164(phone)).as(phone).isEqualTo(fullAnswer(phone));
  }

  /** Mostly mainland mobiles (valid and not), some landlines and other countries, some junk. */
  @Provide
  Arbitrary<String> storedNumbers() {
    Arbitrary<String> mainland = Combinators.combine(Arbitraries.of("+861", "+86", "+8610", "+8617", "+8619"),
        Arbitraries.strings().numeric().ofMinLength(5).ofMaxLength(12)).as(String::concat);
    Arbitrary<String> mobileShaped = Combinators.combine(Arbitraries.integers().between(10, 19).map(i -> "+86" + i),
        Arbitraries.strings().numeric().ofLength(9)).as(String::concat);
    Arbitrary<String> other = Combinators.combine(Arbitraries.of("+1", "+44", "+852", "+886", "+7", "+0"),
        Arbitraries.strings().numeric().ofMinLength(4).ofMaxLength(13)).as(String::concat);
    Arbitrary<String> junk = Arbitraries.strings().withChars("+0123456789 -x").ofMaxLength(18);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, mobileShaped), net.jqwik.api.Tuple.of(3, mainland), net.jqwik.api.Tuple.of(2, other), net.jqwik.api.Tuple.of(1, junk));
  }

  private static boolean fullAnswer(String phone) {
    if (phone == null || !phone.matches("\\+[1-9][0-9]{6,14}")) {
      return false;
    }
    try {
      return UTIL.isValidNumber(UTIL.parse(phone, "ZZ"));
    } catch (NumberParseException e) {
      return false;
    }
  }
}
