package dev.tollgate.hosted;

import dev.tollgate.catalog.ApiView;

/** What a deploy did: the API (created if it was new), the version, and whether it is now the one served. */
public record DeployResult(ApiView api, VersionView version, boolean deployed) {
}
