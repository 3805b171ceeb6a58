package io.pvemcp.api;

import java.util.Base64;
import java.util.Objects;

/**
 * One piece of what a tool returns or a prompt says: text, an image, audio, or an embedded resource. Most tools
 * need text only ({@link ToolResult#text(String)}); the other kinds are for tools that hand the model a chart, a
 * console screenshot or a file.
 *
 * @since 1.3
 */
public final class Content {

    /** The kinds of content. */
    public enum Type {
        /** plain text */
        TEXT,
        /** an image, base64-encoded */
        IMAGE,
        /** audio, base64-encoded */
        AUDIO,
        /** an embedded resource */
        RESOURCE
    }

    private final Type type;
    private final String text;
    private final String data;
    private final String mimeType;
    private final ResourceContents resource;

    private Content(Type type, String text, String data, String mimeType, ResourceContents resource) {
        this.type = type;
        this.text = text;
        this.data = data;
        this.mimeType = mimeType;
        this.resource = resource;
    }

    /**
     * @param text the text
     * @return text content
     */
    public static Content text(String text) {
        return new Content(Type.TEXT, Objects.requireNonNull(text, "text"), null, null, null);
    }

    /**
     * @param data the image
     * @param mimeType e.g. {@code image/png}
     * @return image content
     */
    public static Content image(byte[] data, String mimeType) {
        return new Content(Type.IMAGE, null, Base64.getEncoder().encodeToString(data), Objects.requireNonNull(mimeType,
                "mimeType"), null);
    }

    /**
     * @param data the audio
     * @param mimeType e.g. {@code audio/wav}
     * @return audio content
     */
    public static Content audio(byte[] data, String mimeType) {
        return new Content(Type.AUDIO, null, Base64.getEncoder().encodeToString(data), Objects.requireNonNull(mimeType,
                "mimeType"), null);
    }

    /**
     * @param resource the resource's contents, with its URI and MIME type
     * @return embedded resource content
     */
    public static Content resource(ResourceContents resource) {
        return new Content(Type.RESOURCE, null, null, null, Objects.requireNonNull(resource, "resource"));
    }

    /** @return the kind */
    public Type type() {
        return type;
    }

    /** @return the text of {@link Type#TEXT} content, otherwise {@code null} */
    public String text() {
        return text;
    }

    /** @return the base64 data of image and audio content, otherwise {@code null} */
    public String data() {
        return data;
    }

    /** @return the MIME type of image and audio content, otherwise {@code null} */
    public String mimeType() {
        return mimeType;
    }

    /** @return the embedded resource, otherwise {@code null} */
    public ResourceContents resource() {
        return resource;
    }
}
