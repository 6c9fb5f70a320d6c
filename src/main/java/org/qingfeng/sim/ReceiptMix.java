package org.qingfeng.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.jsmpp.util.DeliveryReceiptState;

/** Relative weights of the final states the simulator reports in delivery receipts. */
public final class ReceiptMix {

    /** The states a weight can be given to, in the order of {@link #of(int, int, int, int)}. */
    private static final DeliveryReceiptState[] STATES = {
        DeliveryReceiptState.DELIVRD, DeliveryReceiptState.UNDELIV,
        DeliveryReceiptState.EXPIRED, DeliveryReceiptState.REJECTD
    };

    public static final ReceiptMix ALL_DELIVERED = of(100, 0, 0, 0);

    private final int[] weights;
    private final int total;

    private ReceiptMix(int[] weights) {
        int sum = 0;
        for (int weight : weights) {
            if (weight < 0) {
                throw new IllegalArgumentException("receipt weights must be >= 0: " + Arrays.toString(weights));
            }
            sum += weight;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("at least one receipt weight must be > 0");
        }
        this.weights = weights;
        this.total = sum;
    }

    public static ReceiptMix of(int delivrd, int undeliv, int expired, int rejectd) {
        return new ReceiptMix(new int[] {delivrd, undeliv, expired, rejectd});
    }

    /** Parses {@code "DELIVRD=90,UNDELIV=5,EXPIRED=3,REJECTD=2"}; states left out weigh 0. */
    public static ReceiptMix parse(String spec) {
        int[] weights = new int[STATES.length];
        for (String pair : spec.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected STATE=weight, got '" + trimmed + "'");
            }
            String state = trimmed.substring(0, eq).trim().toUpperCase(Locale.ROOT);
            int index = indexOf(state);
            try {
                weights[index] = Integer.parseInt(trimmed.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + state + " is not a number: '" + trimmed + "'", e);
            }
        }
        return new ReceiptMix(weights);
    }

    /** Draws a final state according to the weights. */
    public DeliveryReceiptState pick(RandomGenerator random) {
        int draw = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return STATES[i];
            }
        }
        return STATES[0];
    }

    public int weight(DeliveryReceiptState state) {
        return weights[indexOf(state.name())];
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < STATES.length; i++) {
            out.append(i == 0 ? "" : ",").append(STATES[i].name()).append('=').append(weights[i]);
        }
        return out.toString();
    }

    private static int indexOf(String state) {
        for (int i = 0; i < STATES.length; i++) {
            if (STATES[i].name().equals(state)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown receipt state '" + state + "' (use DELIVRD, UNDELIV, EXPIRED, REJECTD)");
    }
}
