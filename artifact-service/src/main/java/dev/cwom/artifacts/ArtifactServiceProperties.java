package dev.cwom.artifacts;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The one configuration record of artifact-service (prefix {@code cwom.artifact}); every default lives in
 * the {@code @DefaultValue}s below.
 *
 * @param blobs the content-addressed blob store that holds artifact bodies
 * @param sink the consumer that writes run and artifact events into the database
 * @param reaper the job that fails runs whose worker stopped sending heartbeats
 * @param provenance the job that emits each Run's OpenLineage events and signs its attestation
 */
@ConfigurationProperties("cwom.artifact")
public record ArtifactServiceProperties(@DefaultValue Blobs blobs, @DefaultValue Sink sink,
        @DefaultValue Reaper reaper, @DefaultValue Provenance provenance) {

    /**
     * Settings of the blob store ({@code cwom.artifact.blobs.*}).
     *
     * @param root folder under which blobs live as {@code sha256/ab/cd/<hex>}, with in-flight uploads in
     *     {@code incoming/}; relative paths resolve against the working directory
     * @param maxSize largest accepted body; a bigger upload is answered 413 and its partial file deleted
     * @param publicBaseUrl the address clients reach this service at (e.g. {@code http://artifacts:8083});
     *     an artifact whose {@code uri} starts with it, or whose path contains {@code /blobs/sha256:}, is verified
     *     against this store. Unset: only the path rule applies
     * @param janitorEnabled whether this instance runs the blob janitor (several may share a root)
     * @param janitorPeriod pause between two janitor rounds
     * @param incomingMaxAge a file in {@code incoming/} not written to for this long is left over from an upload
     *     that died with its process and is deleted; an upload still receiving writes its file with every chunk
     * @param orphanRetention a blob not uploaded for this long (its file's modification time; storing the same
     *     content again renews it) that no {@code cwom_artifacts} row refers to, by {@code digest} or by a
     *     {@code /blobs/<digest>} path in its {@code uri}, is deleted. Zero (the default) keeps every blob; choose it
     *     well above the longest time a worker's upload may wait for its {@code ArtifactCreated} to be stored (a
     *     sink backlog or outage included), e.g. days
     * @param quota how much each principal may store and how often it may upload
     * @param batchMaxCount most blobs in one {@code POST /blobs/batch}; more is answered 413 {@code TOO_MANY_BLOBS}
     * @param batchMaxSize most bytes of blobs in one {@code POST /blobs/batch} (each also at most {@code maxSize});
     *     more is answered 413 {@code BATCH_TOO_LARGE}
     */
    public record Blobs(@DefaultValue("data/blobs") Path root, @DefaultValue("1GB") DataSize maxSize,
            @Nullable URI publicBaseUrl,
            @DefaultValue("true") boolean janitorEnabled,
            @DefaultValue("10m") Duration janitorPeriod,
            @DefaultValue("1h") Duration incomingMaxAge,
            @DefaultValue("0s") Duration orphanRetention,
            @DefaultValue Quota quota,
            @DefaultValue("64") int batchMaxCount,
            @DefaultValue("1GB") DataSize batchMaxSize) {

        public Blobs {
            if (batchMaxCount < 1 || batchMaxSize.toBytes() < 1) {
                throw new IllegalArgumentException("cwom.artifact.blobs.batch-max-count (" + batchMaxCount
                        + ") and batch-max-size (" + batchMaxSize + ") must be positive, e.g. 64 and 1GB");
            }
            if (!janitorPeriod.isPositive() || !incomingMaxAge.isPositive()) {
                throw new IllegalArgumentException("cwom.artifact.blobs.janitor-period (" + janitorPeriod
                        + ") and incoming-max-age (" + incomingMaxAge + ") must be positive, e.g. 10m and 1h");
            }
            if (orphanRetention.isNegative()) {
                throw new IllegalArgumentException("cwom.artifact.blobs.orphan-retention is " + orphanRetention
                        + ": use 0 to keep every blob, or a positive age such as 7d");
            }
        }
    }

    /**
     * Per-principal limits of {@code PUT /blobs} ({@code cwom.artifact.blobs.quota.*}); the principal is the
     * authenticated caller's name, {@code anonymous} without one. Zero means unlimited.
     *
     * @param defaultBytes bytes a principal may have stored (the sum of the blobs it uploaded that are still
     *     stored, each counted once per principal however often it is uploaded); an upload that would go above it
     *     is answered 413 {@code QUOTA_EXCEEDED} and not stored
     * @param defaultUploadsPerMinute uploads a principal may start per minute in this instance (a token bucket that
     *     holds a minute's worth, so short bursts pass); above it the answer is 429 {@code UPLOAD_RATE_EXCEEDED}
     *     with {@code Retry-After}
     * @param principals overrides by principal name; a field left out takes the default above. Names with
     *     characters other than letters, digits and {@code -} go in brackets: {@code principals.[ci@example.org]}
     */
    public record Quota(
            @DefaultValue("10GB") DataSize defaultBytes,
            @DefaultValue("600") int defaultUploadsPerMinute,
            @Nullable Map<String, PrincipalQuota> principals) {

        public Quota {
            principals = principals == null ? Map.of() : Map.copyOf(principals);
            if (defaultBytes.isNegative() || defaultUploadsPerMinute < 0) {
                throw new IllegalArgumentException("cwom.artifact.blobs.quota.default-bytes (" + defaultBytes
                        + ") and default-uploads-per-minute (" + defaultUploadsPerMinute
                        + ") must not be negative: use 0 for unlimited");
            }
            principals.forEach((name, quota) -> {
                if (quota.bytes() != null && quota.bytes().isNegative()
                        || quota.uploadsPerMinute() != null && quota.uploadsPerMinute() < 0) {
                    throw new IllegalArgumentException("cwom.artifact.blobs.quota.principals.[" + name + "] is "
                            + quota + ": bytes and uploads-per-minute must not be negative, use 0 for unlimited");
                }
            });
        }

        /** The bytes {@code principal} may have stored; 0 is unlimited. */
        public long bytesFor(String principal) {
            PrincipalQuota own = principals.get(principal);
            return (own != null && own.bytes() != null ? own.bytes() : defaultBytes).toBytes();
        }

        /** The uploads {@code principal} may start per minute; 0 is unlimited. */
        public int uploadsPerMinuteFor(String principal) {
            PrincipalQuota own = principals.get(principal);
            Integer perMinute = own == null ? null : own.uploadsPerMinute();
            return perMinute != null ? perMinute : defaultUploadsPerMinute;
        }
    }

    /**
     * The limits of one principal ({@code cwom.artifact.blobs.quota.principals.<name>.*}); each unset one is the
     * default.
     *
     * @param bytes bytes it may have stored; 0 is unlimited
     * @param uploadsPerMinute uploads it may start per minute in this instance; 0 is unlimited
     */
    public record PrincipalQuota(@Nullable DataSize bytes, @Nullable Integer uploadsPerMinute) {
    }

    /**
     * Settings of the run and artifact sink ({@code cwom.artifact.sink.*}).
     *
     * @param enabled whether this instance consumes {@code cwom.runs.v1} and {@code cwom.artifacts.v1}
     * @param groupId consumer group shared by all sink instances
     * @param concurrency consumer threads in this instance (each owns some partitions)
     * @param maxBatch most records handed to one database transaction ({@code max.poll.records})
     * @param transientBackoffInitial first wait after a transient failure (database or registry unreachable);
     *     such failures are retried without limit, waits doubling up to {@code transientBackoffMax}
     * @param transientBackoffMax longest wait between retries of a transient failure; keep it well below
     *     {@code max.poll.interval.ms} (5 minutes by default)
     * @param dataRetries how often an event the database refuses (e.g. its issue does not exist) is retried before
     *     it goes to {@code cwom.sink.rejected.v1}; 0 rejects at once
     * @param dataRetryInterval wait between those retries
     * @param rejectTimeout how long publishing a rejected record may take before the record is retried instead
     * @param topicPartitions partitions of the sink's topics when this service creates them at start-up (their
     *     replication is every service's {@code cwom.kafka.topics.*})
     * @param verifyMaxSize largest blob the sink verifies (hashes) against an artifact's digest. Hashing happens on
     *     the consumer thread, between two polls, so a bigger blob could hold the poll loop past
     *     {@code max.poll.interval.ms}; its artifact is stored {@code unverified}, with the reason in its
     *     {@code meta.verification_note}
     */
    public record Sink(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("cwom-artifact-sink") String groupId,
            @DefaultValue("1") int concurrency,
            @DefaultValue("500") int maxBatch,
            @DefaultValue("200ms") Duration transientBackoffInitial,
            @DefaultValue("10s") Duration transientBackoffMax,
            @DefaultValue("5") int dataRetries,
            @DefaultValue("2s") Duration dataRetryInterval,
            @DefaultValue("30s") Duration rejectTimeout,
            @DefaultValue("12") int topicPartitions,
            @DefaultValue("64MB") DataSize verifyMaxSize) {
    }

    /**
     * Settings of the stale-run reaper ({@code cwom.artifact.reaper.*}).
     *
     * @param enabled whether this instance runs the reaper (several may; each run is reaped once)
     * @param timeout a {@code running} run of which the sink has stored no start or newer heartbeat for longer than
     *     this, by the database's clock and measured from the moment up to which the sink has applied every run
     *     event, is failed (the workers' clocks play no part); choose it well above the workers' heartbeat interval
     * @param period pause between two reaper rounds
     * @param maxPerRound most runs failed in one round (one database transaction)
     * @param publishTimeout how long publishing one round's {@code RunFinished} events may take before the round
     *     is rolled back and tried again next period; also bounds each broker request that checks the sink's progress
     * @param sinkCatchUpWait how long a round waits for the sink group to commit every run event that was on
     *     {@code cwom.runs.v1} when the round began (only then are the heartbeats in the database current); if it has
     *     not by then, the sink is behind and the round fails nothing. Keep it below {@code period}
     */
    public record Reaper(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5m") Duration timeout,
            @DefaultValue("30s") Duration period,
            @DefaultValue("100") int maxPerRound,
            @DefaultValue("30s") Duration publishTimeout,
            @DefaultValue("10s") Duration sinkCatchUpWait) {
    }

    /**
     * Settings of the provenance job ({@code cwom.artifact.provenance.*}, docs/provenance.md).
     *
     * @param enabled whether this instance runs it (several may; each run is handled once)
     * @param signingKeyFile the operator's Ed25519 private key (PKCS#8 PEM, readable by this service only); unset:
     *     no attestations are made, the OpenLineage events still are
     * @param createKey whether a missing {@code signingKeyFile} is generated at start (the local stack); otherwise a
     *     missing file stops the start
     * @param period pause between two rounds
     * @param maxPerRound most runs handled in one round (one database transaction)
     * @param publishTimeout how long publishing one round's events may take before it is rolled back and tried again
     */
    public record Provenance(
            @DefaultValue("true") boolean enabled,
            @Nullable Path signingKeyFile,
            @DefaultValue("false") boolean createKey,
            @DefaultValue("1s") Duration period,
            @DefaultValue("100") int maxPerRound,
            @DefaultValue("30s") Duration publishTimeout) {
    }
}
