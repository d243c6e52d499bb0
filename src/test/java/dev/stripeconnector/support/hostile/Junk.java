package dev.stripeconnector.support.hostile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile values, all drawn from one seeded {@link Random}. None contains a stack-trace marker
 * ({@link Leaks#MARKERS}) or a secret, so finding one in an answer is always the service's doing.
 */
public final class Junk {

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String B64URL = ALNUM + "-_";

    /** Account ids as path segments, already percent-encoded where a client would encode them. */
    public static final List<String> HOSTILE_ID_SEGMENTS = List.of(
            "a".repeat(129), "b".repeat(300), "x".repeat(2000), "%C3%BCn%C3%AFc%C3%B8d%C3%A9-%E8%B4%A6%E6%88%B7", "%F0%9F%99%82",
            "..", ".", "%2e%2e", "%2E%2E", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fq%2fopenapi", "a%2Fb", "a%5Cb", "%00",
            "a%00b", "%00".repeat(40), "%20", "a%20b", "%0d%0aX-Injected:%201", "%25", "a;b=c", "a%3Bb", "%3F", "a%23b", "%7B%7Bx%7D%7D",
            "%24%7Bjndi:ldap:%2F%2Fx%7D", "'%20or%201=1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "...", "%ff%fe", "%C0%AF",
            "%E2%80%AE", "%EF%BB%BF", "a+b", "*", "%2A", "~", "a%09b", "%7F", "a".repeat(128) + "%00", "%E0%A4%A", "-%2e",
            "acct_1ConnectedAcct0001%2F..%2F..");

    /** Path segments only a raw socket sends: malformed escapes, raw non-ASCII bytes (as ISO-8859-1 chars), raw specials. */
    public static final List<String> RAW_ID_SEGMENTS = List.of(
            "%zz", "%", "%G0", "a%", latin1OfUtf8("üñïçødé"), "\u00ff\u00fe", "a\"b", "a{b}", "a<b>", "a|b", "a^b", "a`b", "a\\b");

    private final Random rng;

    public Junk(Random rng) {
        this.rng = rng;
    }

    public Random rng() {
        return rng;
    }

    public <T> T pick(List<T> values) {
        return values.get(rng.nextInt(values.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... values) {
        return values[rng.nextInt(values.length)];
    }

    public boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    public String alnum(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALNUM.charAt(rng.nextInt(ALNUM.length())));
        }
        return out.toString();
    }

    /** A valid account id: 1-128 of the allowed characters, never only dots (a dot segment). */
    public String validId() {
        int length = chance(0.1) ? 128 : 1 + rng.nextInt(24);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ID_CHARS.charAt(rng.nextInt(ID_CHARS.length())));
        }
        String id = out.toString();
        return id.chars().allMatch(c -> c == '.') ? "h" + id.substring(1) : id;
    }

    /** A value that looks like a setup token or state (43 base64url characters) but was never issued. */
    public String forgedToken() {
        StringBuilder out = new StringBuilder(43);
        for (int i = 0; i < 43; i++) {
            out.append(B64URL.charAt(rng.nextInt(B64URL.length())));
        }
        return out.toString();
    }

    /** A hostile text for a JSON string (not yet escaped). */
    public String text() {
        return switch (rng.nextInt(22)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "\u0000";
            case 3 -> "a\u0000b";
            case 4 -> "\u0001\u0002\u001f\u007f";
            case 5 -> "n".repeat(201);
            case 6 -> "c".repeat(256);
            case 7 -> "s".repeat(501);
            case 8 -> "u".repeat(2049);
            case 9 -> "w".repeat(5000);
            case 10 -> "üñíçødé 账户 \uD83D\uDE42";
            case 11 -> "\uD800";
            case 12 -> "<script>alert(1)</script>";
            case 13 -> "' OR 1=1 --";
            case 14 -> "${jndi:ldap://x}";
            case 15 -> "\r\nX-Injected: 1";
            case 16 -> "\u202Eevil";
            case 17 -> "%00%2e%2e";
            case 18 -> "12345";
            case 19 -> "null";
            case 20 -> "\t\n";
            default -> "ok-" + alnum(6);
        };
    }

    /** A JSON text (any type) for a field that wants a string or an enum. */
    public String anyJson() {
        return switch (rng.nextInt(18)) {
            case 0 -> "42";
            case 1 -> "-1";
            case 2 -> "1e309";
            case 3 -> "123456789012345678901234567890";
            case 4 -> "0.5";
            case 5 -> "true";
            case 6 -> "false";
            case 7 -> "null";
            case 8 -> "[]";
            case 9 -> "[1,\"a\",null]";
            case 10 -> "{}";
            case 11 -> "{\"nested\":{\"deeper\":[{\"x\":1}]}}";
            case 12 -> "\"\\u0000\"";
            case 13 -> "\"a\\u0000b\"";
            case 14 -> "\"\\ud800\"";
            case 15 -> deep(200);
            default -> str(text());
        };
    }

    /** {@code levels} nested arrays. */
    public static String deep(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    public static String str(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean validSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    /** Something that is not a JSON object at all. */
    public byte[] notJson() {
        return switch (rng.nextInt(12)) {
            case 0 -> "hello".getBytes(StandardCharsets.UTF_8);
            case 1 -> "{".getBytes(StandardCharsets.UTF_8);
            case 2 -> "{\"a\":}".getBytes(StandardCharsets.UTF_8);
            case 3 -> "<xml><a>1</a></xml>".getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b, (byte) 0xc3, 0x28};
            case 5 -> "\uFEFF{}".getBytes(StandardCharsets.UTF_8);
            case 6 -> "{'single':'quotes'}".getBytes(StandardCharsets.UTF_8);
            case 7 -> "{\"a\":1}{\"b\":2}".getBytes(StandardCharsets.UTF_8);
            case 8 -> "{\"a\":1,}".getBytes(StandardCharsets.UTF_8);
            case 9 -> "\u0000\u0000\u0000".getBytes(StandardCharsets.UTF_8);
            case 10 -> "{\"a\":\"unterminated".getBytes(StandardCharsets.UTF_8);
            default -> "NaN".getBytes(StandardCharsets.UTF_8);
        };
    }

    /** The UTF-8 bytes of {@code s} as ISO-8859-1 characters, for a raw request line. */
    public static String latin1OfUtf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A query value percent-encoded like a browser would. */
    public static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
