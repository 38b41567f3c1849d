package dev.tollgate.catalog.store;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One operation of an API, imported from its OpenAPI document. JSON columns hold OpenAPI objects. */
@Entity
@Table(name = "api_endpoints")
public class EndpointEntity {

    @Id
    public UUID id;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String method;

    @Column(nullable = false)
    public String path;

    @Column(name = "operation_id")
    public String operationId;

    public String summary;

    public String description;

    @Column(nullable = false)
    public boolean deprecated;

    public String parameters;

    @Column(name = "request_body")
    public String requestBody;

    public String responses;
}
