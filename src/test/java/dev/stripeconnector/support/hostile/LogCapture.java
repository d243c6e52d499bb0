package dev.stripeconnector.support.hostile;

import dev.stripeconnector.common.ExpectedNoise;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log record of the in-process application while installed: a plain JUL handler on the
 * root logger (Quarkus runs JBoss LogManager, which is the JUL log manager, so the root logger
 * sees every record of every thread). Each record is kept as text: level, logger, the formatted
 * message, the raw message and each parameter, and the full stack trace of what was thrown
 * (with every cause's message).
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One captured record; {@code expectedNoise}: the service's log filter (common/ExpectedNoise) drops it. */
    public record Entry(Level level, String logger, String text, boolean hasThrown, boolean expectedNoise) {
        public boolean isError() {
            return level.intValue() >= Level.SEVERE.intValue();
        }
    }

    private static final ExpectedNoise NOISE = new ExpectedNoise();

    private final List<Entry> entries = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Logger service = Logger.getLogger("dev.stripeconnector");
    private final Level serviceLevelBefore;

    private LogCapture(boolean serviceDebug) {
        setLevel(Level.ALL);
        serviceLevelBefore = service.getLevel();
        if (serviceDebug) {
            // The service's own debug records too: a secret logged "only at debug" is still logged.
            service.setLevel(Level.ALL);
        }
        root.addHandler(this);
    }

    /** Starts capturing; {@code serviceDebug} also enables every level of the service's own loggers. */
    public static LogCapture start(boolean serviceDebug) {
        return new LogCapture(serviceDebug);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ").append(formatted(record));
        if (record.getMessage() != null) {
            text.append(" | raw: ").append(record.getMessage());
        }
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            for (Object parameter : parameters) {
                text.append(" | param: ").append(String.valueOf(parameter));
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        synchronized (entries) {
            entries.add(new Entry(record.getLevel(), record.getLoggerName(), text.toString(), record.getThrown() != null,
                    !NOISE.isLoggable(record)));
        }
    }

    /** JBoss' ExtLogRecord formats both printf-style and MessageFormat-style records; plain records use JUL's formatter. */
    private static String formatted(LogRecord record) {
        try {
            Method method = record.getClass().getMethod("getFormattedMessage");
            Object value = method.invoke(record);
            return String.valueOf(value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                return new java.util.logging.SimpleFormatter().formatMessage(record);
            } catch (RuntimeException again) {
                return String.valueOf(record.getMessage());
            }
        }
    }

    /** How many records were captured so far. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** The records captured since the first {@code from}. */
    public List<Entry> since(int from) {
        synchronized (entries) {
            return List.copyOf(entries.subList(Math.min(from, entries.size()), entries.size()));
        }
    }

    public List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** All captured records as one text. */
    public String text() {
        StringBuilder all = new StringBuilder();
        for (Entry entry : entries()) {
            all.append(entry.text()).append('\n');
        }
        return all.toString();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        service.setLevel(serviceLevelBefore);
    }
}
