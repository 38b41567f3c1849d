package dev.tollgate.gateway.internal;

import dev.tollgate.platform.ProblemException;

/** One step of the gateway's checks. Reads memory only; never blocks. */
interface GatewayProcessor {

    /** Returns the problem that ends the call, or {@code null} to go on. */
    ProblemException apply(CallContext call);
}
