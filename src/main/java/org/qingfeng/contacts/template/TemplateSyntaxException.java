package org.qingfeng.contacts.template;

/** A template body that cannot be rendered: an unknown placeholder or an unbalanced brace. */
public final class TemplateSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateSyntaxException(String message) {
    super(message);
  }
}
