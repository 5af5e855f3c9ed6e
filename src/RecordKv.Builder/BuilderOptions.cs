namespace RecordKv.Builder;

/// <summary>Configuration of a KV builder (section <c>Builder</c>).</summary>
public sealed record BuilderOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Builder";

    /// <summary>This instance's id in the partition leases; a random one when empty.</summary>
    public string InstanceId { get; init; } = "";

    /// <summary>
    /// Partitions to consume without leases (for tests and single-instance runs); empty (the default) means
    /// the partitions this instance holds leases for.
    /// </summary>
    public IReadOnlyList<int> StaticPartitions { get; init; } = [];

    /// <summary>How often partition leases are renewed and rebalanced, and how long they live without renewal.</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a partition lease lives without renewal; a dead builder's partitions are taken over after it; default 6 s.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// How long a partition that is given up (rebalancing, shutdown) lets the events its lanes are in finish, acks and
    /// writes included, before cancelling them; its lease is kept until then. Default 5 s.
    /// </summary>
    public TimeSpan PartitionDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bounded lanes per partition: events of one DID go to one lane, in order; different lanes run in parallel. Default 16.</summary>
    public int LanesPerPartition { get; init; } = 16;

    /// <summary>Events buffered per lane before the consumer waits; default 64.</summary>
    public int LaneCapacity { get; init; } = 64;

    /// <summary>Messages pulled per request from a partition's consumer; default 256.</summary>
    public int PullBatch { get; init; } = 256;

    /// <summary>How long JetStream waits for an ack before redelivering; default 30 s.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The PLC directory resolving <c>did:plc</c>; default https://plc.directory.</summary>
    public string PlcDirectory { get; init; } = "https://plc.directory";

    /// <summary>Whether <c>did:web</c> on localhost / 127.0.0.1 resolves over plain http (tests only); default false.</summary>
    public bool AllowHttpDidWebOnLoopback { get; init; }

    /// <summary>
    /// When set, every did:web document is fetched from this base address with the DID's host in the Host header
    /// (tests and simulators serving many did:web hosts on one port); default none.
    /// </summary>
    public string? DidWebGateway { get; init; }

    /// <summary>Identities held in memory; default 100 000.</summary>
    public int IdentityCacheSize { get; init; } = 100_000;

    /// <summary>How long a resolved identity is trusted before it is fetched again; default 1 h.</summary>
    public TimeSpan IdentityCacheTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A commit or repository whose signature fails makes the builder fetch the DID document again at most once per
    /// this interval per DID (an unseen key rotation is caught at once; a flood of forged commits costs one fetch per
    /// interval); default 30 s. <c>#identity</c> events always fetch.
    /// </summary>
    public TimeSpan SignatureFailureRefetchInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one HTTP attempt (DID documents, getRepo); default 30 s.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per HTTP request (retried on network errors, 429 and 5xx); default 4.</summary>
    public int HttpAttempts { get; init; } = 4;

    /// <summary>First retry delay, doubled per attempt (with jitter) unless the server sends Retry-After; default 250 ms.</summary>
    public TimeSpan HttpRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Concurrent HTTP requests per host; default 8.</summary>
    public int MaxConcurrentRequestsPerHost { get; init; } = 8;

    /// <summary>Whether deactivated / taken-down / suspended accounts' records are removed until reactivation; default true.</summary>
    public bool HideInactiveAccounts { get; init; } = true;

    /// <summary>Whether a commit for a repository the store does not know, that is not its first, triggers a resync; default true.</summary>
    public bool ResyncUnknownRepos { get; init; } = true;

    /// <summary>Collections to store (NSIDs, or prefixes ending in <c>*</c>); empty (the default) stores all. Every commit is verified regardless.</summary>
    public IReadOnlyList<string> Collections { get; init; } = [];

    /// <summary>Repo states cached in memory over all partitions this builder consumes (least recently used evicted); default 100 000.</summary>
    public int RepoStateCacheSize { get; init; } = 100_000;

    /// <summary>
    /// Messages a repository's record index subject may gather since its last snapshot before the next flush of the
    /// repository folds them into a new one (a listing reads them all); default 1024.
    /// </summary>
    public int RecordIndexCompactAfter { get; init; } = 1024;

    /// <summary>The largest record index message (snapshot chunk or delta), in bytes; default 256 KiB (below max_payload).</summary>
    public int RecordIndexChunkBytes { get; init; } = 256 * 1024;

    /// <summary>Record writes published and not yet acknowledged, over all lanes; default 4096.</summary>
    public int MaxRecordWritesInFlight { get; init; } = 4096;

    /// <summary>How long a record write waits for its acknowledgement before the event is redelivered; default 10 s.</summary>
    public TimeSpan RecordWriteAckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before a failed resync is retried (doubling, jittered, per repository); default 1 s.</summary>
    public TimeSpan ResyncRetryMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between resync retries of a repository: it is retried at least this often until it succeeds; default 5 min.</summary>
    public TimeSpan ResyncRetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest repository CAR accepted from getRepo; default 512 MiB.</summary>
    public long MaxRepoBytes { get; init; } = 512L * 1024 * 1024;
}
