package io.driftwatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * Logback's configuration, built in code: one appender on stderr, JSON lines ({@code json}) or text ({@code text}),
 * at the chosen level; fabric8 and Netty at WARN, Vert.x at INFO. Registered as Logback's configurator (a
 * {@code META-INF/services} entry), so Logback neither looks for nor parses an XML file at start-up; {@link Logging}
 * applies the command's choice once its command line is parsed. Text lines show every control character in a message
 * escaped ({@code \n}, {@code \r}, else {@code ?}), so no value from a request or a cluster can forge a log line.
 *
 * <p>A {@code logback.configurationFile} system property or a {@code logback-test.xml} on the class path (tests) is
 * left to Logback's own configurators.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The text format's pattern: time, level, logger and the message with control characters escaped. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - "
            + "%replace(%replace(%replace(%msg){'\\n', '\\\\n'}){'\\r', '\\\\r'}){'\\p{Cntrl}', '?'}%n";

    private static final Map<String, Level> LIBRARY_LEVELS =
            Map.of("io.fabric8", Level.WARN, "io.netty", Level.WARN, "io.vertx", Level.INFO);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, Logging.fromEnvironment(System.getenv()));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Replaces whatever {@code context} had with the configuration for {@code choice}. */
    static void apply(LoggerContext context, Logging.Choice choice) {
        context.reset();
        NopStatusListener quiet = new NopStatusListener();
        context.getStatusManager().add(quiet);
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(choice.format().name());
        appender.setTarget("System.err");
        appender.setEncoder(encoder(context, choice.format()));
        appender.start();
        LIBRARY_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(choice.level(), Level.INFO));
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, Logging.Format format) {
        if (format == Logging.Format.json) {
            LogstashEncoder json = new LogstashEncoder();
            json.setContext(context);
            json.setIncludeContext(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
