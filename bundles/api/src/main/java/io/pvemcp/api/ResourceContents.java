package io.pvemcp.api;

import java.util.Base64;
import java.util.Objects;

/** The contents of a {@link Resource}: text, or binary data sent base64-encoded. */
public final class ResourceContents {

    private final String uri;
    private final String mimeType;
    private final String text;
    private final String blob;

    private ResourceContents(String uri, String mimeType, String text, String blob) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.mimeType = mimeType;
        this.text = text;
        this.blob = blob;
    }

    /**
     * @param uri the URI that was read
     * @param mimeType the MIME type, e.g. {@code application/json}
     * @param text the contents
     * @return text contents
     */
    public static ResourceContents text(String uri, String mimeType, String text) {
        return new ResourceContents(uri, mimeType, Objects.requireNonNull(text, "text"), null);
    }

    /**
     * @param uri the URI that was read
     * @param mimeType the MIME type, e.g. {@code image/png}
     * @param data the contents
     * @return binary contents
     */
    public static ResourceContents binary(String uri, String mimeType, byte[] data) {
        return new ResourceContents(uri, mimeType, null, Base64.getEncoder().encodeToString(data));
    }

    /** @return the URI */
    public String uri() {
        return uri;
    }

    /** @return the MIME type, or {@code null} */
    public String mimeType() {
        return mimeType;
    }

    /** @return the text, or {@code null} for binary contents */
    public String text() {
        return text;
    }

    /** @return the base64-encoded data, or {@code null} for text contents */
    public String blob() {
        return blob;
    }
}
