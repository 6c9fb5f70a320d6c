package org.qingfeng.cli;

import org.qingfeng.app.ConfigException;
import picocli.CommandLine;

/** Exit codes: 0 done, 1 failure, 2 bad configuration or usage. */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_CONFIG = 2;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (ex instanceof ConfigException) {
      System.err.println("qingfeng: configuration error: " + ex.getMessage());
      return BAD_CONFIG;
    }
    System.err.println("qingfeng: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
    return FAILURE;
  }
}
