package org.qingfeng.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "smsc-sim", mixinStandardHelpOptions = true,
    description = "Runs the built-in SMSC simulator (not yet available).")
final class SmscSimCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("qingfeng smsc-sim: not yet — it arrives with the SMS channel capability.");
    return ExitCodes.FAILURE;
  }
}
