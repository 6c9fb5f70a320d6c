package org.qingfeng.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The appendix B receipt text parser on any string: it never throws (its contract is an empty
 * Optional for what it cannot read), gives back every field of a well-formed receipt in any
 * order, case and spacing, and keeps a stat word it does not know as it was sent.
 */
class DeliveryReceiptTextPropertyTest {
  static final List<String> STANDARD_STATS = List.of("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD", "ENROUTE");

  @Property(tries = 3000)
  void anyTextIsReadOrLeftAloneNeverThrown(@ForAll("anyText") String text) {
    Optional<ParsedReceipt> parsed = DeliveryReceiptText.parse(text);
    parsed.ifPresent(p -> {
      assertThat(p.id != null || p.stat != null).isTrue();
      assertThat(p.state()).isNotNull();
    });
  }

  @Property(tries = 3000)
  void anyDateIsReadOrRefusedNeverThrown(@ForAll("dates") String digits) {
    DeliveryReceiptText.parseDate(digits).ifPresent(t -> assertThat(t.getYear()).isBetween(2000, 2099));
  }

  @Property(tries = 3000)
  void wellFormedReceiptsRoundTripInAnyOrderCaseAndSpacing(@ForAll("receipts") Receipt r) {
    ParsedReceipt p = DeliveryReceiptText.parse(r.text()).orElseThrow();
    assertThat(p.id).isEqualTo(r.id());
    assertThat(p.sub).isEqualTo(r.sub());
    assertThat(p.dlvrd).isEqualTo(r.dlvrd());
    assertThat(p.submitDate).isEqualTo(r.submitDate());
    assertThat(p.doneDate).isEqualTo(r.doneDate());
    assertThat(p.stat).isEqualTo(r.stat());
    assertThat(p.err).isEqualTo(r.err());
    assertThat(p.text).isEqualTo(r.freeText());
    assertThat(DeliveryReceiptText.parseDate(r.doneDate())).isPresent();
    if (STANDARD_STATS.contains(r.stat())) {
      assertThat(p.state().name()).startsWith(r.stat().substring(0, 3));
    } else {
      // A word of the SMSC's own is a failure, and the word itself is kept for the report.
      assertThat(p.state().isFailure()).isTrue();
    }
  }

  /** A generated receipt: its fields, and the text that carries them. */
  record Receipt(String id, String sub, String dlvrd, String submitDate, String doneDate, String stat, String err,
      String freeText, String text) {
  }

  @Provide
  Arbitrary<String> anyText() {
    Arbitrary<String> tokens = Arbitraries.of("id:", "ID :", "sub:", "dlvrd:", "submit date:", "submit_date:", "done date:",
        "stat:", "STAT:", "err:", "text:", " ", "\t", ":", "0A1B", "DELIVRD", "2502011200", "é", "İd:", "\u0000", "\uD800", "xid:");
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), tokens.list().ofMaxSize(30).map(l -> String.join("", l)));
  }

  @Provide
  Arbitrary<String> dates() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(14), Arbitraries.strings().withChars("0123456789 ").ofMinLength(9)
        .ofMaxLength(13), Arbitraries.strings().numeric().ofLength(10), Arbitraries.strings().numeric().ofLength(12));
  }

  @Provide
  Arbitrary<Receipt> receipts() {
    Arbitrary<String> id = Arbitraries.strings().withChars("0123456789abcdefABCDEF-").ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> three = Arbitraries.strings().numeric().ofLength(3);
    Arbitrary<String> date = Combinators.combine(Arbitraries.integers().between(0, 99), Arbitraries.integers().between(1, 12),
            Arbitraries.integers().between(1, 28), Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59),
            Arbitraries.integers().between(-1, 59))
        .as((y, mo, d, h, mi, s) -> String.format("%02d%02d%02d%02d%02d", y, mo, d, h, mi) + (s < 0 ? "" : String.format("%02d", s)));
    Arbitrary<String> stat = Arbitraries.oneOf(Arbitraries.of(STANDARD_STATS),
        Arbitraries.of("FAILED", "NOROUTE", "BLOCKED", "SYSERR"), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10));
    Arbitrary<String> freeText = Arbitraries.strings().withChars("abc xyz:0123id stat:err:é").ofMaxLength(40).map(String::strip);
    Arbitrary<Integer> style = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    return Combinators.combine(id, three, three, date, date, stat, three, freeText)
        .flatAs((i, sub, dl, sd, dd, st, er, tx) -> style.map(seed -> {
          java.util.Random rnd = new java.util.Random(seed);
          List<String[]> fields = new ArrayList<>(List.of(new String[] {"id", i}, new String[] {"sub", sub}, new String[] {"dlvrd", dl},
              new String[] {rnd.nextBoolean() ? "submit date" : "submit_date", sd}, new String[] {rnd.nextBoolean() ? "done date" : "done_date", dd},
              new String[] {"stat", st}, new String[] {"err", er}));
          Collections.shuffle(fields, rnd);
          StringBuilder b = new StringBuilder();
          for (String[] f : fields) {
            String key = rnd.nextBoolean() ? f[0].toUpperCase() : f[0];
            b.append(key).append(rnd.nextInt(4) == 0 ? " : " : ":").append(f[1]).append(rnd.nextBoolean() ? " " : "  ");
          }
          // The free text comes last: everything after "text:" is text, keys included.
          b.append(rnd.nextBoolean() ? "Text:" : "text:").append(tx);
          return new Receipt(i, sub, dl, sd, dd, st, er, tx, b.toString());
        }));
  }
}
