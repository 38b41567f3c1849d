package dev.tollgate.hosted.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One numbered version of a hosted API's code, with its example requests and how they fared. */
@Entity
@Table(name = "hosted_versions")
public class VersionEntity {

    @Id
    public UUID id;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(nullable = false)
    public int number;

    @Column(nullable = false)
    public String code;

    /** JSON array of test cases. */
    @Column(nullable = false)
    public String tests;

    /** JSON array of test results. */
    @Column(name = "test_results", nullable = false)
    public String testResults;

    /** {@code ready}, {@code failed} or {@code untested}. */
    @Column(nullable = false)
    public String status;

    /** {@code code}, {@code template} or {@code generated}. */
    @Column(nullable = false)
    public String source;

    @Column(name = "template_id")
    public String templateId;

    public String explanation;

    @Column(name = "author_id", nullable = false)
    public UUID authorId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
