package dev.tollgate.platform.db;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.hibernate.orm.PersistenceUnit;

/**
 * Exposes the active database (see {@link DatabaseSelection}) as the unqualified {@link Session} and
 * {@link AgroalDataSource} beans, so features never need to know which one is in use.
 */
@Singleton
class ActiveDatabase {

    private final boolean postgres;

    ActiveDatabase(@ConfigProperty(name = DatabaseSelection.KIND_PROPERTY) String kind) {
        this.postgres = "postgresql".equals(kind);
    }

    @Produces
    @Singleton
    Session session(@PersistenceUnit("postgres") Instance<Session> postgresSession,
            @PersistenceUnit("embedded") Instance<Session> embeddedSession) {
        return postgres ? postgresSession.get() : embeddedSession.get();
    }

    @Produces
    @Singleton
    AgroalDataSource dataSource(@DataSource("postgres") Instance<AgroalDataSource> postgresDataSource,
            @DataSource("embedded") Instance<AgroalDataSource> embeddedDataSource) {
        return postgres ? postgresDataSource.get() : embeddedDataSource.get();
    }
}
