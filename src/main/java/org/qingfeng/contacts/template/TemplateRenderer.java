package org.qingfeng.contacts.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.qingfeng.contacts.Contact;

/**
 * A compiled template: the signature first, then the body with its placeholders filled. Known
 * placeholders are {@code {name}}, {@code {unit}}, {@code {township}} (from the contact) and
 * {@code {festival}} (given per campaign or preview); {@code {{} and {@code }}} write literal
 * braces. Anything else in braces is refused when compiling. Compile once per campaign, then
 * {@link #render} per contact: rendering is plain string building, safe on an event loop.
 */
public final class TemplateRenderer {
  public static final List<String> PLACEHOLDERS = List.of("name", "unit", "township", "festival");

  /** Literal text, or a placeholder index into PLACEHOLDERS. */
  private final List<Object> segments;
  private final String signature;
  private final Set<String> used;

  private TemplateRenderer(List<Object> segments, String signature, Set<String> used) {
    this.segments = segments;
    this.signature = signature;
    this.used = used;
  }

  public static TemplateRenderer compile(String body, String signature) throws TemplateSyntaxException {
    List<Object> segments = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    Set<String> unknown = new LinkedHashSet<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '{' && i + 1 < body.length() && body.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < body.length() && body.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '{') {
        int close = body.indexOf('}', i + 1);
        if (close < 0) {
          throw new TemplateSyntaxException("'{' at position " + (i + 1) + " is never closed (write {{ for a literal brace)");
        }
        String name = body.substring(i + 1, close).strip();
        int index = PLACEHOLDERS.indexOf(name);
        if (index < 0) {
          unknown.add("{" + body.substring(i + 1, close) + "}");
        } else {
          if (literal.length() > 0) {
            segments.add(literal.toString());
            literal.setLength(0);
          }
          segments.add(index);
          used.add(name);
        }
        i = close + 1;
      } else if (c == '}') {
        throw new TemplateSyntaxException("'}' at position " + (i + 1) + " closes nothing (write }} for a literal brace)");
      } else {
        literal.append(c);
        i++;
      }
    }
    if (!unknown.isEmpty()) {
      throw new TemplateSyntaxException("unknown placeholder(s) " + String.join(", ", unknown)
          + "; known: {name}, {unit}, {township}, {festival}");
    }
    if (literal.length() > 0) {
      segments.add(literal.toString());
    }
    return new TemplateRenderer(List.copyOf(segments), signature == null ? "" : signature, Collections.unmodifiableSet(used));
  }

  /** The placeholders the body uses, in order of first use. */
  public Set<String> placeholders() {
    return used;
  }

  public boolean needsFestival() {
    return used.contains("festival");
  }

  /** Uses a contact placeholder ({name}, {unit} or {township}). */
  public boolean needsContact() {
    return used.contains("name") || used.contains("unit") || used.contains("township");
  }

  /**
   * The message for one contact: signature + body. Empty contact fields render as empty text.
   *
   * @throws IllegalArgumentException when the body uses {festival} and {@code festival} is null
   */
  public String render(Contact contact, String festival) {
    return contact == null ? render("", "", "", festival) : render(contact.name, contact.unit, contact.township, festival);
  }

  public String render(String name, String unit, String township, String festival) {
    if (festival == null && needsFestival()) {
      throw new IllegalArgumentException("the template uses {festival}; a festival is required");
    }
    StringBuilder out = new StringBuilder(signature.length() + 160);
    out.append(signature);
    for (Object s : segments) {
      if (s instanceof String) {
        out.append((String) s);
      } else {
        switch ((Integer) s) {
          case 0: out.append(nullToEmpty(name)); break;
          case 1: out.append(nullToEmpty(unit)); break;
          case 2: out.append(nullToEmpty(township)); break;
          default: out.append(festival);
        }
      }
    }
    return out.toString();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
