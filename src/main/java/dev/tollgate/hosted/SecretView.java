package dev.tollgate.hosted;

import java.time.Instant;

/** A hosted API's secret as shown to its owner: its name and dates, never its value. */
public record SecretView(String name, Instant createdAt, Instant updatedAt) {
}
