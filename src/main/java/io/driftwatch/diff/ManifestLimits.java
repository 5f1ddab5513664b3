package io.driftwatch.diff;

import java.util.Locale;
import java.util.Optional;

/**
 * How much manifest input is read before giving up with an error: bytes per document (measured in one linear pass
 * before parsing, so no scalar is ever scanned beyond it), bytes in all files together, and objects in all; nesting
 * depth and number length are bounded by the parser. YAML aliases and merge keys are refused ({@link StrictParsing}),
 * so an alias bomb is an error, not an expansion. Kubernetes itself refuses objects over ~1.5 MiB, so the
 * defaults leave room for any real object while a 50 MB
 * scalar is refused after reading its first 3 MiB.
 *
 * @param maxDocumentBytes per document (a value can be no longer)
 * @param maxTotalBytes    all files read for one input together
 * @param maxDocuments     objects in one input
 * @param names            what the limits are called where they are set, for error messages
 */
public record ManifestLimits(long maxDocumentBytes, long maxTotalBytes, int maxDocuments, Names names) {

    public static final int MAX_NESTING_DEPTH = 100;
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** The names the limits go by where they are set: {@link #FLAGS} on the command line, or config keys. */
    public record Names(String document, String total, String documents) {}

    public static final Names FLAGS = new Names("--max-document-bytes", "--max-total-bytes", "--max-documents");
    // after FLAGS, which it names
    public static final ManifestLimits DEFAULT = new ManifestLimits(3L << 20, 256L << 20, 50_000);

    public ManifestLimits {
        if (maxDocumentBytes < 1024 || maxTotalBytes < 1024 || maxDocuments < 1) {
            throw new IllegalArgumentException("manifest limits must be at least 1 KiB (and 1 object)");
        }
        names = names == null ? FLAGS : names;
    }

    /** Limits set by the command-line flags. */
    public ManifestLimits(long maxDocumentBytes, long maxTotalBytes, int maxDocuments) {
        this(maxDocumentBytes, maxTotalBytes, maxDocuments, FLAGS);
    }

    /** A parser's message about one of the limits, said in terms of the limit; empty for other parse errors. */
    Optional<String> explain(String parserMessage) {
        String m = parserMessage == null ? "" : parserMessage.toLowerCase(Locale.ROOT);
        if (m.contains("exceeds the limit") && m.contains("code points")) {
            return Optional.of(
                    "a YAML stream exceeds the limit of " + maxTotalBytes + " bytes (" + names.total() + ")");
        }
        if (m.contains("nesting depth")) {
            return Optional.of("nested deeper than " + MAX_NESTING_DEPTH + " levels");
        }
        if (m.contains("number value length") || m.contains("number length")) {
            return Optional.of("a number longer than " + MAX_NUMBER_LENGTH + " digits");
        }
        return Optional.empty();
    }
}
