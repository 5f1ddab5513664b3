package io.driftwatch.cli;

import io.driftwatch.config.Durations;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** kubectl's {@code --request-timeout}: 0 for none, a plain number of seconds, or a duration such as 30s or 1m. */
final class RequestTimeouts {

    private RequestTimeouts() {}

    /** The timeout; {@link Duration#ZERO} means none. */
    static Duration parse(String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a timeout (0 for none, a number of seconds, "
                    + "or a duration such as 30s, 1m, 1h30m, 500ms)");
        }
    }

    /** Whole milliseconds for the client: 0 stays 0 (none), anything shorter than 1 ms is 1 ms. */
    static int millis(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** True when a request failed because an answer (or a connection) took longer than allowed. */
    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof TimeoutException
                    || t instanceof HttpTimeoutException
                    || t instanceof SocketTimeoutException
                    || name.contains("Timeout")
                    || (t.getMessage() != null
                            && t.getMessage().toLowerCase(Locale.ROOT).contains("timed out"))) {
                return true;
            }
        }
        return false;
    }
}
