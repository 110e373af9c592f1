package dev.batchwise.tensor;

import java.io.IOException;

/**
 * A {@code .npy} or {@code .npz} file whose content cannot be turned into a {@link Tensor}: wrong
 * magic string, unknown format version, malformed header, an element type batchwise has no
 * {@link DType} for (float16, complex, strings, objects, structured records, …), or data shorter
 * than the header promises.
 *
 * <p>The message starts with the file (or stream, or {@code archive.npz:entry.npy}) and then says
 * what is wrong. It is an {@link IOException} so that one {@code catch} handles both unreadable
 * and unusable files; catch this type to tell a bad file from a failing disk.
 */
public final class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, starting with the source's name
     */
    public NpyFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, starting with the source's name
     * @param cause the lower-level failure (for example a {@link java.util.zip.ZipException})
     */
    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
