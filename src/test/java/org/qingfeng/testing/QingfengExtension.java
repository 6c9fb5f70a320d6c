package org.qingfeng.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link TestInfra}: one per test class, created on first use. */
public final class QingfengExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(QingfengExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    return p.getParameter().getType() == TestInfra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> testClass = ctx.getRequiredTestClass();
    ExtensionContext.Store store = classContext(ctx).getStore(NS);
    return store.getOrComputeIfAbsent(testClass.getName(), k -> {
      try {
        return new TestInfra(SharedServices.get(), testClass.getSimpleName());
      } catch (Exception e) {
        throw new ParameterResolutionException("cannot prepare test infrastructure: " + e, e);
      }
    }, TestInfra.class);
  }

  private static ExtensionContext classContext(ExtensionContext ctx) {
    ExtensionContext c = ctx;
    while (c.getParent().isPresent() && c.getTestMethod().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }
}
