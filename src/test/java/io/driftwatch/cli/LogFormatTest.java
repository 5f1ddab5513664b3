package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Logback as driftwatch configures it ({@link LogConfigurator}): what a log line looks like in each format, given hostile values in the message. */
class LogFormatTest {

    private static String encode(String format, String message) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LogConfigurator.apply(context, new Logging.Choice(Logging.Format.valueOf(format), "INFO"));
        var logger = context.getLogger("io.driftwatch.hub.IngestApi");
        var appender = (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(format);
        LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, message, null, null);
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        context.stop();
        return line;
    }

    @Test
    void textFormatEscapesControlCharactersSoNoValueForgesALine() throws Exception {
        String line = encode("text", "cluster path /a\nINFO hub - token accepted\r\u001b[31m\u0000end");

        assertThat(line.lines()).hasSize(1);
        assertThat(line)
                .contains("cluster path /a\\nINFO hub - token accepted\\r?[31m?end")
                .endsWith("\n");
    }

    @Test
    void jsonFormatKeepsOneEventPerLine() throws Exception {
        String line = encode("json", "cluster path /a\nforged");

        assertThat(line.strip().lines()).hasSize(1);
        assertThat(line).contains("cluster path /a\\nforged");
    }
}
