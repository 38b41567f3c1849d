package dev.tollgate.testing;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class that calls the gateway: one local {@link TestUpstream} for the class, started before its tests. */
public abstract class WithUpstream {

    protected static TestUpstream upstream;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        upstream.close();
    }
}
