package dev.stripeconnector.common;

/**
 * The two routes to Stripe's API through the service, by path: the SDK route {@code /v1/**}, Stripe's own
 * paths with the installation named by {@code Stripe-Account}, and the account route
 * {@code /api/v1/accounts/{accountId}/stripe/v1/**}. The HTTP guards, the problem mapper and the proxy ask
 * here, so the routes are told apart in one place.
 */
public final class ProxyRoutes {

    /** Where Stripe's SDKs send every call when pointed at the service (their paths start at the host's root). */
    public static final String SDK_PREFIX = "/v1/";
    private static final String ACCOUNT_SEGMENT = "/stripe/v1/";
    /** Stripe's file upload: multipart, sent to Stripe's files host, with a limit of its own. */
    private static final String UPLOAD_PATH = "files";

    private ProxyRoutes() {
    }

    /** Whether {@code path} is on the SDK route, whose answers (refusals included) are Stripe-shaped. */
    public static boolean isSdk(String path) {
        return path != null && (path.equals("/v1") || path.startsWith(SDK_PREFIX));
    }

    /** Whether {@code path} is on the account route. */
    public static boolean isAccountProxy(String path) {
        return path != null && path.startsWith("/api/") && path.contains(ACCOUNT_SEGMENT);
    }

    /** Whether {@code path} is on either route to Stripe's API. */
    public static boolean isProxy(String path) {
        return isSdk(path) || isAccountProxy(path);
    }

    /** Stripe's path after {@code /v1/} on either route, as sent (still percent-encoded); empty when there is none. */
    public static String stripePath(String rawPath) {
        if (isSdk(rawPath)) {
            return rawPath.length() <= SDK_PREFIX.length() ? "" : rawPath.substring(SDK_PREFIX.length());
        }
        int at = rawPath == null ? -1 : rawPath.indexOf(ACCOUNT_SEGMENT);
        return at < 0 ? "" : rawPath.substring(at + ACCOUNT_SEGMENT.length());
    }

    /** A file's contents ({@code GET /v1/files/{id}/contents}): Stripe serves them from its files host only. */
    private static final java.util.regex.Pattern FILE_CONTENTS = java.util.regex.Pattern.compile("files/[A-Za-z0-9_-]+/contents/?");

    /** Whether a request is a file upload ({@code POST /v1/files}): it goes to Stripe's files host, with the upload limit. */
    public static boolean isUpload(String method, String stripePath) {
        return "POST".equals(method) && (UPLOAD_PATH.equals(stripePath) || (UPLOAD_PATH + "/").equals(stripePath));
    }

    /** Whether a request goes to Stripe's files host: a file upload, or a file's contents ({@code GET /v1/files/{id}/contents}). */
    public static boolean isFilesHost(String method, String stripePath) {
        return isUpload(method, stripePath) || ("GET".equals(method) && stripePath != null && FILE_CONTENTS.matcher(stripePath).matches());
    }

    /** Whether a request to {@code path} (either route) is a file upload. */
    public static boolean isUploadRequest(String method, String path) {
        return isProxy(path) && isUpload(method, stripePath(path));
    }
}
