package dev.tollgate.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Key files the platform generates into its data directory (signing key, encryption key). */
public final class KeyFiles {

    private KeyFiles() {
    }

    /**
     * Writes {@code content} to {@code file} readable by the owner only: the file is created with mode 0600 before the
     * secret goes in, under a temporary name, then moved into place, so no other user and no half-written file ever
     * sees it.
     */
    public static void writeSecret(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the data directory's own permissions protect the key
        }
        Files.writeString(temporary, content);
        Files.move(temporary, file);
    }
}
