package org.qingfeng.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "led-sim", mixinStandardHelpOptions = true,
    description = "Simulates a fleet of LED controllers polling for playlists and posting proof of play (not yet available).")
final class LedSimCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("qingfeng led-sim: not yet — it arrives with the LED screens capability.");
    return ExitCodes.FAILURE;
  }
}
