package org.qingfeng.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** qingfeng — festival SMS blasts and LED rolling text, with proof. */
@Command(name = "qingfeng", mixinStandardHelpOptions = true, version = "qingfeng 0.1.0",
    description = "Dispatches festival SMS blasts and LED rolling text for clean-government publicity, "
        + "and records the proof (delivery receipts, proof of play).",
    subcommands = {ServeCommand.class, ServicesCommand.class, TokenCommand.class, SmscSimCommand.class,
        LedSimCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).setExecutionExceptionHandler(new ExitCodes()).execute(args);
    System.exit(code);
  }
}
